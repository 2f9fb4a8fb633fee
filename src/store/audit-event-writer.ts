/**
 * Appends audit events exactly once, inside one write transaction per batch of input
 * (one input file, or one ingestion window plus its checkpoint). Both dialects give the same rows:
 * - "content" is `contentSha256`, the hash of the UNWRAPPED audit record (see
 *   {@link NewAuditEvent.contentSha256}): the same event read bare and inside a Console/Search
 *   wrapper is one event; `raw_json` keeps the form that was stored first;
 * - same `event_id` and same content → not stored again, counted as a duplicate;
 * - same `event_id`, different content → stored as a new row with `conflict_of_seq` = seq of the
 *   first row with that id, counted as a conflict (and as stored);
 * - `chain_sha256` continues the chain from the last row, in seq order.
 * Rows are never updated or deleted.
 */
import type { Kysely } from "kysely";
import type { AuditEventWriteContext, NewAuditEvent } from "./audit-event-row.js";
import type { Store } from "./create-db.js";
import { openPostgresAuditEventWriter } from "./postgres-audit-event-writer.js";
import type { Database } from "./schema.js";
import { openSqliteAuditEventWriter } from "./sqlite-audit-event-writer.js";

export type { AuditEventWriteContext, NewAuditEvent } from "./audit-event-row.js";

export interface AuditEventWriteCounts {
  /** New rows (conflicts included). */
  stored: number;
  /** Records already stored with the same id and content. */
  duplicates: number;
  /** New rows whose id was already stored with different content. */
  conflicts: number;
}

export interface AuditEventWriter {
  /**
   * Appends `events` in order (may buffer; everything is written before the transaction commits).
   * Throws a TypeError for an instant that is not canonical ISO UTC text (nothing is then kept).
   */
  write(events: readonly NewAuditEvent[]): Promise<void>;
  /** Writes anything buffered. Called by {@link withAuditEventWriter} before commit. */
  flush(): Promise<void>;
  /** Totals so far in this transaction; call {@link flush} first for final numbers (PostgreSQL buffers one chunk). */
  readonly counts: Readonly<AuditEventWriteCounts>;
}

/** What the callback decides: commit (keep everything) or roll back, and the value to return. */
export interface WriteOutcome<T> {
  commit: boolean;
  value: T;
}

class Rollback<T> {
  constructor(readonly value: T) {}
}

/**
 * Opens one write transaction and runs `fn` with a writer and the `db` handle to use for any other
 * row that must commit with the events (an import_file row, a checkpoint).
 * SQLite: `BEGIN IMMEDIATE` on the raw better-sqlite3 handle and one reused prepared INSERT (DESIGN
 * §4); nothing else may use the connection meanwhile. PostgreSQL: a kysely transaction holding a
 * SHARE ROW EXCLUSIVE lock on audit_event (one chain writer at a time), chunked multi-row inserts
 * (cases.md B29). If `fn` throws, or returns `commit: false`, nothing is kept; errors are rethrown.
 */
export async function withAuditEventWriter<T>(
  store: Store,
  ctx: AuditEventWriteContext,
  fn: (writer: AuditEventWriter, db: Kysely<Database>) => Promise<WriteOutcome<T>>,
): Promise<T> {
  if (store.sqlite) {
    const sqlite = store.sqlite;
    sqlite.exec("BEGIN IMMEDIATE");
    try {
      const writer = openSqliteAuditEventWriter(sqlite, ctx);
      const outcome = await fn(writer, store.db);
      if (outcome.commit) {
        await writer.flush();
        sqlite.exec("COMMIT");
      } else {
        sqlite.exec("ROLLBACK");
      }
      return outcome.value;
    } catch (err) {
      if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
      throw err;
    }
  }

  try {
    return await store.db.transaction().execute(async (trx) => {
      const writer = await openPostgresAuditEventWriter(trx, ctx);
      const outcome = await fn(writer, trx);
      if (!outcome.commit) throw new Rollback(outcome.value);
      await writer.flush();
      return outcome.value;
    });
  } catch (err) {
    if (err instanceof Rollback) return err.value as T;
    throw err;
  }
}
