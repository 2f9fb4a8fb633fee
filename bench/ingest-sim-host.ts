/**
 * The ingestion benchmark's OCI (bench/ingest-list-events-bench.ts): the simulator in a process of
 * its own, driven over the IPC channel of `fork`, so that its serving cost (filtering its audit
 * log, writing 2 MB JSON pages, checking signatures) is not charged to the ingesting process on
 * this 2-core machine (same approach as bench/rotation-sim-host.ts).
 *
 * On start it fills the simulator's audit log directly (no API calls) with the records of the
 * benchmark's export file (bench/synthetic-export.ts, ~2.3 KB each), turned into the ListEvents
 * form (CloudEvents 0.1, OCI-NOTES §2.7) and spread round-robin over the seeded compartments, so
 * ListEvents serves the very records the file benchmark imports.
 *
 * Messages: `{type: "start", ...}` → `{type: "started", url, ...}`; `{type: "report"}` →
 * `{type: "report", calls, cpuMs}`; `{type: "close"}`.
 *
 *   node --import tsx bench/ingest-sim-host.ts   (forked by ingest-list-events-bench.ts, not run by hand)
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { createGunzip } from "node:zlib";
import { setAuditPaging } from "../src/sim/audit/audit-paging.js";
import type { AuditEvent } from "../src/sim/audit/audit-event.js";
import { createSimClock } from "../src/sim/sim-clock.js";
import { startSimulator, type Simulator } from "../src/sim/start-simulator.js";

export type IngestHostRequest =
  | { type: "start"; seed: unknown; now: string; file: string; compartmentIds: string[]; pageSize: number }
  | { type: "report" }
  | { type: "close" };

export interface IngestHostStarted {
  type: "started";
  url: string;
  userId: string;
  fingerprint: string;
  tenancyId: string;
  /** Records appended to the audit log. */
  events: number;
  /** Mean size of one record as ListEvents serves it (JSON), bytes. */
  meanEventBytes: number;
}

export interface IngestHostReport {
  type: "report";
  /** ListEvents calls served, and how many of them failed (status ≥ 400). */
  listEventsCalls: number;
  failedCalls: number;
  /** CPU time of the simulator process since its audit log was filled (serving only), ms. */
  cpuMs: number;
}

/** The ListEvents (CloudEvents 0.1) form of one export record (CloudEvents 1.0, as written by synthetic-export.ts). */
function toListEventsForm(record: any, compartmentId: string, compartmentName: string): AuditEvent {
  const { message: _message, ...data } = record.data;
  return {
    eventType: record.type,
    cloudEventsVersion: "0.1",
    eventTypeVersion: "2.0",
    source: record.type.split(".")[2] ?? "KeyManagementService",
    eventId: record.id,
    eventTime: record.time,
    contentType: "application/json",
    data: { ...data, compartmentId, compartmentName, resourceName: record.source || null },
  };
}

let sim: Simulator | null = null;
let cpuAfterSetup = process.cpuUsage();

async function start(message: Extract<IngestHostRequest, { type: "start" }>): Promise<IngestHostStarted> {
  sim = await startSimulator({ seed: message.seed, clock: createSimClock({ start: message.now }), maxClockSkewMs: Infinity });
  setAuditPaging(sim.state, { listEventsPageSize: message.pageSize });
  const names = message.compartmentIds.map((id) => sim!.state.compartments.get(id)?.name ?? null);
  // Setup, not measured: readline is fine here.
  const lines = createInterface({ input: createReadStream(message.file).pipe(createGunzip()), crlfDelay: Infinity });
  let events = 0;
  let bytes = 0;
  for await (const line of lines) {
    if (!line) continue;
    const c = events % message.compartmentIds.length;
    const event = toListEventsForm(JSON.parse(line), message.compartmentIds[c]!, names[c]!);
    if (events % 1000 === 0) bytes += JSON.stringify(event).length * 1000;
    sim.audit.append(event);
    events++;
  }
  const user = [...sim.state.users.values()][0]!;
  cpuAfterSetup = process.cpuUsage();
  return { type: "started", url: sim.url, userId: user.id, fingerprint: user.fingerprint, tenancyId: sim.state.tenancy.id, events, meanEventBytes: bytes / Math.max(1, events) };
}

process.on("message", (message: IngestHostRequest) => {
  void (async () => {
    if (message.type === "start") {
      process.send!(await start(message));
    } else if (message.type === "report") {
      const calls = sim!.calls.filter((c) => c.operation === "ListEvents");
      const cpu = process.cpuUsage(cpuAfterSetup);
      const report: IngestHostReport = { type: "report", listEventsCalls: calls.length, failedCalls: calls.filter((c) => c.status >= 400).length, cpuMs: (cpu.user + cpu.system) / 1000 };
      process.send!(report);
    } else {
      await sim?.close();
      process.exit(0);
    }
  })().catch((error: unknown) => {
    console.error("ingest-sim-host:", error);
    process.exit(1);
  });
});
