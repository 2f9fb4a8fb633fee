// Frozen migration: never edit after it has shipped, never import from src/.
// Rotation evidence and exactly-once bookkeeping (issue 4, DESIGN §7 "Exactly one new key version").
import { PostgresAdapter, type ColumnDefinitionBuilder, type Kysely } from "kysely";

function identity(db: Kysely<any>) {
  const pg = db.getExecutor().adapter instanceof PostgresAdapter;
  return (c: ColumnDefinitionBuilder) =>
    pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement();
}

export async function up(db: Kysely<any>): Promise<void> {
  // One run of `keyproof rotate` (CLI, scheduler or HTTP).
  await db.schema
    .createTable("rotation_run")
    .addColumn("id", "integer", identity(db))
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("trigger", "text", (c) => c.notNull())
    .addColumn("dry_run", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("holder", "text", (c) => c.notNull())
    .addColumn("key_filter", "text")
    .addColumn("summary_json", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("error", "text")
    .execute();

  // Every OCI call a run made for a key or resource, with its attempts and ids.
  await db.schema
    .createTable("rotation_step")
    .addColumn("id", "integer", identity(db))
    .addColumn("run_id", "integer", (c) => c.notNull().references("rotation_run.id"))
    .addColumn("key_id", "text", (c) => c.notNull())
    .addColumn("slot", "text")
    .addColumn("resource_id", "text")
    .addColumn("operation", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("attempts", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("opc_request_id", "text")
    .addColumn("work_request_id", "text")
    .addColumn("detail_json", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("error", "text")
    .addColumn("started_at", "text", (c) => c.notNull())
    .addColumn("finished_at", "text")
    .execute();
  await db.schema.createIndex("rotation_step_run").on("rotation_step").columns(["run_id", "id"]).execute();
  await db.schema.createIndex("rotation_step_key").on("rotation_step").columns(["key_id", "started_at"]).execute();

  // A lease per key: one process works on a key at a time; expires if its holder dies.
  await db.schema
    .createTable("rotation_lease")
    .addColumn("key_id", "text", (c) => c.primaryKey())
    .addColumn("holder", "text", (c) => c.notNull())
    .addColumn("run_id", "integer")
    .addColumn("acquired_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .execute();

  // The idempotency record of one due rotation (key + slot): created before the first OCI write,
  // it remembers the retry token and what the rotation produced, so a rerun resumes it.
  await db.schema
    .createTable("rotation_slot")
    .addColumn("key_id", "text", (c) => c.notNull())
    .addColumn("slot", "text", (c) => c.notNull())
    .addColumn("strategy", "text", (c) => c.notNull())
    .addColumn("retry_token", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("first_run_id", "integer", (c) => c.notNull())
    .addColumn("new_key_version_id", "text")
    .addColumn("successor_key_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("rotation_slot_pk", ["key_id", "slot"])
    .execute();

  // Per resource of a slot: re-keyed once, never twice.
  await db.schema
    .createTable("rotation_rekey")
    .addColumn("key_id", "text", (c) => c.notNull())
    .addColumn("slot", "text", (c) => c.notNull())
    .addColumn("resource_id", "text", (c) => c.notNull())
    .addColumn("resource_kind", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("work_request_id", "text")
    .addColumn("percent_complete", "integer")
    .addColumn("detail", "text")
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("rotation_rekey_pk", ["key_id", "slot", "resource_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ["rotation_rekey", "rotation_slot", "rotation_lease", "rotation_step", "rotation_run"]) {
    await db.schema.dropTable(table).execute();
  }
}
