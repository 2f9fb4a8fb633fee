/**
 * `limit`/`page` pagination with `opc-next-page` (OCI-NOTES §1.5). Page tokens are opaque and
 * URL-safe (base64url; the SDK does not URL-encode query values): an offset bound to the request it
 * came from (operation, query filters, path parameters and, for POST reads such as SearchResources,
 * the body), so a token replayed with different filters or another query is 400 InvalidParameter.
 * The `pagination` fault rule (cases B07) makes any paginated operation's tokens stop advancing.
 */
import { createHash } from "node:crypto";
import type { PaginationFault } from "../faults/fault-injector.js";
import type { OpContext } from "../sim-service.js";
import { invalid } from "../sim-error.js";

export interface PageLimits {
  /** Page size when `limit` is absent. */
  defaultLimit: number;
  /** Largest accepted `limit` (larger is 400 InvalidParameter). */
  maxLimit: number;
}

/** KMS and Identity list calls: limit 1..1000, 100 by default (assumed; see src/sim/README.md). */
export const STANDARD_LIMITS: PageLimits = { defaultLimit: 100, maxLimit: 1000 };

export interface Page<T> {
  items: T[];
  /** Response headers: `opc-next-page` when more items follow. */
  headers: Record<string, string>;
}

function queryFingerprint(ctx: OpContext): string {
  const entries = [...ctx.query.entries()].filter(([k]) => k !== "page" && k !== "limit").sort(([a], [b]) => a.localeCompare(b));
  const body = ctx.body === undefined ? "" : JSON.stringify(ctx.body);
  return createHash("sha256").update(`${ctx.operation.name}|${JSON.stringify(entries)}|${JSON.stringify(ctx.params)}|${body}`).digest("base64url").slice(0, 10);
}

/**
 * The `pagination` fault (B07) for this call of a paginated operation, or null. Only a request for a
 * later page (one that carries `token`) misbehaves; every paginator calls this.
 */
export function paginationFault(ctx: OpContext, token: string | null): PaginationFault | null {
  return token ? ctx.runtime.faults.paginationFault(ctx.operation.name) : null;
}

/** Parses `limit` (integer within the limits) or returns the default. */
export function parseLimit(ctx: OpContext, limits: PageLimits): number {
  const raw = ctx.query.get("limit");
  if (raw === null || raw === "") return limits.defaultLimit;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > limits.maxLimit) throw invalid("limit", `must be an integer from 1 to ${limits.maxLimit}, got ${raw}`);
  return n;
}

export interface PageOptions {
  /** Also answer `opc-previous-page` on a page that has one (Resource Search does, OCI-NOTES §1.5). */
  previousPage?: boolean;
}

/** One page of `all` for this request. */
export function paginate<T>(ctx: OpContext, all: readonly T[], limits: PageLimits = STANDARD_LIMITS, options: PageOptions = {}): Page<T> {
  const limit = parseLimit(ctx, limits);
  const fingerprint = queryFingerprint(ctx);
  let offset = 0;
  let serial = 0;
  const page = ctx.query.get("page") || null;
  if (page) {
    const decoded = /^(\d+)\.([A-Za-z0-9_-]+?)(?:\.(\d+))?$/.exec(Buffer.from(page, "base64url").toString("utf8"));
    if (!decoded || decoded[2] !== fingerprint) throw invalid("page", "the page token is not valid for this request");
    offset = Number(decoded[1]);
    serial = Number(decoded[3] ?? 0);
  }
  const items = all.slice(offset, offset + limit);
  // The serial only makes the tokens of a "repeat-first-item" paginator differ while the offset stays.
  const token = (at: number, n: number) => Buffer.from(n ? `${at}.${fingerprint}.${n}` : `${at}.${fingerprint}`).toString("base64url");
  const fault = paginationFault(ctx, page);
  let next: string | null;
  if (fault === "same-token") next = page;
  else if (fault === "repeat-first-item") next = token(offset, serial + 1);
  else next = offset + limit < all.length ? token(offset + limit, 0) : null;
  const headers: Record<string, string> = next ? { "opc-next-page": next } : {};
  if (options.previousPage && offset > 0) headers["opc-previous-page"] = token(Math.max(0, offset - limit), 0);
  return { items, headers };
}

/** Sorts by `sortBy`/`sortOrder` as OCI list calls do: TIMECREATED descending and DISPLAYNAME ascending by default. */
export function sortForList<T extends { timeCreated: string }>(
  ctx: OpContext,
  items: T[],
  nameOf: (item: T) => string,
  names: { time: string; name: string } = { time: "TIMECREATED", name: "DISPLAYNAME" },
): T[] {
  const sortBy = ctx.query.get("sortBy") ?? names.time;
  if (sortBy !== names.time && sortBy !== names.name) throw invalid("sortBy", `must be ${names.time} or ${names.name}`);
  const order = ctx.query.get("sortOrder") ?? (sortBy === names.time ? "DESC" : "ASC");
  if (order !== "ASC" && order !== "DESC") throw invalid("sortOrder", "must be ASC or DESC");
  const sign = order === "ASC" ? 1 : -1;
  const key = sortBy === names.time ? (i: T) => i.timeCreated : nameOf;
  return [...items].sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    return ka < kb ? -sign : ka > kb ? sign : 0;
  });
}
