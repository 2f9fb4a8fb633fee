/**
 * Audit ListEvents ingestion (issue 5 item 1): every compartment of the configured subtrees
 * (ingest-scopes.ts) is read on its own, in whole-minute windows on OCI's processing time, from its
 * checkpoint minus the look-back (OCI delivers late, OCI-NOTES §5 item 1) up to the current minute.
 * One checkpoint per compartment: source "audit-list-events", the ports' region, scopeId = the
 * compartment. Window splitting, the pagination guard and the exactly-once commit are those of
 * ingest-audit-scope.ts.
 */
import { configuredAuditRoots, resolveAuditScopes } from "./ingest-scopes.js";
import type { AuditScopeReader } from "./ingest-audit-scope.js";
import type { IngestDeps, SourceResult } from "./ingest-deps.js";
import { isRelevantAuditEvent } from "./relevant-event-names.js";
import { resolveScopesOrRecordFailure } from "./resolve-scopes-or-record.js";
import { runAuditScopes } from "./run-audit-scopes.js";

/** `eventId` of a ListEvents record (CloudEvents 0.1). */
function eventIdOf(record: Record<string, unknown>): string | null {
  return typeof record.eventId === "string" ? record.eventId : null;
}

/**
 * Collects Audit ListEvents for every in-scope compartment.
 * @returns what was read, stored and which windows failed (each also a "failed" ledger row).
 * @throws OciCallError when the compartment subtrees cannot be listed on a first run (later runs
 *   record every known scope as failed instead: resolve-scopes-or-record.ts); store errors.
 */
export async function ingestListEvents(deps: IngestDeps): Promise<SourceResult> {
  const { ports } = deps;
  const resolved = await resolveScopesOrRecordFailure(deps, "audit-list-events", () => resolveAuditScopes(ports, configuredAuditRoots(deps.config, ports.tenancyId)));
  if ("result" in resolved) return resolved.result;
  const { scopes } = resolved;
  const keep = deps.config.ingest.events === "all" ? null : (e: { eventName: string; eventType: string }) => isRelevantAuditEvent(e.eventName, e.eventType);
  const readers: AuditScopeReader[] = scopes.compartments.map((compartmentId) => ({
    key: { source: "audit-list-events", region: ports.region, scopeId: compartmentId },
    operation: "ListEvents",
    fetchPage: (startMs, endMs, page) => ports.audit.listEventsPage(compartmentId, startMs, endMs, page),
    idOf: eventIdOf,
    keep,
  }));
  return runAuditScopes(deps, "audit-list-events", readers);
}
