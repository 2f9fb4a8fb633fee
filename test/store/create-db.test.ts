import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AppError } from "../../src/app/errors.js";
import { checkStoreReachable, createDb } from "../../src/store/create-db.js";
import { REPO_ROOT } from "../helpers/run-cli.js";
import { TEST_DIALECTS, TEST_POSTGRES_URL } from "../helpers/db.js";

/** What createDb(location) does in a child process: a hang (Node 20's recursive mkdir under /proc) is killed after 15 s. */
function createDbInChild(location: string): { timedOut: boolean; output: string } {
  const script = `
    import { createDb } from ${JSON.stringify(path.join(REPO_ROOT, "src/store/create-db.ts"))};
    try { const s = createDb(${JSON.stringify(location)}); await s.close(); console.log("opened"); }
    catch (e) { console.log(JSON.stringify({ name: e.name, code: e.code, message: e.message })); }
  `;
  const r = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 15_000 });
  return { timedOut: r.error !== undefined && (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT", output: r.stdout.trim() };
}

function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error("expected a throw");
}

describe("createDb: the SQLite location", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "keyproof-create-db-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("fails at once with a VALIDATION error for a folder under /proc, instead of spinning in mkdir", () => {
    const { timedOut, output } = createDbInChild("/proc/nope/x.sqlite");
    expect(timedOut).toBe(false);
    expect(JSON.parse(output)).toEqual({
      name: "AppError",
      code: "VALIDATION",
      message: "database: cannot create /proc/nope/x.sqlite: /proc is not a writable folder",
    });
  });

  it("names the file that stands where a folder is needed, as a VALIDATION error (not ENOTDIR)", async () => {
    const file = path.join(dir, "notes.txt");
    await writeFile(file, "x");
    for (const location of [path.join(file, "x.sqlite"), path.join(file, "a", "b", "x.sqlite")]) {
      const err = thrown(() => createDb(location));
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: "VALIDATION", message: `database: cannot create ${location}: ${file} is not a writable folder` });
    }
  });

  it("creates missing folders for a good location and opens the file", async () => {
    const location = path.join(dir, "a", "b", "store.sqlite");
    const store = createDb(location);
    await store.close();
    expect(existsSync(location)).toBe(true);
    expect(store.where).toBe(location);
  });
});

describe("checkStoreReachable", () => {
  it("turns a refused PostgreSQL connection into PRECONDITION_FAILED naming host:port, never the password", async () => {
    const store = createDb("postgres://keyproof:Sup3rS3cretPw@127.0.0.1:1/keyproof");
    try {
      const err = await checkStoreReachable(store).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(AppError);
      expect(err).toMatchObject({ code: "PRECONDITION_FAILED", message: "database: cannot connect to PostgreSQL at 127.0.0.1:1 (ECONNREFUSED)" });
      expect(JSON.stringify(err) + String((err as Error).message)).not.toContain("Sup3rS3cretPw");
    } finally {
      await store.close();
    }
  });

  it("turns an unknown PostgreSQL host into PRECONDITION_FAILED", async () => {
    const store = createDb("postgres://keyproof:Sup3rS3cretPw@no-such-host.invalid:5433/keyproof");
    try {
      const err = await checkStoreReachable(store).catch((e: unknown) => e);
      expect(err).toMatchObject({ code: "PRECONDITION_FAILED" });
      expect((err as Error).message).toMatch(/^database: cannot connect to PostgreSQL at no-such-host\.invalid:5433 \((ENOTFOUND|EAI_AGAIN)\)$/);
    } finally {
      await store.close();
    }
  });

  it("passes for a reachable store", async () => {
    const locations = [":memory:", ...(TEST_DIALECTS.includes("postgres") ? [TEST_POSTGRES_URL] : [])];
    for (const location of locations) {
      const store = createDb(location);
      try {
        await expect(checkStoreReachable(store)).resolves.toBeUndefined();
      } finally {
        await store.close();
      }
    }
  });
});
