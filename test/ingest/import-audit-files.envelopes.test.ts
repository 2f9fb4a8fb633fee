/**
 * One audit event is one event whatever envelope it came in: its identity (content_sha256) is the
 * hash of the unwrapped record, while raw_json keeps the form that was read first.
 */
import path from "node:path";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/app/logger.js";
import { importAuditFiles } from "../../src/ingest/import-audit-files.js";
import { verifyAuditEventChain } from "../../src/store/audit-event-chain.js";
import { findAuditEventsByEventId } from "../../src/store/audit-events.js";
import { fixedClock } from "../../src/time/instant.js";
import { TEST_DIALECTS, useTestStore } from "../helpers/db.js";
import { jsonLines, loggingRecord, writeInput } from "./audit-record-factory.js";

describe.each(TEST_DIALECTS)("the same event in different envelopes (%s)", (dialect) => {
  const getStore = useTestStore(dialect);
  const run = (paths: string[]) => importAuditFiles({ store: getStore().store, clock: fixedClock("2026-11-29T12:00:00.000Z"), logger: silentLogger() }, { paths });
  const file = (name: string) => path.join(getStore().dir, name);

  const record = loggingRecord(7);
  const consoleWrapper = { datetime: Date.parse(record.time as string), logContent: record, regionId: "eu-frankfurt-1" };
  const searchLogs = { results: [{ data: { datetime: Date.parse(record.time as string), logContent: record } }], summary: { resultCount: 1 } };

  it("stores a record once when it is read bare, in the Console wrapper and in a SearchLogs response: 2 duplicates, 0 conflicts", async () => {
    const bare = await writeInput(file("a-bare.jsonl"), jsonLines([record]));
    const wrapped = await writeInput(file("b-console.json"), JSON.stringify(consoleWrapper, null, 2));
    const search = await writeInput(file("c-search.json"), JSON.stringify(searchLogs));
    const result = await run([bare, wrapped, search]);
    expect(result.totals).toMatchObject({ read: 3, stored: 1, duplicates: 2, conflicts: 0, rejected: 0 });
    expect(result.files.map((f) => [f.stored, f.duplicates, f.conflicts])).toEqual([
      [1, 0, 0],
      [0, 1, 0],
      [0, 1, 0],
    ]);
    const rows = await findAuditEventsByEventId(getStore().store.db, record.id as string);
    expect(rows).toHaveLength(1);
    expect(rows[0]?.rawJson).toBe(JSON.stringify(record)); // the form read first, exactly
    expect(await verifyAuditEventChain(getStore().store.db)).toMatchObject({ ok: true, rows: 1 });
  });

  it("keeps the wrapper in raw_json when the wrapped form comes first, and still verifies the chain", async () => {
    const result = await run([await writeInput(file("mixed.jsonl"), jsonLines([consoleWrapper, searchLogs, record]))]);
    expect(result.totals).toMatchObject({ read: 3, stored: 1, duplicates: 2, conflicts: 0 });
    const [row] = await findAuditEventsByEventId(getStore().store.db, record.id as string);
    expect(JSON.parse(row?.rawJson as string)).toEqual(consoleWrapper);
    expect(row?.regionId).toBe("eu-frankfurt-1");
    expect(await verifyAuditEventChain(getStore().store.db)).toMatchObject({ ok: true, rows: 1 });
  });

  it("still flags a conflict when the wrapped record's content differs", async () => {
    const changed = { ...consoleWrapper, logContent: loggingRecord(7, { data: { resourceName: "renamed" } }) };
    const result = await run([await writeInput(file("conflict.jsonl"), jsonLines([record, changed]))]);
    expect(result.totals).toMatchObject({ read: 2, stored: 2, duplicates: 0, conflicts: 1 });
  });
});
