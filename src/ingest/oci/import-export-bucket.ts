/**
 * `keyproof ingest --source bucket`: imports the audit exports a Service Connector writes to an
 * Object Storage bucket (OCI-NOTES §3: `<prefix>/<connector OCID>/<from>_<to>.<n>.log.gz`). Every
 * object under the prefix whose (name, etag) is not yet in export_object is copied to a temp file
 * and read by the same importer as `keyproof ingest --file` (one transaction per object, bad
 * records reported, a non-audit or truncated object rejected whole); its import_file path is
 * `oci://<namespace>/<bucket>/<object name>`.
 */
import { mkdtemp, rm, stat } from "node:fs/promises";
import { createWriteStream } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import type { Readable } from "node:stream";
import { InputRejectedError } from "../../app/errors.js";
import { OciCallError, type OciObjectSummary } from "../../oci/oci-ports.js";
import { findExportObjectEtags, insertExportObject } from "../../store/export-objects.js";
import { MAX_STORED_ERRORS } from "../../store/import-runs.js";
import { ErrorList, importAuditFile, type FileImportContext } from "../import-audit-file.js";
import type { ImportFileResult } from "../import-result.js";
import { openInputFile, type InputFile } from "../open-input-file.js";
import { DEFAULT_MAX_RECORD_BYTES } from "../split-types.js";
import type { IngestDeps } from "./ingest-deps.js";

/** How the listing of the bucket ended. */
export type ExportListingStatus = "complete" | "failed" | "stalled" | "not-configured";

/** What one run did with the export bucket. Invariant: listed = imported + skipped + rejected + failed. */
export interface ExportBucketResult {
  /** `namespace/bucket/prefix`; null when no export bucket is configured. */
  scope: string | null;
  /** complete: every page listed; failed: ListObjects (or GetNamespace) failed; stalled: a page did not advance. */
  listing: ExportListingStatus;
  /** Objects seen in the listing. */
  listed: number;
  /** Objects whose events committed in this run. */
  imported: number;
  /** Objects whose (name, etag) was already recorded (committed or rejected) by an earlier run. */
  skipped: number;
  /** Objects recorded as rejected (not audit data, empty, truncated gzip): not read again until their etag changes. */
  rejected: number;
  /** Objects not read because an OCI call failed or the download was short: no record, so the next run tries again. */
  failed: number;
  /** Records read from committed objects, and what became of them (import-result.ts invariants). */
  eventsRead: number;
  eventsStored: number;
  duplicates: number;
  conflicts: number;
  recordsRejected: number;
  /** `oci://...: ...` and `oci://...:line: ...` messages, the first 1000. */
  errors: string[];
  /** Messages beyond the first 1000 that were counted but not kept. */
  errorsOmitted: number;
}

/** `oci://<namespace>/<bucket>/<object name>`: the import_file path of an object. */
export function exportObjectUri(namespace: string, bucket: string, objectName: string): string {
  return `oci://${namespace}/${bucket}/${objectName}`;
}

/**
 * The `start` of the next ListObjects page, or null at the end. Throws when the listing does not
 * advance (cases.md B07): OCI's `nextStartWith` names the first object not yet listed, so it must
 * sort after the page's `start` and after every name on the page; anything else would list the
 * same objects forever.
 */
export function nextListingStart(start: string | undefined, page: { objects: readonly { name: string }[]; nextStartWith: string | null }): string | null {
  const next = page.nextStartWith;
  if (next === null) return null;
  const last = page.objects.at(-1)?.name;
  if ((start !== undefined && next <= start) || (last !== undefined && next <= last)) {
    throw new ListingStalledError(`ListObjects: nextStartWith ${JSON.stringify(next)} does not advance past ${JSON.stringify(last ?? start)}`);
  }
  return next;
}

class ListingStalledError extends Error {}

