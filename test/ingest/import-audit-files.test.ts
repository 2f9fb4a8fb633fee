import { createHash } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/app/errors.js";
import { silentLogger } from "../../src/app/logger.js";
import { importAuditFiles, type ImportProgress } from "../../src/ingest/import-audit-files.js";
import { countAuditEvents, findAuditEventsByEventId } from "../../src/store/audit-events.js";
import { verifyAuditEventChain } from "../../src/store/audit-event-chain.js";
import { findImportFiles, findImportRuns } from "../../src/store/import-runs.js";
import { fixedClock } from "../../src/time/instant.js";
import { TEST_DIALECTS, useTestStore } from "../helpers/db.js";
import { jsonLines, loggingRecord, writeInput } from "./audit-record-factory.js";

const sha256 = (bytes: Buffer) => createHash("sha256").update(bytes).digest("hex");

describe.each(TEST_DIALECTS)("importAuditFiles (%s)", (dialect) => {
  const getStore = useTestStore(dialect);
  const clock = fixedClock("2026-11-29T12:00:00.000Z");
  const run = (paths: string[], extra: { onProgress?: (p: ImportProgress) => void; maxRecordBytes?: number } = {}) =>
    importAuditFiles({ store: getStore().store, clock, logger: silentLogger() }, { paths, ...extra });
  const file = (name: string) => path.join(getStore().dir, name);

  it("stores every record of a JSON Lines file and records the run and the file", async () => {
    const input = await writeInput(file("a.jsonl"), jsonLines([loggingRecord(1), loggingRecord(2), loggingRecord(3)]));
    const result = await run([input]);
    expect(result).toMatchObject({
      status: "succeeded",
      errors: [],
      summaryLine: "read 3, stored 3, duplicates 0, conflicts 0, rejected 0 (1 file, 0 rejected)",
    });
    const db = getStore().store.db;
    expect(await countAuditEvents(db)).toBe(3);
    const [runRow] = await findImportRuns(db);
    expect(runRow).toMatchObject({
      id: result.runId,
      source: "file",
      status: "succeeded",
      startedAt: "2026-11-29T12:00:00.000Z",
      finishedAt: "2026-11-29T12:00:00.000Z",
      filesTotal: 1,
      filesRejected: 0,
      recordsRead: 3,
      recordsStored: 3,
      errors: [],
    });
    const bytes = await readFile(input);
    expect(await findImportFiles(db, result.runId)).toMatchObject([
      { path: input, status: "committed", size_bytes: bytes.length, sha256: sha256(bytes), records_read: 3, records_stored: 3, error: null },
    ]);
  });

  it("stores nothing new when the same input is imported twice, counting duplicates", async () => {
    const input = await writeInput(file("a.jsonl"), jsonLines([loggingRecord(1), loggingRecord(2)]));
    await run([input]);
    const before = await verifyAuditEventChain(getStore().store.db);
    const again = await run([input]);
    expect(again.summaryLine).toBe("read 2, stored 0, duplicates 2, conflicts 0, rejected 0 (1 file, 0 rejected)");
    expect(again.status).toBe("succeeded");
    expect(await verifyAuditEventChain(getStore().store.db)).toEqual(before);
  });

  it("counts a record repeated inside one file as a duplicate", async () => {
    const input = await writeInput(file("a.jsonl"), jsonLines([loggingRecord(1), loggingRecord(1)]));
    expect((await run([input])).totals).toMatchObject({ read: 2, stored: 1, duplicates: 1 });
  });

  it("keeps both records when one event id arrives with different content, and flags the conflict", async () => {
    await run([await writeInput(file("a.jsonl"), jsonLines([loggingRecord(1)]))]);
    const changed = loggingRecord(1, { data: { resourceName: "renamed" } });
    const result = await run([await writeInput(file("b.jsonl"), jsonLines([changed, changed]))]);
    expect(result.totals).toMatchObject({ read: 2, stored: 1, duplicates: 1, conflicts: 1 });
    const rows = await findAuditEventsByEventId(getStore().store.db, changed.id as string);
    expect(rows.map((r) => [r.resourceName, r.conflictOfSeq])).toEqual([
      ["key-1", null],
      ["renamed", rows[0]?.seq],
    ]);
  });

  it("keeps the good lines of a JSON Lines file with two bad lines and reports each as file:line", async () => {
    const lines = [1, 2, 3, 4, 5, 6, 7].map((n) => JSON.stringify(loggingRecord(n)));
    lines[2] = '{"id": "x", "time": ';
    lines[6] = JSON.stringify({ hello: "world", n: 1 });
    const input = await writeInput(file("x.jsonl"), lines.join("\n"));
    const result = await run([input]);
    expect(result.errors).toEqual([
      `${input}:3: expected a JSON audit record, got invalid JSON (Unexpected end of JSON input)`,
      `${input}:7: expected an audit record with eventId/id and eventTime/time, got a JSON object with keys [hello, n]`,
    ]);
    expect(result.totals).toMatchObject({ read: 7, stored: 5, rejected: 2, files: 1, filesRejected: 0 });
    expect(result.status).toBe("partial");
    expect(await countAuditEvents(getStore().store.db)).toBe(5);
    expect((await findImportRuns(getStore().store.db))[0]).toMatchObject({ status: "partial", rejected: 2, errors: result.errors });
  });

  it("reports a bad element of a JSON array at the line where the element starts", async () => {
    const text = `[\n${JSON.stringify(loggingRecord(1), null, 2)},\n{\n  "id": "b",\n  "time": "not a time",\n  "type": "t"\n}\n]`;
    const input = await writeInput(file("batch.json"), text);
    const line = text.split("\n").findIndex((l) => l.startsWith('  "id": "b"'));
    const result = await run([input]);
    expect(result.errors).toEqual([`${input}:${line}: field time: expected an ISO-8601 instant, got a string of 10 characters`]);
    expect(result.totals).toMatchObject({ stored: 1, rejected: 1 });
  });

  it("names results[i] for a bad record inside a SearchLogs response", async () => {
    const body = { results: [{ data: { datetime: 1, logContent: loggingRecord(1) } }, { data: { datetime: 2 } }], summary: { resultCount: 2 } };
    const input = await writeInput(file("search.json"), JSON.stringify(body));
    const result = await run([input]);
    expect(result.errors).toEqual([`${input}:1: results[1]: expected an audit record with eventId/id and eventTime/time, got a JSON object with keys [datetime]`]);
  });

  it("rejects a JSON file that is some other thing and stores nothing of it", async () => {
    const input = await writeInput(file("package.json"), '{\n  "name": "keyproof",\n  "version": "1.0.0"\n}\n');
    const result = await run([input]);
    expect(result.errors).toEqual([
      `${input}:1: expected an audit record with eventId/id and eventTime/time, got a JSON object with keys [name, version]`,
      `${input}: not audit data: expected audit records, got 1 record that is not one; nothing from this file was stored`,
    ]);
    expect(result).toMatchObject({ status: "failed", totals: { read: 1, stored: 0, rejected: 1, filesRejected: 1 } });
  });

  it("rejects a truncated gzip and rolls back the records it had read", async () => {
    const records = Array.from({ length: 3000 }, (_, i) => loggingRecord(i));
    const gz = gzipSync(Buffer.from(jsonLines(records)));
    const cut = gz.subarray(0, Math.floor(gz.length * 0.8));
    const input = await writeInput(file("export.log.gz"), cut);
    const result = await run([input]);
    expect(result.files[0]).toMatchObject({
      status: "rejected",
      sizeBytes: cut.length,
      sha256: sha256(cut),
      stored: 0,
      error: `${input}: expected complete gzip data, got truncated or corrupt gzip (unexpected end of file); nothing from this file was stored`,
    });
    expect(result.files[0]?.read).toBeGreaterThan(1000); // records were read (and written) before the cut...
    expect(await countAuditEvents(getStore().store.db)).toBe(0); // ...and rolled back
    expect(result.status).toBe("failed");
  });

  it("rejects an empty file, a blank file and an empty array", async () => {
    const empty = await writeInput(file("empty.json"), "");
    const blank = await writeInput(file("blank.jsonl"), "\n  \r\n\n");
    const none = await writeInput(file("none.json"), "[ ]");
    const result = await run([empty, blank, none]);
    expect(result.errors).toEqual([
      `${empty}: expected audit records, got an empty file; nothing from this file was stored`,
      `${blank}: expected audit records, got an empty file; nothing from this file was stored`,
      `${none}: not audit data: expected audit records, got none; nothing from this file was stored`,
    ]);
    expect(result.status).toBe("failed");
  });

  it("rejects a CSV and a PNG at their first bytes, naming the file", async () => {
    const csv = await writeInput(file("events.csv"), "eventId,eventTime\na,2025-01-01T00:00:00Z\n");
    const png = await writeInput(file("logo.json"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]));
    const result = await run([csv, png]);
    expect(result.errors).toEqual([
      `${csv}: expected JSON audit data (a JSON array, a JSON object or JSON Lines), got text that is not JSON (a first line of 17 bytes); nothing from this file was stored`,
      `${png}: expected JSON audit data (a JSON array, a JSON object or JSON Lines), got a PNG image; nothing from this file was stored`,
    ]);
    expect(result.files.map((f) => f.sha256)).toEqual([null, null]); // not read to the end
  });

  it("commits the good files of a directory, rolls back the bad ones and reports the run as partial", async () => {
    const dir = file("export");
    await mkdir(path.join(dir, "sub"), { recursive: true });
    await writeInput(path.join(dir, "b-good.jsonl"), jsonLines([loggingRecord(1), loggingRecord(2)]));
    await writeInput(path.join(dir, "sub", "0.log.gz"), jsonLines([loggingRecord(3)]), { gzip: true });
    await writeInput(path.join(dir, "a-bad.json"), '{"kind": "not audit"}');
    await writeInput(path.join(dir, "c-trunc.gz"), gzipSync(Buffer.from(jsonLines([loggingRecord(4), loggingRecord(5)]))).subarray(0, 40));
    await writeInput(path.join(dir, ".hidden.jsonl"), jsonLines([loggingRecord(6)]));
    const result = await run([dir]);
    expect(result.files.map((f) => [path.relative(dir, f.path), f.status, f.stored])).toEqual([
      ["a-bad.json", "rejected", 0],
      ["b-good.jsonl", "committed", 2],
      ["c-trunc.gz", "rejected", 0],
      [path.join("sub", "0.log.gz"), "committed", 1],
    ]);
    expect(result.status).toBe("partial");
    expect(result.summaryLine).toMatch(/^read \d+, stored 3, duplicates 0, conflicts 0, rejected \d+ \(4 files, 2 rejected\)$/);
    expect(await countAuditEvents(getStore().store.db)).toBe(3);
    const files = await findImportFiles(getStore().store.db, result.runId);
    expect(files.map((f) => [path.basename(f.path), f.status])).toEqual([
      ["a-bad.json", "rejected"],
      ["b-good.jsonl", "committed"],
      ["c-trunc.gz", "rejected"],
      ["0.log.gz", "committed"],
    ]);
  });

  it("throws a ValidationError naming every missing path before writing anything", async () => {
    const good = await writeInput(file("a.jsonl"), jsonLines([loggingRecord(1)]));
    const missing = file("nope.jsonl");
    const error = await run([good, missing, file("gone")]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toBe(`cannot import: ${missing}: no such file or directory; ${file("gone")}: no such file or directory`);
    expect(await findImportRuns(getStore().store.db)).toEqual([]);
    expect(await countAuditEvents(getStore().store.db)).toBe(0);
  });

  it("reads a BOM, CRLF line ends, nulls everywhere and wrong field types without crashing", async () => {
    const lines = [
      JSON.stringify(loggingRecord(1)),
      "null",
      JSON.stringify({ id: null, time: null, type: null, data: null, oracle: null }),
      JSON.stringify(loggingRecord(2, { data: { identity: "not an object", request: [1, 2], response: { status: { x: 1 } } } })),
      "[1, 2]",
      '"just a string"',
    ];
    const input = await writeInput(file("odd.jsonl"), `\uFEFF${lines.join("\r\n")}\r\n`);
    const result = await run([input]);
    expect(result.errors).toEqual([
      `${input}:2: expected an audit record with eventId/id and eventTime/time (a JSON object), got null`,
      `${input}:3: field id: expected a non-empty string, got null`,
      `${input}:5: [0]: expected an audit record with eventId/id and eventTime/time (a JSON object), got a number`,
      `${input}:5: [1]: expected an audit record with eventId/id and eventTime/time (a JSON object), got a number`,
      `${input}:6: expected an audit record with eventId/id and eventTime/time (a JSON object), got a string of 13 characters`,
    ]);
    expect(result.totals).toMatchObject({ read: 7, stored: 2, rejected: 5 });
    const [odd] = await findAuditEventsByEventId(getStore().store.db, loggingRecord(2).id as string);
    expect(odd).toMatchObject({ principalId: null, requestId: null, responseStatus: null });
  });

  it("streams a pretty-printed JSON array bigger than a read chunk, from a multi-member gzip", async () => {
    const half = (from: number) => JSON.stringify(Array.from({ length: 1500 }, (_, i) => loggingRecord(from + i)), null, 2);
    const gz = Buffer.concat([gzipSync(Buffer.from(half(0))), gzipSync(Buffer.from(`\n${half(1500)}`))]);
    expect(half(0).length).toBeGreaterThan(1024 * 1024);
    const result = await run([await writeInput(file("pages.json.gz"), gz)]);
    expect(result.totals).toMatchObject({ read: 3000, stored: 3000, rejected: 0 });
    expect(await verifyAuditEventChain(getStore().store.db)).toMatchObject({ ok: true, rows: 3000 });
  });

  it("rejects a record longer than maxRecordBytes at its line and keeps the others", async () => {
    const big = loggingRecord(2, { data: { pad: "x".repeat(10_000) } });
    const input = await writeInput(file("big.jsonl"), jsonLines([loggingRecord(1), big, loggingRecord(3)]));
    const result = await run([input], { maxRecordBytes: 4096 });
    expect(result.errors).toEqual([`${input}:2: expected a record of at most 4096 bytes, got a longer line (skipped)`]);
    expect(result.totals).toMatchObject({ read: 3, stored: 2, rejected: 1 });
  });

  it("reports progress per file, ending with done = true, all bytes and all records", async () => {
    const a = await writeInput(file("a.jsonl"), jsonLines([loggingRecord(1), loggingRecord(2)]));
    const b = await writeInput(file("b.json.gz"), JSON.stringify([loggingRecord(3)]), { gzip: true });
    const calls: ImportProgress[] = [];
    await run([a, b], { onProgress: (p) => calls.push(p) });
    const last = calls.filter((c) => c.done);
    expect(last).toEqual([
      { path: a, fileIndex: 0, fileCount: 2, bytesRead: (await readFile(a)).length, bytesTotal: (await readFile(a)).length, records: 2, done: true },
      { path: b, fileIndex: 1, fileCount: 2, bytesRead: (await readFile(b)).length, bytesTotal: (await readFile(b)).length, records: 1, done: true },
    ]);
    // Throttled: small files give one call at the start and one at the end.
    expect(calls.length).toBeLessThanOrEqual(4);
  });

  it("never echoes the content of a broken record in its error", async () => {
    const input = await writeInput(file("leak.jsonl"), '{"id":"a","token":"Bearer s3cr3t" oops}\n{"x": s3cr3t}');
    const result = await run([input]);
    expect(result.errors.slice(0, 2)).toEqual([
      `${input}:1: expected a JSON audit record, got invalid JSON (Expected ',' or '}' after property value in JSON at position 34)`,
      `${input}:2: expected a JSON audit record, got invalid JSON (Unexpected token)`,
    ]);
    expect(result.errors.join("\n")).not.toContain("s3cr3t");
  });

  it("marks the run failed and rethrows when the store itself fails, keeping nothing of the file", async () => {
    const { store } = getStore();
    const input = await writeInput(file("a.jsonl"), jsonLines([loggingRecord(1)]));
    await store.db.schema.dropIndex("audit_event_time").execute();
    await store.db.schema.alterTable("audit_event").renameTo("audit_event_gone").execute();
    await expect(run([input])).rejects.toThrow(/audit_event/);
    const [failed] = await findImportRuns(store.db);
    expect(failed?.status).toBe("failed");
    expect(failed?.errors[0]).toMatch(/^import stopped by an internal error: .*audit_event/);
  });

  it("keeps the raw JSON text of each line exactly as read", async () => {
    const text = '{ "id" : "spaced", "time":"2025-01-01T00:00:00+00:00", "type":"t.A", "data": {"b":1, "a":"\\u00e9"} }';
    await run([await writeInput(file("raw.jsonl"), `${text}\n`)]);
    const [row] = await findAuditEventsByEventId(getStore().store.db, "spaced");
    expect(row?.rawJson).toBe(text);
    expect(row?.eventTime).toBe("2025-01-01T00:00:00.000Z");
  });
});
