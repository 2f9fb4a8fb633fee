// Frozen migration: never edit after it has shipped, never import from src/.
// Ingestion from OCI (issue 5, DESIGN §4): checkpoints, the coverage ledger, export-bucket objects,
// append-only state snapshots (content-addressed bodies) and archive-mirror uploads.
import { PostgresAdapter, type ColumnDefinitionBuilder, type Kysely } from "kysely";

function identity(db: Kysely<any>) {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  return (c: ColumnDefinitionBuilder) =>
    pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
}

export async function up(db: Kysely<any>): Promise<void> {
  // Where each (source, region, scope) has been collected up to: the end (exclusive) of the last
  // committed window, written in the same transaction as that window's events.
  await db.schema
    .createTable("ingest_checkpoint")
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("region", "text", (c) => c.notNull())
    .addColumn("scope_id", "text", (c) => c.notNull())
    .addColumn("collected_to", "text", (c) => c.notNull())
    .addColumn("window_ms", "bigint", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("ingest_checkpoint_pk", ["source", "region", "scope_id"])
    .execute();

  // The coverage ledger: one row per window attempted, collected or failed (with the reason).
  // Minutes with no collected row are "not collected".
  await db.schema
    .createTable("coverage_window")
    .addColumn("id", "integer", identity(db))
    .addColumn("import_run_id", "integer", (c) => c.notNull().references("import_run.id"))
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("region", "text", (c) => c.notNull())
    .addColumn("scope_id", "text", (c) => c.notNull())
    .addColumn("window_start", "text", (c) => c.notNull())
    .addColumn("window_end", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("reason", "text")
    .addColumn("detail", "text")
    .addColumn("pages", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("events_read", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("events_stored", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("duplicates", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("opc_request_id", "text")
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex("coverage_window_scope_start")
    .on("coverage_window")
    .columns(["source", "region", "scope_id", "window_start"])
    .execute();
  await db.schema.createIndex("coverage_window_start").on("coverage_window").columns(["window_start", "window_end"]).execute();

  // Objects of the export bucket already imported (name + etag): a changed object is imported again.
  await db.schema
    .createTable("export_object")
    .addColumn("namespace", "text", (c) => c.notNull())
    .addColumn("bucket", "text", (c) => c.notNull())
    .addColumn("object_name", "text", (c) => c.notNull())
    .addColumn("etag", "text", (c) => c.notNull())
    .addColumn("size_bytes", "bigint", (c) => c.notNull())
    .addColumn("time_modified", "text")
    .addColumn("import_run_id", "integer", (c) => c.notNull().references("import_run.id"))
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("error", "text")
    .addColumn("imported_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("export_object_pk", ["namespace", "bucket", "object_name", "etag"])
    .execute();

  // One snapshot of OCI state (vaults, keys, versions, resources, backups, retention settings).
  await db.schema
    .createTable("snapshot_run")
    .addColumn("id", "integer", identity(db))
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("observed_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("region", "text", (c) => c.notNull())
    .addColumn("scope_json", "text", (c) => c.notNull())
    .addColumn("counts_json", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("errors_json", "text", (c) => c.notNull().defaultTo("[]"))
    .execute();
  await db.schema.createIndex("snapshot_run_observed").on("snapshot_run").column("observed_at").execute();

  // What one snapshot saw of one OCI object; the body lives once per content in snapshot_body.
  await db.schema
    .createTable("snapshot_item")
    .addColumn("id", "integer", identity(db))
    .addColumn("snapshot_run_id", "integer", (c) => c.notNull().references("snapshot_run.id"))
    .addColumn("observed_at", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("ocid", "text", (c) => c.notNull())
    .addColumn("parent_id", "text")
    .addColumn("compartment_id", "text")
    .addColumn("lifecycle_state", "text")
    .addColumn("body_sha256", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("snapshot_item_run").on("snapshot_item").columns(["snapshot_run_id", "kind"]).execute();
  await db.schema.createIndex("snapshot_item_ocid").on("snapshot_item").columns(["ocid", "observed_at"]).execute();

  await db.schema
    .createTable("snapshot_body")
    .addColumn("sha256", "text", (c) => c.primaryKey())
    .addColumn("body_json", "text", (c) => c.notNull())
    .execute();

  // Monthly archives written to the mirror bucket.
  await db.schema
    .createTable("archive_upload")
    .addColumn("id", "integer", identity(db))
    .addColumn("month", "text", (c) => c.notNull())
    .addColumn("namespace", "text", (c) => c.notNull())
    .addColumn("bucket", "text", (c) => c.notNull())
    .addColumn("object_name", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("size_bytes", "bigint", (c) => c.notNull())
    .addColumn("events", "integer", (c) => c.notNull())
    .addColumn("max_seq", "integer", (c) => c.notNull())
    .addColumn("etag", "text")
    .addColumn("opc_request_id", "text")
    .addColumn("uploaded_at", "text", (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("archive_upload").execute();
  await db.schema.dropTable("snapshot_body").execute();
  await db.schema.dropTable("snapshot_item").execute();
  await db.schema.dropTable("snapshot_run").execute();
  await db.schema.dropTable("export_object").execute();
  await db.schema.dropTable("coverage_window").execute();
  await db.schema.dropTable("ingest_checkpoint").execute();
}
