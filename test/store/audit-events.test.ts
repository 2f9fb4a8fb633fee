import { describe, expect, it } from "vitest";
import { ValidationError } from "../../src/app/errors.js";
import { normalizeAuditRecord } from "../../src/ingest/normalize-audit-record.js";
import type { NormalizedAuditEvent } from "../../src/ingest/audit-event.js";
import { toAuditEventRow, type NewAuditEvent } from "../../src/store/audit-event-row.js";
import { withAuditEventWriter } from "../../src/store/audit-event-writer.js";
import { countAuditEvents, listAuditEventsInPeriod, type StoredAuditEvent } from "../../src/store/audit-events.js";
import { findImportRunById, findImportRuns, finishImportRun, insertImportRun } from "../../src/store/import-runs.js";
import { formatInstant } from "../../src/time/instant.js";
import { TEST_DIALECTS, useTestStore } from "../helpers/db.js";
import { loggingRecord } from "../ingest/audit-record-factory.js";

function event(n: number, time: unknown, extra: Record<string, unknown> = {}): NormalizedAuditEvent {
  const outcome = normalizeAuditRecord(loggingRecord(n, { time, data: extra }));
  if (!outcome.ok) throw new Error(outcome.message);
  return outcome.event;
}

async function collect(events: AsyncIterable<StoredAuditEvent>): Promise<StoredAuditEvent[]> {
  const out: StoredAuditEvent[] = [];
  for await (const e of events) out.push(e);
  return out;
}

