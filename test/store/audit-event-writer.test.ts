import { createHash } from "node:crypto";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { silentLogger } from "../../src/app/logger.js";
import { importAuditFiles } from "../../src/ingest/import-audit-files.js";
import { normalizeAuditRecord } from "../../src/ingest/normalize-audit-record.js";
import type { NormalizedAuditEvent } from "../../src/ingest/audit-event.js";
import { AUDIT_EVENT_INSERT_COLUMNS } from "../../src/store/audit-event-row.js";
import { withAuditEventWriter } from "../../src/store/audit-event-writer.js";
import { verifyAuditEventChain } from "../../src/store/audit-event-chain.js";
import { countAuditEvents, listAllAuditEvents } from "../../src/store/audit-events.js";
import { insertImportRun } from "../../src/store/import-runs.js";
import { ROWS_PER_INSERT } from "../../src/store/postgres-audit-event-writer.js";
import type { Store } from "../../src/store/create-db.js";
import { fixedClock } from "../../src/time/instant.js";
import { TEST_DIALECTS, useTestStore } from "../helpers/db.js";
import { loggingRecord, writeJsonLinesFile } from "../ingest/audit-record-factory.js";

function event(n: number, overrides: Parameters<typeof loggingRecord>[1] = {}): NormalizedAuditEvent {
  const outcome = normalizeAuditRecord(loggingRecord(n, overrides));
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.event;
}

/** Recomputes the chain independently of the store code: sha256(prev + ":" + content + ":" + sha256(raw)), "" first. */
async function recomputeChain(store: Store): Promise<{ rows: number; matches: boolean; seqIncreasing: boolean }> {
  let prev = "";
  let lastSeq = 0;
  let rows = 0;
  let matches = true;
  let seqIncreasing = true;
  for await (const row of listAllAuditEvents(store.db, { pageSize: 5000 })) {
    rows++;
    const raw = createHash("sha256").update(row.rawJson).digest("hex");
    prev = createHash("sha256").update(`${prev}:${row.contentSha256}:${raw}`).digest("hex");
    if (prev !== row.chainSha256) matches = false;
    if (row.seq <= lastSeq) seqIncreasing = false;
    lastSeq = row.seq;
  }
  return { rows, matches, seqIncreasing };
}

