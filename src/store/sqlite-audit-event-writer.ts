/**
 * SQLite side of {@link withAuditEventWriter}: one reused better-sqlite3 prepared INSERT per record
 * (DESIGN §4: kysely's builder per row costs 18–35%). Runs inside the caller's BEGIN IMMEDIATE
 * transaction; nothing else may use the connection meanwhile.
 */
import type SQLite from "better-sqlite3";
import {
  AUDIT_EVENT_INSERT_COLUMNS,
  SAME_EVENT_COLUMNS,
  assertCanonicalInstant,
  nextChainSha256,
  toAuditEventRow,
  type AuditEventWriteContext,
  type NewAuditEvent,
} from "./audit-event-row.js";
import type { AuditEventWriteCounts, AuditEventWriter } from "./audit-event-writer.js";

// One statement per record: conflict_of_seq is looked up inside the INSERT, the unique
// (event_id, content_sha256) constraint turns a duplicate into a no-op (exactly once), the NOT
// EXISTS skips the same event already stored from another envelope (isSameEventOtherEnvelope), and
// the change count says which happened (0 = duplicate). Each lookup is an index probe on event_id.
// No RETURNING: reading a returned row per insert cost ~40% of the insert (bench/ingest-bench.ts
// profile); a new row's conflict_of_seq is read back by rowid instead.
const INSERT_SQL =
  `INSERT INTO audit_event (${AUDIT_EVENT_INSERT_COLUMNS.join(", ")}) SELECT ` +
  AUDIT_EVENT_INSERT_COLUMNS.map((c) => (c === "conflict_of_seq" ? "(SELECT min(seq) FROM audit_event WHERE event_id = ?)" : "?")).join(", ") +
  ` WHERE NOT EXISTS (SELECT 1 FROM audit_event WHERE event_id = ? AND envelope <> ? AND ` +
  SAME_EVENT_COLUMNS.map((c) => `${c} IS ?`).join(" AND ") +
  `) ON CONFLICT (event_id, content_sha256) DO NOTHING`;

const CONFLICT_OF_SQL = "SELECT conflict_of_seq FROM audit_event WHERE seq = ?";

const LAST_CHAIN_SQL = "SELECT chain_sha256 FROM audit_event ORDER BY seq DESC LIMIT 1";

/** A writer bound to an open transaction on `sqlite`; reads the chain head once. */
export function openSqliteAuditEventWriter(sqlite: SQLite.Database, ctx: AuditEventWriteContext): AuditEventWriter {
  assertCanonicalInstant(ctx.storedAt, "audit_event.stored_at");
  const insert = sqlite.prepare<unknown[]>(INSERT_SQL);
  const conflictOf = sqlite.prepare<[number | bigint], { conflict_of_seq: number | null }>(CONFLICT_OF_SQL);
  const last = sqlite.prepare<[], { chain_sha256: string }>(LAST_CHAIN_SQL).get();
  let chain = last?.chain_sha256 ?? "";
  const counts: AuditEventWriteCounts = { stored: 0, duplicates: 0, conflicts: 0 };

  function writeOne(event: NewAuditEvent): void {
    // The link this row gets if it is new; the chain only moves when the row is inserted.
    const nextChain = nextChainSha256(chain, event.contentSha256, event.rawJson);
    const row = toAuditEventRow(event, ctx, nextChain, null);
    const params = [
      ...AUDIT_EVENT_INSERT_COLUMNS.map((c) => (c === "conflict_of_seq" ? event.eventId : row[c])),
      row.event_id, row.envelope, ...SAME_EVENT_COLUMNS.map((c) => row[c]),
    ];
    const result = insert.run(...params);
    if (result.changes === 0) {
      counts.duplicates++;
      return;
    }
    chain = nextChain;
    counts.stored++;
    if (conflictOf.get(result.lastInsertRowid)?.conflict_of_seq != null) counts.conflicts++;
  }

  return {
    counts,
    async write(events) {
      for (const event of events) writeOne(event);
    },
    async flush() {},
  };
}
