// Frozen migration: never edit after it has shipped, never import from src/.
import { PostgresAdapter, type ColumnDefinitionBuilder, type Kysely } from "kysely";

// SQLite: INTEGER PRIMARY KEY AUTOINCREMENT (never reuses ids, so seq is strictly increasing);
// PostgreSQL: an identity column.
function identity(db: Kysely<any>) {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  return (c: ColumnDefinitionBuilder) =>
    pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("import_run")
    .addColumn("id", "integer", identity(db))
    .addColumn("source", "text", (c) => c.notNull())
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("files_total", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("files_rejected", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("records_read", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("records_stored", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("duplicates", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("conflicts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("rejected", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("errors_json", "text", (c) => c.notNull().defaultTo("[]"))
    .execute();

  await db.schema
    .createTable("import_file")
    .addColumn("id", "integer", identity(db))
    .addColumn("import_run_id", "integer", (c) => c.notNull().references("import_run.id"))
    .addColumn("path", "text", (c) => c.notNull())
    .addColumn("size_bytes", "bigint", (c) => c.notNull())
    .addColumn("sha256", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("records_read", "integer", (c) => c.notNull())
    .addColumn("records_stored", "integer", (c) => c.notNull())
    .addColumn("duplicates", "integer", (c) => c.notNull())
    .addColumn("conflicts", "integer", (c) => c.notNull())
    .addColumn("rejected", "integer", (c) => c.notNull())
    .addColumn("error", "text")
    .addColumn("finished_at", "text", (c) => c.notNull())
    .execute();

  await db.schema
    .createTable("audit_event")
    .addColumn("seq", "integer", identity(db))
    .addColumn("event_id", "text", (c) => c.notNull())
    .addColumn("content_sha256", "text", (c) => c.notNull())
    .addColumn("chain_sha256", "text", (c) => c.notNull())
    .addColumn("event_time", "text", (c) => c.notNull())
    .addColumn("ingested_time", "text")
    .addColumn("event_type", "text", (c) => c.notNull())
    .addColumn("event_name", "text", (c) => c.notNull())
    .addColumn("source", "text")
    .addColumn("envelope", "text", (c) => c.notNull())
    .addColumn("compartment_id", "text")
    .addColumn("compartment_name", "text")
    .addColumn("resource_id", "text")
    .addColumn("resource_name", "text")
    .addColumn("principal_id", "text")
    .addColumn("principal_name", "text")
    .addColumn("auth_type", "text")
    .addColumn("request_id", "text")
    .addColumn("request_action", "text")
    .addColumn("request_path", "text")
    .addColumn("response_status", "text")
    .addColumn("event_grouping_id", "text")
    .addColumn("tenant_id", "text")
    .addColumn("region_id", "text")
    .addColumn("conflict_of_seq", "integer")
    .addColumn("import_run_id", "integer", (c) => c.notNull().references("import_run.id"))
    .addColumn("stored_at", "text", (c) => c.notNull())
    .addColumn("raw_json", "text", (c) => c.notNull())
    // Same id + same content = the same record: stored once (INSERT ... ON CONFLICT DO NOTHING).
    .addUniqueConstraint("audit_event_identity", ["event_id", "content_sha256"])
    .execute();

  // DESIGN §4: "last rotation per key" needs a covering (event_name, resource_id, event_time) index.
  await db.schema
    .createIndex("audit_event_name_resource_time")
    .on("audit_event")
    .columns(["event_name", "resource_id", "event_time"])
    .execute();
  await db.schema.createIndex("audit_event_time").on("audit_event").column("event_time").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("audit_event").execute();
  await db.schema.dropTable("import_file").execute();
  await db.schema.dropTable("import_run").execute();
}
