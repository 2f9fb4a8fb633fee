# keyproof container: build with the dev toolchain, run the compiled JS as a non-root user.
# The store (SQLite) and the evidence packs live on the /var/lib/keyproof volume.
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source when no prebuilt binary matches.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json .npmrc ./
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY migrations ./migrations
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    KEYPROOF_DATABASE=/var/lib/keyproof/keyproof.sqlite \
    KEYPROOF_REPORTS_DIR=/var/lib/keyproof/reports
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# Fonts embedded in summary.pdf (DejaVu Sans, Noto Sans SC fallback), with their licences.
COPY assets ./assets
# The example tenancy (for `keyproof sim`) and audit export (for `keyproof demo`).
COPY examples ./examples
RUN mkdir -p /var/lib/keyproof && chown node:node /var/lib/keyproof
USER node
VOLUME ["/var/lib/keyproof"]
ENTRYPOINT ["node", "dist/src/cli/main.js"]
CMD ["serve"]
