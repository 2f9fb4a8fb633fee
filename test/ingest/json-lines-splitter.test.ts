import { describe, expect, it } from "vitest";
import { JsonLinesSplitter } from "../../src/ingest/json-lines-splitter.js";
import { newSplitOutput } from "../../src/ingest/split-types.js";

function split(text: string | Buffer, size = Infinity, max = 1024 * 1024) {
  const splitter = new JsonLinesSplitter(max);
  const out = newSplitOutput();
  const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  const step = Math.min(size, bytes.length || 1);
  for (let i = 0; i < bytes.length; i += step) splitter.push(bytes.subarray(i, i + step), out);
  splitter.end(out);
  return { records: out.records.map((r) => ({ line: r.line, text: r.text.toString("utf8") })), problems: out.problems };
}

describe("JsonLinesSplitter", () => {
  it("emits the last line even without a final newline (like the real exports)", () => {
    expect(split('{"a":1}\n{"a":2}').records).toEqual([
      { line: 1, text: '{"a":1}' },
      { line: 2, text: '{"a":2}' },
    ]);
  });

  it("skips blank and whitespace-only lines but keeps counting them", () => {
    expect(split('\n{"a":1}\r\n  \t\r\n\n{"a":2}\n\n').records.map((r) => r.line)).toEqual([2, 5]);
  });

  it("keeps CR at the end of CRLF lines for JSON.parse to ignore", () => {
    expect(split('{"a":1}\r\n{"a":2}\r\n').records.map((r) => JSON.parse(r.text))).toEqual([{ a: 1 }, { a: 2 }]);
  });

  it("gives the same lines whatever the chunk boundaries", () => {
    const text = '{"a":"ü"}\n{"b":"鍵"}\n\n{"c":3}';
    expect(split(text, 1)).toEqual(split(text));
    expect(split(text, 5)).toEqual(split(text));
  });

  it("reports a line longer than the cap and goes on with the next", () => {
    const { records, problems } = split(`{"a":1}\n{"pad":"${"x".repeat(3000)}"}\n{"a":3}`, 256, 1000);
    expect(records.map((r) => r.line)).toEqual([1, 3]);
    expect(problems).toEqual([{ line: 2, message: "expected a record of at most 1000 bytes, got a longer line (skipped)", record: true }]);
  });
});
