/**
 * Reads every page of one audit window (ListEvents or SearchLogs), following `opc-next-page` to its
 * absence, never stopping on a short page (cases.md B05), with the guard of cases.md B07 and the
 * size bound of B04:
 * - a next-page token equal to the one just sent or any answered before in this window, or a page
 *   whose first record is the previous page's first record again, is a paginator that does not
 *   advance: {@link PaginationStalledError} (reason "pagination-stalled") right at that call, so
 *   at most one call past the last good page (B07 allows three);
 * - once the records read exceed `maxRecords`, the read stops and reports "too large" without the
 *   records, so the caller can split the window: memory holds at most maxRecords plus one page.
 */
import { PageAdvanceGuard, PaginationStalledError } from "../../oci/list-all-pages.js";
import type { RawPage } from "../../oci/oci-ports.js";

/** Fetches one page of the window (`page` undefined for the first). Errors (OciCallError) propagate. */
export type FetchWindowPage = (page: string | undefined) => Promise<RawPage>;

export type WindowRead =
  | {
      complete: true;
      /** Every record of the window, in page order. */
      items: Record<string, unknown>[];
      pages: number;
      /** opc-request-id of the last page. */
      opcRequestId: string | null;
    }
  | { complete: false; pages: number; recordsRead: number };

export interface CollectWindowOptions {
  /** Stop and answer "too large" once more records than this were read; Infinity = never. */
  maxRecords: number;
  /** A record's identity for the repeated-first-record check (null when it has none). */
  idOf: (record: Record<string, unknown>) => string | null;
  /** Pages after which a paginator that keeps advancing is given up on (default 10,000). */
  maxPages?: number;
}

/**
 * Reads one window page by page.
 * @param operation the OCI operation, for error messages ("ListEvents", "SearchLogs").
 * @throws PaginationStalledError as described above; OciCallError from `fetchPage` unchanged.
 */
export async function collectWindowPages(operation: string, fetchPage: FetchWindowPage, options: CollectWindowOptions): Promise<WindowRead> {
  const maxPages = options.maxPages ?? 10_000;
  // The stall checks come before the size bound: a stuck paginator with large pages is a stalled
  // window (B07), not a reason to split it again and again (B04).
  const guard = new PageAdvanceGuard(operation);
  const items: Record<string, unknown>[] = [];
  let token: string | undefined;
  let recordsRead = 0;
  for (let pages = 1; ; pages++) {
    const page = await fetchPage(token);
    guard.checkPage(pages, page.items.length > 0 ? options.idOf(page.items[0]!) : null, page.nextPage, "record");
    recordsRead += page.items.length;
    if (recordsRead > options.maxRecords) return { complete: false, pages, recordsRead };
    for (const item of page.items) items.push(item);
    if (!page.nextPage) return { complete: true, items, pages, opcRequestId: page.opcRequestId };
    if (pages >= maxPages) throw new PaginationStalledError(operation, `still more pages after ${maxPages}`, pages);
    token = page.nextPage;
  }
}
