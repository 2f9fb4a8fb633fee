/**
 * `limit`/`page` pagination with `opc-next-page` (OCI-NOTES §1.5). Page tokens are opaque and
 * URL-safe (base64url; the SDK does not URL-encode query values): an offset bound to the query it
 * came from, so a token replayed with different filters is 400 InvalidParameter.
 */
import { createHash } from "node:crypto";
import type { OpContext } from "../sim-service.js";
import { invalid } from "../sim-error.js";

export interface PageLimits {
  /** Page size when `limit` is absent. */
  defaultLimit: number;
  /** Largest accepted `limit` (larger is 400 InvalidParameter). */
  maxLimit: number;
}

/** KMS and Identity list calls: limit 1..1000, 100 by default (assumed; see src/sim/README.md). */
export const STANDARD_LIMITS: PageLimits = { defaultLimit: 100, maxLimit: 1000 };

export interface Page<T> {
  items: T[];
  /** Response headers: `opc-next-page` when more items follow. */
  headers: Record<string, string>;
}

function queryFingerprint(ctx: OpContext): string {
  const entries = [...ctx.query.entries()].filter(([k]) => k !== "page" && k !== "limit").sort(([a], [b]) => a.localeCompare(b));
  return createHash("sha256").update(`${ctx.operation.name}|${JSON.stringify(entries)}|${JSON.stringify(ctx.params)}`).digest("base64url").slice(0, 10);
}

/** Parses `limit` (integer within the limits) or returns the default. */
export function parseLimit(ctx: OpContext, limits: PageLimits): number {
  const raw = ctx.query.get("limit");
  if (raw === null || raw === "") return limits.defaultLimit;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > limits.maxLimit) throw invalid("limit", `must be an integer from 1 to ${limits.maxLimit}, got ${raw}`);
  return n;
}

/** One page of `all` for this request. */
export function paginate<T>(ctx: OpContext, all: readonly T[], limits: PageLimits = STANDARD_LIMITS): Page<T> {
  const limit = parseLimit(ctx, limits);
  const fingerprint = queryFingerprint(ctx);
  let offset = 0;
  const page = ctx.query.get("page");
  if (page) {
    const decoded = /^(\d+)\.([A-Za-z0-9_-]+)$/.exec(Buffer.from(page, "base64url").toString("utf8"));
    if (!decoded || decoded[2] !== fingerprint) throw invalid("page", "the page token is not valid for this request");
    offset = Number(decoded[1]);
  }
  const items = all.slice(offset, offset + limit);
  const next = offset + limit < all.length ? Buffer.from(`${offset + limit}.${fingerprint}`).toString("base64url") : null;
  return { items, headers: next ? { "opc-next-page": next } : {} };
}

/** Sorts by `sortBy`/`sortOrder` as OCI list calls do: TIMECREATED descending and DISPLAYNAME ascending by default. */
export function sortForList<T extends { timeCreated: string }>(
  ctx: OpContext,
  items: T[],
  nameOf: (item: T) => string,
  names: { time: string; name: string } = { time: "TIMECREATED", name: "DISPLAYNAME" },
): T[] {
  const sortBy = ctx.query.get("sortBy") ?? names.time;
  if (sortBy !== names.time && sortBy !== names.name) throw invalid("sortBy", `must be ${names.time} or ${names.name}`);
  const order = ctx.query.get("sortOrder") ?? (sortBy === names.time ? "DESC" : "ASC");
  if (order !== "ASC" && order !== "DESC") throw invalid("sortOrder", "must be ASC or DESC");
  const sign = order === "ASC" ? 1 : -1;
  const key = sortBy === names.time ? (i: T) => i.timeCreated : nameOf;
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -sign : ka > kb ? sign : 0;
  });
}