/**
 * Imports every new or changed object of `deps.config.ingest.exportBucket` into the store under
 * `deps.importRunId` (the caller starts and finishes that import run). Per object: GetObject is
 * streamed to a temp file, imported in one transaction, and its export_object row (status
 * committed) commits in that same transaction; a rejected object gets an export_object row with the
 * error and is not read again until its etag changes; an object whose GetObject fails, or whose
 * download is not as long as its content-length and its listed size ({@link downloadSizeMismatch}),
 * gets no row and is counted as failed (read again next run). The run goes on after any one object.
 *
 * Returns the counts (never throws for OCI failures: a failed or stalled listing is `listing`);
 * rethrows store failures. Without an export bucket configured, returns zero counts and
 * `listing: "not-configured"`.
 */
export async function importExportBucket(deps: IngestDeps): Promise<ExportBucketResult> {
  const cfg = deps.config.ingest.exportBucket;
  const errors = new ErrorList(MAX_STORED_ERRORS);
  const result: ExportBucketResult = {
    scope: null, listing: "not-configured", listed: 0, imported: 0, skipped: 0, rejected: 0, failed: 0,
    eventsRead: 0, eventsStored: 0, duplicates: 0, conflicts: 0, recordsRejected: 0, errors: errors.kept, errorsOmitted: 0,
  };
  if (!cfg) return result;
  const logger = deps.logger.child({ job: "ingest", source: "export-bucket", runId: deps.importRunId });
  const { objectStorage } = deps.ports;
  const finish = (listing: ExportListingStatus): ExportBucketResult => {
    result.listing = listing;
    result.errorsOmitted = errors.total - errors.kept.length;
    logger.info({ ...result, errors: undefined }, `export bucket: ${listing}, ${result.imported} imported, ${result.skipped} skipped, ${result.rejected} rejected, ${result.failed} failed`);
    return result;
  };

  let namespace: string;
  try {
    namespace = cfg.namespace ?? (await objectStorage.getNamespace());
  } catch (err) {
    if (!(err instanceof OciCallError)) throw err;
    errors.push(`export bucket ${cfg.bucket}: cannot find the Object Storage namespace: ${describeOciFailure(err)}`);
    return finish("failed");
  }
  const { bucket, prefix } = cfg;
  result.scope = `${namespace}/${bucket}/${prefix}`;
  const ctx: FileImportContext = {
    store: deps.store, logger, now: deps.now, runId: deps.importRunId, errors, maxRecordBytes: DEFAULT_MAX_RECORD_BYTES,
  };
  const tempDir = await mkdtemp(path.join(tmpdir(), "keyproof-export-"));
  try {
    let start: string | undefined;
    for (;;) {
      let page: Awaited<ReturnType<typeof objectStorage.listObjects>>;
      try {
        page = await objectStorage.listObjects(namespace, bucket, prefix, start);
      } catch (err) {
        if (!(err instanceof OciCallError)) throw err;
        errors.push(`${exportObjectUri(namespace, bucket, prefix)}: listing stopped${start ? ` at ${JSON.stringify(start)}` : ""}: ${describeOciFailure(err)}`);
        return finish("failed");
      }
      const firstIndex = result.listed;
      result.listed += page.objects.length;
      const seen = await findExportObjectEtags(deps.store.db, namespace, bucket, page.objects.map((o) => o.name));
      for (const [i, object] of page.objects.entries()) {
        if (seen.get(object.name)?.has(object.etag)) {
          result.skipped++;
          continue;
        }
        await importObject(deps, ctx, { namespace, bucket, object, tempFile: path.join(tempDir, "object"), index: firstIndex + i }, result);
      }
      let next: string | null;
      try {
        next = nextListingStart(start, page);
      } catch (err) {
        if (!(err instanceof ListingStalledError)) throw err;
        errors.push(`${exportObjectUri(namespace, bucket, prefix)}: listing stopped (pagination-stalled): ${err.message}; objects after it were not read`);
        return finish("stalled");
      }
      if (next === null) return finish("complete");
      start = next;
    }
  } finally {
    await rm(tempDir, { recursive: true, force: true });
  }
}

/**
 * Why a download cannot be trusted as the whole object, or null when it can: the bytes written
 * (`writtenBytes`) must equal GetObject's content-length (`contentLength`, null when OCI sent
 * none) and the size ListObjects gave (`listedBytes`). An object replaced between the listing and
 * the read also fails the listed-size check: it is read next run, when the listing shows its new size.
 */
