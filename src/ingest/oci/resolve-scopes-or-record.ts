/**
 * When the compartment tree cannot be listed (Identity ListCompartments throttled, unauthorised...),
 * no window can be read, and the coverage ledger must still say why (DESIGN §3 rule 7: a gap is
 * never silent). Every scope this source collected before (it has a checkpoint) gets one "failed"
 * row from its checkpoint minus the look-back to the current minute, with the reason; the
 * SourceResult lists them. On a first run no scope is known yet: the error propagates and the
 * ingest step is recorded as failed.
 */
import { OciCallError } from "../../oci/oci-ports.js";
import { listCheckpoints } from "../../store/ingest-ledger.js";
import type { IngestSource } from "../../store/schema.js";
import { parseInstant } from "../../time/instant.js";
import { floorMinute, MINUTE_MS } from "./audit-windows.js";
import { recordFailedWindow } from "./commit-window.js";
import type { IngestDeps, SourceResult } from "./ingest-deps.js";
import type { AuditScopes } from "./ingest-scopes.js";

/**
 * `resolve()`'s scopes, or — after an OciCallError — the failed SourceResult described above.
 * @throws the OciCallError when no scope of `source` has a checkpoint; other errors unchanged.
 */
export async function resolveScopesOrRecordFailure(
  deps: IngestDeps, source: IngestSource, resolve: () => Promise<AuditScopes>,
): Promise<{ scopes: AuditScopes } | { result: SourceResult }> {
  try {
    return { scopes: await resolve() };
  } catch (err) {
    if (!(err instanceof OciCallError)) throw err;
    const known = (await listCheckpoints(deps.store.db)).filter((c) => c.source === source && c.region === deps.ports.region);
    if (known.length === 0) throw err;
    const nowMs = floorMinute(parseInstant(deps.now())!.epochMs);
    const result: SourceResult = {
      source, scopes: known.length, windowsCollected: 0, windowsFailed: 0, eventsRead: 0, eventsStored: 0, duplicates: 0, conflicts: 0, failures: [],
    };
    for (const c of known) {
      const startMs = floorMinute(parseInstant(c.collectedTo)!.epochMs - deps.config.ingest.lookbackMinutes * MINUTE_MS);
      if (startMs >= nowMs) continue;
      result.failures.push(await recordFailedWindow(deps, {
        key: { source, region: c.region, scopeId: c.scopeId }, startMs, endMs: nowMs, reason: err.reason,
        detail: `the compartment tree could not be listed, so no window was read: ${err.message}`, pages: 0, opcRequestId: err.opcRequestId,
      }));
      result.windowsFailed++;
    }
    deps.logger.error({ source, reason: err.reason, error: err.message, scopes: known.length }, "audit scopes could not be resolved; every known scope recorded as failed");
    return { result };
  }
}
