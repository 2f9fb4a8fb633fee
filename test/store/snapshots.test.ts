import { afterEach, describe, expect, it } from "vitest";
import type { OciKey, OciKeyVersion, OciRetentionRule } from "../../src/oci/oci-ports.js";
import { canonicalJson, canonicalSha256 } from "../../src/store/canonical-json.js";
import {
  bucketRef,
  emptySnapshotCounts,
  findSnapshotAsOf,
  finishSnapshotRun,
  insertSnapshotItems,
  insertSnapshotRun,
  listSnapshotRuns,
  type SnapshotItem,
} from "../../src/store/snapshots.js";
import { createTestStore, TEST_DIALECTS, type TestStore } from "../helpers/db.js";

const TENANCY = "ocid1.tenancy.oc1..aaaaaaaatest";
const VAULT = "ocid1.vault.oc1.iad.v.aaaa";

function key(overrides: Partial<OciKey> = {}): OciKey {
  return {
    id: "ocid1.key.oc1.iad.v.k1", vaultId: VAULT, compartmentId: "ocid1.compartment.oc1..sec", displayName: "backup-key",
    lifecycleState: "ENABLED", protectionMode: "HSM", algorithm: "AES", length: 32, curveId: null,
    currentKeyVersionId: "ocid1.keyversion.oc1.iad.v.kv1", timeCreated: "2026-01-01T00:00:00.000Z", timeOfDeletion: null,
    isPrimary: true, isAutoRotationEnabled: false, autoRotation: null, freeformTags: { "backup-encryption": "enabled" }, definedTags: {},
    ...overrides,
  };
}

function version(id: string, timeCreated: string): OciKeyVersion {
  return { id, keyId: "ocid1.key.oc1.iad.v.k1", vaultId: VAULT, lifecycleState: "ENABLED", timeCreated, timeOfDeletion: null, origin: "INTERNAL", isAutoRotated: false };
}

const RULE: OciRetentionRule = {
  id: "rule-1", displayName: "keep-7-years", duration: { timeAmount: 7, timeUnit: "YEARS" },
  timeRuleLocked: "2026-02-01T00:00:00.000Z", timeCreated: "2026-01-01T00:00:00.000Z", timeModified: null,
};

function items(k: OciKey, versions: OciKeyVersion[]): SnapshotItem[] {
  return [
    { kind: "key", ocid: k.id, parentId: VAULT, compartmentId: k.compartmentId, lifecycleState: k.lifecycleState, body: k },
    ...versions.map((v): SnapshotItem => ({ kind: "key-version", ocid: v.id, parentId: k.id, compartmentId: k.compartmentId, lifecycleState: v.lifecycleState, body: v })),
    { kind: "audit-configuration", ocid: TENANCY, parentId: null, compartmentId: TENANCY, lifecycleState: null, body: { retentionPeriodDays: 365 } },
    { kind: "retention-rule", ocid: RULE.id, parentId: bucketRef("ns", "db-backups"), compartmentId: null, lifecycleState: null, body: RULE },
  ];
}

/** A finished run observed at `observedAt` with `list` as items. */
async function snapshot(t: TestStore, observedAt: string, list: SnapshotItem[], status: "succeeded" | "partial" | "failed" = "succeeded") {
  const db = t.store.db;
  const runId = await insertSnapshotRun(db, { startedAt: observedAt, observedAt, region: "us-ashburn-1", scope: { tag: "backup-encryption=enabled" } });
  const written = await db.transaction().execute(async (trx) => {
    const w = await insertSnapshotItems(trx, runId, observedAt, list);
    const counts = emptySnapshotCounts();
    for (const i of list) counts[i.kind] += 1;
    await finishSnapshotRun(trx, runId, { finishedAt: observedAt.replace(/:00\.000Z$/, ":30.000Z"), status, counts, errors: status === "partial" ? ["ListVolumeBackups of compartment x: server-error"] : [] });
    return w;
  });
  return { runId, ...written };
}

