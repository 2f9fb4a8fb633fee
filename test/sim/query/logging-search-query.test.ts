/**
 * parseLogQuery: the OCI-NOTES §2.8 and OCI-docs query shapes, log streams, pipes, precedence,
 * quoting rules, case-insensitive keywords, and a positioned error for every malformed query.
 */
import { describe, expect, it } from "vitest";
import { type LogCondition, parseLogQuery, QuerySyntaxError } from "../../../src/sim/query/logging-search-query.js";

const C = "ocid1.compartment.oc1..x";

/** Compact rendering of a filter: comparisons as "a.b op value", groups bracketed. */
function show(c: LogCondition | null): string {
  if (c === null) return "-";
  switch (c.kind) {
    case "comparison":
      return `${c.field.join(".")} ${c.operator} ${c.value.kind}:${String(c.value.value)}`;
    case "not":
      return `not[${show(c.operand)}]`;
    default:
      return `${c.kind}[${c.operands.map(show).join(", ")}]`;
  }
}

function syntaxError(text: string): QuerySyntaxError {
  try {
    parseLogQuery(text);
  } catch (error) {
    if (error instanceof QuerySyntaxError) return error;
    throw error;
  }
  throw new Error(`expected a syntax error for: ${text}`);
}

describe("parseLogQuery", () => {
  it("parses the oci-python-sdk#277 example with a bare filter and a sort", () => {
    const q = parseLogQuery(`search "${C}/_Audit" | type='com.oraclecloud.ComputeApi.ListInstances' | sort by datetime desc`);
    expect(q.sources).toEqual([{ compartmentId: C, logGroup: "_Audit", log: null, includeSubcompartments: false, position: 7 }]);
    expect(show(q.filter)).toBe("type = string:com.oraclecloud.ComputeApi.ListInstances");
    expect(q.sort).toEqual({ field: "datetime", order: "desc" });
  });

  it("parses the _Audit_Include_Subcompartment example with or, and, != and parentheses", () => {
    const q = parseLogQuery(
      `search "${C}/_Audit_Include_Subcompartment" | (type='com.oraclecloud.objectstorage.createbucket' or type='com.oraclecloud.objectstorage.updatebucket') and (data.request.action!='GET')`,
    );
    expect(q.sources).toEqual([{ compartmentId: C, logGroup: "_Audit", log: null, includeSubcompartments: true, position: 7 }]);
    expect(show(q.filter)).toBe(
      "and[or[type = string:com.oraclecloud.objectstorage.createbucket, type = string:com.oraclecloud.objectstorage.updatebucket], data.request.action != string:GET]",
    );
    expect(q.sort).toBeNull();
  });

  it("parses the keyproof where query from OCI-NOTES", () => {
    const q = parseLogQuery(`search "${C}/_Audit" | where data.eventName = 'CreateKeyVersion'`);
    expect(show(q.filter)).toBe("data.eventName = string:CreateKeyVersion");
  });

  it("accepts a search with no pipes at all", () => {
    expect(parseLogQuery(`search "${C}/_Audit"`)).toEqual({
      sources: [{ compartmentId: C, logGroup: "_Audit", log: null, includeSubcompartments: false, position: 7 }],
      filter: null,
      sort: null,
    });
  });

  it("reads several streams, with or without commas, and all three stream forms", () => {
    const q = parseLogQuery(`search "a/_Audit", "b/_Audit_Include_Subcompartment" "c" , "d/group1/log1"`);
    expect(q.sources.map(({ compartmentId, logGroup, log, includeSubcompartments }) => [compartmentId, logGroup, log, includeSubcompartments])).toEqual([
      ["a", "_Audit", null, false],
      ["b", "_Audit", null, true],
      ["c", null, null, false],
      ["d", "group1", "log1", false],
    ]);
  });

  it("reads keywords in any case", () => {
    const q = parseLogQuery(`SEARCH "${C}/_Audit" | WHERE NOT type = 'a' AND data.x = 'b' OR data.y = 'c' | Sort By DateTime ASC`);
    expect(show(q.filter)).toBe("or[and[not[type = string:a], data.x = string:b], data.y = string:c]");
    expect(q.sort).toEqual({ field: "datetime", order: "asc" });
  });

  it("sorts ascending when sort by datetime has no direction", () => {
    expect(parseLogQuery(`search "${C}" | sort by datetime`).sort).toEqual({ field: "datetime", order: "asc" });
  });

  it("binds not tighter than and, and and tighter than or", () => {
    const q = parseLogQuery(`search "${C}" | a='1' or not b='2' and c='3' or d='4'`);
    expect(show(q.filter)).toBe("or[a = string:1, and[not[b = string:2], c = string:3], d = string:4]");
  });

  it("negates a parenthesised group and nests not", () => {
    const q = parseLogQuery(`search "${C}" | not (a='1' or b='2') and not not c='3'`);
    expect(show(q.filter)).toBe("and[not[or[a = string:1, b = string:2]], not[not[c = string:3]]]");
  });

  it("and-s together several filter commands and keeps the last sort", () => {
    const q = parseLogQuery(`search "${C}" | where type='a' | data.x='b' | sort by datetime asc | where data.y='c' | sort by datetime desc`);
    expect(show(q.filter)).toBe("and[type = string:a, data.x = string:b, data.y = string:c]");
    expect(q.sort?.order).toBe("desc");
  });

  it("reads double-quoted field names, keeping a quoted dotted name as one segment", () => {
    const q = parseLogQuery(`search "${C}" | "data"."message" = 'a' and "data.message" = 'b' and data."opc-request-id" = 'c' and data."say ""hi""" = 'd'`);
    expect(q.filter).toMatchObject({
      operands: [{ field: ["data", "message"] }, { field: ["data.message"] }, { field: ["data", "opc-request-id"] }, { field: ["data", 'say "hi"'] }],
    });
  });

  it("decodes \\' and '' escapes in string values and keeps pipes and keywords inside quotes", () => {
    const q = parseLogQuery(`search "${C}" | data.a = 'it\\'s' and data.b = 'it''s' and data.c = 'x | sort by datetime and y'`);
    expect(show(q.filter)).toBe("and[data.a = string:it's, data.b = string:it's, data.c = string:x | sort by datetime and y]");
  });

  it("reads number values", () => {
    const q = parseLogQuery(`search "${C}" | data.response.status = 200 and data.x != -1.5`);
    expect(show(q.filter)).toBe("and[data.response.status = number:200, data.x != number:-1.5]");
  });

  it("treats command-like and keyword-like names followed by an operator as fields", () => {
    const q = parseLogQuery(`search "${C}" | limit = 'a' and sort = 'b' and not = 'c' and data.where = 'd'`);
    expect(show(q.filter)).toBe("and[limit = string:a, sort = string:b, not = string:c, data.where = string:d]");
  });

  it("records the position of each comparison", () => {
    const q = parseLogQuery(`search "c" | type='a' and data.b='c'`);
    expect(q.filter).toMatchObject({ operands: [{ position: 13 }, { position: 26 }] });
  });
});

