/**
 * PostgreSQL side of {@link withAuditEventWriter}: events are buffered and written in chunks of at
 * most floor(32766 / columns) rows per INSERT (cases.md B29), each chunk preceded by one lookup of
 * its ids. Memory stays bounded by one chunk. Runs inside the caller's kysely transaction.
 */
import { sql, type Kysely } from "kysely";
import {
  AUDIT_EVENT_INSERT_COLUMNS,
  assertCanonicalInstant,
  isSameEventOtherEnvelope,
  nextChainSha256,
  SAME_EVENT_COLUMNS,
  toAuditEventRow,
  type AuditEventInsertRow,
  type AuditEventWriteContext,
} from "./audit-event-row.js";
import type { AuditEventWriteCounts, AuditEventWriter } from "./audit-event-writer.js";
import type { Database } from "./schema.js";

/** Bind-parameter budget per statement (the SQLite limit, kept for both dialects). */
export const MAX_BIND_PARAMETERS = 32_766;

/** Rows per multi-row INSERT: floor(32766 / 27 columns) = 1213. */
export const ROWS_PER_INSERT = Math.floor(MAX_BIND_PARAMETERS / AUDIT_EVENT_INSERT_COLUMNS.length);

type EventCore = Pick<AuditEventInsertRow, "envelope" | (typeof SAME_EVENT_COLUMNS)[number]>;

/** What the chunk knows about one event id: the first stored seq (null while only pending), its contents and rows. */
interface IdState {
  firstSeq: number | null;
  contents: Set<string>;
  rows: EventCore[];
}

/** A writer bound to transaction `trx`; locks audit_event against other writers and reads the chain head. */
export async function openPostgresAuditEventWriter(trx: Kysely<Database>, ctx: AuditEventWriteContext): Promise<AuditEventWriter> {
  assertCanonicalInstant(ctx.storedAt, "audit_event.stored_at");
  // Serialises chain writers (ours and any other) for the rest of the transaction; readers go on.
  await sql`lock table audit_event in share row exclusive mode`.execute(trx);
  const last = await trx.selectFrom("audit_event").select("chain_sha256").orderBy("seq", "desc").limit(1).executeTakeFirst();
  let chain = last?.chain_sha256 ?? "";
  const counts: AuditEventWriteCounts = { stored: 0, duplicates: 0, conflicts: 0 };
  // Rows, not events: a buffered row holds no parsed record (memory stays at one chunk of text).
  let buffer: AuditEventInsertRow[] = [];

  async function insertRows(rows: AuditEventInsertRow[], ids: Map<string, IdState>): Promise<void> {
    if (rows.length === 0) return;
    const inserted = await trx
      .insertInto("audit_event")
      .values(rows)
      .onConflict((oc) => oc.columns(["event_id", "content_sha256"]).doNothing())
      .returning(["seq", "event_id"])
      .execute();
    // The chain was computed for exactly these rows; anything else means another writer got in.
    if (inserted.length !== rows.length) {
      throw new Error(`audit_event insert stored ${inserted.length} of ${rows.length} rows; the hash chain would break`);
    }
    for (const r of inserted) {
      const state = ids.get(r.event_id);
      if (state && state.firstSeq === null) state.firstSeq = r.seq;
    }
  }

  async function writeChunk(rows: AuditEventInsertRow[]): Promise<void> {
    const ids = new Map<string, IdState>();
    const distinct = [...new Set(rows.map((r) => r.event_id))];
    const existing = await trx
      .selectFrom("audit_event")
      .select(["event_id", "content_sha256", "seq", "envelope", ...SAME_EVENT_COLUMNS])
      .where("event_id", "in", distinct)
      .execute();
    for (const r of existing) {
      const state = ids.get(r.event_id) ?? { firstSeq: r.seq, contents: new Set<string>(), rows: [] };
      state.firstSeq = Math.min(state.firstSeq ?? r.seq, r.seq);
      state.contents.add(r.content_sha256);
      state.rows.push(r);
      ids.set(r.event_id, state);
    }

    let pending: AuditEventInsertRow[] = [];
    for (const row of rows) {
      let state = ids.get(row.event_id);
      if (state?.contents.has(row.content_sha256) || state?.rows.some((r) => isSameEventOtherEnvelope(r, row))) {
        counts.duplicates++;
        continue;
      }
      if (state && state.firstSeq === null) {
        // A conflict with a row of this chunk not yet inserted: insert it first to learn its seq.
        await insertRows(pending, ids);
        pending = [];
      }
      const conflictOf = state?.firstSeq ?? null;
      chain = nextChainSha256(chain, row.content_sha256, row.raw_json);
      pending.push({ ...row, chain_sha256: chain, conflict_of_seq: conflictOf });
      if (!state) {
        state = { firstSeq: null, contents: new Set(), rows: [] };
        ids.set(row.event_id, state);
      }
      state.contents.add(row.content_sha256);
      state.rows.push(row);
      counts.stored++;
      if (conflictOf !== null) counts.conflicts++;
    }
    await insertRows(pending, ids);
  }

  return {
    counts,
    async write(events) {
      for (const event of events) {
        // chain_sha256 and conflict_of_seq are filled in when the chunk is written.
        buffer.push(toAuditEventRow(event, ctx, "", null));
        if (buffer.length >= ROWS_PER_INSERT) {
          const chunk = buffer;
          buffer = [];
          await writeChunk(chunk);
        }
      }
    },
    async flush() {
      if (buffer.length === 0) return;
      const chunk = buffer;
      buffer = [];
      await writeChunk(chunk);
    },
  };
}
