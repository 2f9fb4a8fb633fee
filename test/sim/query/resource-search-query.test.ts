/**
 * parseResourceQuery: the OCI-NOTES §2.4 and OCI-docs query shapes, precedence, literals, case
 * rules, and a clear positioned error for every way a query can be malformed.
 */
import { describe, expect, it } from "vitest";
import {
  parseResourceQuery,
  QuerySyntaxError,
  type ResourceCondition,
  resourceTypesOf,
} from "../../../src/sim/query/resource-search-query.js";

/** Compact rendering of a condition tree: comparisons as "field op value", groups bracketed. */
function show(c: ResourceCondition | null): string {
  if (c === null) return "-";
  if (c.kind === "comparison") return `${c.field} ${c.operator} ${c.value.kind}:${String(c.value.value)}`;
  return `${c.kind}[${c.operands.map(show).join(", ")}]`;
}

function syntaxError(text: string): QuerySyntaxError {
  try {
    parseResourceQuery(text);
  } catch (error) {
    if (error instanceof QuerySyntaxError) return error;
    throw error;
  }
  throw new Error(`expected a syntax error for: ${text}`);
}

describe("parseResourceQuery", () => {
  it("parses the keyproof inventory query from OCI-NOTES with its type list and tag pair", () => {
    const q = parseResourceQuery(
      "query volume, bootvolume, bucket resources where (freeformTags.key = 'backup-encryption' && freeformTags.value = 'enabled') && lifecycleState != 'TERMINATED'",
    );
    expect(resourceTypesOf(q)).toEqual(["volume", "bootvolume", "bucket"]);
    expect(show(q.where)).toBe(
      "and[and[freeformTags.key = string:backup-encryption, freeformTags.value = string:enabled], lifecycleState != string:TERMINATED]",
    );
    expect(q.sort).toBeNull();
  });

  it("parses query all resources with a defined-tag triple", () => {
    const q = parseResourceQuery(
      "query all resources where (definedTags.namespace = 'Backup' && definedTags.key = 'Encryption' && definedTags.value = 'enabled')",
    );
    expect(resourceTypesOf(q)).toBe("all");
    expect(show(q.where)).toBe(
      "and[definedTags.namespace = string:Backup, definedTags.key = string:Encryption, definedTags.value = string:enabled]",
    );
  });

  it("marks tag comparisons with their tag kind and attribute, case-insensitively", () => {
    const q = parseResourceQuery("query all resources where DEFINEDTAGS.Namespace = 'ns'");
    expect(q.where).toMatchObject({ kind: "comparison", tag: { kind: "definedTags", attribute: "namespace" } });
    const plain = parseResourceQuery("query all resources where lifecycleState = 'ACTIVE'");
    expect(plain.where).toMatchObject({ tag: null, path: ["lifecyclestate"] });
  });

  it("accepts a query without a where clause", () => {
    expect(parseResourceQuery("query all resources")).toEqual({ resourceTypes: "all", where: null, sort: null });
  });

  it("lower-cases resource types and keywords regardless of how they are written", () => {
    const q = parseResourceQuery("QUERY Volume, BOOTVOLUME,VolumeBackup , bootVolumeBackup, Key, Vault RESOURCES WHERE lifecycleState = 'AVAILABLE' SORTED BY displayName DESC");
    expect(resourceTypesOf(q)).toEqual(["volume", "bootvolume", "volumebackup", "bootvolumebackup", "key", "vault"]);
    expect(q.sort).toEqual({ field: "displayName", order: "desc" });
  });

  it("reads sorted by with asc, desc, or no direction (ascending)", () => {
    expect(parseResourceQuery("query volume resources sorted by timeCreated asc").sort).toEqual({ field: "timeCreated", order: "asc" });
    expect(parseResourceQuery("query volume resources sorted by timeCreated desc").sort).toEqual({ field: "timeCreated", order: "desc" });
    expect(parseResourceQuery("query volume resources sorted by displayName").sort).toEqual({ field: "displayName", order: "asc" });
  });

  it("ignores white space, indentation and line breaks", () => {
    const q = parseResourceQuery("query\n  bucket resources\n\twhere\n   (freeformTags.key='k'&&freeformTags.value='v')\n");
    expect(show(q.where)).toBe("and[freeformTags.key = string:k, freeformTags.value = string:v]");
  });

  it("binds && tighter than ||", () => {
    const q = parseResourceQuery("query all resources where a = '1' || b = '2' && c = '3' || d = '4'");
    expect(show(q.where)).toBe("or[a = string:1, and[b = string:2, c = string:3], d = string:4]");
  });

  it("lets parentheses override precedence and keeps each parenthesised chain its own node", () => {
    const q = parseResourceQuery("query all resources where (a = '1' || b = '2') && (c = '3' && d = '4') && e = '5'");
    expect(show(q.where)).toBe("and[or[a = string:1, b = string:2], and[c = string:3, d = string:4], e = string:5]");
  });

  it("collapses redundant parentheses around a single comparison", () => {
    expect(show(parseResourceQuery("query all resources where ((a = '1'))").where)).toBe("a = string:1");
  });

  it("parses every comparison operator", () => {
    for (const op of ["=", "!=", ">=", "<=", ">", "<", "=~", "!~"]) {
      const q = parseResourceQuery(`query all resources where displayName ${op} 'x'`);
      expect(q.where).toMatchObject({ operator: op });
    }
  });

  it("decodes \\' and \\\\ escapes in single-quoted values and accepts double-quoted values", () => {
    const q = parseResourceQuery("query all resources where displayName = 'Ben\\'s \\\\ backup' && lifecycleState = \"RUNNING\"");
    expect(show(q.where)).toBe("and[displayName = string:Ben's \\ backup, lifecycleState = string:RUNNING]");
  });

  it("keeps operator characters inside quotes as text", () => {
    const q = parseResourceQuery("query all resources where displayName = 'a && b || (c)'");
    expect(show(q.where)).toBe("displayName = string:a && b || (c)");
  });

  it("reads bare numbers and bare ISO dates as typed values", () => {
    const q = parseResourceQuery(
      "query all resources where sizeInGBs >= 50 && sizeInGBs < -1.5 && timeCreated >= 2024-03-01 && timeCreated < 2024-03-02T10:15:30.5+02:00",
    );
    expect(show(q.where)).toBe(
      "and[sizeInGBs >= number:50, sizeInGBs < number:-1.5, timeCreated >= date:2024-03-01, timeCreated < date:2024-03-02T10:15:30.5+02:00]",
    );
  });

  it("records the position of each comparison", () => {
    const q = parseResourceQuery("query all resources where a = '1' && bb = '2'");
    expect(q.where).toMatchObject({ operands: [{ position: 26 }, { position: 37 }] });
  });
});