describe("parseLogQuery syntax errors", () => {
  const cases: Array<[string, string, number]> = [
    ["", "Unexpected end of query; expected 'search'", 0],
    [`where type='a'`, "Unexpected token 'where'; expected 'search'", 0],
    ["search", `Unexpected end of query; expected a double-quoted log stream "<compartmentOcid>[/<logGroup>[/<log>]]"`, 6],
    [`search 'c/_Audit'`, `Unexpected token ''c/_Audit''; expected a double-quoted log stream "<compartmentOcid>[/<logGroup>[/<log>]]"`, 7],
    [`search c`, `Unexpected token 'c'; expected a double-quoted log stream "<compartmentOcid>[/<logGroup>[/<log>]]"`, 7],
    [`search ""`, `Invalid log stream ''; expected "<compartmentOcid>[/<logGroup>[/<log>]]"`, 7],
    [`search "c//log"`, `Invalid log stream 'c//log'; expected "<compartmentOcid>[/<logGroup>[/<log>]]"`, 7],
    [`search "c/g/l/x"`, `Invalid log stream 'c/g/l/x'; expected "<compartmentOcid>[/<logGroup>[/<log>]]"`, 7],
    [`search "c/_Audit",`, `Unexpected end of query; expected a double-quoted log stream "<compartmentOcid>[/<logGroup>[/<log>]]"`, 18],
    [`search "c/_Audit`, `Unterminated double-quoted name starting with "`, 7],
    [`search "c" type='a'`, "Unexpected token 'type'; expected '|' or end of query", 11],
    [`search "c" |`, "Unexpected end of query; expected a field name or '('", 12],
    [`search "c" | where`, "Unexpected end of query; expected a field name or '('", 18],
    [`search "c" | type`, "Unexpected end of query; expected '=' or '!='", 17],
    [`search "c" | type = `, "Unexpected end of query; expected a single-quoted string or a number", 20],
    [`search "c" | type = abc`, "Unexpected token 'abc'; expected a single-quoted string or a number", 20],
    [`search "c" | type = "abc"`, `Unexpected token '"abc"'; expected a single-quoted string or a number (string values take single quotes; double quotes name a field)`, 20],
    [`search "c" | type == 'a'`, "Unexpected token '='; expected a single-quoted string or a number", 19],
    [`search "c" | type > 'a'`, "Unexpected character '>'; the simulator supports only = and != comparisons", 18],
    [`search "c" | data.x =~ 'a'`, "Unexpected character '~'; the simulator supports only = and != comparisons", 21],
    [`search "c" | type = 'a`, "Unterminated string literal starting with '", 20],
    [`search "c" | type = 'a' and`, "Unexpected end of query; expected a field name or '('", 27],
    [`search "c" | type = 'a' && data.x = 'b'`, "Unexpected character '&'", 24],
    [`search "c" | (type = 'a'`, "Unexpected end of query; expected ')'", 24],
    [`search "c" | type = 'a')`, "Unexpected token ')'; expected '|' or end of query", 23],
    [`search "c" | data. = 'a'`, "Unexpected token '='; expected a field name or '('", 19],
    [`search "c" | data.x = 'a' type = 'b'`, "Unexpected token 'type'; expected '|' or end of query", 26],
    [`search "c" | sort by time`, "Unexpected token 'time'; expected 'datetime' (the simulator sorts by datetime only)", 21],
    [`search "c" | sort by`, "Unexpected end of query; expected 'datetime' (the simulator sorts by datetime only)", 20],
    [`search "c" | sort datetime`, "Unexpected token 'datetime'; expected 'by'", 18],
    [`search "c" | sort by datetime descending`, "Unexpected token 'descending'; expected '|' or end of query", 30],
    [`search "c" | limit 10`, "Unsupported command 'limit'; the simulator supports where and sort by datetime", 13],
    [`search "c" | summarize count() by type`, "Unsupported command 'summarize'; the simulator supports where and sort by datetime", 13],
    [`search "c" | select type`, "Unsupported command 'select'; the simulator supports where and sort by datetime", 13],
  ];

  it.each(cases)("rejects %j with a positioned message", (text, message, position) => {
    const error = syntaxError(text);
    expect(error.message).toBe(`${message} at position ${position}`);
    expect(error.position).toBe(position);
    expect(error.code).toBe("InvalidParameter");
  });
});
