import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ValidationError } from "../../src/app/errors.js";
import { expandInputPaths } from "../../src/ingest/expand-input-paths.js";

describe("expandInputPaths", () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "keyproof-paths-"));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("walks directories recursively in code-point order, skipping hidden entries, and keeps given files in order", async () => {
    await mkdir(path.join(dir, "d", "B"), { recursive: true });
    await mkdir(path.join(dir, "d", ".git"), { recursive: true });
    for (const f of ["d/b.json", "d/a.jsonl", "d/B/z.log.gz", "d/.hidden.json", "d/.git/x.json", "solo.json"]) {
      await writeFile(path.join(dir, f), "{}");
    }
    expect(await expandInputPaths([path.join(dir, "solo.json"), path.join(dir, "d")])).toEqual(
      ["solo.json", "d/B/z.log.gz", "d/a.jsonl", "d/b.json"].map((f) => path.join(dir, f)),
    );
  });

  it("reads each file once, even when reached twice or through a symlink loop", async () => {
    await mkdir(path.join(dir, "d"));
    await writeFile(path.join(dir, "d", "a.json"), "{}");
    await symlink(path.join(dir, "d"), path.join(dir, "d", "loop"));
    expect(await expandInputPaths([path.join(dir, "d"), path.join(dir, "d", "a.json")])).toEqual([path.join(dir, "d", "a.json")]);
  });

  it("rejects no paths, a missing path and a directory without files, naming each", async () => {
    await mkdir(path.join(dir, "empty", ".only-hidden"), { recursive: true });
    await expect(expandInputPaths([])).rejects.toBeInstanceOf(ValidationError);
    const error = (await expandInputPaths([path.join(dir, "empty"), path.join(dir, "missing.json")]).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.details).toEqual([
      `${path.join(dir, "empty")}: directory holds no files to import (hidden files are skipped)`,
      `${path.join(dir, "missing.json")}: no such file or directory`,
    ]);
  });
});