describe("parseResourceQuery syntax errors", () => {
  const cases: Array<[string, string, number]> = [
    ["", "Unexpected end of query; expected 'query'", 0],
    ["find volume resources", "Unexpected token 'find'; expected 'query'", 0],
    ["query", "Unexpected end of query; expected a resource type", 5],
    ["query volume", "Unexpected end of query; expected 'resources'", 12],
    ["query volume, resources", "Unexpected token 'resources'; expected a resource type", 14],
    ["query volume bucket resources", "Unexpected token 'bucket'; expected 'resources'", 13],
    ["query all, volume resources", "Unexpected token ','; expected 'resources'", 9],
    ["query volume resources where", "Unexpected end of query; expected a field name or '('", 28],
    ["query volume resources where lifecycleState", "Unexpected end of query; expected a comparison operator (=, !=, >=, <=, >, <, =~, !~)", 43],
    ["query volume resources where lifecycleState == 'A'", "Unexpected token '='; expected a quoted string, number or ISO date", 45],
    ["query volume resources where lifecycleState = ", "Unexpected end of query; expected a quoted string, number or ISO date", 46],
    ["query volume resources where lifecycleState = ACTIVE", "Unexpected token 'ACTIVE'; expected a quoted string, number or ISO date", 46],
    ["query volume resources where 'A' = lifecycleState", "Unexpected token ''A''; expected a field name or '('", 29],
    ["query volume resources where a = 'x' & b = 'y'", "Unexpected character '&'; use '&&'", 37],
    ["query volume resources where a = 'x' | b = 'y'", "Unexpected character '|'; use '||'", 37],
    ["query volume resources where a = 'x' && ", "Unexpected end of query; expected a field name or '('", 40],
    ["query volume resources where a = 'x' b = 'y'", "Unexpected token 'b'; expected end of query", 37],
    ["query volume resources where (a = 'x'", "Unexpected end of query; expected ')'", 37],
    ["query volume resources where a = 'x')", "Unexpected token ')'; expected end of query", 36],
    ["query volume resources where ()", "Unexpected token ')'; expected a field name or '('", 30],
    ["query volume resources where a = 'unterminated", "Unterminated string literal starting with '", 33],
    ["query volume resources where a = 'x\\'", "Unterminated string literal starting with '", 33],
    ["query volume resources where a # 'x'", "Unexpected character '#'", 31],
    ["query volume resources where freeformTags.name = 'x'", "Unknown tag field 'freeformTags.name'; expected freeformTags.key, freeformTags.value", 29],
    ["query volume resources where freeformTags.namespace = 'x'", "Unknown tag field 'freeformTags.namespace'; expected freeformTags.key, freeformTags.value", 29],
    ["query volume resources where definedTags = 'x'", "Unknown tag field 'definedTags'; expected definedTags.namespace, definedTags.key, definedTags.value", 29],
    ["query volume resources sorted displayName", "Unexpected token 'displayName'; expected 'by'", 30],
    ["query volume resources sorted by", "Unexpected end of query; expected a field name to sort by", 32],
    ["query volume resources sorted by displayName up", "Unexpected token 'up'; expected end of query", 45],
    ["query volume resources sorted by displayName where a = 'x'", "Unexpected token 'where'; expected end of query", 45],
    ["query volume resources matching 'web'", "Unsupported clause 'matching'; the simulator supports where and sorted by", 23],
    ["query volume resources return allAdditionalFields", "Unsupported clause 'return'; the simulator supports where and sorted by", 23],
  ];

  it.each(cases)("rejects %j with a positioned message", (text, message, position) => {
    const error = syntaxError(text);
    expect(error.message).toBe(`${message} at position ${position}`);
    expect(error.position).toBe(position);
    expect(error.code).toBe("InvalidParameter");
    expect(error.name).toBe("QuerySyntaxError");
  });

  it("shortens a very long offending token in the message", () => {
    const error = syntaxError(`query volume resources where a = 'x' ${"b".repeat(60)}`);
    expect(error.message).toBe(`Unexpected token '${"b".repeat(37)}...'; expected end of query at position 37`);
  });
});
