/**
 * Queries for `export_object`: the objects of the Service Connector export bucket already read,
 * one row per (namespace, bucket, object name, etag). A changed object (same name, new etag) has no
 * row yet and is read again. Query functions take `db` first so they run inside the transaction
 * that stores the object's events (STYLE §6, §7).
 */
import type { Kysely } from "kysely";
import type { Database } from "./schema.js";

/** What became of one object version: its events committed, or the whole object rejected. */
export type ExportObjectStatus = "committed" | "rejected";

/** One object version read from the export bucket; instants are canonical ISO UTC. */
export interface ExportObjectRecord {
  namespace: string;
  bucket: string;
  objectName: string;
  etag: string;
  sizeBytes: number;
  /** Last modified as ListObjects answered it; null when OCI did not answer it. */
  timeModified: string | null;
  importRunId: number;
  status: ExportObjectStatus;
  /** Why it was rejected (names the object and what was expected); null when committed. */
  error: string | null;
  importedAt: string;
}

/**
 * The etags already recorded for each of `objectNames` in one bucket (both statuses: a rejected
 * version is not read again either). Names without a row are absent from the map.
 */
export async function findExportObjectEtags(
  db: Kysely<Database>,
  namespace: string,
  bucket: string,
  objectNames: readonly string[],
): Promise<Map<string, Set<string>>> {
  const seen = new Map<string, Set<string>>();
  if (objectNames.length === 0) return seen;
  const rows = await db
    .selectFrom("export_object")
    .select(["object_name", "etag"])
    .where("namespace", "=", namespace)
    .where("bucket", "=", bucket)
    .where("object_name", "in", [...objectNames])
    .execute();
  for (const r of rows) {
    const etags = seen.get(r.object_name) ?? new Set<string>();
    etags.add(r.etag);
    seen.set(r.object_name, etags);
  }
  return seen;
}

/**
 * Records one object version. A row already there for the same (namespace, bucket, name, etag) is
 * left as it is (two runs reading the same version: the first one's record stands).
 */
export async function insertExportObject(db: Kysely<Database>, record: ExportObjectRecord): Promise<void> {
  await db
    .insertInto("export_object")
    .values({
      namespace: record.namespace,
      bucket: record.bucket,
      object_name: record.objectName,
      etag: record.etag,
      size_bytes: record.sizeBytes,
      time_modified: record.timeModified,
      import_run_id: record.importRunId,
      status: record.status,
      error: record.error,
      imported_at: record.importedAt,
    })
    .onConflict((oc) => oc.columns(["namespace", "bucket", "object_name", "etag"]).doNothing())
    .execute();
}

/** Every recorded object version of one bucket, by object name then import time. */
export async function listExportObjects(db: Kysely<Database>, namespace: string, bucket: string): Promise<ExportObjectRecord[]> {
  const rows = await db
    .selectFrom("export_object")
    .selectAll()
    .where("namespace", "=", namespace)
    .where("bucket", "=", bucket)
    .orderBy("object_name")
    .orderBy("imported_at")
    .orderBy("etag")
    .execute();
  return rows.map((r) => ({
    namespace: r.namespace,
    bucket: r.bucket,
    objectName: r.object_name,
    etag: r.etag,
    // bigint: PostgreSQL answers text.
    sizeBytes: Number(r.size_bytes),
    timeModified: r.time_modified,
    importRunId: r.import_run_id,
    status: r.status as ExportObjectStatus,
    error: r.error,
    importedAt: r.imported_at,
  }));
}
