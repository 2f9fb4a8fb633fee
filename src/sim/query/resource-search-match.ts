/**
 * Evaluates parsed Resource Search queries against resource summaries (plain objects).
 *
 * Semantics (OCI documents the operators but not all of their details; the choices marked
 * "chosen" are the simulator's, picked to be no more lenient than OCI is likely to be):
 * - Field names are case-insensitive and may be dotted (`additionalDetails.kmsKeyId`).
 * - `=` / `!=` compare text exactly (case-sensitive, chosen); numbers numerically; an ISO date literal
 *   equals a date field at the same instant, a bare `YYYY-MM-DD` equals any instant that UTC day.
 * - `=~` is a case-insensitive "contains"; `*` (or `.*`) inside the value is a wildcard (chosen:
 *   real queries use both `displayName =~ 'web'` and `displayName =~ '.*web.*'`).
 *   `!~` is its negation.
 * - `>`, `>=`, `<`, `<=` compare numbers or instants only; anything else does not match.
 * - A missing field matches only the negative operators (`!=`, `!~`).
 * - Same-tag rule: the tag comparisons of one `&&` chain (one nesting level; parentheses open a
 *   new chain) that concern the same tag kind must all hold for ONE tag, so
 *   `(freeformTags.key = 'a' && freeformTags.value = 'x')` needs a tag a=x, not some tag `a`
 *   plus some other tag with value `x`. A group made only of negative comparisons
 *   (`definedTags.namespace != 'Ops'`) must hold for EVERY tag ("no tag in Ops"; chosen).
 */
import { DAY_MS, instantOf, parseIsoInstant } from "./iso-instant.js";
import type {
  ComparisonOperator,
  QueryValue,
  ResourceComparison,
  ResourceCondition,
  ResourceQuery,
  TagKind,
} from "./resource-search-query.js";

/** The parts of an OCI `ResourceSummary` the matcher reads; other fields are reachable by name. */
export type ResourceSummaryLike = {
  readonly resourceType: string;
  readonly identifier: string;
  readonly displayName?: string | null;
  readonly compartmentId: string;
  readonly lifecycleState?: string | null;
  readonly timeCreated?: string | Date | null;
  readonly freeformTags?: Readonly<Record<string, string>> | null;
  readonly definedTags?: Readonly<Record<string, Readonly<Record<string, unknown>>>> | null;
  readonly systemTags?: Readonly<Record<string, Readonly<Record<string, unknown>>>> | null;
  readonly [field: string]: unknown;
};

type Tag = { readonly namespace?: string; readonly key: string; readonly value: string };

/** True when the resource is of a selected type and satisfies the where clause. */
export function matchesResource(query: ResourceQuery, resource: ResourceSummaryLike): boolean {
  if (query.resourceTypes !== "all" && !query.resourceTypes.includes(resource.resourceType.toLowerCase())) {
    return false;
  }
  return query.where === null || evaluate(query.where, resource);
}

/**
 * Orders results as OCI does: by the `sorted by` field, or newest `timeCreated` first when the
 * query has no sort clause. Missing values sort last; ties keep input order (stable sort).
 */
export function resourceComparator(query: ResourceQuery): (a: ResourceSummaryLike, b: ResourceSummaryLike) => number {
  const sort = query.sort ?? { field: "timeCreated", order: "desc" as const };
  const path = sort.field.toLowerCase().split(".");
  const direction = sort.order === "asc" ? 1 : -1;
  return (a, b) => {
    const x = sortKey(resolveField(a, path));
    const y = sortKey(resolveField(b, path));
    if (x === null || y === null) return x === y ? 0 : x === null ? 1 : -1;
    if (typeof x === "number" && typeof y === "number") return (x - y) * direction;
    return String(x).localeCompare(String(y), "en") * direction;
  };
}

function sortKey(value: unknown): number | string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "number") return value;
  const instant = instantOf(value);
  if (instant !== null) return instant.epochMs;
  return typeof value === "string" ? value : JSON.stringify(value);
}

function evaluate(condition: ResourceCondition, resource: ResourceSummaryLike): boolean {
  switch (condition.kind) {
    case "or":
      return condition.operands.some((c) => evaluate(c, resource));
    case "and":
      return evaluateAnd(condition.operands, resource);
    case "comparison":
      return condition.tag === null
        ? compare(resolveField(resource, condition.path), condition.operator, condition.value)
        : matchesTagGroup([condition], resource);
  }
}

