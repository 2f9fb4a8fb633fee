/**
 * The ListEvents measurement inside a benchmark worker (bench/ingest-bench-worker.ts): a fresh
 * SQLite store, the production OCI ports (real oci-audit client, signed from an OCI config file,
 * the production retry layer) pointed at the simulator host, then one `ingestListEvents` from the
 * empty store with `ingest.events: "all"`, so every record the simulator serves is stored.
 */
import path from "node:path";
import { Config } from "../src/app/config.js";
import { createDeps } from "../src/app/create-deps.js";
import { silentLogger } from "../src/app/logger.js";
import { ingestListEvents } from "../src/ingest/oci/ingest-list-events.js";
import { createOciPortsFromConfig } from "../src/oci/create-oci-ports.js";
import { insertImportRun } from "../src/store/import-runs.js";
import { fixedClock } from "../src/time/instant.js";
import type { WorkerJob, WorkerResult } from "./ingest-bench-worker.js";
import { timed } from "./ingest-run-worker.js";

type Job = Extract<WorkerJob, { kind: "list-events" }>;

/** Runs the measured ingestion; the result's `events` is the number of rows stored. */
export async function runListEvents(job: Job): Promise<Omit<WorkerResult, "type" | "kind" | "peakRssBytes" | "peakHeapBytes">> {
  const { target } = job;
  const config = Config.parse({
    database: path.join(job.dir, "list-events.sqlite"),
    oci: { configFile: target.ociConfigFile, profile: "DEFAULT", endpointOverride: target.url },
    ingest: { audit: "list-events", compartments: target.compartmentIds, events: "all", backfillDays: job.backfillDays, snapshots: false },
    logLevel: "silent",
  });
  const clock = fixedClock(job.now);
  const deps = await createDeps({ config, logger: silentLogger(), clock });
  const ports = await createOciPortsFromConfig(config);
  try {
    const importRunId = await insertImportRun(deps.store.db, { source: "audit-list-events", startedAt: job.now, filesTotal: 0 });
    const baselineRssBytes = process.memoryUsage.rss();
    const { value: result, seconds, cpuSeconds } = await timed(() => ingestListEvents({ store: deps.store, ports, logger: deps.logger, now: () => job.now, importRunId, config }));
    if (result.windowsFailed > 0) {
      throw new Error(`ingestListEvents: ${result.windowsFailed} window(s) failed: ${result.failures.slice(0, 3).map((f) => `${f.scopeId} ${f.windowStart} ${f.reason}: ${f.detail}`).join("; ")}`);
    }
    return {
      events: result.eventsStored,
      seconds,
      cpuSeconds,
      baselineRssBytes,
      detail: `${result.scopes} compartments, ${result.windowsCollected} windows, ${result.eventsRead} read, ${result.eventsStored} stored, ${result.duplicates} duplicates`,
    };
  } finally {
    ports.close();
    await deps.store.close();
  }
}
