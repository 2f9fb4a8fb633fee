/**
 * Opens the store: SQLite through better-sqlite3 by default, PostgreSQL when the location is a
 * `postgres://` URL (DESIGN §4). SQLite runs in WAL mode with a busy timeout, and every kysely
 * transaction starts with BEGIN IMMEDIATE so two writers queue instead of failing with BUSY
 * half-way (cases.md B26).
 */
import { accessSync, constants, mkdirSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import SQLite from "better-sqlite3";
import {
  CompiledQuery,
  Kysely,
  PostgresDialect,
  SqliteDialect,
  SqliteDriver,
  type DatabaseConnection,
  type Driver,
} from "kysely";
import pg from "pg";
import { AppError } from "../app/errors.js";
import type { Database } from "./schema.js";

/** Busy timeout for SQLite writers, in ms (B26 asks for at least 5 s). */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

export interface Store {
  db: Kysely<Database>;
  dialect: "sqlite" | "postgres";
  /** The raw better-sqlite3 handle, for bulk inserts through one prepared statement (DESIGN §4). */
  sqlite: SQLite.Database | null;
  /** Where the store is, safe to show: the SQLite path, or `host:port` of PostgreSQL (never credentials). */
  where: string;
  close(): Promise<void>;
}

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw("begin immediate"));
  }
}

class ImmediateSqliteDialect extends SqliteDialect {
  constructor(private readonly cfg: ConstructorParameters<typeof SqliteDialect>[0]) {
    super(cfg);
  }
  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.cfg);
  }
}

/** `host:port` of a PostgreSQL URL, without user, password or database (DESIGN §7). */
function postgresHostPort(location: string): string {
  try {
    const url = new URL(location);
    return `${url.hostname || "localhost"}:${url.port || "5432"}`;
  } catch {
    return "an unparsable URL";
  }
}

function cannotCreate(location: string, folder: string): AppError {
  return new AppError("VALIDATION", `database: cannot create ${location}: ${folder} is not a writable folder`);
}

/**
 * Creates the folder that will hold the SQLite file at `location`, one level at a time, after
 * checking that its first existing ancestor is a writable folder. Not `mkdirSync(recursive)`:
 * on Node 20 that spins forever at 100% CPU under /proc, and a file in the path gives an
 * ENOTDIR that reads like an internal error. Throws AppError VALIDATION naming the folder.
 */
function ensureSqliteFolder(location: string): void {
  const folder = resolve(dirname(location));
  const missing: string[] = [];
  let ancestor = folder;
  for (;;) {
    let isDirectory: boolean;
    try {
      isDirectory = statSync(ancestor).isDirectory();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      // ENOTDIR: a file further up; walking on finds it and reports it below.
      if ((code !== "ENOENT" && code !== "ENOTDIR") || dirname(ancestor) === ancestor) throw cannotCreate(location, ancestor);
      missing.unshift(ancestor);
      ancestor = dirname(ancestor);
      continue;
    }
    if (!isDirectory) throw cannotCreate(location, ancestor);
    break;
  }
  const needWrite = missing.length > 0 ? ancestor : folder;
  try {
    accessSync(needWrite, constants.W_OK | constants.X_OK);
  } catch {
    throw cannotCreate(location, needWrite);
  }
  let parent = ancestor;
  for (const dir of missing) {
    try {
      mkdirSync(dir);
    } catch (err) {
      // Root passes the access check on /proc, whose mkdir then fails with ENOENT.
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw cannotCreate(location, parent);
    }
    parent = dir;
  }
}

/**
 * Opens (and creates, for SQLite) the store at `location`: a file path, `:memory:`, or a
 * `postgres://` / `postgresql://` URL. Does not migrate; call `migrateToLatest` for that.
 * Throws AppError VALIDATION when the SQLite file's folder cannot be created or written.
 * PostgreSQL connects lazily: call {@link checkStoreReachable} to fail early with a clear message.
 */
export function createDb(location: string): Store {
  if (/^postgres(ql)?:\/\//.test(location)) {
    // int8 (COUNT, bigint columns) as a JS number: our counts and sizes stay below 2^53.
    pg.types.setTypeParser(20, (v) => Number(v));
    const pool = new pg.Pool({ connectionString: location, max: 5, connectionTimeoutMillis: 15_000 });
    // node-postgres emits 'error' on the pool when an IDLE client's connection dies (server restart,
    // pg_terminate_backend, a dropped database); unhandled, that event kills the process. The dead
    // client is already removed from the pool and the next query opens a new connection, so the
    // event carries nothing to act on; errors of active queries still reach their callers.
    pool.on("error", () => undefined);
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: "postgres", sqlite: null, where: postgresHostPort(location), close: () => db.destroy() };
  }
  if (location !== ":memory:") ensureSqliteFolder(location);
  let sqlite: SQLite.Database;
  try {
    sqlite = new SQLite(location, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === "SQLITE_CANTOPEN" || code === "SQLITE_READONLY") throw cannotCreate(location, dirname(resolve(location)));
    throw err;
  }
  // 16 KiB pages for a new file (audit rows are ~3 KB: fewer overflow pages; DESIGN §4 measured
  // ~1.7x the insert rate). Only takes effect before the first table exists, so existing stores keep theirs.
  sqlite.pragma("page_size = 16384");
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  // 64 MiB page cache (the default is 2 MiB): bulk imports and their COMMITs were I/O-bound without it (DESIGN §4).
  sqlite.pragma("cache_size = -65536");
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  return { db, dialect: "sqlite", sqlite, where: location, close: () => db.destroy() };
}

// Connection failures that mean "nothing answers there", as opposed to a refused login or a bug.
const UNREACHABLE_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ECONNRESET"]);

function errorCode(err: unknown): string | undefined {
  const e = err as { code?: unknown; errors?: unknown[] };
  if (typeof e?.code === "string") return e.code;
  // Node's AggregateError (both IPv4 and IPv6 refused) carries the codes in `errors`.
  const inner = Array.isArray(e?.errors) ? e.errors.map(errorCode).find((c) => c !== undefined) : undefined;
  return inner;
}

/**
 * Runs one trivial query so that an unreachable PostgreSQL fails at start with
 * AppError PRECONDITION_FAILED `database: cannot connect to PostgreSQL at host:port (ECONNREFUSED)`
 * instead of deep inside the first use case. The message never holds the URL's user or password.
 * Other errors (a refused login, a missing database) are rethrown as they are. SQLite: no-op.
 */
export async function checkStoreReachable(store: Store): Promise<void> {
  if (store.dialect !== "postgres") return;
  try {
    await store.db.executeQuery(CompiledQuery.raw("select 1"));
  } catch (err) {
    const code = errorCode(err);
    if (code !== undefined && UNREACHABLE_CODES.has(code)) {
      throw new AppError("PRECONDITION_FAILED", `database: cannot connect to PostgreSQL at ${store.where} (${code})`);
    }
    throw err;
  }
}