describe.each(TEST_DIALECTS)("snapshot store (%s)", (dialect) => {
  let t: TestStore | undefined;
  afterEach(async () => {
    await t?.cleanup();
    t = undefined;
  });

  it("stores each body once under the SHA-256 of its RFC 8785 form; unchanged items add rows, not bodies", async () => {
    t = await createTestStore(dialect);
    const v1 = version("ocid1.keyversion.oc1.iad.v.kv1", "2026-01-01T00:00:00.000Z");
    const first = await snapshot(t, "2026-11-01T10:00:00.000Z", items(key(), [v1]));
    expect(first).toMatchObject({ items: 4, newBodies: 4 });
    const second = await snapshot(t, "2026-11-02T10:00:00.000Z", items(key(), [v1]));
    expect(second).toMatchObject({ items: 4, newBodies: 0 });
    // A rotation: one new version body and the key's changed body (its current version); the rest is shared.
    const v2 = version("ocid1.keyversion.oc1.iad.v.kv2", "2026-11-02T12:00:00.000Z");
    const third = await snapshot(t, "2026-11-03T10:00:00.000Z", items(key({ currentKeyVersionId: v2.id }), [v1, v2]));
    expect(third).toMatchObject({ items: 5, newBodies: 2 });

    const db = t.store.db;
    const bodies = await db.selectFrom("snapshot_body").selectAll().execute();
    expect(bodies).toHaveLength(6);
    const stored = bodies.find((b) => b.sha256 === canonicalSha256(RULE))!;
    expect(stored.body_json).toBe(canonicalJson(RULE));
    expect(await db.selectFrom("snapshot_item").select("id").execute()).toHaveLength(13);
  });

  it("findSnapshotAsOf: none before the first run, the run in force between runs, the latest after", async () => {
    t = await createTestStore(dialect);
    const v1 = version("ocid1.keyversion.oc1.iad.v.kv1", "2026-01-01T00:00:00.000Z");
    const v2 = version("ocid1.keyversion.oc1.iad.v.kv2", "2026-11-02T12:00:00.000Z");
    const a = await snapshot(t, "2026-11-01T10:00:00.000Z", items(key(), [v1]));
    const b = await snapshot(t, "2026-11-03T10:00:00.000Z", items(key({ currentKeyVersionId: v2.id }), [v1, v2]), "partial");
    const db = t.store.db;

    expect(await findSnapshotAsOf(db, "2026-11-01T09:59:59.999Z")).toBeNull();
    const atA = await findSnapshotAsOf(db, "2026-11-01T10:00:00.000Z");
    expect(atA?.run).toMatchObject({ id: a.runId, observedAt: "2026-11-01T10:00:00.000Z", finishedAt: "2026-11-01T10:00:30.000Z", status: "succeeded", region: "us-ashburn-1", errors: [] });
    expect(atA?.run.counts).toEqual({ ...emptySnapshotCounts(), key: 1, "key-version": 1, "audit-configuration": 1, "retention-rule": 1 });
    expect(atA?.run.scope).toEqual({ tag: "backup-encryption=enabled" });

    const between = await findSnapshotAsOf(db, "2026-11-02T23:00:00+00:00");
    expect(between?.run.id).toBe(a.runId);
    expect(between?.items.key.map((k) => k.body.currentKeyVersionId)).toEqual([v1.id]);
    expect(between?.items["key-version"].map((k) => k.ocid)).toEqual([v1.id]);

    const after = await findSnapshotAsOf(db, "2027-01-01T00:00:00.000Z");
    expect(after?.run).toMatchObject({ id: b.runId, status: "partial", errors: ["ListVolumeBackups of compartment x: server-error"] });
    expect(after?.items.key[0]).toEqual({
      kind: "key", ocid: key().id, parentId: VAULT, compartmentId: key().compartmentId, lifecycleState: "ENABLED",
      bodySha256: canonicalSha256(key({ currentKeyVersionId: v2.id })), body: key({ currentKeyVersionId: v2.id }),
    });
    expect(after?.items["key-version"].map((v) => [v.ocid, v.parentId, v.body.timeCreated])).toEqual([
      [v1.id, key().id, v1.timeCreated], [v2.id, key().id, v2.timeCreated],
    ]);
    expect(after?.items["audit-configuration"].map((i) => i.body)).toEqual([{ retentionPeriodDays: 365 }]);
    expect(after?.items["retention-rule"].map((i) => [i.parentId, i.body])).toEqual([["ns/db-backups", RULE]]);
    expect(after?.items.vault).toEqual([]);
    expect(after?.items["volume-backup"]).toEqual([]);
  });

  it("findSnapshotAsOf ignores runs still running (or left so by a crash) and failed runs", async () => {
    t = await createTestStore(dialect);
    const db = t.store.db;
    const good = await snapshot(t, "2026-11-01T10:00:00.000Z", items(key(), []));
    // A crash after the run row: running, no items.
    const crashed = await insertSnapshotRun(db, { startedAt: "2026-11-02T10:00:00.000Z", observedAt: "2026-11-02T10:00:00.000Z", region: "us-ashburn-1", scope: {} });
    const failed = await snapshot(t, "2026-11-03T10:00:00.000Z", [], "failed");
    expect((await findSnapshotAsOf(db, "2026-11-04T00:00:00.000Z"))?.run.id).toBe(good.runId);

    const runs = await listSnapshotRuns(db, {});
    expect(runs.map((r) => [r.id, r.status, r.finishedAt])).toEqual([
      [good.runId, "succeeded", "2026-11-01T10:00:30.000Z"], [crashed, "running", null], [failed.runId, "failed", "2026-11-03T10:00:30.000Z"],
    ]);
    expect(runs[1]!.counts).toEqual(emptySnapshotCounts());
  });

  it("listSnapshotRuns: observed_at in [from, to), oldest first; ties on observed_at by id", async () => {
    t = await createTestStore(dialect);
    const db = t.store.db;
    const r1 = await snapshot(t, "2026-10-31T23:59:59.999Z", []);
    const r2 = await snapshot(t, "2026-11-01T00:00:00.000Z", []);
    const r3 = await snapshot(t, "2026-11-15T00:00:00.000Z", []);
    const r4 = await snapshot(t, "2026-11-15T00:00:00.000Z", []);
    const r5 = await snapshot(t, "2026-12-01T00:00:00.000Z", []);
    const ids = async (range: { from?: string; to?: string }) => (await listSnapshotRuns(db, range)).map((r) => r.id);
    expect(await ids({ from: "2026-11-01T00:00:00.000Z", to: "2026-12-01T00:00:00.000Z" })).toEqual([r2.runId, r3.runId, r4.runId]);
    expect(await ids({ from: "2026-11-15T00:00:00.000Z" })).toEqual([r3.runId, r4.runId, r5.runId]);
    expect(await ids({ to: "2026-11-01T00:00:00.000Z" })).toEqual([r1.runId]);
    expect((await findSnapshotAsOf(db, "2026-11-20T00:00:00.000Z"))?.run.id).toBe(r4.runId);
  });

  it("bad instants are TypeErrors naming the argument, not silent empty answers", async () => {
    t = await createTestStore(dialect);
    const db = t.store.db;
    await expect(findSnapshotAsOf(db, "yesterday")).rejects.toThrow(/instant: expected an ISO-8601 instant/);
    await expect(listSnapshotRuns(db, { from: "2026-13-01T00:00:00Z" })).rejects.toThrow(/from: expected/);
    await expect(insertSnapshotRun(db, { startedAt: "x", observedAt: "2026-11-01T00:00:00Z", region: "r", scope: {} })).rejects.toThrow(/startedAt/);
  });
});
