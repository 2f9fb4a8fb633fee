/**
 * A migrated store per test, on SQLite (a real file in a fresh temp dir) or on PostgreSQL (a fresh
 * database created through KEYPROOF_TEST_POSTGRES_URL, default postgres://postgres@127.0.0.1:5432/test,
 * dropped afterwards). The same store tests run on both (STYLE §14).
 *
 * Why a database and not a schema per test: kysely's Migrator looks for its own tables in every
 * schema it can see, so a second schema in the same database (another test, another worker)
 * makes `migrateToLatest` skip creating them and then fail. A database per test is as cheap
 * (~30 ms) and fully isolated.
 *
 * Set KEYPROOF_TEST_POSTGRES=off to run the SQLite half only (PostgreSQL is otherwise required).
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterEach, beforeEach } from "vitest";
import { createDb, type Store } from "../../src/store/create-db.js";
import { migrateToLatest } from "../../src/store/migrate.js";

export type TestDialect = "sqlite" | "postgres";

export const TEST_POSTGRES_URL = process.env.KEYPROOF_TEST_POSTGRES_URL ?? "postgres://postgres@127.0.0.1:5432/test";

/** The dialects store tests run on. */
export const TEST_DIALECTS: readonly TestDialect[] = process.env.KEYPROOF_TEST_POSTGRES === "off" ? ["sqlite"] : ["sqlite", "postgres"];

export interface TestStore {
  store: Store;
  dialect: TestDialect;
  /** A fresh temp dir for this test (holds the SQLite file; use it for input files too). */
  dir: string;
  /** Closes the store and removes the database and the temp dir. */
  cleanup(): Promise<void>;
}

async function withAdmin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: TEST_POSTGRES_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Creates a migrated store on `dialect` with its own temp dir; leaves nothing behind if that fails. */
export async function createTestStore(dialect: TestDialect = "sqlite"): Promise<TestStore> {
  const dir = await mkdtemp(path.join(tmpdir(), "keyproof-test-"));
  let store: Store | undefined;
  let database: string | undefined;
  const cleanup = async () => {
    await store?.close();
    if (database) await withAdmin((c) => c.query(`drop database if exists ${database} with (force)`));
    await rm(dir, { recursive: true, force: true });
  };
  try {
    if (dialect === "sqlite") {
      store = createDb(path.join(dir, "store.sqlite"));
    } else {
      database = `kp_test_${process.pid}_${randomBytes(4).toString("hex")}`;
      await withAdmin((c) => c.query(`create database ${database}`));
      const url = new URL(TEST_POSTGRES_URL);
      url.pathname = `/${database}`;
      store = createDb(url.toString());
    }
    await migrateToLatest(store.db);
  } catch (err) {
    await cleanup().catch(() => {});
    throw err;
  }
  return { store, dialect, dir, cleanup };
}

/**
 * Registers beforeEach/afterEach hooks giving every test of the current suite a fresh store;
 * call the returned function inside a test to get it.
 */
export function useTestStore(dialect: TestDialect = "sqlite"): () => TestStore {
  let current: TestStore | undefined;
  beforeEach(async () => {
    current = await createTestStore(dialect);
  });
  afterEach(async () => {
    await current?.cleanup();
    current = undefined;
  });
  return () => {
    if (!current) throw new Error("useTestStore: no store outside a test");
    return current;
  };
}
