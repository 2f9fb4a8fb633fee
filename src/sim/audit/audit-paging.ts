/**
 * Pagination of the audit reads (ListEvents, SearchLogs): page tokens that point after the last
 * record served (by event id), so records that become visible while a caller pages do not shift
 * the pages the way offsets would; plus the knobs tests need for the pagination cases of
 * ../shared/cases.md: the ListEvents page size (B04: pages of ~20,000 events). Non-advancing
 * paginators (B07) are the generic `pagination` fault rule (`sim.faults.set("ListEvents",
 * { pagination: "same-token" })`), which the callers pass in as `stuck`. Settings live in
 * `state.extensions` (plain data).
 */
import { createHash } from "node:crypto";
import type { PaginationFault } from "../faults/fault-injector.js";
import { invalid } from "../sim-error.js";
import type { SimState } from "../state/sim-state.js";

export interface AuditPaging {
  /** Events per ListEvents page (OCI has no `limit` on ListEvents and serves very large pages). */
  listEventsPageSize: number;
}

/** Default events per ListEvents page (OCI's real page size is not documented; see src/sim/README.md). */
export const DEFAULT_LIST_EVENTS_PAGE_SIZE = 1000;
export const MAX_LIST_EVENTS_PAGE_SIZE = 100_000;

const KEY = "audit-paging";

/** The current paging settings of a simulator. */
export function auditPaging(state: SimState): AuditPaging {
  const stored = state.extensions[KEY] as AuditPaging | undefined;
  return stored ?? { listEventsPageSize: DEFAULT_LIST_EVENTS_PAGE_SIZE };
}

/** Changes the paging settings (`setAuditPaging(sim.state, { listEventsPageSize: 20_000 })`). */
export function setAuditPaging(state: SimState, patch: Partial<AuditPaging>): AuditPaging {
  const next = { ...auditPaging(state), ...patch };
  const size = next.listEventsPageSize;
  if (!Number.isInteger(size) || size < 1 || size > MAX_LIST_EVENTS_PAGE_SIZE) {
    throw new TypeError(`listEventsPageSize must be an integer from 1 to ${MAX_LIST_EVENTS_PAGE_SIZE}`);
  }
  state.extensions[KEY] = structuredClone(next);
  return next;
}

/** A short digest of what a page token is bound to (operation and filters, not the page). */
export function pageBinding(...parts: unknown[]): string {
  return createHash("sha256").update(JSON.stringify(parts)).digest("base64url").slice(0, 10);
}

export interface CursorPageRequest {
  /** The `page` query value, or null for the first page. */
  token: string | null;
  pageSize: number;
  /** From {@link pageBinding}: a token replayed with other filters is 400 InvalidParameter. */
  binding: string;
  /** The `pagination` fault of this call (`paginationFault` of http/paginate.ts). */
  stuck?: PaginationFault | null | undefined;
}

interface Cursor {
  n: number;
  afterId: string;
}

function encode(c: Cursor, binding: string): string {
  return Buffer.from(`${c.n}|${c.afterId}|${binding}`).toString("base64url");
}

function decode(token: string, binding: string): Cursor {
  const m = /^(\d+)\|([^|]*)\|([A-Za-z0-9_-]+)$/.exec(Buffer.from(token, "base64url").toString("utf8"));
  if (!m || m[3] !== binding) throw invalid("page", "the page token is not valid for this request");
  return { n: Number(m[1]), afterId: m[2]! };
}

/** One page of `items` (already filtered and ordered) and its `opc-next-page` header. */
export function cursorPage<T>(items: readonly T[], idOf: (item: T) => string, req: CursorPageRequest): { items: T[]; headers: Record<string, string> } {
  const cursor = req.token ? decode(req.token, req.binding) : { n: 0, afterId: "" };
  let start = 0;
  if (cursor.afterId) {
    const at = items.findIndex((i) => idOf(i) === cursor.afterId);
    if (at < 0) throw invalid("page", "the page token has expired (its last record is no longer in the result)");
    start = at + 1;
  }
  const page = items.slice(start, start + req.pageSize);
  let next: string | null = null;
  if (req.token && req.stuck === "same-token") next = req.token;
  else if (req.token && req.stuck === "repeat-first-item") next = encode({ n: cursor.n + 1, afterId: cursor.afterId }, req.binding);
  else if (start + req.pageSize < items.length) next = encode({ n: cursor.n + 1, afterId: idOf(page.at(-1)!) }, req.binding);
  return { items: page, headers: next ? { "opc-next-page": next } : {} };
}
