/**
 * Starts the OCI simulator: one HTTP port on loopback, a path prefix per service (OCI-NOTES §1.1),
 * every request through the shared pipeline (serve-operation.ts). The real oci-sdk clients talk to
 * it by setting `client.endpoint` to one of {@link Simulator.endpoints}; KMS management and crypto
 * clients use the vault's own `managementEndpoint` / `cryptoEndpoint` from GetVault, as in production.
 */
import type { AddressInfo } from "node:net";
import { createAdaptorServer, type HttpBindings } from "@hono/node-server";
import { Hono } from "hono";
import { AuditLog } from "./audit/audit-log.js";
import { FaultInjector, type FaultConfig } from "./faults/fault-injector.js";
import { RetryTokenCache } from "./http/retry-token-cache.js";
import { requestIdsFor } from "./http/request-ids.js";
import { DEFAULT_MAX_SKEW_MS } from "./http/verify-signature.js";
import { WriteThrottle } from "./http/write-throttle.js";
import { KeyMaterialStore } from "./kms/key-material-store.js";
import { postedMetrics, type PostedMetric } from "./monitoring/posted-metrics.js";
import { publishedMessages, type PublishedMessage } from "./ons/published-messages.js";
import { parseTenancySeed } from "./seed/parse-tenancy-seed.js";
import type { TenancySeed } from "./seed/tenancy-seed.js";
import { serveOperation, type Pipeline, type SimCall } from "./serve-operation.js";
import { ALL_SERVICES } from "./services/all-services.js";
import { createSimClock, type SimClock } from "./sim-clock.js";
import type { SimRuntime, SimService, SimServiceName } from "./sim-service.js";
import { createSimState, type SimState } from "./state/sim-state.js";

export interface SimulatorOptions {
  /** The tenancy: a parsed seed, or seed JSON (validated; errors name the JSON path). */
  seed: TenancySeed | unknown;
  /** Default: a frozen clock at the wall-clock time of start. */
  clock?: SimClock;
  faults?: FaultConfig;
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Audit processing delay (default 0; OCI: usually under 15 minutes). */
  auditDeliveryDelayMs?: number;
  /** Allowed difference between the signed date and the simulator clock (default 5 min; Infinity = off). */
  maxClockSkewMs?: number;
  /** Accept the SDK's un-padded query hours instead of 400 (default false; see README). */
  lenientQueryDates?: boolean;
  /** Overrides of the services' write limits per second (null = unthrottled); KMS management defaults to OCI's 10. */
  writeLimits?: Partial<Record<SimServiceName, number | null>>;
  /** Default: every service in ALL_SERVICES. */
  services?: readonly SimService[];
}

/** Base URLs by service, to assign to `client.endpoint` (KMS management/crypto: use the vault's endpoints). */
export type SimEndpoints = Record<SimServiceName, string>;

export interface Simulator {
  /** `http://127.0.0.1:PORT`. */
  readonly url: string;
  readonly endpoints: SimEndpoints;
  readonly state: SimState;
  readonly clock: SimClock;
  /** Every request served, in arrival order. */
  readonly calls: readonly SimCall[];
  readonly audit: AuditLog;
  /** Runtime fault control: `faults.set("CreateKeyVersion", { kind: "throttle" })`, `faults.clear()`. */
  readonly faults: FaultInjector;
  /** Metric objects accepted by Monitoring PostMetricData, in arrival order. */
  readonly metrics: readonly PostedMetric[];
  /** Messages accepted by Notifications PublishMessage, in order. */
  readonly messages: readonly PublishedMessage[];
  /** The management and crypto endpoints of a vault (what GetVault answers). */
  vaultEndpoints(vaultId: string): { management: string; crypto: string };
  /** Runs due time-driven work now (also runs on every clock move and request). */
  tick(): void;
  close(): Promise<void>;
}

const PREFIXES: readonly SimServiceName[] = [
  "kms-vault", "kms-mgmt", "kms-crypto", "identity", "audit", "logging", "search", "blockstorage", "objectstorage", "monitoring", "ons",
];

/** Starts a simulator; resolves once it listens. */
export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const seed = parseTenancySeed(options.seed);
  const clock = options.clock ?? createSimClock();
  const services = options.services ?? ALL_SERVICES;
  const known = new Set(services.flatMap((s) => [...s.operations.map((o) => o.name), ...(s.backgroundOperations ?? [])]));
  const state = createSimState(seed);
  const audit = new AuditLog(clock, options.auditDeliveryDelayMs ?? 0);
  const faults = new FaultInjector(known, options.faults);
  let url = "";
  const runtime: SimRuntime = {
    state, clock, audit, faults, keyMaterial: new KeyMaterialStore(),
    get url() {
      return url;
    },
    lenientQueryDates: options.lenientQueryDates ?? false,
  };
  let ticking = false;
  const tick = (): void => {
    if (ticking) return;
    ticking = true;
    try {
      for (const service of services) service.tick?.(runtime);
    } finally {
      ticking = false;
    }
  };
  const pipeline: Pipeline = {
    runtime, calls: [], retryTokens: new RetryTokenCache(), throttle: new WriteThrottle(),
    maxSkewMs: options.maxClockSkewMs ?? DEFAULT_MAX_SKEW_MS, tick, hangs: new Set(),
    writeLimit: (service) => {
      const override = options.writeLimits?.[service.name];
      return override === undefined ? service.writesPerSecond ?? null : override;
    },
  };

  const app = new Hono<{ Bindings: HttpBindings }>();
  for (const service of services) {
    for (const op of service.operations) app.on(op.method, `${service.basePath}${op.path}`, (c) => serveOperation(pipeline, service, op, c));
  }
  app.notFound((c) => {
    const id = requestIdsFor(c.req.header("opc-request-id")).full;
    pipeline.calls.push({
      time: clock.now().toISOString(), method: c.req.method, path: c.env.incoming.url ?? "", service: null,
      operation: "(unknown)", status: 404, requestId: id, principal: null, fault: null,
    });
    return c.json({ code: "NotAuthorizedOrNotFound", message: `No operation at ${c.req.method} ${c.req.path}` }, 404, { "opc-request-id": id });
  });

  const server = createAdaptorServer({ fetch: app.fetch });
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  url = `http://${host.includes(":") ? `[${host}]` : host}:${address.port}`;
  const unsubscribe = clock.onChange(tick);
  tick();

  const endpoints = Object.fromEntries(PREFIXES.map((p) => [p, `${url}/${p}`])) as SimEndpoints;
  return {
    url, endpoints, state, clock, calls: pipeline.calls, audit, faults, tick,
    get metrics() {
      return postedMetrics(state);
    },
    get messages() {
      return publishedMessages(state);
    },
    vaultEndpoints(vaultId) {
      const vault = state.vaults.get(vaultId);
      if (!vault) throw new TypeError(`no vault ${vaultId}`);
      return { management: `${endpoints["kms-mgmt"]}/${vault.endpointId}`, crypto: `${endpoints["kms-crypto"]}/${vault.endpointId}` };
    },
    async close() {
      unsubscribe();
      for (const release of pipeline.hangs) release();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ("closeAllConnections" in server) server.closeAllConnections();
      });
    },
  };
}