function evaluateAnd(operands: readonly ResourceCondition[], resource: ResourceSummaryLike): boolean {
  const tagGroups = new Map<TagKind, ResourceComparison[]>();
  for (const operand of operands) {
    if (operand.kind === "comparison" && operand.tag !== null) {
      const group = tagGroups.get(operand.tag.kind) ?? [];
      group.push(operand);
      tagGroups.set(operand.tag.kind, group);
    } else if (!evaluate(operand, resource)) {
      return false;
    }
  }
  return [...tagGroups.values()].every((group) => matchesTagGroup(group, resource));
}

function matchesTagGroup(group: readonly ResourceComparison[], resource: ResourceSummaryLike): boolean {
  const kind = group[0]?.tag?.kind;
  if (kind === undefined) return true;
  const tags = tagsOf(resource, kind);
  const holdsFor = (tag: Tag): boolean =>
    group.every((c) => compare(c.tag === null ? undefined : tag[c.tag.attribute], c.operator, c.value));
  const onlyNegative = group.every((c) => isNegative(c.operator));
  return onlyNegative ? tags.every(holdsFor) : tags.some(holdsFor);
}

function tagsOf(resource: ResourceSummaryLike, kind: TagKind): Tag[] {
  const raw = resolveField(resource, [kind.toLowerCase()]);
  if (raw === null || typeof raw !== "object") return [];
  const entries = Object.entries(raw as Record<string, unknown>);
  if (kind === "freeformTags") return entries.map(([key, value]) => ({ key, value: String(value) }));
  return entries.flatMap(([namespace, keys]) =>
    keys !== null && typeof keys === "object"
      ? Object.entries(keys as Record<string, unknown>).map(([key, value]) => ({ namespace, key, value: String(value) }))
      : [],
  );
}

/** Walks a lower-cased path through the object, matching keys case-insensitively. */
function resolveField(source: unknown, path: readonly string[]): unknown {
  let current: unknown = source;
  for (const segment of path) {
    if (current === null || typeof current !== "object") return undefined;
    const key = Object.keys(current).find((k) => k.toLowerCase() === segment);
    if (key === undefined) return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

function isNegative(operator: ComparisonOperator): boolean {
  return operator === "!=" || operator === "!~";
}

function compare(actual: unknown, operator: ComparisonOperator, expected: QueryValue): boolean {
  if (operator === "!=") return !compare(actual, "=", expected);
  if (operator === "!~") return !compare(actual, "=~", expected);
  if (actual === undefined || actual === null) return false;
  if (Array.isArray(actual)) return actual.some((item) => compare(item, operator, expected));
  switch (operator) {
    case "=":
      return equals(actual, expected);
    case "=~":
      return fuzzyMatches(actual, expected);
    default:
      return ordered(actual, operator, expected);
  }
}

function equals(actual: unknown, expected: QueryValue): boolean {
  if (expected.kind === "number") {
    const n = toNumber(actual);
    return n !== null && n === expected.value;
  }
  if (textOf(actual) === expected.value) return true;
  const want = parseIsoInstant(expected.value);
  const have = instantOf(actual);
  if (want === null || have === null) return false;
  return want.dateOnly
    ? have.epochMs >= want.epochMs && have.epochMs < want.epochMs + DAY_MS
    : have.epochMs === want.epochMs;
}

function fuzzyMatches(actual: unknown, expected: QueryValue): boolean {
  const pattern = String(expected.value)
    .split(/\.?\*/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(pattern, "i").test(textOf(actual));
}

function ordered(actual: unknown, operator: ComparisonOperator, expected: QueryValue): boolean {
  let difference: number;
  const a = toNumber(actual);
  const b = expected.kind === "number" ? expected.value : null;
  if (a !== null && b !== null) {
    difference = a - b;
  } else {
    const have = instantOf(actual);
    const want = expected.kind === "number" ? null : parseIsoInstant(expected.value);
    if (have === null || want === null) return false;
    difference = have.epochMs - want.epochMs;
  }
  switch (operator) {
    case ">":
      return difference > 0;
    case ">=":
      return difference >= 0;
    case "<":
      return difference < 0;
    default:
      return difference <= 0;
  }
}

function toNumber(value: unknown): number | null {
  if (typeof value === "number") return Number.isFinite(value) ? value : null;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return null;
}

function textOf(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  return typeof value === "object" ? JSON.stringify(value) : String(value);
}
