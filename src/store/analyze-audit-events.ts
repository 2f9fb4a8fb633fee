/**
 * Refreshes planner statistics after a bulk load (DESIGN §4: without ANALYZE SQLite picked the
 * wrong index, 20 ms per lookup instead of 0.06 ms).
 */
import { sql } from "kysely";
import type { Store } from "./create-db.js";

/** ANALYZE the audit tables. SQLite samples at most 1000 rows per index, so it stays fast on big stores. */
export async function analyzeAuditEvents(store: Store): Promise<void> {
  if (store.sqlite) {
    store.sqlite.exec("PRAGMA analysis_limit = 1000; ANALYZE audit_event; ANALYZE import_run; ANALYZE import_file;");
    return;
  }
  await sql`analyze audit_event, import_run, import_file`.execute(store.db);
}
