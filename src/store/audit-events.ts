/**
 * Read queries over stored audit events, for timelines and evidence packs. Large reads stream in
 * pages keyed by `seq` (never OFFSET), so a month of events is never held in memory at once.
 */
import type { Kysely } from "kysely";
import { isoBound } from "./iso-bound.js";
import type { NewAuditEvent } from "./audit-event-row.js";
import type { AuditEventRow, Database } from "./schema.js";

/**
 * A stored audit event, camelCased: the appended event plus what the writer filled in. Instants
 * are canonical ISO UTC text (`...T01:30:00.000Z`).
 */
export interface StoredAuditEvent extends NewAuditEvent {
  /** Ingestion order; the hash chain follows it. */
  seq: number;
  /** Seq of the first row with the same event id and different content; null when none. */
  conflictOfSeq: number | null;
  importRunId: number;
  storedAt: string;
  chainSha256: string;
}

/** A period of event time: start inclusive, end exclusive; ISO text (any offset), Date or epoch ms. */
export interface EventPeriod {
  start: string | Date | number;
  end: string | Date | number;
}

export function toStoredAuditEvent(row: AuditEventRow): StoredAuditEvent {
  return {
    seq: row.seq,
    eventId: row.event_id,
    eventTime: row.event_time,
    ingestedTime: row.ingested_time,
    eventType: row.event_type,
    eventName: row.event_name,
    source: row.source,
    envelope: row.envelope,
    compartmentId: row.compartment_id,
    compartmentName: row.compartment_name,
    resourceId: row.resource_id,
    resourceName: row.resource_name,
    principalId: row.principal_id,
    principalName: row.principal_name,
    authType: row.auth_type,
    requestId: row.request_id,
    requestAction: row.request_action,
    requestPath: row.request_path,
    responseStatus: row.response_status,
    eventGroupingId: row.event_grouping_id,
    tenantId: row.tenant_id,
    regionId: row.region_id,
    conflictOfSeq: row.conflict_of_seq,
    importRunId: row.import_run_id,
    storedAt: row.stored_at,
    contentSha256: row.content_sha256,
    chainSha256: row.chain_sha256,
    rawJson: row.raw_json,
  };
}

function bounds(period: EventPeriod): { start: string; end: string } {
  return { start: isoBound(period.start, "start"), end: isoBound(period.end, "end") };
}

/**
 * Streams the events whose event time is in [start, end), in seq order, `pageSize` rows per query
 * (default 1000); with `maxSeq`, only rows with seq ≤ maxSeq (a pack's snapshot bound). Pages are
 * keyed by seq inside the period's [min seq, max seq], so the whole
 * iteration reads that seq range once. Throws a ValidationError for a bound that is not an instant.
 * Safe to run while another process imports: rows committed later may or may not be seen.
 */
export async function* listAuditEventsInPeriod(
  db: Kysely<Database>,
  period: EventPeriod & { pageSize?: number; maxSeq?: number },
): AsyncGenerator<StoredAuditEvent> {
  const { start, end } = bounds(period);
  const pageSize = period.pageSize ?? 1000;
  const range = await db
    .selectFrom("audit_event")
    .select((eb) => [eb.fn.min("seq").as("lo"), eb.fn.max("seq").as("hi")])
    .where("event_time", ">=", start)
    .where("event_time", "<", end)
    .executeTakeFirst();
  if (range?.lo == null || range.hi == null) return;
  let after = Number(range.lo) - 1;
  const hi = period.maxSeq === undefined ? Number(range.hi) : Math.min(Number(range.hi), period.maxSeq);
  for (;;) {
    const rows = await db
      .selectFrom("audit_event")
      .selectAll()
      .where("seq", ">", after)
      .where("seq", "<=", hi)
      .where("event_time", ">=", start)
      .where("event_time", "<", end)
      .orderBy("seq")
      .limit(pageSize)
      .execute();
    for (const row of rows) yield toStoredAuditEvent(row);
    if (rows.length < pageSize) return;
    after = (rows[rows.length - 1] as AuditEventRow).seq;
  }
}

/** Number of stored events, optionally only those with event time in [start, end). */
export async function countAuditEvents(db: Kysely<Database>, period?: EventPeriod): Promise<number> {
  let q = db.selectFrom("audit_event").select((eb) => eb.fn.countAll<number>().as("n"));
  if (period) {
    const { start, end } = bounds(period);
    q = q.where("event_time", ">=", start).where("event_time", "<", end);
  }
  const row = await q.executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Every stored row with this event id (several when its content conflicted), in seq order. */
export async function findAuditEventsByEventId(db: Kysely<Database>, eventId: string): Promise<StoredAuditEvent[]> {
  const rows = await db.selectFrom("audit_event").selectAll().where("event_id", "=", eventId).orderBy("seq").execute();
  return rows.map(toStoredAuditEvent);
}

/** Every stored event in seq order, in pages keyed by seq (for exports and chain checks). */
export async function* listAllAuditEvents(db: Kysely<Database>, options: { pageSize?: number } = {}): AsyncGenerator<StoredAuditEvent> {
  const pageSize = options.pageSize ?? 1000;
  let after = 0;
  for (;;) {
    const rows = await db.selectFrom("audit_event").selectAll().where("seq", ">", after).orderBy("seq").limit(pageSize).execute();
    for (const row of rows) yield toStoredAuditEvent(row);
    if (rows.length < pageSize) return;
    after = (rows[rows.length - 1] as AuditEventRow).seq;
  }
}
