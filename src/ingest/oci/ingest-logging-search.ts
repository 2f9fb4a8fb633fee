/**
 * Logging Search ingestion of the `_Audit` log group (issue 5 item 2, OCI-NOTES §2.8): one query per
 * root compartment over `<root>/_Audit_Include_Subcompartment` (nested roots dropped,
 * ingest-scopes.ts), filtered to the events keyproof needs when `ingest.events` is "relevant",
 * oldest first, in whole-minute windows on the records' event time. SearchLogs only shows records
 * already ingested, so the look-back is what catches late ones. The page token is followed to its
 * absence (cases.md B05). One checkpoint per root: source "logging-search", the ports' region,
 * scopeId = the root.
 */
import { configuredAuditRoots, resolveAuditScopes } from "./ingest-scopes.js";
import type { AuditScopeReader } from "./ingest-audit-scope.js";
import type { IngestDeps, SourceResult } from "./ingest-deps.js";
import { isRelevantAuditEvent, relevantLoggingFilter } from "./relevant-event-names.js";
import { resolveScopesOrRecordFailure } from "./resolve-scopes-or-record.js";
import { runAuditScopes } from "./run-audit-scopes.js";

/** The SearchLogs query of one root (`where` only in "relevant" mode). */
export function auditSearchQuery(rootId: string, events: "relevant" | "all"): string {
  const stream = `search "${rootId}/_Audit_Include_Subcompartment"`;
  return events === "all" ? `${stream} | sort by datetime asc` : `${stream} | where ${relevantLoggingFilter()} | sort by datetime asc`;
}

/** `logContent.id` of a SearchLogs result (`{datetime, logContent, regionId}`). */
function logRecordIdOf(record: Record<string, unknown>): string | null {
  const content = record.logContent;
  if (typeof content !== "object" || content === null) return null;
  const id = (content as Record<string, unknown>).id;
  return typeof id === "string" ? id : null;
}

/**
 * Collects the `_Audit` records of every root through Logging Search.
 * @returns what was read, stored and which windows failed (each also a "failed" ledger row).
 * @throws OciCallError when the compartment subtrees cannot be listed on a first run (later runs
 *   record every known scope as failed instead: resolve-scopes-or-record.ts); store errors.
 */
export async function ingestLoggingSearch(deps: IngestDeps): Promise<SourceResult> {
  const { ports } = deps;
  const events = deps.config.ingest.events;
  const resolved = await resolveScopesOrRecordFailure(deps, "logging-search", () => resolveAuditScopes(ports, configuredAuditRoots(deps.config, ports.tenancyId)));
  if ("result" in resolved) return resolved.result;
  const { scopes } = resolved;
  const keep = events === "all" ? null : (e: { eventName: string; eventType: string }) => isRelevantAuditEvent(e.eventName, e.eventType);
  const readers: AuditScopeReader[] = scopes.roots.map((rootId) => {
    const query = auditSearchQuery(rootId, events);
    return {
      key: { source: "logging-search", region: ports.region, scopeId: rootId },
      operation: "SearchLogs",
      fetchPage: (startMs, endMs, page) => ports.loggingSearch.searchLogsPage(query, startMs, endMs, page),
      idOf: logRecordIdOf,
      keep,
    };
  });
  return runAuditScopes(deps, "logging-search", readers);
}
