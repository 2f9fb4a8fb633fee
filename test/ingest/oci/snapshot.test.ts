import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Config } from "../../../src/app/config.js";
import { createLogger } from "../../../src/app/logger.js";
import type { IngestDeps } from "../../../src/ingest/oci/ingest-deps.js";
import { takeSnapshot, type SnapshotResult } from "../../../src/ingest/oci/take-snapshot.js";
import type { OciPorts } from "../../../src/oci/oci-ports.js";
import { findSnapshotAsOf } from "../../../src/store/snapshots.js";
import { createTestStore, TEST_DIALECTS, type TestStore } from "../../helpers/db.js";
import { portsFor } from "../../helpers/oci-ports.js";
import { EXAMPLE, exampleSeed, useSimulator } from "../../helpers/sim.js";

type Seed = ReturnType<typeof exampleSeed>;

const ARCHIVE_RULE = {
  id: "4c0a7e1d-2b3f-4a5c-9d6e-7f8091a2b3c4", displayName: "archive-7-years-locked",
  duration: { timeAmount: 2555, timeUnit: "DAYS" as const }, timeRuleLocked: "2026-02-01T00:00:00.000Z", timeCreated: "2026-01-20T08:00:00.000Z",
};
const UNTAGGED_BOOT_BACKUP = "ocid1.bootvolumebackup.oc1.iad.abuwcljrsnapshotuntaggedbootbackup0000000000000000000000000001";
const ORACLE_KEY_BACKUP = "ocid1.volumebackup.oc1.iad.abuwcljrsnapshotoraclemanagedkeybackup00000000000000000000000002";

/** The example tenancy plus an untagged archive bucket with a locked rule and two untagged backups (one Oracle-managed). */
function changeSeed(seed: Seed): void {
  const bootVolume = seed.bootVolumes![0]!;
  seed.bootVolumeBackups = [{
    id: UNTAGGED_BOOT_BACKUP, compartmentId: EXAMPLE.backupProdId, displayName: "pg-primary-boot-weekly", sourceId: bootVolume.id,
    kmsKeyId: EXAMPLE.volumeKey.id, timeCreated: "2026-07-05T01:00:00.000Z", expirationTime: "2033-07-05T01:00:00.000Z",
  }];
  seed.volumeBackups!.push({
    id: ORACLE_KEY_BACKUP, compartmentId: EXAMPLE.securityId, displayName: "scratch-backup", sourceId: seed.volumes![0]!.id,
    kmsKeyId: null, timeCreated: "2026-05-01T00:00:00.000Z",
  } as never);
  seed.buckets!.push({
    name: "keyproof-archive", id: "ocid1.bucket.oc1.iad.aaaaaaaasnapshotarchivebucket000000000000000000000000000000001",
    compartmentId: EXAMPLE.securityId, timeCreated: "2026-01-20T07:00:00.000Z", retentionRules: [ARCHIVE_RULE],
  } as never);
}

const HOUR = 3_600_000;