export function downloadSizeMismatch(writtenBytes: number, contentLength: number | null, listedBytes: number): string | null {
  if (contentLength !== null && writtenBytes !== contentLength) {
    return `the download has ${writtenBytes} bytes but GetObject's content-length is ${contentLength} (listed size ${listedBytes})`;
  }
  if (writtenBytes !== listedBytes) {
    return `the download has ${writtenBytes} bytes but ListObjects listed ${listedBytes}` +
      `${contentLength !== null ? ` (content-length ${contentLength})` : " (no content-length)"}; the object is short or changed since it was listed`;
  }
  return null;
}

interface ObjectTarget {
  namespace: string;
  bucket: string;
  object: OciObjectSummary;
  tempFile: string;
  index: number;
}

async function importObject(deps: IngestDeps, ctx: FileImportContext, target: ObjectTarget, result: ExportBucketResult): Promise<void> {
  const { namespace, bucket, object, tempFile } = target;
  const uri = exportObjectUri(namespace, bucket, object.name);
  let etag: string;
  const notRead = async (why: string): Promise<void> => {
    result.failed++;
    ctx.errors.push(`${uri}: not read, tried again next run: ${why}`);
    ctx.logger.warn({ object: uri, error: why }, "export object not read");
    await rm(tempFile, { force: true });
  };
  try {
    const got = await deps.ports.objectStorage.getObject(namespace, bucket, object.name);
    // The etag of the bytes actually read: the object may have changed since it was listed.
    etag = got.etag || object.etag;
    await pipeline(got.body as Readable, createWriteStream(tempFile));
    // A short body that ended cleanly is no error to the stream: recording it would lose the rest for good.
    const short = downloadSizeMismatch((await stat(tempFile)).size, got.sizeBytes, object.sizeBytes);
    if (short !== null) return await notRead(short);
  } catch (err) {
    return await notRead(err instanceof OciCallError ? describeOciFailure(err) : `the download broke off (${(err as Error).message})`);
  }
  try {
    const record = (r: ImportFileResult, importedAt: string) => ({
      namespace, bucket, objectName: object.name, etag, sizeBytes: r.sizeBytes, timeModified: object.timeModified,
      importRunId: deps.importRunId, status: r.status, error: r.error, importedAt,
    });
    const fileResult = await importAuditFile(
      {
        ...ctx,
        openInput: (name) => openLocalCopy(tempFile, name),
        // The object's record commits with its events: a crash leaves both or neither (DESIGN §4).
        onCommit: (db, r) => insertExportObject(db, record(r, deps.now())),
      },
      { path: uri, fileIndex: target.index, fileCount: result.listed },
    );
    if (fileResult.status === "rejected") {
      // Nothing of it was stored; the record keeps it from being read again until its etag changes.
      await insertExportObject(deps.store.db, record(fileResult, deps.now()));
      result.rejected++;
      return;
    }
    result.imported++;
    result.eventsRead += fileResult.read;
    result.eventsStored += fileResult.stored;
    result.duplicates += fileResult.duplicates;
    result.conflicts += fileResult.conflicts;
    result.recordsRejected += fileResult.rejected;
  } finally {
    await rm(tempFile, { force: true });
  }
}

/**
 * {@link openInputFile} on the local copy, presented under the object's name: messages about it
 * (unreadable, truncated gzip) name `oci://...`, never the temp file.
 */
async function openLocalCopy(localPath: string, name: string): Promise<InputFile> {
  const rename = (err: unknown): unknown =>
    err instanceof InputRejectedError && err.message.startsWith(`${localPath}:`)
      ? new InputRejectedError(`${name}${err.message.slice(localPath.length)}`, err.details)
      : err;
  let file: InputFile;
  try {
    file = await openInputFile(localPath);
  } catch (err) {
    throw rename(err);
  }
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      yield* file.chunks;
    } catch (err) {
      throw rename(err);
    }
  }
  return { ...file, path: name, chunks: chunks() };
}

function describeOciFailure(err: OciCallError): string {
  return `${err.message} (${err.reason}${err.opcRequestId ? `, opc-request-id ${err.opcRequestId}` : ""}, ${err.attempts} ${err.attempts === 1 ? "attempt" : "attempts"})`;
}
