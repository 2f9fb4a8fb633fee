/**
 * What every OCI ingestion step needs (issue 5): the store, the OCI ports, the clock, the logger,
 * the import run its events belong to, and the configuration. Steps are plain async functions of
 * these deps; `runIngest` (run-ingest.ts) composes them for `keyproof ingest` and the scheduler.
 */
import type { Config } from "../../app/config.js";
import type { Logger } from "../../app/logger.js";
import type { OciPorts } from "../../oci/oci-ports.js";
import type { Store } from "../../store/create-db.js";
import type { IngestSource } from "../../store/schema.js";

export interface IngestDeps {
  store: Store;
  ports: OciPorts;
  logger: Logger;
  /** Current instant, canonical ISO UTC (injected clock). */
  now: () => string;
  /** The import_run every stored event and ledger row of this run points to. */
  importRunId: number;
  config: Pick<Config, "ingest" | "scope" | "policy">;
}

/** One window that could not be collected (also a `failed` row of the coverage ledger). */
export interface WindowFailure {
  source: IngestSource;
  scopeId: string;
  /** Inclusive, canonical ISO UTC. */
  windowStart: string;
  /** Exclusive. */
  windowEnd: string;
  /** OciFailureReason (throttled, authentication, not-authorized-or-not-found, pagination-stalled, ...). */
  reason: string;
  detail: string;
}

/** What one source did in one run. */
export interface SourceResult {
  source: IngestSource;
  /** Scopes (compartments, root compartments, bucket prefixes) read. */
  scopes: number;
  windowsCollected: number;
  windowsFailed: number;
  /** Records OCI answered (before the relevance filter). */
  eventsRead: number;
  /** New rows stored (conflicts included). */
  eventsStored: number;
  /** Records already stored (re-reads, look-back). */
  duplicates: number;
  /** Same id, different content: stored and flagged (import's conflict_of_seq). */
  conflicts: number;
  failures: WindowFailure[];
}
