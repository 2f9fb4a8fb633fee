/**
 * B29: one file is one transaction, also when the PostgreSQL writer has already sent several
 * chunks of ROWS_PER_INSERT rows: a truncated gzip tail or a store failure half-way through the
 * file leaves nothing of it, and a store failure marks the run failed.
 */
import path from "node:path";
import { gzipSync } from "node:zlib";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { createLogger } from "../../src/app/logger.js";
import { importAuditFiles } from "../../src/ingest/import-audit-files.js";
import { verifyAuditEventChain } from "../../src/store/audit-event-chain.js";
import { countAuditEvents } from "../../src/store/audit-events.js";
import { findImportFiles, findImportRuns } from "../../src/store/import-runs.js";
import { ROWS_PER_INSERT } from "../../src/store/postgres-audit-event-writer.js";
import { fixedClock } from "../../src/time/instant.js";
import { TEST_DIALECTS, useTestStore } from "../helpers/db.js";
import { jsonLines, loggingRecord, writeInput } from "./audit-record-factory.js";

describe.each(TEST_DIALECTS)("a file is rolled back whole after several chunks were written (%s)", (dialect) => {
  const getStore = useTestStore(dialect);
  const file = (name: string) => path.join(getStore().dir, name);

  function run(paths: string[]) {
    const lines: string[] = [];
    const logger = createLogger({ level: "info", destination: { write: (line: string) => void lines.push(line) } });
    return { lines, result: importAuditFiles({ store: getStore().store, clock: fixedClock("2026-11-29T12:00:00.000Z"), logger }, { paths }) };
  }

  it("stores nothing of 3,000 good events followed by a truncated gzip tail", async () => {
    const records = (from: number, count: number) => Array.from({ length: count }, (_, i) => loggingRecord(from + i));
    // A complete gzip member of 3,000 events, then a member cut short: more than 3 chunks are read first.
    const head = gzipSync(Buffer.from(`${jsonLines(records(0, 3000))}\n`));
    const tail = gzipSync(Buffer.from(jsonLines(records(3000, 1500))));
    const input = await writeInput(file("export.jsonl.gz"), Buffer.concat([head, tail.subarray(0, Math.floor(tail.length * 0.9))]));

    const { result: pending } = run([input]);
    const result = await pending;
    expect(result.files[0]).toMatchObject({ status: "rejected", stored: 0 });
    expect(result.files[0]?.error).toMatch(/truncated or corrupt gzip .*; nothing from this file was stored$/);
    expect(result.files[0]?.read).toBeGreaterThan(3 * ROWS_PER_INSERT); // three full chunks went to PostgreSQL...
    const db = getStore().store.db;
    expect(await countAuditEvents(db)).toBe(0); // ...and were rolled back
    expect(result.status).toBe("failed");

    // The chain starts from "" again: nothing of the rolled-back rows is left to continue from.
    await (await run([await writeInput(file("good.jsonl"), jsonLines([loggingRecord(9_999)]))])).result;
    expect(await verifyAuditEventChain(db)).toMatchObject({ ok: true, rows: 1 });
  });

  it("rolls the whole file back and marks the run failed when the store rejects the 1,500th row", async () => {
    const { store } = getStore();
    const bad = loggingRecord(1499).id as string; // the 1,500th record of the file: in PostgreSQL's second chunk
    if (dialect === "sqlite") {
      await sql`create trigger reject_row_1500 before insert on audit_event when new.event_id = ${sql.lit(bad)}
        begin select raise(abort, 'test: the store rejects row 1500'); end`.execute(store.db);
    } else {
      await sql`alter table audit_event add constraint reject_row_1500 check (event_id <> ${sql.lit(bad)})`.execute(store.db);
    }
    const input = await writeInput(file("big.jsonl"), jsonLines(Array.from({ length: 3000 }, (_, i) => loggingRecord(i))));

    const { result, lines } = run([input]);
    await expect(result).rejects.toThrow(dialect === "sqlite" ? /row 1500/ : /reject_row_1500/);
    expect(await countAuditEvents(store.db)).toBe(0);
    const [failed] = await findImportRuns(store.db);
    expect(failed).toMatchObject({ status: "failed", recordsStored: 0 });
    expect(failed?.errors[0]).toMatch(/^import stopped by an internal error: .*(row 1500|reject_row_1500)/);
    expect(await findImportFiles(store.db, failed?.id as number)).toEqual([]); // no committed file row either
    // The log says what failed without the failing row's values (PostgreSQL's "Failing row contains (...)").
    const log = lines.join("");
    expect(log).toContain("import failed");
    expect(log).not.toContain("Failing row");
    expect(log).not.toContain(bad);
  });
});
