/**
 * Opens the store: SQLite through better-sqlite3 by default, PostgreSQL when the location is a
 * `postgres://` URL (DESIGN §4). SQLite runs in WAL mode with a busy timeout, and every kysely
 * transaction starts with BEGIN IMMEDIATE so two writers queue instead of failing with BUSY
 * half-way (cases.md B26).
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
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
import type { Database } from "./schema.js";

/** Busy timeout for SQLite writers, in ms (B26 asks for at least 5 s). */
export const SQLITE_BUSY_TIMEOUT_MS = 10_000;

export interface Store {
  db: Kysely<Database>;
  dialect: "sqlite" | "postgres";
  /** The raw better-sqlite3 handle, for bulk inserts through one prepared statement (DESIGN §4). */
  sqlite: SQLite.Database | null;
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

/**
 * Opens (and creates, for SQLite) the store at `location`: a file path, `:memory:`, or a
 * `postgres://` / `postgresql://` URL. Does not migrate; call `migrateToLatest` for that.
 */
export function createDb(location: string): Store {
  if (/^postgres(ql)?:\/\//.test(location)) {
    // int8 (COUNT, bigint columns) as a JS number: our counts and sizes stay below 2^53.
    pg.types.setTypeParser(20, (v) => Number(v));
    const pool = new pg.Pool({ connectionString: location, max: 5 });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, dialect: "postgres", sqlite: null, close: () => db.destroy() };
  }
  if (location !== ":memory:") mkdirSync(dirname(location), { recursive: true });
  const sqlite = new SQLite(location, { timeout: SQLITE_BUSY_TIMEOUT_MS });
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("foreign_keys = ON");
  const db = new Kysely<Database>({ dialect: new ImmediateSqliteDialect({ database: sqlite }) });
  return { db, dialect: "sqlite", sqlite, close: () => db.destroy() };
}