describe.each(TEST_DIALECTS)("audit event queries (%s)", (dialect) => {
  const getStore = useTestStore(dialect);

  async function store(events: NewAuditEvent[]): Promise<void> {
    const { store: s } = getStore();
    const importRunId = await insertImportRun(s.db, { source: "test", startedAt: "2026-11-29T12:00:00.000Z", filesTotal: 0 });
    await withAuditEventWriter(s, { importRunId, storedAt: "2026-11-29T12:00:00.000Z" }, async (w) => {
      await w.write(events);
      return { commit: true, value: undefined };
    });
  }

  it("B28: an event time given as a Date is stored as canonical text and found by a range query", async () => {
    await store([
      event(1, new Date(Date.UTC(2025, 2, 30, 1, 30)), { additionalDetails: { isAutoRotationEnabled: true } }),
      event(2, "2025-03-29T23:59:59.999Z"),
      event(3, "2025-03-31T00:00:00Z"),
    ]);
    const { store: s } = getStore();
    // Stored as text in the one canonical form, never as a number or a local-time string.
    const raw = await s.db.selectFrom("audit_event").select(["event_time"]).where("event_id", "=", loggingRecord(1).id as string).executeTakeFirstOrThrow();
    expect(raw.event_time).toBe("2025-03-30T01:30:00.000Z");

    const found = await collect(listAuditEventsInPeriod(s.db, { start: "2025-03-30T00:00Z", end: "2025-03-31T00:00Z" }));
    expect(found.map((e) => e.eventId)).toEqual([loggingRecord(1).id]);
    expect(found[0]?.eventTime).toBe("2025-03-30T01:30:00.000Z");
    expect(new Date(found[0]?.eventTime as string).getTime()).toBe(Date.UTC(2025, 2, 30, 1, 30));
    // The boolean inside the record reads back as a boolean (JSON text), not as 1.
    const additional = (JSON.parse(found[0]?.rawJson as string) as { data: { additionalDetails: { isAutoRotationEnabled: unknown } } }).data
      .additionalDetails.isAutoRotationEnabled;
    expect(additional).toBe(true);
  });

  /** A store-level event, built without the normaliser: the writer alone must keep time columns canonical. */
  function storeEvent(n: number, eventTime: string): NewAuditEvent {
    return {
      ...(normalizeAuditRecord(loggingRecord(n)) as { ok: true; event: NewAuditEvent }).event,
      eventTime,
    };
  }

  it("B28: a row bound through kysely with the writer's canonical text from a Date is found by the day's range query", async () => {
    const { store: s } = getStore();
    const importRunId = await insertImportRun(s.db, { source: "test", startedAt: "2026-11-29T12:00:00.000Z", filesTotal: 0 });
    // The writer path: Date → canonical text (formatInstant) → toAuditEventRow → kysely binding.
    const eventTime = formatInstant(new Date(Date.UTC(2025, 2, 30, 1, 30)).getTime());
    const row = toAuditEventRow(storeEvent(1, eventTime), { importRunId, storedAt: "2026-11-29T12:00:00.000Z" }, "chain", null);
    await s.db.insertInto("audit_event").values(row).execute();
    const stored = await s.db.selectFrom("audit_event").select("event_time").executeTakeFirstOrThrow();
    expect(stored.event_time).toBe("2025-03-30T01:30:00.000Z");
    const found = await collect(listAuditEventsInPeriod(s.db, { start: "2025-03-30T00:00Z", end: "2025-03-31T00:00Z" }));
    expect(found.map((e) => e.eventTime)).toEqual(["2025-03-30T01:30:00.000Z"]);
    expect(await countAuditEvents(s.db, { start: "2025-03-30T00:00Z", end: "2025-03-31T00:00Z" })).toBe(1);
  });

  for (const bad of ["2025-03-30 01:30:00", "2025-03-30T01:30:00Z", "2025-03-30T01:30:00.000+00:00", "2025-03-30T01:30:00.000000Z"]) {
    it(`B28: the writer rejects the non-canonical event time ${bad} with a TypeError and keeps nothing`, async () => {
      const error = await store([storeEvent(1, "2025-03-30T01:00:00.000Z"), storeEvent(2, bad)]).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TypeError);
      expect((error as TypeError).message).toBe(
        `audit_event.event_time: expected canonical ISO-8601 UTC text with milliseconds and Z (like 2025-03-30T01:30:00.000Z), got ${JSON.stringify(bad)}`,
      );
      expect(await countAuditEvents(getStore().store.db)).toBe(0);
    });
  }

  it("B28: the writer rejects a Date or a number smuggled into a time column", async () => {
    const asDate = { ...storeEvent(1, ""), eventTime: new Date(Date.UTC(2025, 2, 30, 1, 30)) as unknown as string };
    await expect(store([asDate])).rejects.toThrow(/^audit_event\.event_time: .* got a Date$/);
    const asNumber = { ...storeEvent(2, ""), eventTime: "2025-03-30T01:30:00.000Z", ingestedTime: 1743298200000 as unknown as string };
    await expect(store([asNumber])).rejects.toThrow(/^audit_event\.ingested_time: .* got number$/);
    expect(await countAuditEvents(getStore().store.db)).toBe(0);
  });

  it("accepts bounds with any offset or as Dates, and rejects a bound that is not an instant", async () => {
    await store([event(1, "2025-03-30T01:30:00Z")]);
    const { store: s } = getStore();
    const byOffset = await collect(listAuditEventsInPeriod(s.db, { start: "2025-03-30T02:00:00+01:00", end: new Date("2025-03-30T01:30:00.001Z") }));
    expect(byOffset).toHaveLength(1);
    expect(await countAuditEvents(s.db, { start: "2025-03-30T01:30:00.001Z", end: "2025-04-01T00:00:00Z" })).toBe(0);
    await expect(collect(listAuditEventsInPeriod(s.db, { start: "March", end: "2025-04-01T00:00:00Z" }))).rejects.toBeInstanceOf(ValidationError);
  });

  it("streams a period in seq order across pages, skipping events outside it", async () => {
    const events = Array.from({ length: 25 }, (_, i) => event(i, i % 5 === 0 ? "2025-02-01T00:00:00Z" : `2025-03-0${1 + (i % 9)}T00:00:00Z`));
    await store(events);
    const { store: s } = getStore();
    const found = await collect(listAuditEventsInPeriod(s.db, { start: "2025-03-01T00:00:00Z", end: "2025-04-01T00:00:00Z", pageSize: 4 }));
    expect(found).toHaveLength(20);
    expect(found.map((e) => e.seq)).toEqual([...found.map((e) => e.seq)].sort((a, b) => a - b));
    expect(found.every((e) => e.eventTime.startsWith("2025-03"))).toBe(true);
    expect(await countAuditEvents(s.db, { start: "2025-03-01T00:00:00Z", end: "2025-04-01T00:00:00Z" })).toBe(20);
    expect(await countAuditEvents(s.db)).toBe(25);
  });

  it("returns nothing for a period without events", async () => {
    await store([event(1, "2025-03-30T01:30:00Z")]);
    expect(await collect(listAuditEventsInPeriod(getStore().store.db, { start: "2024-01-01T00:00:00Z", end: "2024-02-01T00:00:00Z" }))).toEqual([]);
  });

  it("records import runs and finds them by start time", async () => {
    const { store: s } = getStore();
    const first = await insertImportRun(s.db, { source: "file", startedAt: "2026-10-31T23:00:00.000Z", filesTotal: 2 });
    const second = await insertImportRun(s.db, { source: "file", startedAt: "2026-11-01T01:00:00.000Z", filesTotal: 1 });
    await finishImportRun(s.db, second, {
      finishedAt: "2026-11-01T01:05:00.000Z",
      status: "partial",
      filesRejected: 1,
      recordsRead: 10,
      recordsStored: 7,
      duplicates: 1,
      conflicts: 1,
      rejected: 2,
      errors: Array.from({ length: 1200 }, (_, i) => `x.jsonl:${i + 1}: bad`),
    });
    expect((await findImportRuns(s.db)).map((r) => r.id)).toEqual([first, second]);
    expect((await findImportRuns(s.db, { startedFrom: "2026-11-01T00:00:00.000Z" })).map((r) => r.id)).toEqual([second]);
    const run = await findImportRunById(s.db, second);
    expect(run).toMatchObject({ status: "partial", filesTotal: 1, filesRejected: 1, recordsStored: 7, conflicts: 1, finishedAt: "2026-11-01T01:05:00.000Z" });
    expect(run?.errors).toHaveLength(1000);
    expect(run?.errors[999]).toBe("x.jsonl:1000: bad");
  });
});