describe.each(TEST_DIALECTS)("audit event writer (%s)", (dialect) => {
  const getStore = useTestStore(dialect);
  const newRun = () => insertImportRun(getStore().store.db, { source: "test", startedAt: "2026-11-29T12:00:00.000Z", filesTotal: 0 });
  const ctx = (importRunId: number) => ({ importRunId, storedAt: "2026-11-29T12:00:00.000Z" });

  it("B29: stores one input of 20,000 events completely, in one transaction, with a continuous chain", async () => {
    const { store, dir } = getStore();
    const input = await writeJsonLinesFile(path.join(dir, "page.jsonl"), 20_000);
    const result = await importAuditFiles({ store, clock: fixedClock("2026-11-29T12:00:00Z"), logger: silentLogger() }, { paths: [input] });
    expect(result.summaryLine).toBe("read 20000, stored 20000, duplicates 0, conflicts 0, rejected 0 (1 file, 0 rejected)");
    expect(await countAuditEvents(store.db)).toBe(20_000);
    expect(await recomputeChain(store)).toEqual({ rows: 20_000, matches: true, seqIncreasing: true });
    expect(await verifyAuditEventChain(store.db)).toMatchObject({ ok: true, rows: 20_000 });
  });

  it("chunks PostgreSQL inserts at floor(32766 / 27 columns) = 1213 rows", () => {
    expect(AUDIT_EVENT_INSERT_COLUMNS).toHaveLength(27);
    expect(ROWS_PER_INSERT).toBe(1213);
  });

  it("continues the chain across transactions and keeps exactly-once across them", async () => {
    const { store } = getStore();
    const runId = await newRun();
    const write = (events: NormalizedAuditEvent[]) =>
      withAuditEventWriter(store, ctx(runId), async (w) => {
        await w.write(events);
        await w.flush();
        return { commit: true, value: { ...w.counts } };
      });
    expect(await write([event(1), event(2)])).toEqual({ stored: 2, duplicates: 0, conflicts: 0 });
    expect(await write([event(2), event(3)])).toEqual({ stored: 1, duplicates: 1, conflicts: 0 });
    expect(await recomputeChain(store)).toEqual({ rows: 3, matches: true, seqIncreasing: true });
  });

  it("flags a conflict whose first row is in the same chunk, before that chunk is written", async () => {
    const { store } = getStore();
    const runId = await newRun();
    const counts = await withAuditEventWriter(store, ctx(runId), async (w) => {
      await w.write([event(1), event(2), event(1, { data: { resourceName: "other" } }), event(1, { data: { resourceName: "third" } })]);
      await w.flush();
      return { commit: true, value: { ...w.counts } };
    });
    expect(counts).toEqual({ stored: 4, duplicates: 0, conflicts: 2 });
    const rows = [];
    for await (const r of listAllAuditEvents(store.db)) rows.push(r);
    expect(rows.map((r) => r.conflictOfSeq)).toEqual([null, null, rows[0]?.seq, rows[0]?.seq]);
    expect(await recomputeChain(store)).toMatchObject({ matches: true });
  });

  it("stores the same event once whether it arrives as a ListEvents item (0.1) or an _Audit log record (1.0), in either order and within one chunk", async () => {
    const { store } = getStore();
    const runId = await newRun();
    const asListEvents = (n: number, overrides: Parameters<typeof loggingRecord>[1] = {}): NormalizedAuditEvent => {
      const r = loggingRecord(n, overrides) as { id: string; time: string; type: string; data: Record<string, unknown> };
      const outcome = normalizeAuditRecord({
        eventType: r.type, cloudEventsVersion: "0.1", eventTypeVersion: "2.0", source: "KeyManagementService",
        eventId: r.id, eventTime: r.time, contentType: "application/json", data: r.data,
      });
      if (!outcome.ok) throw new Error(outcome.message);
      return outcome.event;
    };
    expect(asListEvents(1).contentSha256).not.toBe(event(1).contentSha256);
    expect(asListEvents(1).envelope).not.toBe(event(1).envelope);
    const write = (events: NormalizedAuditEvent[]) =>
      withAuditEventWriter(store, ctx(runId), async (w) => {
        await w.write(events);
        await w.flush();
        return { commit: true, value: { ...w.counts } };
      });
    expect(await write([asListEvents(1), event(2)])).toEqual({ stored: 2, duplicates: 0, conflicts: 0 });
    // Other envelope of stored events, in both directions: duplicates.
    expect(await write([event(1), asListEvents(2)])).toEqual({ stored: 0, duplicates: 2, conflicts: 0 });
    // Both forms inside one chunk: one row.
    expect(await write([event(3), asListEvents(3)])).toEqual({ stored: 1, duplicates: 1, conflicts: 0 });
    // Same id in another envelope but a different outcome or time: a conflict, never hidden.
    expect(await write([asListEvents(1, { data: { response: { status: "500", responseTime: "2026-10-01T00:00:01.000Z" } } })])).toEqual({ stored: 1, duplicates: 0, conflicts: 1 });
    expect(await write([asListEvents(2, { time: "2026-10-01T00:09:00.000Z" })])).toEqual({ stored: 1, duplicates: 0, conflicts: 1 });
    expect(await countAuditEvents(store.db)).toBe(5);
    expect(await recomputeChain(store)).toMatchObject({ rows: 5, matches: true });
  });

  it("keeps nothing when the callback asks for a rollback, and nothing when it throws", async () => {
    const { store } = getStore();
    const runId = await newRun();
    const value = await withAuditEventWriter(store, ctx(runId), async (w) => {
      await w.write([event(1), event(2)]);
      await w.flush();
      return { commit: false, value: "rolled back" };
    });
    expect(value).toBe("rolled back");
    await expect(
      withAuditEventWriter(store, ctx(runId), async (w) => {
        await w.write([event(3)]);
        await w.flush();
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await countAuditEvents(store.db)).toBe(0);
    // The chain starts from "" again after rolled-back work.
    await withAuditEventWriter(store, ctx(runId), async (w) => {
      await w.write([event(4)]);
      return { commit: true, value: undefined };
    });
    expect(await recomputeChain(store)).toEqual({ rows: 1, matches: true, seqIncreasing: true });
  });

  it("verifyAuditEventChain detects a row changed after it was stored", async () => {
    const { store } = getStore();
    const runId = await newRun();
    await withAuditEventWriter(store, ctx(runId), async (w) => {
      await w.write([event(1), event(2), event(3)]);
      return { commit: true, value: undefined };
    });
    const second = (await store.db.selectFrom("audit_event").select("seq").orderBy("seq").offset(1).limit(1).executeTakeFirstOrThrow()).seq;
    const tampered = JSON.stringify(loggingRecord(2, { data: { resourceName: "edited" } }));
    await store.db.updateTable("audit_event").set({ raw_json: tampered }).where("seq", "=", second).execute();
    expect(await verifyAuditEventChain(store.db)).toMatchObject({
      ok: false,
      firstBroken: { seq: second, reason: "content_sha256 does not match raw_json" },
    });
  });
  it("verifyAuditEventChain detects an edit of a wrapper field that the identity hash does not cover", async () => {
    const { store } = getStore();
    const runId = await newRun();
    const wrapped = (regionId: string) => ({ datetime: 1734505542026, logContent: loggingRecord(7), regionId });
    const outcome = normalizeAuditRecord(wrapped("us-ashburn-1"), JSON.stringify(wrapped("us-ashburn-1")));
    if (!outcome.ok) throw new Error(outcome.message);
    await withAuditEventWriter(store, ctx(runId), async (w) => {
      await w.write([event(1), outcome.event]);
      return { commit: true, value: undefined };
    });
    expect(await verifyAuditEventChain(store.db)).toMatchObject({ ok: true, rows: 2 });
    const last = (await store.db.selectFrom("audit_event").select("seq").orderBy("seq", "desc").limit(1).executeTakeFirstOrThrow()).seq;
    await store.db.updateTable("audit_event").set({ raw_json: JSON.stringify(wrapped("eu-frankfurt-1")) }).where("seq", "=", last).execute();
    expect(await verifyAuditEventChain(store.db)).toMatchObject({
      ok: false,
      firstBroken: { seq: last, reason: "chain_sha256 does not continue from the row before" },
    });
  });
});
