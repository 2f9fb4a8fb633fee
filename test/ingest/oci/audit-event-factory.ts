/**
 * Audit history for the ingestion tests, appended straight to a running simulator's audit log (the
 * store ListEvents and SearchLogs read), so tens of thousands of events cost no HTTP calls. Events
 * are built by the simulator's own builder (src/sim/audit/build-audit-event.ts), so they have the
 * shape of the real records; processing time = event time + the simulator's delivery delay at
 * the time of appending.
 */
import { buildAuditEvent } from "../../../src/sim/audit/build-audit-event.js";
import type { AuditEvent } from "../../../src/sim/audit/audit-event.js";
import type { Simulator } from "../../../src/sim/start-simulator.js";
import { Config } from "../../../src/app/config.js";
import { silentLogger } from "../../../src/app/logger.js";
import type { IngestDeps } from "../../../src/ingest/oci/ingest-deps.js";
import type { OciPorts } from "../../../src/oci/oci-ports.js";
import type { Store } from "../../../src/store/create-db.js";
import { insertImportRun } from "../../../src/store/import-runs.js";
import { listCoverageWindows, type CoverageWindow } from "../../../src/store/ingest-ledger.js";
import type { IngestSource } from "../../../src/store/schema.js";

export interface AppendEventsOptions {
  compartmentId: string;
  /** How many events. */
  count: number;
  /** Event times are spread evenly over [fromMs, toMs). */
  fromMs: number;
  toMs: number;
  /** Operation name (default a relevant one, UpdateBucket). */
  eventName?: string;
  /** Service of the type `com.oraclecloud.<source>.<eventName>` (default ObjectStorage). */
  source?: string;
}

let serial = 0;

/** One event of `opts.eventName` at `timeMs`. */
export function simAuditEvent(sim: Simulator, compartmentId: string, timeMs: number, eventName = "UpdateBucket", source = "ObjectStorage"): AuditEvent {
  const n = ++serial;
  const grouping = `TESTREQ${String(n).padStart(10, "0")}`;
  return buildAuditEvent(sim.state, {
    eventType: `com.oraclecloud.${source}.${eventName}`, source, eventName,
    eventTimeMs: timeMs, responseTimeMs: timeMs + 5,
    ids: { client: grouping, full: `${grouping}/A/B`, grouping: `${grouping}/A` },
    path: `/n/${sim.state.tenancy.namespace}/b/bucket-${n % 50}`, action: "POST", query: new URLSearchParams(),
    requestHeaders: [["user-agent", "keyproof-test"]], status: 200, responseHeaders: {}, message: null,
    details: { compartmentId, resourceId: `/n/${sim.state.tenancy.namespace}/b/bucket-${n % 50}`, resourceName: `bucket-${n % 50}` },
    principal: [...sim.state.users.values()][0] ?? null, ipAddress: "192.0.2.10", userAgent: "keyproof-test",
  });
}

/** Appends `opts.count` events spread over the range; returns their event ids. */
export function appendAuditEvents(sim: Simulator, opts: AppendEventsOptions): string[] {
  const ids: string[] = [];
  const span = opts.toMs - opts.fromMs;
  for (let i = 0; i < opts.count; i++) {
    const timeMs = opts.fromMs + Math.floor((i * span) / opts.count);
    const event = simAuditEvent(sim, opts.compartmentId, timeMs, opts.eventName, opts.source);
    sim.audit.append(event);
    ids.push(event.eventId);
  }
  return ids;
}

/** IngestDeps for a test: a fresh import run, the simulator's clock as "now", a silent logger. */
export async function testIngestDeps(
  store: Store, ports: OciPorts, sim: Simulator, ingest: Record<string, unknown> = {}, scope: Record<string, unknown> = {},
): Promise<IngestDeps> {
  const config = Config.parse({ ingest, scope });
  const now = () => sim.clock.now().toISOString();
  const importRunId = await insertImportRun(store.db, { source: "oci-test", startedAt: now(), filesTotal: 0 });
  return { store, ports, logger: silentLogger(), now, importRunId, config: { ingest: config.ingest, scope: config.scope, policy: config.policy } };
}

/** Every ledger row, ordered by source, region, scope, windowStart, id. */
export async function ledgerRows(store: Store, source?: IngestSource): Promise<CoverageWindow[]> {
  return listCoverageWindows(store.db, { from: "0000-01-01T00:00:00.000Z", to: "9999-12-31T23:59:59.999Z", ...(source ? { source } : {}) });
}

/** Stored event ids (all rows, in seq order). */
export async function storedEventIds(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom("audit_event").select(["event_id"]).orderBy("seq").execute();
  return rows.map((r) => r.event_id);
}

/** Deterministic pseudo-random numbers in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

export interface LateDeliveryPlan {
  compartmentIds: readonly string[];
  /** Steps of `stepMs` simulator time with new events, then quiet steps until everything is delivered. */
  busySteps: number;
  quietSteps: number;
  stepMs: number;
  eventsPerStep: number;
  /** Longest delivery delay (OCI: usually within 15 minutes). */
  maxDelayMs: number;
  /** Called after every step (the clock has moved): run the ingestion here. */
  afterStep: () => Promise<void>;
}

/**
 * Drives a simulator through a period where events happen during each step and are delivered
 * (processed) 0..maxDelayMs later, each with its own delay. Returns the appended event ids and how
 * many of them were still invisible at the end of their own step (so the test is about lateness).
 */
export async function simulateLateDelivery(sim: Simulator, plan: LateDeliveryPlan): Promise<{ ids: string[]; lateAtStepEnd: number }> {
  const random = seededRandom(20261129);
  const ids: string[] = [];
  let lateAtStepEnd = 0;
  for (let step = 0; step < plan.busySteps + plan.quietSteps; step++) {
    const stepStart = sim.clock.now().getTime();
    if (step < plan.busySteps) {
      for (const compartmentId of plan.compartmentIds) {
        for (let i = 0; i < plan.eventsPerStep; i++) {
          const timeMs = stepStart + Math.floor(random() * plan.stepMs);
          const delay = Math.floor(random() * plan.maxDelayMs);
          sim.audit.deliveryDelayMs = delay;
          const event = simAuditEvent(sim, compartmentId, timeMs, i % 2 === 0 ? "CreateKeyVersion" : "UpdateBucket", i % 2 === 0 ? "KeyManagementService" : "ObjectStorage");
          sim.audit.append(event);
          ids.push(event.eventId);
          if (timeMs + delay > stepStart + plan.stepMs) lateAtStepEnd++;
        }
      }
      sim.audit.deliveryDelayMs = 0;
    }
    sim.clock.advance(plan.stepMs);
    await plan.afterStep();
  }
  return { ids, lateAtStepEnd };
}

/** The parts of [from, to) that no collected ledger window covers (ISO pairs; empty = no gap). */
export function uncoveredRanges(windows: readonly CoverageWindow[], from: string, to: string): [string, string][] {
  const collected = windows.filter((w) => w.status === "collected").sort((a, b) => (a.windowStart < b.windowStart ? -1 : 1));
  const gaps: [string, string][] = [];
  let reached = from;
  for (const w of collected) {
    if (w.windowStart > reached) gaps.push([reached, w.windowStart]);
    if (w.windowEnd > reached) reached = w.windowEnd;
  }
  if (reached < to) gaps.push([reached, to]);
  return gaps;
}
