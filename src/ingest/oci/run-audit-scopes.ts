/**
 * Runs the scopes of one audit source in turn and sums what they did into a {@link SourceResult}.
 * A scope that fails stops on its own; the others go on. The tenancy's Audit retention
 * (GetConfiguration) is read once per run: nothing older than it is asked for (OCI has deleted it,
 * and an empty answer there must not be recorded as collected), and it is the first-run depth
 * unless config.ingest.backfillDays is set (capped by the retention).
 */
import { OciCallError } from "../../oci/oci-ports.js";
import type { IngestSource } from "../../store/schema.js";
import { ingestAuditScope, type AuditScopeReader } from "./ingest-audit-scope.js";
import type { IngestDeps, SourceResult } from "./ingest-deps.js";

/**
 * OCI keeps audit events 90 days at least (the default; 365 at most, OCI-NOTES §5 item 3): the
 * retention assumed when the setting cannot be read, so no window older than OCI surely keeps is
 * reported as collected.
 */
const MIN_AUDIT_RETENTION_DAYS = 90;

/** Collects every scope of `source`; throws only non-OCI errors (the store). */
export async function runAuditScopes(deps: IngestDeps, source: IngestSource, readers: readonly AuditScopeReader[]): Promise<SourceResult> {
  let retention: Promise<number> | undefined;
  const retentionDays = (): Promise<number> => (retention ??= readRetentionDays(deps));
  const backfillDays = async (): Promise<number> => Math.min(deps.config.ingest.backfillDays ?? Infinity, await retentionDays());
  const result: SourceResult = {
    source, scopes: readers.length, windowsCollected: 0, windowsFailed: 0,
    eventsRead: 0, eventsStored: 0, duplicates: 0, conflicts: 0, failures: [],
  };
  for (const reader of readers) {
    const outcome = await ingestAuditScope(deps, reader, { backfillDays, retentionDays });
    result.windowsCollected += outcome.windowsCollected;
    result.eventsRead += outcome.recordsRead;
    result.eventsStored += outcome.stored;
    result.duplicates += outcome.duplicates;
    result.conflicts += outcome.conflicts;
    result.windowsFailed += outcome.malformed.length;
    result.failures.push(...outcome.malformed);
    if (outcome.failure) {
      result.windowsFailed++;
      result.failures.push(outcome.failure);
    }
  }
  return result;
}

async function readRetentionDays(deps: IngestDeps): Promise<number> {
  try {
    return (await deps.ports.audit.getRetentionPeriodDays()).value;
  } catch (err) {
    if (!(err instanceof OciCallError)) throw err;
    deps.logger.warn({ reason: err.reason, error: err.message, retentionDays: MIN_AUDIT_RETENTION_DAYS }, "audit retention unreadable; assuming OCI's minimum");
    return MIN_AUDIT_RETENTION_DAYS;
  }
}
