/**
 * `keyproof rotate [--dry-run] [--json] [--key OCID]` as a user runs it: real argv parsing, the
 * ports built from config (KEYPROOF_OCI_ENDPOINT = the simulator), output and exit codes
 * (0 succeeded or skipped, 8 partial, 9 failed, 4 unknown key).
 */
import { describe, expect, it } from "vitest";
import { findRotationRuns } from "../../src/store/rotation-records.js";
import { SEED } from "./execute-harness.js";
import { inWorld } from "./rotate-world.js";

const WRITES = /^(Create|Update|Reencrypt|Delete|Schedule|Cancel|Enable|Disable)/;

describe.concurrent("keyproof rotate", () => {
  it("--dry-run prints the plan table, sends nothing to OCI and exits 0; --json prints it as JSON", () => inWorld(undefined, async (w) => {
    const table = await w.cli({}, ["--dry-run"]);
    expect(table.stderr).toBe("");
    expect(table.status).toBe(0);
    expect(table.stdout).toMatch(/backup-objects-key/);
    expect(table.stdout).toMatch(/backup-volumes-2026-04/);
    expect(table.stdout).toMatch(/^dry run: nothing was sent to OCI \(run 1\)$/m);
    const json = await w.cli({}, ["--dry-run", "--json"]);
    expect(json.status).toBe(0);
    const plan = JSON.parse(json.stdout) as { items: { keyId: string; action: string }[] };
    expect(plan.items.map((i) => [i.keyId, i.action]).sort()).toEqual([[SEED.bucketKeyId, "rotate"], [SEED.volumeKeyId, "rotate"]].sort());
    expect(w.sim.calls.filter((c) => WRITES.test(c.operation))).toEqual([]);
    expect((await findRotationRuns(w.store.store.db)).map((r) => [r.dryRun, r.status])).toEqual([[true, "skipped"], [true, "skipped"]]);
  }));

  it("prints one line per key and the summary, exits 0; the next run finds nothing due and exits 0", () => inWorld(undefined, async (w) => {
    const first = await w.cli();
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const lines = first.stdout.trimEnd().split("\n");
    expect(lines).toHaveLength(3);
    expect(lines.find((l) => l.includes("backup-objects-key"))).toMatch(/^ROTATED   backup-objects-key  key-version  version ocid1\.keyversion\.\S+  2\/2 re-keyed$/);
    expect(lines.find((l) => l.includes("backup-volumes-2026-04"))).toMatch(/^ROTATED   backup-volumes-2026-04  successor-key  successor ocid1\.key\.\S+  2\/2 re-keyed$/);
    expect(lines[2]).toMatch(/^run 1 succeeded: 2 rotated, 0 re-keyed, 0 partial, 0 failed, 0 not due, 0 skipped, 0 verified; re-keys 4 succeeded, 0 failed, 0 in progress, 0 not eligible; \d+ findings?$/);

    const second = await w.cli({}, ["--json"]);
    expect(second.status).toBe(0);
    const result = JSON.parse(second.stdout) as { runId: number; status: string; keys: { status: string }[] };
    expect(result).toMatchObject({ runId: 2, status: "skipped" });
    expect(result.keys.map((k) => k.status)).toEqual(["not-due", "not-due"]);
  }));

  it("exits 8 when the run is partial and names what failed", () => inWorld(undefined, async (w) => {
    w.sim.faults.set("ReencryptBucket", { kind: "internal-error" });
    const r = await w.cli({}, ["--key", SEED.bucketKeyId]);
    expect(r.status).toBe(8);
    expect(r.stdout).toMatch(/^PARTIAL   backup-objects-key  key-version  version \S+  0\/2 re-keyed, 2 failed \(bucket "app-backups": ReencryptBucket: 500 InternalServerError/m);
    expect(r.stdout).toMatch(/^run 1 partial: 0 rotated/m);
  }));

  it("exits 9 when every key failed", () => inWorld(undefined, async (w) => {
    w.sim.faults.set("CreateKeyVersion", { kind: "internal-error" });
    w.sim.faults.set("CreateKey", { kind: "internal-error" });
    const r = await w.cli();
    expect(r.status).toBe(9);
    expect(r.stdout).toMatch(/^FAILED    backup-objects-key  key-version  CreateKeyVersion: 500 InternalServerError/m);
    expect(r.stdout).toMatch(/^run 1 failed: 0 rotated, 0 re-keyed, 0 partial, 2 failed/m);
  }));

  it("exits 4 for a --key that is not in the plan, and 2 for a malformed one", () => inWorld(undefined, async (w) => {
    const unknown = await w.cli({}, ["--key", SEED.signingKeyId]);
    expect(unknown.status).toBe(4);
    expect(unknown.stderr).toContain(`key ${SEED.signingKeyId} is not in the rotation plan`);
    const malformed = await w.cli({}, ["--key", "my-key"]);
    expect(malformed.status).toBe(2);
    expect(malformed.stderr).toContain("keyId: expected a key OCID");
  }));
});
