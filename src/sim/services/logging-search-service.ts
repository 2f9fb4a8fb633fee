/**
 * Logging Search (`LogSearchClient`, oci-loggingsearch, OCI-NOTES §2.8): SearchLogs over the
 * `_Audit` log group. `POST /20190909/search?limit=&page=` with `{timeStart, timeEnd, searchQuery,
 * isReturnFieldInfo}` answers `{results: [{data: {datetime, logContent, regionId}}], fields?,
 * summary: {resultCount, fieldCount?}}`; at most 1000 results per page (oracle/oci-cli#443), more
 * through `opc-next-page` — a last page of exactly `limit` results carries no token. A query the
 * parser rejects is 400 InvalidParameter with the parser's message (it names the position).
 */
import { cursorPage, pageBinding } from "../audit/audit-paging.js";
import { paginationFault, parseLimit } from "../http/paginate.js";
import { fieldInfoOf } from "../logging/field-info-of.js";
import { searchAuditLogs } from "../logging/search-audit-logs.js";
import { parseLogQuery, QuerySyntaxError, type LogQuery } from "../query/logging-search-query.js";
import { invalid, missing, SimError } from "../sim-error.js";
import type { OpContext, SimService } from "../sim-service.js";

/** SearchLogs page sizes: at most 1000 (OCI); 100 when `limit` is absent (assumed, see src/sim/README.md). */
export const SEARCH_LOGS_LIMITS = { defaultLimit: 100, maxLimit: 1000 };

interface SearchLogsDetails {
  timeStart?: unknown;
  timeEnd?: unknown;
  searchQuery?: unknown;
  isReturnFieldInfo?: unknown;
}

function instantField(details: SearchLogsDetails, name: "timeStart" | "timeEnd"): Date {
  const value = details[name];
  if (value === undefined || value === null || value === "") throw missing(name);
  const ms = typeof value === "string" && /^\d{4}-\d{2}-\d{2}T/.test(value) ? Date.parse(value) : Number.NaN;
  if (!Number.isFinite(ms)) throw invalid(name, `expected an RFC 3339 date-time, got ${JSON.stringify(value)}`);
  return new Date(ms);
}

function parseQuery(text: unknown): LogQuery {
  if (typeof text !== "string" || text.trim() === "") throw missing("searchQuery");
  try {
    return parseLogQuery(text);
  } catch (error) {
    if (error instanceof QuerySyntaxError) throw new SimError("InvalidParameter", error.message);
    throw error;
  }
}

function searchLogs(ctx: OpContext) {
  const details = (ctx.body ?? {}) as SearchLogsDetails;
  if (typeof details !== "object" || Array.isArray(details)) throw invalid("request body", "expected SearchLogsDetails");
  const timeStart = instantField(details, "timeStart");
  const timeEnd = instantField(details, "timeEnd");
  if (timeStart >= timeEnd) throw invalid("timeEnd", "must be after timeStart");
  const query = parseQuery(details.searchQuery);
  ctx.audit.compartmentId = query.sources[0]?.compartmentId ?? ctx.state.tenancy.id;
  ctx.audit.resourceId = null;
  ctx.audit.payload = {};
  const limit = parseLimit(ctx, SEARCH_LOGS_LIMITS);
  const records = searchAuditLogs(ctx.state, ctx.runtime.audit, { query, timeStart, timeEnd });
  const page = cursorPage(records, (r) => r.id, {
    token: ctx.query.get("page") || null,
    pageSize: limit,
    binding: pageBinding("SearchLogs", details.searchQuery, timeStart.getTime(), timeEnd.getTime()),
    stuck: paginationFault(ctx, ctx.query.get("page") || null),
  });
  const region = ctx.state.tenancy.region;
  const results = page.items.map((r) => ({ data: { datetime: Date.parse(r.time), logContent: r, regionId: region } }));
  const withFields = details.isReturnFieldInfo === true;
  const fields = withFields ? fieldInfoOf(page.items) : undefined;
  return {
    body: {
      results,
      ...(fields ? { fields } : {}),
      summary: { resultCount: results.length, ...(fields ? { fieldCount: fields.length } : {}) },
    },
    headers: page.headers,
  };
}

export const loggingSearchService: SimService = {
  name: "logging",
  basePath: "/logging",
  auditSource: "LogSearch",
  operations: [{ name: "SearchLogs", method: "POST", path: "/20190909/search", write: false, handle: searchLogs }],
};