describe.each(TEST_DIALECTS)("takeSnapshot against the simulator (%s)", (dialect) => {
  const suite = useSimulator({ maxClockSkewMs: Infinity, changeSeed });
  const seed = exampleSeed();
  changeSeed(seed);
  let t: TestStore;
  let ports: OciPorts;
  // The snapshot clock (deps.now), on purpose far from both the wall clock and the simulator's.
  let nowMs = Date.parse("2031-03-01T08:00:00.000Z");
  let deps: IngestDeps;
  beforeAll(async () => {
    t = await createTestStore(dialect);
    // pageLimit 2: the bucket key's three versions come in two pages, and so do the vault and key lists.
    ports = portsFor(suite().sim, { pageLimit: 2 });
    deps = {
      store: t.store, ports, logger: createLogger({ level: "silent" }), now: () => new Date(nowMs).toISOString(), importRunId: 0,
      config: Config.parse({ ingest: { archiveBucket: { bucket: "keyproof-archive" } } }),
    };
  });
  afterAll(async () => {
    ports.close();
    await t.cleanup();
  });
  const snap = async (): Promise<SnapshotResult> => {
    nowMs += HOUR;
    return takeSnapshot(deps);
  };
  const bodyCount = async () => (await t.store.db.selectFrom("snapshot_body").select("sha256").execute()).length;
  let first: SnapshotResult;

  it("records every vault, in-scope key, key version (two pages), tagged resource, backup, the audit retention and the retention rules", async () => {
    first = await snap();
    expect(first).toMatchObject({ status: "succeeded", errors: [], observedAt: "2031-03-01T09:00:00.000Z" });
    expect(suite().sim.calls.some((c) => c.operation === "ListKeyVersions" && /[?&]page=/.test(c.path))).toBe(true);

    const got = (await findSnapshotAsOf(t.store.db, first.observedAt))!;
    expect(got.run).toMatchObject({ id: first.runId, status: "succeeded", observedAt: "2031-03-01T09:00:00.000Z", region: "us-ashburn-1", counts: first.counts });
    const { items } = got;

    // Vaults: the primary and its replica (B13).
    expect(items.vault.map((v) => [v.ocid, v.body.displayName, v.body.isPrimary, v.lifecycleState])).toEqual(
      [...seed.vaults].sort((a, b) => (a.id < b.id ? -1 : 1)).map((v) => [v.id, "backup-vault", !v.replicaOf, "ACTIVE"]));

    // Keys in scope (the tagged ones; the signing key is neither tagged nor used), each also as a replica copy.
    const inScope = [EXAMPLE.bucketKey, EXAMPLE.volumeKey];
    const primaries = items.key.filter((k) => k.body.isPrimary);
    expect(primaries.map((k) => [k.ocid, k.parentId, k.compartmentId, k.lifecycleState, k.body.currentKeyVersionId, k.body.timeCreated, k.body.algorithm, k.body.length]))
      .toEqual(inScope.sort((a, b) => (a.id < b.id ? -1 : 1)).map((k) => [
        k.id, EXAMPLE.vaultId, EXAMPLE.securityId, "ENABLED", k.versions.at(-1)!.id, k.timeCreated, "AES", 32,
      ]));
    expect(items.key.filter((k) => !k.body.isPrimary).map((k) => [k.ocid, k.parentId]).sort())
      .toEqual(inScope.map((k) => [k.id, EXAMPLE.replicaVaultId]).sort());

    // Every version of every in-scope key, with its own creation time.
    const expectedVersions = inScope.flatMap((k) => k.versions.map((v) => [v.id, k.id, v.timeCreated, "ENABLED"])).sort();
    expect(items["key-version"].map((v) => [v.ocid, v.parentId, v.body.timeCreated, v.lifecycleState]).sort()).toEqual(expectedVersions);
    expect(items["key-version"]).toHaveLength(4);

    // Tagged resources with the key each uses (web-assets and the archive bucket are not tagged).
    const tagged = [
      ...seed.volumes!, ...seed.bootVolumes!, ...seed.volumeBackups!.filter((b) => b.freeformTags?.["backup-encryption"]),
      ...seed.buckets!.filter((b) => b.freeformTags?.["backup-encryption"]),
    ];
    expect(items.resource.map((r) => [r.ocid, r.parentId, r.body.kmsKeyId, r.compartmentId]).sort())
      .toEqual(tagged.map((r) => [r.id, r.kmsKeyId, r.kmsKeyId, r.compartmentId]).sort());
    expect(items.resource.find((r) => r.body.kind === "bucket" && r.body.bucketName === "db-backups")?.body.namespace).toBe(seed.tenancy.namespace);

    // Every backup of the scope compartments, tagged or not, with its key (null = Oracle-managed).
    const backups = [...seed.volumeBackups!, ...seed.bootVolumeBackups!];
    expect(items["volume-backup"].map((b) => [b.ocid, b.parentId, b.body.kmsKeyId, b.compartmentId, b.body.kind]).sort()).toEqual(
      backups.map((b) => [b.id, b.sourceId, b.kmsKeyId ?? null, b.compartmentId, b.id.startsWith("ocid1.bootvolumebackup") ? "bootvolumebackup" : "volumebackup"]).sort());
    expect(items["volume-backup"].find((b) => b.ocid === UNTAGGED_BOOT_BACKUP)?.body.expirationTime).toBe("2033-07-05T01:00:00.000Z");

    expect(items["audit-configuration"].map((i) => [i.ocid, i.body])).toEqual([[EXAMPLE.tenancyId, { retentionPeriodDays: 365 }]]);

    // Retention rules: db-backups (in scope), the archive bucket (config); app-backups has none.
    const ns = seed.tenancy.namespace;
    expect(items["retention-rule"].map((r) => [r.parentId, r.ocid, r.compartmentId, r.body.displayName, r.body.duration, r.body.timeRuleLocked])).toEqual([
      [`${ns}/keyproof-archive`, ARCHIVE_RULE.id, null, ARCHIVE_RULE.displayName, ARCHIVE_RULE.duration, ARCHIVE_RULE.timeRuleLocked],
      [`${ns}/db-backups`, "b1f2a8c4-5d6e-4f70-8a91-b2c3d4e5f607", EXAMPLE.backupProdId, "keep-7-years", { timeAmount: 7, timeUnit: "YEARS" }, null],
    ].sort((a, b) => (a[1]! < b[1]! ? -1 : 1)));
    expect(got.run.scope).toEqual(first.scope);
    expect(first.scope).toMatchObject({
      archiveBucket: { namespace: ns, bucket: "keyproof-archive" },
      read: {
        inventory: true, auditConfiguration: true,
        volumeBackupCompartments: [EXAMPLE.backupProdId, EXAMPLE.securityId, EXAMPLE.tenancyId].sort(),
        retentionRuleBuckets: [`${ns}/app-backups`, `${ns}/db-backups`, `${ns}/keyproof-archive`],
      },
    });
    expect(first.counts).toEqual({
      vault: 2, key: 4, "key-version": 4, resource: tagged.length, "volume-backup": 3, "audit-configuration": 1, "retention-rule": 2,
    });
    expect(first.newBodies).toBe(await bodyCount());
  });

  it("a second snapshot with nothing changed adds items but no new bodies", async () => {
    const bodies = await bodyCount();
    const second = await snap();
    expect(second).toMatchObject({ status: "succeeded", newBodies: 0, counts: first.counts });
    expect(await bodyCount()).toBe(bodies);
    const items = await t.store.db.selectFrom("snapshot_item").select(["snapshot_run_id", "body_sha256", "observed_at"]).where("snapshot_run_id", "=", second.runId).execute();
    expect(items).toHaveLength(Object.values(first.counts).reduce((a, b) => a + b, 0));
    expect(new Set(items.map((i) => i.observed_at))).toEqual(new Set([second.observedAt]));
  });

  it("a new key version (CreateKeyVersion through the SDK) adds exactly its body and the key's changed bodies", async () => {
    const before = await snap();
    const { keyVersion } = await suite().clients.management.createKeyVersion({ keyId: EXAMPLE.bucketKey.id });
    const after = await snap();
    // The version, the key (its current version changed) and the key's read-only copy in the replica vault.
    expect(after).toMatchObject({ status: "succeeded", newBodies: 3 });
    expect(after.counts["key-version"]).toBe(before.counts["key-version"] + 1);

    const seen = (await findSnapshotAsOf(t.store.db, after.observedAt))!;
    const version = seen.items["key-version"].find((v) => v.ocid === keyVersion.id)!;
    expect(version).toMatchObject({ parentId: EXAMPLE.bucketKey.id, lifecycleState: "ENABLED" });
    expect(version.body.timeCreated).toBe(new Date(keyVersion.timeCreated as unknown as string).toISOString());
    const copies = seen.items.key.filter((k) => k.ocid === EXAMPLE.bucketKey.id);
    expect(copies.map((k) => [k.parentId, k.body.isPrimary, k.body.currentKeyVersionId]).sort()).toEqual([
      [EXAMPLE.vaultId, true, keyVersion.id], [EXAMPLE.replicaVaultId, false, keyVersion.id],
    ].sort());
    const fresh = await t.store.db.selectFrom("snapshot_item").select(["kind", "ocid", "parent_id"])
      .where("snapshot_run_id", "=", after.runId)
      .where("body_sha256", "not in", (eb) => eb.selectFrom("snapshot_item").select("body_sha256").where("snapshot_run_id", "=", before.runId))
      .execute();
    expect(fresh.map((f) => [f.kind, f.ocid, f.parent_id]).sort()).toEqual([
      ["key", EXAMPLE.bucketKey.id, EXAMPLE.replicaVaultId], ["key", EXAMPLE.bucketKey.id, EXAMPLE.vaultId], ["key-version", keyVersion.id, EXAMPLE.bucketKey.id],
    ].sort());

    // As of an instant between the two snapshots, the earlier one (without the new version) is in force.
    const between = (await findSnapshotAsOf(t.store.db, new Date(Date.parse(after.observedAt) - 1).toISOString()))!;
    expect(between.run.id).toBe(before.runId);
    expect(between.items["key-version"].some((v) => v.ocid === keyVersion.id)).toBe(false);
  });

  it("a failing ListVolumeBackups gives a partial run naming it, with everything else stored", async () => {
    suite().sim.faults.set("ListVolumeBackups", { kind: "internal-error" });
    let result: SnapshotResult;
    try {
      result = await snap();
    } finally {
      suite().sim.faults.clear("ListVolumeBackups");
    }
    expect(result.status).toBe("partial");
    const compartments = [EXAMPLE.backupProdId, EXAMPLE.securityId, EXAMPLE.tenancyId].sort();
    expect(result.errors).toEqual(compartments.map((c) =>
      `ListVolumeBackups of compartment ${c}: server-error (HTTP 500 InternalServerError), after 6 attempts`));
    expect(result.counts["volume-backup"]).toBe(0);
    expect(result.counts).toMatchObject({ vault: 2, key: 4, "key-version": 5, "audit-configuration": 1, "retention-rule": 2 });
    expect(result.scope.read.volumeBackupCompartments).toEqual([]);

    const seen = (await findSnapshotAsOf(t.store.db, result.observedAt))!;
    expect(seen.run).toMatchObject({ id: result.runId, status: "partial", errors: result.errors });
    expect(seen.items["volume-backup"]).toEqual([]);
    expect(seen.items["key-version"]).toHaveLength(5);
  });

  it("a key whose versions cannot be listed keeps its key item and names ListKeyVersions, never an empty version list", async () => {
    suite().sim.faults.set("ListKeyVersions", { kind: "internal-error" });
    let result: SnapshotResult;
    try {
      result = await snap();
    } finally {
      suite().sim.faults.clear("ListKeyVersions");
    }
    expect(result.status).toBe("partial");
    expect(result.counts).toMatchObject({ key: 4, "key-version": 0, "volume-backup": 3, resource: first.counts.resource });
    const keyIds = [EXAMPLE.bucketKey.id, EXAMPLE.volumeKey.id].sort();
    expect(result.errors).toHaveLength(2);
    result.errors.forEach((error, i) => {
      expect(error).toContain(`inventory KEY_NOT_READABLE ${keyIds[i]}: `);
      expect(error).toContain("ListKeyVersions: server-error (HTTP 500 InternalServerError)");
    });
  });

  it("failing GetConfiguration and ListRetentionRules are named too; the run stays partial", async () => {
    suite().sim.faults.set("GetConfiguration", { kind: "internal-error" });
    suite().sim.faults.set("ListRetentionRules", { kind: "throttle" });
    let result: SnapshotResult;
    try {
      result = await snap();
    } finally {
      suite().sim.faults.clear("GetConfiguration");
      suite().sim.faults.clear("ListRetentionRules");
    }
    const ns = seed.tenancy.namespace;
    expect(result.status).toBe("partial");
    expect(result.errors).toEqual([
      `GetConfiguration of tenancy ${EXAMPLE.tenancyId}: server-error (HTTP 500 InternalServerError), after 6 attempts`,
      `ListRetentionRules of bucket ${ns}/app-backups (in-scope): throttled (HTTP 429 TooManyRequests), after 6 attempts`,
      `ListRetentionRules of bucket ${ns}/db-backups (in-scope): throttled (HTTP 429 TooManyRequests), after 6 attempts`,
      `ListRetentionRules of bucket ${ns}/keyproof-archive (archive): throttled (HTTP 429 TooManyRequests), after 6 attempts`,
    ]);
    expect(result.counts).toMatchObject({ "audit-configuration": 0, "retention-rule": 0, "volume-backup": 3, "key-version": 5 });
    expect(result.scope.read).toMatchObject({ auditConfiguration: false, retentionRuleBuckets: [] });
  });

  it("nothing readable (ListCompartments, GetConfiguration, GetNamespace failing) gives a failed run, skipped by findSnapshotAsOf", async () => {
    const previous = (await findSnapshotAsOf(t.store.db, new Date(nowMs).toISOString()))!;
    for (const op of ["ListCompartments", "GetConfiguration", "GetNamespace"]) suite().sim.faults.set(op, { kind: "internal-error" });
    let result: SnapshotResult;
    try {
      result = await snap();
    } finally {
      for (const op of ["ListCompartments", "GetConfiguration", "GetNamespace"]) suite().sim.faults.clear(op);
    }
    expect(result.status).toBe("failed");
    expect(Object.values(result.counts).every((n) => n === 0)).toBe(true);
    expect(result.errors).toEqual([
      `ListCompartments of scope ${EXAMPLE.tenancyId}: server-error (HTTP 500 InternalServerError), after 6 attempts`,
      `ListCompartments under ${EXAMPLE.tenancyId}: server-error (HTTP 500 InternalServerError), after 6 attempts`,
      `GetConfiguration of tenancy ${EXAMPLE.tenancyId}: server-error (HTTP 500 InternalServerError), after 6 attempts`,
      `GetNamespace of tenancy ${EXAMPLE.tenancyId} (archive bucket keyproof-archive): server-error (HTTP 500 InternalServerError), after 6 attempts`,
    ]);
    expect((await findSnapshotAsOf(t.store.db, result.observedAt))!.run.id).toBe(previous.run.id);
  });
});
