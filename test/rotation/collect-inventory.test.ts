/**
 * collectInventory through the real SDK adapter (OciPorts) against the simulator seeded with the
 * example tenancy (examples/tenancy/), as is and changed into every kind of finding.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Config } from "../../src/app/config.js";
import { silentLogger } from "../../src/app/logger.js";
import type { OciPorts } from "../../src/oci/oci-ports.js";
import { collectInventory } from "../../src/rotation/collect-inventory.js";
import type { Inventory } from "../../src/rotation/inventory.js";
import { planRotation } from "../../src/rotation/plan-rotation.js";
import { rotate } from "../../src/rotation/rotate.js";
import { createSimClock } from "../../src/sim/sim-clock.js";
import type { SimService } from "../../src/sim/sim-service.js";
import { createTestStore } from "../helpers/db.js";
import { portsFor } from "../helpers/oci-ports.js";
import { EXAMPLE, exampleSeed, useSimulator } from "../helpers/sim.js";
import { operationHooks } from "../oci/sim-operation-hooks.js";

const NOW = "2026-07-09T12:00:00.000Z";
const SCOPE_TAG = "backup-encryption=enabled";
const seed = exampleSeed();
const id = {
  volume: seed.volumes![0]!.id,
  boot: seed.bootVolumes![0]!.id,
  backup: seed.volumeBackups![0]!.id,
  dbBackups: seed.buckets!.find((b) => b.name === "db-backups")!.id,
  appBackups: seed.buckets!.find((b) => b.name === "app-backups")!.id,
  webAssets: seed.buckets!.find((b) => b.name === "web-assets")!.id,
};
const bucketKeyId = EXAMPLE.bucketKey.id;
const k1 = EXAMPLE.volumeKey.id;

function simOptions(changeSeed?: (seed: ReturnType<typeof exampleSeed>) => void, services?: SimService[]) {
  return { clock: createSimClock({ start: NOW }), maxClockSkewMs: Number.POSITIVE_INFINITY, changeSeed, ...(services ? { services } : {}) };
}

function usePorts(suite: ReturnType<typeof useSimulator>): () => OciPorts {
  let ports: OciPorts | undefined;
  beforeAll(() => {
    ports = portsFor(suite().sim);
  });
  afterAll(() => ports?.close());
  return () => ports!;
}

const brief = (inventory: Inventory) => inventory.findings.map((f) => [f.code, f.severity, f.keyId, f.resourceId]);

describe("collectInventory: the example tenancy as seeded", () => {
  const hooks = operationHooks();
  const suite = useSimulator(simOptions(undefined, hooks.services));
  const ports = usePorts(suite);

  it("finds the two tagged keys with every version, their resources, the replica copies and no failure", async () => {
    const inventory = await collectInventory(ports(), { scope: { tag: SCOPE_TAG, compartments: [] }, now: NOW });
    expect(inventory.observedAt).toBe(NOW);
    expect(inventory.vaults.map((v) => [v.id, v.isPrimary])).toEqual([[EXAMPLE.vaultId, true], [EXAMPLE.replicaVaultId, false]]);
    // The RSA signing key is neither tagged nor used by a tagged resource: out of scope.
    expect(inventory.keys.map((k) => [k.key.displayName, k.key.id, k.vault.id, k.key.currentKeyVersionId, k.versions.map((v) => [v.id, v.timeCreated])])).toEqual([
      ["backup-objects-key", bucketKeyId, EXAMPLE.vaultId, EXAMPLE.bucketKey.versions[2]!.id, EXAMPLE.bucketKey.versions.map((v) => [v.id, v.timeCreated])],
      ["backup-volumes-2026-04", k1, EXAMPLE.vaultId, EXAMPLE.volumeKey.versions[0]!.id, EXAMPLE.volumeKey.versions.map((v) => [v.id, v.timeCreated])],
    ]);
    // Buckets and block resources read from their own services, with the key each uses; web-assets is not tagged.
    expect(inventory.resources.map((r) => [r.kind, r.displayName, r.id, r.kmsKeyId])).toEqual([
      ["bootvolume", "pg-primary (Boot Volume)", id.boot, k1],
      ["bucket", "app-backups", id.appBackups, bucketKeyId],
      ["bucket", "db-backups", id.dbBackups, bucketKeyId],
      ["volume", "pg-data-vol", id.volume, k1],
      ["volumebackup", "pg-data-vol-2026-06-30", id.backup, k1],
    ]);
    expect(inventory.resources.find((r) => r.kind === "bucket")).toMatchObject({ namespace: seed.tenancy.namespace, bucketName: "app-backups" });
    expect(inventory.resources.find((r) => r.kind === "volumebackup")!.sourceId).toBe(id.volume);
    expect(inventory.lineages).toEqual([{ headKeyId: bucketKeyId, keyIds: [bucketKeyId] }, { headKeyId: k1, keyIds: [k1] }]);
    // B13: each key seen through the replica vault is a read-only copy, listed once, never judged.
    expect(inventory.replicaCopies!.map((c) => [c.key.id, c.vault.id, c.key.isPrimary, c.versions.length])).toEqual([
      [bucketKeyId, EXAMPLE.replicaVaultId, false, 0],
      [k1, EXAMPLE.replicaVaultId, false, 0],
    ]);
    expect(brief(inventory)).toEqual([
      ["REPLICA_KEY", "low", k1, null],
      ["REPLICA_KEY", "low", bucketKeyId, null],
    ]);
    // The simulator's endpoints name no region: the primary's is the ports' region, the replica's unknown.
    expect(inventory.vaults.map((v) => v.region)).toEqual(["us-ashburn-1", null]);
    expect(inventory.findings[1]!.message).toBe(
      'Key "backup-objects-key" in replica vault "backup-vault" is a read-only copy of the primary in us-ashburn-1: reported once under its primary and rotated only through the primary vault\'s management endpoint.',
    );
  });

  it("finds the vaults outside the scope compartments (vaultCompartments default: the whole tenancy), resources only in the scope", async () => {
    // The example tenancy is a landing zone: vaults in security, backups in backup-prod.
    const inventory = await collectInventory(ports(), { scope: { tag: SCOPE_TAG, compartments: [EXAMPLE.backupProdId] }, now: NOW });
    expect(inventory.vaults.map((v) => v.id)).toEqual([EXAMPLE.vaultId, EXAMPLE.replicaVaultId]);
    expect(inventory.keys.map((k) => [k.key.id, k.vault.id, k.versions.length])).toEqual([
      [bucketKeyId, EXAMPLE.vaultId, EXAMPLE.bucketKey.versions.length],
      [k1, EXAMPLE.vaultId, EXAMPLE.volumeKey.versions.length],
    ]);
    expect(inventory.resources.map((r) => r.id).sort()).toEqual([id.appBackups, id.dbBackups, id.boot, id.volume, id.backup].sort());
    expect(brief(inventory)).toEqual([["REPLICA_KEY", "low", k1, null], ["REPLICA_KEY", "low", bucketKeyId, null]]);
  });

  it("landing zone: scope = the backup compartment, vaultCompartments = the Security compartment: every key resolves and rotates", async () => {
    const inventory = await collectInventory(ports(), {
      scope: { tag: SCOPE_TAG, compartments: [EXAMPLE.backupProdId], vaultCompartments: [EXAMPLE.securityId] }, now: NOW,
    });
    expect(inventory.keys.map((k) => k.key.id)).toEqual([bucketKeyId, k1]);
    expect(inventory.findings.filter((f) => f.code === "KEY_NOT_READABLE")).toEqual([]);
    const plan = planRotation(inventory, { rotationIntervalDays: 90 }, { leadDays: 7 }, NOW);
    expect(plan.items.map((i) => [i.keyId, i.action])).toEqual([[k1, "rotate"], [bucketKeyId, "none"]]);
    expect(plan.items[0]!.resources.map((r) => [r.resource.id, r.action])).toEqual([
      [id.boot, "move-to-successor"], [id.volume, "move-to-successor"], [id.backup, "none"],
    ]);
  });

  it("vaultCompartments narrowed to a compartment without vaults: every key is unreadable, with the reason", async () => {
    const inventory = await collectInventory(ports(), {
      scope: { tag: SCOPE_TAG, compartments: [EXAMPLE.backupProdId], vaultCompartments: [EXAMPLE.backupProdId] }, now: NOW,
    });
    expect(inventory.vaults).toEqual([]);
    expect(inventory.keys).toEqual([]);
    expect(inventory.resources).toHaveLength(5);
    expect(brief(inventory)).toEqual([
      ["KEY_NOT_READABLE", "high", bucketKeyId, id.appBackups],
      ["KEY_NOT_READABLE", "high", bucketKeyId, id.dbBackups],
      ["KEY_NOT_READABLE", "high", k1, id.boot],
      ["KEY_NOT_READABLE", "high", k1, id.volume],
      ["KEY_NOT_READABLE", "high", k1, id.backup],
    ].sort((a, b) => `${a[2]}${a[3]}`.localeCompare(`${b[2]}${b[3]}`)));
    expect(inventory.findings[0]!.message).toContain("could not be read (GetKey: no vault in the scope or vault compartments): not rotated, not re-keyed.");
  });

  it("reads with GetKey only the keys it wants: the untagged, unused signing key is listed but never read", async () => {
    const { sim } = suite();
    const since = sim.calls.length;
    await collectInventory(ports(), { scope: { tag: SCOPE_TAG, compartments: [] }, now: NOW });
    const keyReads = sim.calls.slice(since).filter((c) => c.operation === "GetKey").map((c) => c.path.split("/keys/")[1]);
    // Each wanted key through its primary vault, then its replica copy.
    expect(keyReads.sort()).toEqual([bucketKeyId, bucketKeyId, k1, k1].sort());
    expect(sim.calls.slice(since).filter((c) => c.operation === "ListKeys").length).toBeGreaterThan(0);
  });

  it("one wanted key whose GetKey fails after the retry layer is a KEY_NOT_READABLE finding per resource; the other key is kept", async () => {
    const { sim } = suite();
    // concurrency 1: keys are resolved in resource order, so pg-primary's key k1 is read first and
    // takes all six 500s (the retry layer's 6 attempts).
    sim.faults.set("GetKey", { kind: "internal-error", times: 6 });
    try {
      const inventory = await collectInventory(ports(), { scope: { tag: SCOPE_TAG, compartments: [] }, now: NOW, concurrency: 1 });
      expect(inventory.keys.map((k) => k.key.id)).toEqual([bucketKeyId]);
      expect(inventory.resources).toHaveLength(5);
      const unreadable = inventory.findings.filter((f) => f.code === "KEY_NOT_READABLE");
      expect(unreadable.map((f) => [f.keyId, f.resourceId])).toEqual([[k1, id.boot], [k1, id.volume], [k1, id.backup]]);
      expect(unreadable[0]!.message).toBe(
        `boot volume "pg-primary (Boot Volume)" uses key ${k1}, which could not be read (GetKey through vault "backup-vault": server-error (HTTP 500 InternalServerError)): not rotated, not re-keyed.`,
      );
    } finally {
      sim.faults.clear("GetKey");
    }
  });

  it("a key whose GetKey answer has no timeCreated is a KEY_NOT_READABLE finding (malformed answer), not a crash", async () => {
    // OCI answers GetKey for k1 without timeCreated (everything else as stored).
    hooks.after.set("GetKey", (ctx, result) => {
      if (ctx.params.keyId !== k1) return result;
      const { timeCreated: _dropped, ...body } = result.body as Record<string, unknown>;
      return { ...result, body };
    });
    try {
      const inventory = await collectInventory(ports(), { scope: { tag: SCOPE_TAG, compartments: [] }, now: NOW });
      expect(inventory.keys.map((k) => k.key.id)).toEqual([bucketKeyId]);
      const unreadable = inventory.findings.filter((f) => f.code === "KEY_NOT_READABLE");
      expect(unreadable.map((f) => f.resourceId)).toEqual([id.boot, id.volume, id.backup]);
      expect(unreadable[0]!.message).toContain(`(GetKey through vault "backup-vault": malformed answer: key ${k1} timeCreated: OCI answered undefined, not a time)`);
    } finally {
      hooks.after.clear();
    }
  });

  it("one resource whose read fails is a RESOURCE_NOT_READABLE finding; the rest of the inventory is kept", async () => {
    const { sim } = suite();
    sim.faults.set("GetVolumeBackup", { kind: "internal-error", times: 6 });
    try {
      const inventory = await collectInventory(ports(), { scope: { tag: SCOPE_TAG, compartments: [] }, now: NOW });
      expect(inventory.resources.map((r) => r.id).sort()).toEqual([id.appBackups, id.dbBackups, id.boot, id.volume].sort());
      expect(inventory.keys.map((k) => k.key.id)).toEqual([bucketKeyId, k1]);
      expect(inventory.findings.filter((f) => f.code === "RESOURCE_NOT_READABLE")).toEqual([{
        code: "RESOURCE_NOT_READABLE", severity: "high", keyId: null, resourceId: id.backup,
        message: `volume backup "pg-data-vol-2026-06-30" (${id.backup}) could not be read (GetVolumeBackup: server-error (HTTP 500 InternalServerError)): left out of this run; not re-keyed.`,
      }]);
    } finally {
      sim.faults.clear("GetVolumeBackup");
    }
  });

  it("keeps going when one key's versions cannot be read: a finding, and the plan skips that key only", async () => {
    const { sim } = suite();
    // Six 500s exhaust the retry layer (6 attempts) on the first key read (keys are read in name order).
    sim.faults.set("ListKeyVersions", { kind: "internal-error", times: 6 });
    try {
      const inventory = await collectInventory(ports(), { scope: { tag: SCOPE_TAG, compartments: [] }, now: NOW, concurrency: 1 });
      expect(inventory.keys.map((k) => [k.key.id, k.versions.length])).toEqual([[bucketKeyId, 0], [k1, 1]]);
      const unreadable = inventory.findings.filter((f) => f.code === "KEY_NOT_READABLE");
      expect(unreadable).toEqual([{
        code: "KEY_NOT_READABLE", severity: "high", keyId: bucketKeyId, resourceId: null,
        message: `Key ${bucketKeyId} could not be read (ListKeyVersions: server-error (HTTP 500 InternalServerError)): not rotated, not re-keyed.`,
      }]);
      const plan = planRotation(inventory, { rotationIntervalDays: 90 }, { leadDays: 7 }, NOW);
      expect(plan.items.map((i) => [i.keyId, i.status, i.action])).toEqual([[k1, "due", "rotate"], [bucketKeyId, "cannot-rotate", "skip"]]);
      expect(plan.items[1]!.reason).toContain("could not be read (ListKeyVersions");
    } finally {
      sim.faults.clear("ListKeyVersions");
    }
  });

  for (const operation of ["ListCompartments", "ListVaults", "SearchResources", "ListKeys"]) {
    it(`fails as a whole when ${operation} fails: a list that defines the scope is never partial (rule 7)`, async () => {
      const { sim } = suite();
      sim.faults.set(operation, { kind: "internal-error" });
      try {
        await expect(collectInventory(ports(), { scope: { tag: SCOPE_TAG, compartments: [] }, now: NOW })).rejects.toMatchObject({
          name: "OciCallError", operation, reason: "server-error", attempts: 6,
        });
      } finally {
        sim.faults.clear(operation);
      }
    });
  }

  it("rotate() judges its inventory against config.policy: an auto-rotation interval longer than the policy's is a finding of the run", async () => {
    const { sim } = suite();
    const stored = sim.state.keys.get(bucketKeyId)!;
    const before = { isAutoRotationEnabled: stored.isAutoRotationEnabled, autoKeyRotationDetails: stored.autoKeyRotationDetails };
    Object.assign(stored, {
      isAutoRotationEnabled: true,
      autoKeyRotationDetails: {
        rotationIntervalInDays: 180, timeOfScheduleStart: "2026-07-08T00:00:00.000Z", timeOfNextRotation: "2027-01-04T00:00:00.000Z",
        timeOfLastRotation: null, lastRotationStatus: null, lastRotationMessage: null,
      },
    });
    const testStore = await createTestStore("sqlite");
    try {
      const config = Config.parse({ database: testStore.dir });
      const result = await rotate({ config, store: testStore.store, logger: silentLogger(), clock: sim.clock, oci: ports() }, { trigger: "test", dryRun: true });
      expect(result.inventory!.findings.filter((f) => f.code === "AUTO_ROTATION_BEHIND_POLICY").map((f) => [f.keyId, f.severity, f.message])).toEqual([[
        bucketKeyId, "medium",
        'Key "backup-objects-key" has native auto-rotation every 180 days, longer than the 90-day policy interval: its versions will outlive the policy unless the interval is shortened.',
      ]]);
    } finally {
      Object.assign(stored, before);
      await testStore.cleanup();
    }
  });

  it("rejects a malformed scope tag before calling OCI", async () => {
    await expect(collectInventory(ports(), { scope: { tag: "not a tag", compartments: [] }, now: NOW })).rejects.toThrow(/^scope\.tag: expected key=value/);
  });
});

describe("collectInventory: lineages and every finding (example tenancy changed)", () => {
  const legacyCompartment = "ocid1.compartment.oc1..aaaaaaaalegacycompartment";
  const legacyVault = "ocid1.vault.oc1.iad.legacyvlt.aaaaaaaalegacyvault";
  const legacyKey = "ocid1.key.oc1.iad.legacyvlt.aaaaaaaalegacykey";
  const vaultId = EXAMPLE.vaultId;
  const k0 = "ocid1.key.oc1.iad.ejsppeqvaafyi.aaaaaaaabackupvolumes202601";
  const k2 = "ocid1.key.oc1.iad.ejsppeqvaafyi.aaaaaaaabackupvolumes202607";
  const rsaKey = "ocid1.key.oc1.iad.ejsppeqvaafyi.aaaaaaaalegacyrsa";
  const oldKey = "ocid1.key.oc1.iad.ejsppeqvaafyi.aaaaaaaaoldobjectskey";
  const legacyVol = "ocid1.volume.oc1.iad.aaaaaaaalegacyvol";
  const legacyArchive = "ocid1.bucket.oc1.iad.aaaaaaaalegacyarchive";
  const oldExports = "ocid1.bucket.oc1.iad.aaaaaaaaoldexports";
  const legacyExports = "ocid1.bucket.oc1.iad.aaaaaaaalegacyexports";
  const security = EXAMPLE.securityId;
  const backupProd = EXAMPLE.backupProdId;
  const tagged = { "backup-encryption": "enabled" };
  const version = (name: string, timeCreated: string) => ({ id: `ocid1.keyversion.oc1.iad.ejsppeqvaafyi.aaaaaaaa${name}`, timeCreated });
  const aes = { keyShape: { algorithm: "AES" as const, length: 32 }, protectionMode: "HSM" as const };

  const suite = useSimulator(simOptions((s) => {
    s.compartments.push({ id: legacyCompartment, name: "legacy", timeCreated: "2025-01-01T00:00:00.000Z" });
    s.vaults.push({ id: legacyVault, compartmentId: legacyCompartment, displayName: "legacy-vault", vaultType: "VIRTUAL_PRIVATE", timeCreated: "2025-01-01T00:00:00.000Z" });
    // B13: the bucket key's current version is 400 days old (2025-06-04T12:00Z → 2026-07-09T12:00Z).
    const bucketKey = s.keys.find((k) => k.id === bucketKeyId)!;
    bucketKey.timeCreated = "2025-06-04T12:00:00.000Z";
    bucketKey.versions = [{ id: EXAMPLE.bucketKey.versions[0]!.id, timeCreated: "2025-06-04T12:00:00.000Z" }];
    // Lineage K0 → K1 → K2: K0 and K2 are untagged and pulled in through the predecessor tags.
    s.keys.find((k) => k.id === k1)!.freeformTags = { ...tagged, predecessor: k0 };
    s.keys.push(
      { id: k0, vaultId, compartmentId: security, displayName: "backup-volumes-2026-01", ...aes, timeCreated: "2026-01-14T10:00:00.000Z", versions: [version("k0v1", "2026-01-14T10:00:00.000Z")] },
      { id: k2, vaultId, compartmentId: security, displayName: "backup-volumes-2026-07", ...aes, timeCreated: "2026-07-09T02:00:00.000Z", freeformTags: { predecessor: k1 }, versions: [version("k2v1", "2026-07-09T02:00:00.000Z")] },
      // B15: an RSA key behind a tagged volume.
      { id: rsaKey, vaultId, compartmentId: security, displayName: "legacy-rsa", keyShape: { algorithm: "RSA", length: 256 }, protectionMode: "HSM", timeCreated: "2025-09-01T00:00:00.000Z", versions: [version("rsav1", "2025-09-01T00:00:00.000Z")] },
      // Rule 8: a key pending deletion that a tagged bucket still uses.
      { id: oldKey, vaultId, compartmentId: security, displayName: "old-objects-key", ...aes, lifecycleState: "PENDING_DELETION", timeOfDeletion: "2026-07-30T00:00:00.000Z", timeCreated: "2025-03-01T00:00:00.000Z", versions: [version("oldv1", "2025-03-01T00:00:00.000Z")] },
      // A key in a vault outside the scope compartments: GetKey cannot read it through the scope's vaults.
      { id: legacyKey, vaultId: legacyVault, compartmentId: legacyCompartment, displayName: "legacy-archive-key", ...aes, timeCreated: "2025-01-02T00:00:00.000Z", versions: [{ id: "ocid1.keyversion.oc1.iad.legacyvlt.aaaaaaaav1", timeCreated: "2025-01-02T00:00:00.000Z" }] },
    );
    s.volumes!.find((v) => v.id === id.volume)!.kmsKeyId = k2;
    s.volumes!.push({ id: legacyVol, compartmentId: backupProd, displayName: "legacy-vol", kmsKeyId: rsaKey, timeCreated: "2025-09-02T00:00:00.000Z", freeformTags: tagged });
    // B17: web-assets (Oracle-managed key) is now tagged.
    s.buckets!.find((b) => b.id === id.webAssets)!.freeformTags = tagged;
    s.buckets!.push(
      { name: "legacy-archive", id: legacyArchive, compartmentId: backupProd, kmsKeyId: legacyKey, timeCreated: "2025-01-03T00:00:00.000Z", freeformTags: tagged },
      // Tagged, but in the legacy compartment, outside the scope: never read, never in the inventory.
      { name: "legacy-exports", id: legacyExports, compartmentId: legacyCompartment, kmsKeyId: legacyKey, timeCreated: "2025-01-04T00:00:00.000Z", freeformTags: tagged },
      { name: "old-exports", id: oldExports, compartmentId: backupProd, kmsKeyId: oldKey, timeCreated: "2025-03-02T00:00:00.000Z", freeformTags: tagged },
    );
  }));
  const ports = usePorts(suite);
  let inventory: Inventory;
  beforeAll(async () => {
    // Vaults looked up in the security compartment only: the legacy vault is outside.
    inventory = await collectInventory(ports(), {
      scope: { tag: SCOPE_TAG, compartments: [security, backupProd], vaultCompartments: [security] }, now: NOW, concurrency: 3,
    });
  });

  it("takes in whole lineages, the keys behind tagged resources, and nothing from outside the scope", () => {
    expect(inventory.vaults.map((v) => v.id)).toEqual([vaultId, EXAMPLE.replicaVaultId]);
    expect(inventory.keys.map((k) => [k.key.displayName, k.key.id, k.key.lifecycleState, k.versions.length])).toEqual([
      ["backup-objects-key", bucketKeyId, "ENABLED", 1],
      ["backup-volumes-2026-01", k0, "ENABLED", 1],
      ["backup-volumes-2026-04", k1, "ENABLED", 1],
      ["backup-volumes-2026-07", k2, "ENABLED", 1],
      ["legacy-rsa", rsaKey, "ENABLED", 1],
      ["old-objects-key", oldKey, "PENDING_DELETION", 1],
    ]);
    expect(inventory.lineages).toEqual([
      { headKeyId: oldKey, keyIds: [oldKey] },
      { headKeyId: bucketKeyId, keyIds: [bucketKeyId] },
      { headKeyId: rsaKey, keyIds: [rsaKey] },
      { headKeyId: k2, keyIds: [k0, k1, k2] },
    ]);
    expect(inventory.resources.map((r) => [r.kind, r.displayName, r.kmsKeyId])).toEqual([
      ["bootvolume", "pg-primary (Boot Volume)", k1],
      ["bucket", "app-backups", bucketKeyId],
      ["bucket", "db-backups", bucketKeyId],
      ["bucket", "legacy-archive", legacyKey],
      ["bucket", "old-exports", oldKey],
      ["bucket", "web-assets", null],
      ["volume", "legacy-vol", rsaKey],
      ["volume", "pg-data-vol", k2],
      ["volumebackup", "pg-data-vol-2026-06-30", k1],
    ]);
  });

  it("reports every finding once, with its reason (B13, B15, B17, rule 8, unreadable key)", () => {
    const replicas = [bucketKeyId, k0, k1, k2, rsaKey, oldKey].sort().map((k) => ["REPLICA_KEY", "low", k, null]);
    expect(brief(inventory)).toEqual([
      ["RESOURCE_ON_KEY_PENDING_DELETION", "critical", oldKey, oldExports],
      ["KEY_NOT_READABLE", "high", legacyKey, legacyArchive],
      ["NON_AES_KEY_FOR_VOLUME", "high", rsaKey, legacyVol],
      ["KEY_PENDING_DELETION", "medium", oldKey, null],
      ["ORACLE_MANAGED_KEY", "medium", null, id.webAssets],
      ...replicas,
    ]);
    const message = (code: string) => inventory.findings.find((f) => f.code === code)!.message;
    expect(message("NON_AES_KEY_FOR_VOLUME")).toBe('volume "legacy-vol" uses RSA key "legacy-rsa": incompatible key algorithm – AES required; not re-keyed.');
    expect(message("ORACLE_MANAGED_KEY")).toBe('bucket "web-assets" has no customer-managed key: not eligible – Oracle-managed key.');
    expect(message("KEY_PENDING_DELETION")).toBe('Key "old-objects-key" is PENDING_DELETION (deletion on 2026-07-30T00:00:00.000Z): left out of rotation (rule 8).');
    expect(message("KEY_NOT_READABLE")).toBe(
      `bucket "legacy-archive" uses key ${legacyKey}, which could not be read (GetKey: not found in any vault of the scope or vault compartments (2 vaults tried; NotAuthorizedOrNotFound)): not rotated, not re-keyed.`,
    );
  });

  it("B13: plans the 400-day-old replicated key once, on the primary vault; the replica is a read-only copy", () => {
    const plan = planRotation(inventory, { rotationIntervalDays: 90 }, { leadDays: 7 }, NOW);
    const forKey = plan.items.filter((i) => i.keyId === bucketKeyId);
    expect(forKey).toEqual([expect.objectContaining({
      vaultId, status: "overdue", action: "rotate", strategy: "key-version", currentVersionAgeDays: 400,
      resources: [
        expect.objectContaining({ action: "reencrypt-bucket", resource: expect.objectContaining({ id: id.appBackups }) }),
        expect.objectContaining({ action: "reencrypt-bucket", resource: expect.objectContaining({ id: id.dbBackups }) }),
      ],
    })]);
    expect(inventory.replicaCopies!.filter((c) => c.key.id === bucketKeyId).map((c) => c.vault.id)).toEqual([EXAMPLE.replicaVaultId]);
    expect(inventory.findings.filter((f) => f.keyId === bucketKeyId).map((f) => [f.code, f.severity])).toEqual([["REPLICA_KEY", "low"]]);
  });

  it("plans the rest: B15 skipped, the lineage re-keys its boot volume, B17 and rule 8 not eligible", () => {
    const plan = planRotation(inventory, { rotationIntervalDays: 90 }, { leadDays: 7 }, NOW);
    expect(plan.items.map((i) => [i.keyName, i.strategy, i.status, i.action, i.currentVersionAgeDays, i.dueAt])).toEqual([
      ["backup-objects-key", "key-version", "overdue", "rotate", 400, "2025-09-02T12:00:00.000Z"],
      ["legacy-rsa", "successor-key", "cannot-rotate", "skip", 311, "2025-11-30T00:00:00.000Z"],
      // The boot volume still sits on the predecessor: the lineage's volumes are aged from it.
      ["backup-volumes-2026-07", "successor-key", "due", "rekey", 86, "2026-07-13T10:02:37.571Z"],
    ]);
    const lineage = plan.items[2]!;
    expect(lineage.lineageKeyIds).toEqual([k0, k1, k2]);
    expect(lineage.resources.map((r) => [r.resource.displayName, r.action])).toEqual([
      ["pg-primary (Boot Volume)", "move-to-successor"],
      ["pg-data-vol", "none"],
      ["pg-data-vol-2026-06-30", "none"],
    ]);
    expect(plan.notEligible!.map((r) => [r.resource.displayName, r.reason])).toEqual([
      ["legacy-archive", expect.stringContaining("could not be read")],
      ["old-exports", expect.stringContaining("which is PENDING_DELETION (deletion on 2026-07-30T00:00:00.000Z)")],
      ["web-assets", 'bucket "web-assets" has no customer-managed key: not eligible – Oracle-managed key.'],
    ]);
  });

  it("only reads, and reads versions through the primary vault's endpoint only", () => {
    const { sim } = suite();
    const operations = [...new Set(sim.calls.map((c) => c.operation))].sort();
    expect(operations).toEqual([
      "GetBootVolume", "GetBucket", "GetKey", "GetNamespace", "GetVault", "GetVolume", "GetVolumeBackup",
      "ListCompartments", "ListKeyVersions", "ListKeys", "ListVaults", "SearchResources",
    ]);
    const replicaEndpoint = sim.vaultEndpoints(EXAMPLE.replicaVaultId).management;
    const versionReads = sim.calls.filter((c) => c.operation === "ListKeyVersions");
    expect(versionReads).toHaveLength(6);
    expect(versionReads.filter((c) => replicaEndpoint.endsWith(c.path.split("/20180608")[0]!))).toEqual([]);
    // Resource Search finds legacy-exports (tagged), but it is outside the scope: never read.
    expect(sim.calls.filter((c) => c.operation === "GetBucket").map((c) => c.path.split("/b/")[1]).sort()).toEqual(["app-backups", "db-backups", "legacy-archive", "old-exports", "web-assets"]);
  });

  it("with vaults looked up in the whole tenancy, the legacy vault resolves legacy-archive's key, and adds no resource of its compartment", async () => {
    const { sim } = suite();
    const since = sim.calls.length;
    const wide = await collectInventory(ports(), { scope: { tag: SCOPE_TAG, compartments: [security, backupProd] }, now: NOW });
    expect(wide.vaults.map((v) => v.id)).toEqual([vaultId, EXAMPLE.replicaVaultId, legacyVault]);
    expect(wide.keys.find((k) => k.key.id === legacyKey)).toMatchObject({ vault: { id: legacyVault }, versions: [{ id: "ocid1.keyversion.oc1.iad.legacyvlt.aaaaaaaav1" }] });
    expect(wide.findings.filter((f) => f.code === "KEY_NOT_READABLE")).toEqual([]);
    expect(wide.resources.map((r) => r.id)).toEqual(inventory.resources.map((r) => r.id));
    expect(wide.resources.map((r) => r.id)).not.toContain(legacyExports);
    expect(sim.calls.slice(since).some((c) => c.operation === "GetBucket" && c.path.endsWith("/b/legacy-exports"))).toBe(false);
    const plan = planRotation(wide, { rotationIntervalDays: 90 }, { leadDays: 7 }, NOW);
    expect(plan.items.find((i) => i.keyId === legacyKey)).toMatchObject({ action: "rotate", resources: [expect.objectContaining({ resource: expect.objectContaining({ id: legacyArchive }) })] });
  });
});
