import { describe, expect, it } from "vitest";
import { JsonValueSplitter } from "../../src/ingest/json-value-splitter.js";
import { newSplitOutput, type SplitOutput } from "../../src/ingest/split-types.js";

/** Splits `text` fed in chunks of `size` bytes; returns records as strings with their lines. */
function split(text: string, size = Infinity, max = 1024 * 1024) {
  const splitter = new JsonValueSplitter(max);
  const out: SplitOutput = newSplitOutput();
  const bytes = Buffer.from(text, "utf8");
  const step = Math.min(size, bytes.length || 1);
  for (let i = 0; i < bytes.length; i += step) splitter.push(bytes.subarray(i, i + step), out);
  splitter.end(out);
  return {
    records: out.records.map((r) => ({ line: r.line, text: r.text.toString("utf8") })),
    problems: out.problems,
  };
}

describe("JsonValueSplitter", () => {
  const pretty = `[
  {
    "id": "a",
    "note": "brackets ] } [ { and \\"quotes\\" and \\\\ inside strings, ünïcödé 鍵"
  },
  {"id": "b", "nested": [[1, 2], {"x": [3]}]},
  "a string element",
  42
]`;

  it("cuts each element of a top-level array, with the line where it starts", () => {
    const { records, problems } = split(pretty);
    expect(problems).toEqual([]);
    expect(records.map((r) => r.line)).toEqual([2, 6, 7, 8]);
    expect(records.map((r) => JSON.parse(r.text))).toEqual(JSON.parse(pretty));
  });

  it("gives the same cut whatever the chunk boundaries (fed one byte at a time)", () => {
    expect(split(pretty, 1)).toEqual(split(pretty));
    expect(split(pretty, 7)).toEqual(split(pretty));
  });

  it("cuts pretty-printed top-level objects, one after another", () => {
    const text = '{\n  "id": "a"\n}\n\n{"id": "b",\n "x": {"y": "}"}}\n';
    const { records, problems } = split(text, 3);
    expect(problems).toEqual([]);
    expect(records).toEqual([
      { line: 1, text: '{\n  "id": "a"\n}' },
      { line: 5, text: '{"id": "b",\n "x": {"y": "}"}}' },
    ]);
  });

  it("handles several arrays in a row and an empty array", () => {
    const { records } = split('[{"id":1}]\n[]\n[{"id":2},{"id":3}]');
    expect(records.map((r) => [r.line, JSON.parse(r.text).id])).toEqual([
      [1, 1],
      [3, 2],
      [3, 3],
    ]);
  });

  it("reports a missing element between commas and a trailing comma", () => {
    const { records, problems } = split('[{"id":1},\n,{"id":2},\n]');
    expect(records.map((r) => r.line)).toEqual([1, 2]);
    expect(problems).toEqual([
      { line: 2, message: "expected a JSON value before ','", record: true },
      { line: 3, message: "expected a JSON value after ',', got ']'", record: false },
    ]);
  });

  it("keeps the elements before a truncation and reports the cut-off element at its line", () => {
    const { records, problems } = split('[\n{"id":1},\n{"id":2},\n{"id":3, "x": "unterminated');
    expect(records.map((r) => JSON.parse(r.text).id)).toEqual([1, 2]);
    expect(problems).toEqual([{ line: 4, message: "expected a complete JSON value, got the end of the input (truncated?)", record: true }]);
  });

  it("reports an array whose closing bracket is missing", () => {
    const { records, problems } = split('[{"id":1}, {"id":2}\n');
    expect(records).toHaveLength(2);
    expect(problems).toEqual([
      { line: 1, message: "expected ']' closing the JSON array that starts here, got the end of the input (truncated?)", record: false },
    ]);
  });

  it("skips a record larger than the cap without buffering it, and goes on", () => {
    const big = `{"id":"big","pad":"${"x".repeat(5000)}"}`;
    const { records, problems } = split(`[${big},\n{"id":"small"}]`, 512, 1000);
    expect(records.map((r) => JSON.parse(r.text).id)).toEqual(["small"]);
    expect(problems).toEqual([{ line: 1, message: "expected a record of at most 1000 bytes, got a larger one (skipped)", record: true }]);
  });

  it("reports junk between top-level values once per line and resynchronises on the next line", () => {
    const { records, problems } = split('{"id":1}\nnot json at all, [ { "\n{"id":2}');
    expect(records.map((r) => JSON.parse(r.text).id)).toEqual([1, 2]);
    expect(problems).toEqual([{ line: 2, message: "expected a JSON object or array, got 22 bytes of text that is not JSON", record: true }]);
  });

  it("describes junk by its length only, also when it spans chunks, ends the input or is binary", () => {
    const secret = "pass_phrase=SuperSecretPassphrase123";
    const chunked = split(`{"id":1}\n${secret}\r\n{"id":2}\n\u0001\u0002key`, 5);
    expect(chunked.records.map((r) => JSON.parse(r.text).id)).toEqual([1, 2]);
    expect(chunked.problems).toEqual([
      { line: 2, message: `expected a JSON object or array, got ${secret.length} bytes of text that is not JSON`, record: true },
      { line: 4, message: "expected a JSON object or array, got 5 bytes of binary data that is not JSON", record: true },
    ]);
    expect(JSON.stringify(chunked.problems)).not.toContain("Secret");
  });

  it("counts lines from the offset it is given", () => {
    const splitter = new JsonValueSplitter(1000, 3);
    const out = newSplitOutput();
    splitter.push(Buffer.from('{"id":1}'), out);
    expect(out.records[0]?.line).toBe(4);
  });
});
