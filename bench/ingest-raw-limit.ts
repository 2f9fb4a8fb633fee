/**
 * The ingestion benchmark's raw limit (bench/ingest-bench.ts, issue 5): the least work any
 * ingestion of these records into the real `audit_event` table has to do, measured on the same
 * file, machine and store settings as the real paths. For every JSON Lines record of a (gzip)
 * export: split the line out of a Buffer, `JSON.parse` it, and run one reused better-sqlite3
 * prepared INSERT of the real columns, 10,000 rows per transaction (DESIGN §4 measured ~16.5k
 * rows/s on this machine kind). The table comes from the real migrations in a fresh file opened by
 * the real `createDb` (WAL, synchronous NORMAL), so indexes, constraints and pragmas are the real ones.
 *
 * Not done here, and so part of what the real paths spend above the limit: normalisation, the
 * RFC 8785 content hash, the hash chain, the duplicate/conflict lookup, progress and run records.
 * The two hash columns get fixed 64-hex placeholders (same size as a SHA-256).
 */
import { createReadStream } from "node:fs";
import { createGunzip } from "node:zlib";
import { AUDIT_EVENT_INSERT_COLUMNS, type AuditEventInsertRow } from "../src/store/audit-event-row.js";
import { createDb } from "../src/store/create-db.js";
import { insertImportRun } from "../src/store/import-runs.js";
import { migrateToLatest } from "../src/store/migrate.js";

/** Rows per transaction (the definition of the raw limit). */
export const RAW_ROWS_PER_TRANSACTION = 10_000;

const PLACEHOLDER_SHA256 = "0".repeat(64);
const STORED_AT = "2026-11-01T06:00:00.000Z";

export interface RawLimitResult {
  /** Records inserted. */
  events: number;
  /** Wall time of the whole pass (read + gunzip + split + parse + insert + commits), seconds. */
  seconds: number;
  /** CPU time (user + system) of the pass, seconds. */
  cpuSeconds: number;
  /** Part of `seconds` spent reading, gunzipping and splitting (measured by a separate read-only pass). */
  readSeconds: number;
}

/** Lines of `file` (gzip or plain JSON Lines) as Buffers, cut at newline bytes (DESIGN §4: not readline). */
async function* lines(file: string): AsyncGenerator<Buffer[]> {
  const raw = createReadStream(file, { highWaterMark: 1024 * 1024 });
  const input = file.endsWith(".gz") ? raw.pipe(createGunzip({ chunkSize: 256 * 1024 })) : raw;
  let tail: Buffer | null = null;
  for await (const chunk of input as AsyncIterable<Buffer>) {
    const buf: Buffer = tail ? Buffer.concat([tail, chunk]) : chunk;
    const out: Buffer[] = [];
    let pos = 0;
    for (let nl = buf.indexOf(0x0a); nl !== -1; nl = buf.indexOf(0x0a, pos)) {
      if (nl > pos) out.push(buf.subarray(pos, nl));
      pos = nl + 1;
    }
    tail = pos < buf.length ? buf.subarray(pos) : null;
    yield out;
  }
  if (tail && tail.length > 0) yield [tail];
}

type Parsed = {
  id: string;
  time: string;
  type: string;
  source?: string;
  oracle?: { ingestedtime?: string; tenantid?: string };
  data: Record<string, any>;
};

/** The row of one parsed CloudEvents 1.0 record: plain field reads, nothing computed. */
function rowOf(record: Parsed, text: string, importRunId: number): AuditEventInsertRow {
  const d = record.data;
  return {
    event_id: record.id,
    content_sha256: PLACEHOLDER_SHA256,
    chain_sha256: PLACEHOLDER_SHA256,
    event_time: record.time,
    ingested_time: record.oracle?.ingestedtime ?? null,
    event_type: record.type,
    event_name: d.eventName,
    source: record.source ?? null,
    envelope: "logging-cloudevents",
    compartment_id: d.compartmentId ?? null,
    compartment_name: d.compartmentName ?? null,
    resource_id: d.resourceId ?? null,
    resource_name: d.resourceName ?? null,
    principal_id: d.identity?.principalId ?? null,
    principal_name: d.identity?.principalName ?? null,
    auth_type: d.identity?.authType ?? null,
    request_id: d.request?.id ?? null,
    request_action: d.request?.action ?? null,
    request_path: d.request?.path ?? null,
    response_status: d.response?.status ?? null,
    event_grouping_id: d.eventGroupingId ?? null,
    tenant_id: record.oracle?.tenantid ?? null,
    region_id: null,
    conflict_of_seq: null,
    import_run_id: importRunId,
    stored_at: STORED_AT,
    raw_json: text,
  };
}

/** Reads and splits `file` without parsing or storing: the reading share of the raw pass, seconds. */
export async function measureReadOnly(file: string): Promise<{ lines: number; seconds: number }> {
  const t0 = performance.now();
  let n = 0;
  for await (const batch of lines(file)) n += batch.length;
  return { lines: n, seconds: (performance.now() - t0) / 1000 };
}

/**
 * Runs the raw pass of `file` (JSON Lines of CloudEvents 1.0 records, gzip when named `.gz`) into a
 * fresh SQLite store at `dbPath` (created and migrated here). Returns the counts and times.
 * @throws Error when a line is not JSON (the benchmark's own files always are).
 */
export async function measureRawLimit(file: string, dbPath: string): Promise<RawLimitResult> {
  const store = createDb(dbPath);
  try {
    await migrateToLatest(store.db);
    const importRunId = await insertImportRun(store.db, { source: "file", startedAt: STORED_AT, filesTotal: 1 });
    const sqlite = store.sqlite!;
    const insert = sqlite.prepare(`INSERT INTO audit_event (${AUDIT_EVENT_INSERT_COLUMNS.join(", ")}) VALUES (${AUDIT_EVENT_INSERT_COLUMNS.map(() => "?").join(", ")})`);
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    let events = 0;
    let inTransaction = 0;
    for await (const batch of lines(file)) {
      for (const buf of batch) {
        if (inTransaction === 0) sqlite.exec("BEGIN IMMEDIATE");
        const text = buf.toString("utf8");
        const row = rowOf(JSON.parse(text) as Parsed, text, importRunId);
        insert.run(...AUDIT_EVENT_INSERT_COLUMNS.map((c) => row[c]));
        events++;
        if (++inTransaction === RAW_ROWS_PER_TRANSACTION) {
          sqlite.exec("COMMIT");
          inTransaction = 0;
        }
      }
    }
    if (inTransaction > 0) sqlite.exec("COMMIT");
    const seconds = (performance.now() - t0) / 1000;
    const cpu = process.cpuUsage(cpu0);
    const read = await measureReadOnly(file);
    return { events, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, readSeconds: read.seconds };
  } finally {
    await store.close();
  }
}
