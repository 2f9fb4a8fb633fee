/**
 * LoggingSearchPort: SearchLogs one page at a time (OCI-NOTES §2.8). The caller follows `nextPage`
 * to its absence, never stopping on a short page (cases.md B05). Times in the body are ISO with ms
 * (Date.toJSON, which the SDK uses for bodies too).
 */
import type { LogSearchClient } from "oci-loggingsearch";
import type { LoggingSearchPort } from "./oci-ports.js";
import type { OciCaller } from "./with-retry.js";

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
      const results = outcome.value.searchResponse.results ?? [];
      return {
        items: results.map((r) => (r.data ?? {}) as Record<string, unknown>),
        nextPage: outcome.value.opcNextPage || null,
        opcRequestId: outcome.opcRequestId ?? outcome.value.opcRequestId ?? null,
        attempts: outcome.attempts,
      };
    },
  };
}
