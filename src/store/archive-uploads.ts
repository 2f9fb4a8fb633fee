/**
 * Queries for the archive mirror (DESIGN §4): which UTC months of the audit archive hold events up
 * to which seq, and `archive_upload`, one row per monthly object written to the mirror bucket.
 * Query functions take `db` first (STYLE §6). Instants are canonical ISO UTC text.
 */
import { sql, type Kysely } from "kysely";
import type { Database } from "./schema.js";

/** One UTC month of stored events (by event time). */
export interface ArchiveMonth {
  /** "YYYY-MM". */
  month: string;
  /** Highest seq among the month's events: an archive with this max seq holds all of them. */
  maxSeq: number;
  events: number;
}

/**
 * The months with stored events whose event time is before `before` (canonical ISO UTC; the start
 * of the current month, so only ended months come back), oldest first. One grouped scan of
 * audit_event's event_time index range (the month is the first 7 characters of canonical text).
 */
export async function findArchiveMonths(db: Kysely<Database>, before: string): Promise<ArchiveMonth[]> {
  const month = sql<string>`substr(${sql.ref("event_time")}, 1, 7)`;
  const rows = await db
    .selectFrom("audit_event")
    .select([month.as("month"), (eb) => eb.fn.max("seq").as("max_seq"), (eb) => eb.fn.countAll().as("events")])
    .where("event_time", "<", before)
    .groupBy(month)
    .orderBy(month)
    .execute();
  return rows.map((r) => ({ month: r.month, maxSeq: Number(r.max_seq), events: Number(r.events) }));
}

/** One monthly object written to (or found in) the mirror bucket. */
export interface ArchiveUploadRecord {
  /** "YYYY-MM". */
  month: string;
  namespace: string;
  bucket: string;
  objectName: string;
  /** SHA-256 hex of the object bytes (the gzip). */
  sha256: string;
  sizeBytes: number;
  events: number;
  /** Every event of the month with seq ≤ maxSeq is in the object. */
  maxSeq: number;
  /** ETag PutObject answered; null when not answered. */
  etag: string | null;
  /** `opc-request-id` of the PutObject; null for an object found already written (adopted). */
  opcRequestId: string | null;
  uploadedAt: string;
}

export async function insertArchiveUpload(db: Kysely<Database>, upload: ArchiveUploadRecord): Promise<void> {
  await db
    .insertInto("archive_upload")
    .values({
      month: upload.month,
      namespace: upload.namespace,
      bucket: upload.bucket,
      object_name: upload.objectName,
      sha256: upload.sha256,
      size_bytes: upload.sizeBytes,
      events: upload.events,
      max_seq: upload.maxSeq,
      etag: upload.etag,
      opc_request_id: upload.opcRequestId,
      uploaded_at: upload.uploadedAt,
    })
    .execute();
}

/** The highest archived max seq per month in one bucket: a month is covered while it is ≥ the month's max seq. */
export async function findArchivedMaxSeqByMonth(db: Kysely<Database>, namespace: string, bucket: string): Promise<Map<string, number>> {
  const rows = await db
    .selectFrom("archive_upload")
    .select(["month", (eb) => eb.fn.max("max_seq").as("max_seq")])
    .where("namespace", "=", namespace)
    .where("bucket", "=", bucket)
    .groupBy("month")
    .execute();
  return new Map(rows.map((r) => [r.month, Number(r.max_seq)]));
}

/** Every upload, oldest first (optionally of one month). */
export async function listArchiveUploads(db: Kysely<Database>, filter: { month?: string } = {}): Promise<ArchiveUploadRecord[]> {
  let q = db.selectFrom("archive_upload").selectAll().orderBy("id");
  if (filter.month !== undefined) q = q.where("month", "=", filter.month);
  const rows = await q.execute();
  return rows.map((r) => ({
    month: r.month,
    namespace: r.namespace,
    bucket: r.bucket,
    objectName: r.object_name,
    sha256: r.sha256,
    sizeBytes: Number(r.size_bytes),
    events: r.events,
    maxSeq: r.max_seq,
    etag: r.etag,
    opcRequestId: r.opc_request_id,
    uploadedAt: r.uploaded_at,
  }));
}
