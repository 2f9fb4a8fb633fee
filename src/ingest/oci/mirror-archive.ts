/**
 * The archive mirror (DESIGN §4): every ended UTC month of the audit archive is written once to the
 * customer's own Object Storage bucket, so the 7-year archive survives the loss of keyproof's store
 * and can be restored from it. One object per (month, max seq):
 *
 *   <prefix><YYYY-MM>/audit-events-<maxSeq>.jsonl.gz
 *
 * gzip'd JSON Lines, one stored event of the month per line in seq order:
 * `{seq, eventId, contentSha256, chainSha256, storedAt, record}` where `record` is the stored raw
 * JSON parsed, plus `rawJson` (the stored text) on the lines where `JSON.stringify(record)` is not
 * that text: the hash chain covers the raw text (audit-event-row.ts nextChainSha256), so a restore
 * must get it back byte for byte. Objects are never rewritten: an event that arrives late for an
 * archived month gives a new object with a higher max seq, holding the whole month again.
 */
import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import type { Kysely } from "kysely";
import { OciCallError } from "../../oci/oci-ports.js";
import { findArchiveMonths, findArchivedMaxSeqByMonth, insertArchiveUpload, type ArchiveUploadRecord } from "../../store/archive-uploads.js";
import { listAuditEventsInPeriod } from "../../store/audit-events.js";
import type { Database } from "../../store/schema.js";
import { monthPeriod } from "../../time/instant.js";
import { checkArchiveRetention, type ArchiveRetentionCheck } from "./check-archive-retention.js";
import type { IngestDeps } from "./ingest-deps.js";

/** A month that could not be written this run (tried again next run). */
export interface ArchiveMonthFailure {
  month: string;
  objectName: string;
  /** OciFailureReason, or "exists-different": an object of that name holds other bytes (never overwritten). */
  reason: string;
  message: string;
}

export interface ArchiveMirrorResult {
  /** `namespace/bucket/prefix`; null when no archive bucket is configured (or the namespace is unknown). */
  scope: string | null;
  /** Ended months with stored events. */
  months: number;
  /** Objects written this run (or found already written with the same bytes, `opcRequestId` null). */
  uploaded: ArchiveUploadRecord[];
  /** Months whose archive already covers their max seq. */
  upToDate: number;
  failed: ArchiveMonthFailure[];
  /** The mirror bucket's retention verdict; null when not configured. */
  retention: ArchiveRetentionCheck | null;
  errors: string[];
}

/** One month's archive object, built in memory (see {@link buildMonthArchive}). */
export interface MonthArchive {
  body: Buffer;
  sha256: string;
  sizeBytes: number;
  events: number;
}

/** `<prefix><YYYY-MM>/audit-events-<maxSeq>.jsonl.gz`. */
export function archiveObjectName(prefix: string, month: string, maxSeq: number): string {
  return `${prefix}${month}/audit-events-${maxSeq}.jsonl.gz`;
}

/**
 * Builds the archive of `month` ("YYYY-MM", UTC) holding its events with seq ≤ `maxSeq`, streamed
 * from the store a page at a time into gzip. Deterministic: Node's gzip header has mtime 0 and no
 * name, and the lines depend only on stored rows, so equal rows give equal bytes on every build.
 * Memory: the events stream; the compressed object is held whole because PutObject takes a Buffer
 * (fine for a month: ~1M events of ~2.3 KB compress to roughly 100–200 MB; larger months would
 * need multipart upload, which the port does not offer).
 */
export async function buildMonthArchive(db: Kysely<Database>, month: string, maxSeq: number): Promise<MonthArchive> {
  let events = 0;
  async function* lines(): AsyncGenerator<string> {
    for await (const e of listAuditEventsInPeriod(db, { ...monthPeriod(month), maxSeq })) {
      events++;
      const record: unknown = JSON.parse(e.rawJson);
      const line: Record<string, unknown> = {
        seq: e.seq, eventId: e.eventId, contentSha256: e.contentSha256, chainSha256: e.chainSha256, storedAt: e.storedAt, record,
      };
      if (JSON.stringify(record) !== e.rawJson) line.rawJson = e.rawJson;
      yield `${JSON.stringify(line)}\n`;
    }
  }
  const chunks: Buffer[] = [];
  const hash = createHash("sha256");
  await pipeline(Readable.from(lines()), createGzip({ level: 9 }), async (gz: AsyncIterable<Buffer>) => {
    for await (const chunk of gz) {
      hash.update(chunk);
      chunks.push(chunk);
    }
  });
  const body = Buffer.concat(chunks);
  return { body, sha256: hash.digest("hex"), sizeBytes: body.length, events };
}

