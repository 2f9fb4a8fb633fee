/**
 * Follows `opc-next-page` to the end (OCI-NOTES §1.5) with the guard of cases.md B07: a paginator
 * that answers the token it was asked with (or one it answered before), or a page that starts with
 * the previous page's first item again, is not advancing; the list stops right there (one call past
 * the last good page, within B07's "at most 3 extra calls") and fails with
 * {@link PaginationStalledError} instead of returning partial data as if it were complete.
 */
import { OciCallError } from "./oci-ports.js";

/** A list whose pagination did not advance (reason "pagination-stalled"); `attempts` = pages fetched. */
export class PaginationStalledError extends OciCallError {
  constructor(operation: string, detail: string, pages: number) {
    super(operation, "pagination-stalled", `pagination did not advance: ${detail}; the list is incomplete`, null, null, null, pages);
    this.name = "PaginationStalledError";
  }
}

/**
 * The B07 checks of one paginated read, page by page: call {@link checkPage} with each page's
 * first item id and its next-page token before using the page.
 */
export class PageAdvanceGuard {
  private readonly tokens = new Set<string>();
  private previousFirst: string | null = null;
  private sent: string | undefined;

  constructor(private readonly operation: string) {}

  /**
   * @param pages pages fetched so far, this one included (for the message and the error's attempts).
   * @throws PaginationStalledError when the page repeats the previous page's first item, or when
   *   `nextPage` was answered before (or is the token this page was asked with).
   */
  checkPage(pages: number, first: string | null, nextPage: string | null | undefined, itemWord = "item"): void {
    if (this.sent !== undefined && first !== null && first === this.previousFirst) {
      throw new PaginationStalledError(this.operation, `page ${pages} starts with the first ${itemWord} of page ${pages - 1} again (${first.slice(0, 120)})`, pages);
    }
    if (nextPage && (nextPage === this.sent || this.tokens.has(nextPage))) {
      throw new PaginationStalledError(this.operation, `opc-next-page ${nextPage.slice(0, 60)} was answered before (page ${pages})`, pages);
    }
    if (nextPage) this.tokens.add(nextPage);
    this.previousFirst = first;
    this.sent = nextPage ?? undefined;
  }
}

export interface Page<T> {
  items: T[];
  /** `opc-next-page`; absent or empty on the last page. */
  nextPage: string | null | undefined;
}

export interface ListAllPagesOptions<T> {
  /** Identity of an item for the repeated-first-item check (default: its JSON). */
  idOf?: (item: T) => string;
  /** A ceiling on pages, in case a paginator advances forever (default 10,000). */
  maxPages?: number;
}

/**
 * Every item of a paginated list, in page order.
 * @param fetchPage fetches one page (`page` undefined for the first); errors propagate unchanged.
 * @throws PaginationStalledError as described above, or when `maxPages` is reached.
 */
export async function listAllPages<T>(operation: string, fetchPage: (page: string | undefined) => Promise<Page<T>>, options: ListAllPagesOptions<T> = {}): Promise<T[]> {
  const idOf = options.idOf ?? ((item: T) => JSON.stringify(item));
  const maxPages = options.maxPages ?? 10_000;
  const guard = new PageAdvanceGuard(operation);
  const out: T[] = [];
  let page: string | undefined;
  for (let pages = 1; ; pages++) {
    const { items, nextPage } = await fetchPage(page);
    guard.checkPage(pages, items.length > 0 ? idOf(items[0]!) : null, nextPage);
    out.push(...items);
    if (!nextPage) return out;
    if (pages >= maxPages) throw new PaginationStalledError(operation, `still more pages after ${maxPages}`, pages);
    page = nextPage;
  }
}
