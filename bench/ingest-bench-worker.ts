/**
 * One measurement of the ingestion benchmark (bench/ingest-bench.ts) in a fresh process, so that
 * its peak memory is its own (RSS never shrinks back to what an earlier, smaller run needed).
 * Forked with an IPC channel: receives one {@link WorkerJob}, answers one {@link WorkerResult}
 * (or `{type: "error", message}`), exits.
 *
 *   node --import tsx bench/ingest-bench-worker.ts   (forked by ingest-bench.ts, not run by hand)
 */
import path from "node:path";
import { loadConfig } from "../src/app/config.js";
import { createDeps } from "../src/app/create-deps.js";
import { silentLogger } from "../src/app/logger.js";
import { importAuditFiles } from "../src/ingest/import-audit-files.js";
import { fixedClock } from "../src/time/instant.js";
import { measureRawLimit } from "./ingest-raw-limit.js";
import { timed } from "./ingest-run-worker.js";

/** The simulator side of a ListEvents measurement (bench/ingest-sim-host.ts). */
export interface ListEventsTarget {
  url: string;
  userId: string;
  fingerprint: string;
  tenancyId: string;
  /** OCI config file (profile DEFAULT) naming the user, fingerprint, tenancy and key file. */
  ociConfigFile: string;
  compartmentIds: string[];
}

export type WorkerJob =
  | { kind: "raw"; file: string; dir: string }
  | { kind: "file"; file: string; dir: string; now: string }
  | { kind: "list-events"; target: ListEventsTarget; dir: string; now: string; backfillDays: number };

export interface WorkerResult {
  type: "result";
  kind: WorkerJob["kind"];
  events: number;
  seconds: number;
  /** CPU time (user + system) of this process over the same span, seconds. */
  cpuSeconds: number;
  /** Peak resident set of the whole process (process.resourceUsage().maxRSS), bytes. */
  peakRssBytes: number;
  /** Highest V8 heapUsed seen (sampled every 20 ms), bytes. */
  peakHeapBytes: number;
  /** RSS right before the measured work started (modules loaded, store open), bytes. */
  baselineRssBytes: number;
  /** Kind-specific detail for the printed line. */
  detail: string;
}

let peakHeap = 0;
const sampleHeap = () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed));

async function run(job: WorkerJob): Promise<Omit<WorkerResult, "type" | "kind" | "peakRssBytes" | "peakHeapBytes">> {
  if (job.kind === "raw") {
    const baselineRssBytes = process.memoryUsage.rss();
    const r = await measureRawLimit(job.file, path.join(job.dir, "raw.sqlite"));
    return { events: r.events, seconds: r.seconds, cpuSeconds: r.cpuSeconds, baselineRssBytes, detail: `reading gz + splitting lines alone: ${r.readSeconds.toFixed(1)} s` };
  }
  if (job.kind === "file") {
    const config = loadConfig({ KEYPROOF_DATABASE: path.join(job.dir, "file.sqlite"), KEYPROOF_REPORTS_DIR: path.join(job.dir, "reports"), KEYPROOF_LOG_LEVEL: "silent" });
    const deps = await createDeps({ config, logger: silentLogger(), clock: fixedClock(job.now) });
    try {
      const baselineRssBytes = process.memoryUsage.rss();
      const { value: result, seconds, cpuSeconds } = await timed(() => importAuditFiles(deps, { paths: [job.file] }));
      if (result.status !== "succeeded") throw new Error(`importAuditFiles ${result.status}: ${result.summaryLine}`);
      return { events: result.totals.stored, seconds, cpuSeconds, baselineRssBytes, detail: result.summaryLine };
    } finally {
      await deps.store.close();
    }
  }
  const { runListEvents } = await import("./ingest-list-events-run.js");
  return runListEvents(job);
}

process.once("message", (job: WorkerJob) => {
  const sampler = setInterval(sampleHeap, 20);
  void run(job)
    .then((r) => {
      clearInterval(sampler);
      sampleHeap();
      const result: WorkerResult = { type: "result", kind: job.kind, ...r, peakRssBytes: process.resourceUsage().maxRSS * 1024, peakHeapBytes: peakHeap };
      process.send!(result, () => process.exit(0));
    })
    .catch((error: unknown) => {
      clearInterval(sampler);
      process.send!({ type: "error", message: error instanceof Error ? (error.stack ?? error.message) : String(error) }, () => process.exit(1));
    });
});