/**
 * Writes the archive of every ended UTC month (month end ≤ `deps.now()`) that has stored events and
 * no archive_upload in the configured bucket (under any prefix: a month archived before a prefix
 * change is not written again) covering its current max seq, oldest first, and
 * records each in archive_upload (sha256, size, events, max seq, etag, opc-request-id). An object
 * already at the name (a run that wrote it and stopped before recording it) is adopted when its
 * bytes are the same and left alone otherwise. One month's OCI failure does not stop the others.
 * Also judges the bucket's retention rules ({@link checkArchiveRetention}) against
 * `policy.retentionDays`. Never throws for OCI failures; rethrows store failures.
 */
export async function mirrorArchive(deps: IngestDeps): Promise<ArchiveMirrorResult> {
  const cfg = deps.config.ingest.archiveBucket;
  const result: ArchiveMirrorResult = { scope: null, months: 0, uploaded: [], upToDate: 0, failed: [], retention: null, errors: [] };
  if (!cfg) return result;
  const logger = deps.logger.child({ job: "ingest", step: "archive-mirror", runId: deps.importRunId });
  const os = deps.ports.objectStorage;
  let namespace: string;
  try {
    namespace = cfg.namespace ?? (await os.getNamespace());
  } catch (err) {
    if (!(err instanceof OciCallError)) throw err;
    result.errors.push(`archive bucket ${cfg.bucket}: cannot find the Object Storage namespace: ${err.message} (${err.reason})`);
    return result;
  }
  const { bucket, prefix } = cfg;
  result.scope = `${namespace}/${bucket}/${prefix}`;
  const now = deps.now();
  result.retention = await checkArchiveRetention(deps.ports, namespace, bucket, deps.config.policy.retentionDays, now);
  if (!result.retention.ok) logger.warn({ reason: result.retention.reason }, result.retention.message);

  const months = await findArchiveMonths(deps.store.db, monthPeriod(now.slice(0, 7)).start);
  const covered = await findArchivedMaxSeqByMonth(deps.store.db, namespace, bucket);
  result.months = months.length;
  for (const { month, maxSeq } of months) {
    if ((covered.get(month) ?? 0) >= maxSeq) {
      result.upToDate++;
      continue;
    }
    const objectName = archiveObjectName(prefix, month, maxSeq);
    const archive = await buildMonthArchive(deps.store.db, month, maxSeq);
    try {
      const written = await writeOnce(deps, namespace, bucket, objectName, archive);
      if (written === "exists-different") {
        fail(result, { month, objectName, reason: "exists-different",
          message: `oci://${namespace}/${bucket}/${objectName}: an object of that name holds other bytes; it is never overwritten (tried again next run)` });
        continue;
      }
      const upload: ArchiveUploadRecord = {
        month, namespace, bucket, objectName, sha256: archive.sha256, sizeBytes: archive.sizeBytes, events: archive.events, maxSeq,
        etag: written.etag, opcRequestId: written.opcRequestId, uploadedAt: deps.now(),
      };
      await insertArchiveUpload(deps.store.db, upload);
      result.uploaded.push(upload);
      logger.info({ month, objectName, events: archive.events, bytes: archive.sizeBytes, maxSeq }, "archive written");
    } catch (err) {
      if (!(err instanceof OciCallError)) throw err;
      fail(result, { month, objectName, reason: err.reason,
        message: `oci://${namespace}/${bucket}/${objectName}: not written, tried again next run: ${err.message}${err.opcRequestId ? ` (opc-request-id ${err.opcRequestId})` : ""}` });
    }
  }
  logger.info({ months: result.months, uploaded: result.uploaded.length, upToDate: result.upToDate, failed: result.failed.length }, "archive mirror done");
  return result;
}

function fail(result: ArchiveMirrorResult, failure: ArchiveMonthFailure): void {
  result.failed.push(failure);
  result.errors.push(failure.message);
}

/**
 * PutObject unless the name is taken. The port's PutObject has no `if-none-match: *`, so the name is
 * looked up first (ListObjects from that exact name); a taken name is read back and compared. The
 * name embeds the max seq and the bytes are deterministic, so a taken name with other bytes means
 * someone else wrote there.
 */
async function writeOnce(
  deps: IngestDeps, namespace: string, bucket: string, objectName: string, archive: MonthArchive,
): Promise<{ etag: string | null; opcRequestId: string | null } | "exists-different"> {
  const os = deps.ports.objectStorage;
  const listed = await os.listObjects(namespace, bucket, objectName);
  const existing = listed.objects.find((o) => o.name === objectName);
  if (existing) {
    const got = await os.getObject(namespace, bucket, objectName);
    const hash = createHash("sha256");
    for await (const chunk of got.body) hash.update(chunk as Buffer);
    return hash.digest("hex") === archive.sha256 ? { etag: got.etag || existing.etag || null, opcRequestId: null } : "exists-different";
  }
  const put = await os.putObject(namespace, bucket, objectName, archive.body, "application/gzip");
  return { etag: put.value.etag || null, opcRequestId: put.opcRequestId };
}
