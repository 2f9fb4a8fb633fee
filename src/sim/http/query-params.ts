/**
 * Typed access to query parameters, with OCI's 400 answers. Query dates: the TypeScript SDK sends
 * Date query values as local time without zero-padded hours (OCI-NOTES §1.6); see src/sim/README.md
 * for how the simulator treats them.
 */
import { invalid, missing } from "../sim-error.js";

/** A required query parameter (400 MissingParameter when absent or empty). */
export function requiredQuery(query: URLSearchParams, name: string): string {
  const value = query.get(name);
  if (value === null || value === "") throw missing(name);
  return value;
}

/** An optional boolean query parameter (`true`/`false`, else 400 InvalidParameter). */
export function booleanQuery(query: URLSearchParams, name: string): boolean | undefined {
  const value = query.get(name);
  if (value === null || value === "") return undefined;
  if (value !== "true" && value !== "false") throw invalid(name, `expected true or false, got ${value}`);
  return value === "true";
}

/** An optional enum query parameter. */
export function enumQuery<T extends string>(query: URLSearchParams, name: string, allowed: readonly T[]): T | undefined {
  const value = query.get(name);
  if (value === null || value === "") return undefined;
  if (!allowed.includes(value as T)) throw invalid(name, `expected one of ${allowed.join(", ")}, got ${value}`);
  return value as T;
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;
const UNPADDED_HOUR = /^(\d{4}-\d{2}-\d{2}T)(\d):(\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2}))$/;

/**
 * Parses an RFC 3339 query date. `lenient` also accepts the SDK's single-digit hour
 * (`2025-03-01T4:05:07Z`), read as written (UTC); strict mode answers 400 InvalidParameter.
 */
export function queryInstant(query: URLSearchParams, name: string, lenient: boolean): Date | undefined {
  const raw = query.get(name);
  if (raw === null || raw === "") return undefined;
  let text = raw.replace(/ /g, "+");
  if (!RFC3339.test(text)) {
    const m = UNPADDED_HOUR.exec(text);
    if (!lenient || !m) throw invalid(name, `expected an RFC 3339 date-time such as 2025-03-01T09:05:00Z, got ${raw}`);
    text = `${m[1]}0${m[2]}:${m[3]}`;
  }
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) throw invalid(name, `not a valid date-time: ${raw}`);
  return new Date(ms);
}
