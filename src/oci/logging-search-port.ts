/**
 * LoggingSearchPort: SearchLogs one page at a time (OCI-NOTES §2.8). The caller follows `nextPage`
 * to its absence, never stopping on a short page (cases.md B05). Times in the body are ISO with ms
 * (Date.toJSON, which the SDK uses for bodies too). An answer without `searchResponse` or its
 * results is an OciCallError "malformed-answer" (with-retry.ts), never an empty page.
 */
import type { LogSearchClient } from "oci-loggingsearch";
import type { LoggingSearchPort } from "./oci-ports.js";
import { malformedAnswerError, type OciCaller } from "./with-retry.js";

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The results of a SearchLogs answer, or null when the answer is malformed: no `searchResponse`
 * object, or `results` that is not an array of objects. `results` is optional in OCI's model
 * (SearchResponse.results?), so an answer without it counts as empty only when its summary says
 * `resultCount` 0; otherwise it would pass as a window without events.
 */
function searchResults(response: unknown): { data?: unknown }[] | null {
  if (!isRecord(response)) return null;
  const { results, summary } = response;
  if (results === undefined || results === null) return isRecord(summary) && summary.resultCount === 0 ? [] : null;
  return Array.isArray(results) && results.every(isRecord) ? results : null;
}

/** SearchLogs answers at most 1000 results per page (oracle/oci-cli#443). */
export const SEARCH_LOGS_MAX_LIMIT = 1000;

export function createLoggingSearchPort(client: LogSearchClient, call: OciCaller): LoggingSearchPort {
  return {
    async searchLogsPage(searchQuery, timeStartMs, timeEndMs, page, limit = SEARCH_LOGS_MAX_LIMIT) {
      const searchLogsDetails = {
        timeStart: new Date(timeStartMs).toISOString() as unknown as Date,
        timeEnd: new Date(timeEndMs).toISOString() as unknown as Date,
        searchQuery,
        isReturnFieldInfo: false,
      };
      const outcome = await call("SearchLogs", () => client.searchLogs({ searchLogsDetails, limit, ...(page ? { page } : {}) }));
      const results = searchResults(outcome.value.searchResponse);
      if (results === null) throw malformedAnswerError("SearchLogs", "a searchResponse with an array of results", outcome);
      return {
        items: results.map((r) => (isRecord(r.data) ? r.data : {})),
        nextPage: outcome.value.opcNextPage || null,
        opcRequestId: outcome.opcRequestId ?? outcome.value.opcRequestId ?? null,
        attempts: outcome.attempts,
      };
    },
  };
}
