import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTagSelector } from "../../src/oci/create-oci-ports.js";
import { OciCallError, type OciPorts } from "../../src/oci/oci-ports.js";
import { EXAMPLE, useSimulator } from "../helpers/sim.js";
import { portsFor } from "../helpers/oci-ports.js";

const CHILD_ID = "ocid1.compartment.oc1..aaaaaaaachildofbackupprodchildofbackupprodchildofbackupp";
const GRANDCHILD_ID = "ocid1.compartment.oc1..aaaaaaaagrandchildgrandchildgrandchildgrandchildgrandchi";
const INACTIVE_ID = "ocid1.compartment.oc1..aaaaaaaainactiveinactiveinactiveinactiveinactiveinactive";
const TERMINATED_VOLUME = "ocid1.volume.oc1.iad.aaaaaaaaterminatedterminatedterminatedterminatedterminated";
const NAMESPACE = "idr2kxq7vbmn";

describe("createOciPorts against the simulator (every port method through the real SDK clients)", () => {
  // The work request test moves the simulator clock; signatures carry wall-clock dates.
  const suite = useSimulator({
    maxClockSkewMs: Infinity,
    changeSeed: (seed) => {
      seed.compartments.push(
        { id: CHILD_ID, name: "backup-prod-eu", parentId: EXAMPLE.backupProdId, timeCreated: "2025-11-01T00:00:00Z" },
        { id: GRANDCHILD_ID, name: "backup-prod-eu-db", parentId: CHILD_ID, timeCreated: "2025-11-01T00:00:00Z" },
        { id: INACTIVE_ID, name: "old", parentId: EXAMPLE.backupProdId, lifecycleState: "INACTIVE", timeCreated: "2025-11-01T00:00:00Z" },
      );
      const volume = seed.volumes![0]!;
      seed.volumes!.push({ ...volume, id: TERMINATED_VOLUME, displayName: "gone", lifecycleState: "TERMINATED" });
      const web = seed.buckets!.find((b) => b.name === "web-assets")!;
      web.definedTags = { Backup: { encryption: "enabled" } };
    },
  });
  let ports: OciPorts;
  beforeAll(() => {
    ports = portsFor(suite().sim);
  });
  afterAll(() => ports.close());

  const callsSince = (since: number) => suite().sim.calls.slice(since).map((c) => `${c.operation} ${c.status}`);

  it("names the tenancy and region of the credentials", () => {
    expect(ports.tenancyId).toBe(EXAMPLE.tenancyId);
    expect(ports.region).toBe("us-ashburn-1");
  });

  it("lists a compartment subtree (ACTIVE only, any depth) and the whole tenancy", async () => {
    expect(await ports.listCompartmentSubtree(EXAMPLE.backupProdId)).toEqual([EXAMPLE.backupProdId, CHILD_ID, GRANDCHILD_ID]);
    expect(await ports.listCompartmentSubtree(EXAMPLE.securityId)).toEqual([EXAMPLE.securityId]);
    expect(new Set(await ports.listCompartmentSubtree(EXAMPLE.tenancyId))).toEqual(
      new Set([EXAMPLE.tenancyId, EXAMPLE.securityId, EXAMPLE.backupProdId, CHILD_ID, GRANDCHILD_ID]),
    );
    await expect(ports.listCompartmentSubtree(INACTIVE_ID)).rejects.toMatchObject({ reason: "not-authorized-or-not-found" });
  });

  it("lists vaults with GetVault each, so the replica is told from the primary", async () => {
    const since = suite().sim.calls.length;
    const vaults = await ports.listVaults(EXAMPLE.securityId);
    expect(callsSince(since)).toEqual(["ListVaults 200", "GetVault 200", "GetVault 200"]);
    const byId = new Map(vaults.map((v) => [v.id, v]));
    expect(byId.get(EXAMPLE.vaultId)).toMatchObject({ isPrimary: true, vaultType: "VIRTUAL_PRIVATE", displayName: "backup-vault" });
    expect(byId.get(EXAMPLE.replicaVaultId)).toMatchObject({ isPrimary: false });
  });

  it("reads a vault with its management endpoint", async () => {
    const vault = await ports.getVault(EXAMPLE.vaultId);
    expect(vault.managementEndpoint).toBe(suite().sim.vaultEndpoints(EXAMPLE.vaultId).management);
    expect(vault).toMatchObject({ id: EXAMPLE.vaultId, compartmentId: EXAMPLE.securityId, lifecycleState: "ACTIVE", region: null });
  });

  it("reads a key with its current version and canonical UTC times", async () => {
    const kms = ports.kms(await ports.getVault(EXAMPLE.vaultId));
    const key = await kms.getKey(EXAMPLE.bucketKey.id);
    const stored = suite().sim.state.keys.get(EXAMPLE.bucketKey.id)!;
    expect(key).toMatchObject({
      id: EXAMPLE.bucketKey.id, vaultId: EXAMPLE.vaultId, algorithm: "AES", length: 32, curveId: null, protectionMode: "HSM",
      lifecycleState: "ENABLED", currentKeyVersionId: stored.currentKeyVersion, isPrimary: true, freeformTags: { "backup-encryption": "enabled" },
    });
    expect(key.timeCreated).toBe(new Date(EXAMPLE.bucketKey.timeCreated).toISOString());
  });

  it("lists keys (ListKeys, then GetKey each) and key versions oldest first", async () => {
    const { sim } = suite();
    const kms = ports.kms(await ports.getVault(EXAMPLE.vaultId));
    const since = sim.calls.length;
    const keys = await kms.listKeys(EXAMPLE.securityId);
    expect(callsSince(since)).toEqual(["ListKeys 200", "GetKey 200", "GetKey 200", "GetKey 200"]);
    expect(keys.map((k) => k.displayName).sort()).toEqual(["backup-objects-key", "backup-volumes-2026-04", "keyproof-manifest-signing"]);
    expect(keys.every((k) => k.currentKeyVersionId.startsWith("ocid1.keyversion."))).toBe(true);

    const versions = await kms.listKeyVersions(EXAMPLE.bucketKey.id);
    expect(versions.map((v) => v.id)).toEqual(EXAMPLE.bucketKey.versions.map((v) => v.id));
    const times = versions.map((v) => Date.parse(v.timeCreated));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(versions[0]).toMatchObject({ keyId: EXAMPLE.bucketKey.id, vaultId: EXAMPLE.vaultId, origin: "INTERNAL", isAutoRotated: false });
  });

  it("lists key summaries with their tags and no GetKey (the inventory reads only the keys it wants)", async () => {
    const { sim } = suite();
    const kms = ports.kms(await ports.getVault(EXAMPLE.vaultId));
    const since = sim.calls.length;
    const summaries = await kms.listKeySummaries(EXAMPLE.securityId);
    expect(callsSince(since)).toEqual(["ListKeys 200"]);
    expect(summaries.map((k) => [k.displayName, k.algorithm, k.protectionMode, k.vaultId, k.freeformTags]).sort()).toEqual([
      ["backup-objects-key", "AES", "HSM", EXAMPLE.vaultId, { "backup-encryption": "enabled" }],
      ["backup-volumes-2026-04", "AES", "HSM", EXAMPLE.vaultId, { "backup-encryption": "enabled" }],
      ["keyproof-manifest-signing", "RSA", "HSM", EXAMPLE.vaultId, {}],
    ]);
    expect(summaries.find((k) => k.id === EXAMPLE.bucketKey.id)!.timeCreated).toBe(new Date(EXAMPLE.bucketKey.timeCreated).toISOString());
  });

  it("creates a key version with the given opc-retry-token: the same token gives the same version", async () => {
    const { sim } = suite();
    const kms = ports.kms(await ports.getVault(EXAMPLE.vaultId));
    const first = await kms.createKeyVersion(EXAMPLE.bucketKey.id, "rotate-bucket-key-2026-11-30");
    const call = sim.calls.at(-1)!;
    expect(call).toMatchObject({ operation: "CreateKeyVersion", status: 200 });
    expect(first).toMatchObject({ attempts: 1, opcRequestId: call.requestId, workRequestId: null });
    expect(first.value).toMatchObject({ keyId: EXAMPLE.bucketKey.id, lifecycleState: "ENABLING" });
    const again = await kms.createKeyVersion(EXAMPLE.bucketKey.id, "rotate-bucket-key-2026-11-30");
    expect(again.value.id).toBe(first.value.id);
    expect((await kms.getKey(EXAMPLE.bucketKey.id)).currentKeyVersionId).toBe(first.value.id);
  });

  it("creates a successor key of the same shape and tags with the given opc-retry-token", async () => {
    const kms = ports.kms(await ports.getVault(EXAMPLE.vaultId));
    const details = {
      compartmentId: EXAMPLE.securityId, displayName: "backup-volumes-2026-11", algorithm: "AES", length: 32, curveId: null,
      protectionMode: "HSM", freeformTags: { "backup-encryption": "enabled", "keyproof-predecessor": EXAMPLE.volumeKey.id },
      definedTags: {},
    };
    const created = await kms.createKey(details, "successor-of-volumes-key-2026-11-30");
    expect(created.attempts).toBe(1);
    expect(created.value).toMatchObject({ displayName: "backup-volumes-2026-11", algorithm: "AES", length: 32, protectionMode: "HSM", freeformTags: details.freeformTags });
    const replay = await kms.createKey(details, "successor-of-volumes-key-2026-11-30");
    expect(replay.value.id).toBe(created.value.id);
    expect((await kms.getKey(created.value.id)).lifecycleState).toBe("ENABLED");
  });

  it("finds the resources carrying a freeform tag, not TERMINATED, each with the key its own service reports", async () => {
    const { sim } = suite();
    const since = sim.calls.length;
    const { resources: found, unreadable } = await ports.findTaggedResources(parseTagSelector("backup-encryption=enabled"));
    expect(unreadable).toEqual([]);
    const ops = callsSince(since);
    expect(ops[0]).toBe("SearchResources 200");
    expect(ops.filter((o) => o === "GetNamespace 200")).toHaveLength(1);
    expect(ops.slice(1).sort()).toEqual(["GetBootVolume 200", "GetBucket 200", "GetBucket 200", "GetNamespace 200", "GetVolume 200", "GetVolumeBackup 200"]);
    const byName = new Map(found.map((r) => [r.displayName, r]));
    expect([...byName.keys()].sort()).toEqual(["app-backups", "db-backups", "pg-data-vol", "pg-data-vol-2026-06-30", "pg-primary (Boot Volume)"]);
    const volume = byName.get("pg-data-vol")!;
    expect(volume).toMatchObject({ kind: "volume", kmsKeyId: EXAMPLE.volumeKey.id, namespace: null, sourceId: null, lifecycleState: "AVAILABLE" });
    expect(byName.get("pg-data-vol-2026-06-30")).toMatchObject({ kind: "volumebackup", kmsKeyId: EXAMPLE.volumeKey.id, sourceId: volume.id });
    expect(byName.get("pg-primary (Boot Volume)")).toMatchObject({ kind: "bootvolume", kmsKeyId: EXAMPLE.volumeKey.id });
    expect(byName.get("db-backups")).toMatchObject({
      kind: "bucket", kmsKeyId: EXAMPLE.bucketKey.id, namespace: NAMESPACE, bucketName: "db-backups", lifecycleState: null,
      id: sim.state.buckets.get("db-backups")!.id,
    });
    expect(byName.get("app-backups")!.freeformTags).toEqual({ "backup-encryption": "enabled", "cost-center": "cc-4410" });
    expect(found.every((r) => r.timeCreated === null || r.timeCreated.endsWith("Z"))).toBe(true);
  });

  it("finds resources by a defined tag; a bucket without a customer key has kmsKeyId null", async () => {
    const { resources: found } = await ports.findTaggedResources(parseTagSelector("Backup.encryption=enabled"));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: "bucket", bucketName: "web-assets", kmsKeyId: null, definedTags: { Backup: { encryption: "enabled" } } });
    expect(await ports.findTaggedResources(parseTagSelector("Backup.encryption=disabled"))).toEqual({ resources: [], unreadable: [] });
  });

  it("reads and moves a volume's and a boot volume's key; the read-back shows the move", async () => {
    const { sim } = suite();
    const volumeId = [...sim.state.volumes.values()].find((v) => v.displayName === "pg-data-vol")!.id;
    const bootId = [...sim.state.bootVolumes.values()][0]!.id;
    expect(await ports.blockVolume.getKmsKey("volume", volumeId)).toBe(EXAMPLE.volumeKey.id);
    const kms = ports.kms(await ports.getVault(EXAMPLE.vaultId));
    const successor = (await kms.createKey({
      compartmentId: EXAMPLE.securityId, displayName: "move-target", algorithm: "AES", length: 32, curveId: null, protectionMode: "HSM", freeformTags: {}, definedTags: {},
    }, "move-target")).value;
    const moved = await ports.blockVolume.updateKmsKey("volume", volumeId, successor.id);
    expect(moved).toMatchObject({ value: successor.id, attempts: 1, opcRequestId: sim.calls.at(-1)!.requestId });
    expect(await ports.blockVolume.getKmsKey("volume", volumeId)).toBe(successor.id);
    expect((await ports.blockVolume.updateKmsKey("bootvolume", bootId, successor.id)).value).toBe(successor.id);
    expect(await ports.blockVolume.getKmsKey("bootvolume", bootId)).toBe(successor.id);
    expect(sim.calls.slice(-4).map((c) => c.operation)).toEqual(["UpdateVolumeKmsKey", "GetVolumeKmsKey", "UpdateBootVolumeKmsKey", "GetBootVolumeKmsKey"]);
  });

  it("re-encrypts a bucket and reads its work request; a failed one carries its error messages", async () => {
    const { sim } = suite();
    const started = await ports.objectStorage.reencryptBucket(NAMESPACE, "db-backups");
    expect(started.workRequestId).toMatch(/\S/);
    expect(started.opcRequestId).toBe(sim.calls.at(-1)!.requestId);
    const wr = await ports.objectStorage.getWorkRequest(started.workRequestId!);
    expect(wr).toMatchObject({ id: started.workRequestId, operationType: "REENCRYPT", errors: [] });
    expect(["ACCEPTED", "IN_PROGRESS", "COMPLETED"]).toContain(wr.status);
    expect(wr.timeAccepted).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);

    sim.faults.set("ReencryptBucket", { workRequest: "fail" });
    const failing = await ports.objectStorage.reencryptBucket(NAMESPACE, "app-backups");
    sim.faults.clear("ReencryptBucket");
    sim.clock.advance(24 * 3600_000);
    const failed = await ports.objectStorage.getWorkRequest(failing.workRequestId!).finally(() => sim.clock.advance(-24 * 3600_000));
    expect(failed.status).toBe("FAILED");
    expect(failed.errors.length).toBeGreaterThan(0);
    expect(sim.calls.slice(-2).map((c) => c.operation)).toEqual(["GetWorkRequest", "ListWorkRequestErrors"]);
  });

  it("finds a bucket's REENCRYPT work requests accepted since an instant through ListWorkRequests, oldest first, and no other bucket's", async () => {
    const { sim } = suite();
    // After the work requests of the test above.
    sim.clock.advance(1_000);
    const since = sim.clock.now().toISOString();
    sim.clock.advance(1_000);
    const first = await ports.objectStorage.reencryptBucket(NAMESPACE, "db-backups");
    sim.clock.advance(1_000);
    const other = await ports.objectStorage.reencryptBucket(NAMESPACE, "app-backups");
    sim.clock.advance(1_000);
    const second = await ports.objectStorage.reencryptBucket(NAMESPACE, "db-backups");
    const from = sim.calls.length;
    const found = await ports.objectStorage.findReencryptWorkRequests(EXAMPLE.backupProdId, NAMESPACE, "db-backups", since);
    expect(found.map((w) => w.id)).toEqual([first.workRequestId, second.workRequestId]);
    expect(found[0]).toMatchObject({ operationType: "REENCRYPT", errors: [], timeAccepted: new Date(Date.parse(since) + 1_000).toISOString() });
    expect(found.map((w) => w.id)).not.toContain(other.workRequestId);
    expect(callsSince(from)).toEqual(["ListWorkRequests 200"]);
    // Accepted before the bound: not found.
    const later = new Date(Date.parse(since) + 2_500).toISOString();
    expect((await ports.objectStorage.findReencryptWorkRequests(EXAMPLE.backupProdId, NAMESPACE, "db-backups", later)).map((w) => w.id)).toEqual([second.workRequestId]);
    expect(await ports.objectStorage.findReencryptWorkRequests(EXAMPLE.backupProdId, "othernamespace", "db-backups", since)).toEqual([]);
  });

  it("paces KMS writes to kmsWritesPerSecond across every vault's client, and leaves reads unpaced", async () => {
    const { sim } = suite();
    const paced = portsFor(sim, { kmsWritesPerSecond: 2 });
    try {
      const kms = paced.kms(await paced.getVault(EXAMPLE.vaultId));
      const t0 = performance.now();
      const reads = await Promise.all(Array.from({ length: 6 }, async () => {
        await kms.getKey(EXAMPLE.bucketKey.id);
        return performance.now() - t0;
      }));
      expect(Math.max(...reads)).toBeLessThan(500);
      const t1 = performance.now();
      const writes = await Promise.all(["pace-1", "pace-2", "pace-3"].map(async (token) => {
        await kms.createKeyVersion(EXAMPLE.bucketKey.id, token);
        return performance.now() - t1;
      }));
      writes.sort((a, b) => a - b);
      // Two at once, the third a window (1 s + 5%) later.
      expect(writes[1]!).toBeLessThan(500);
      expect(writes[2]!).toBeGreaterThanOrEqual(1_040);
    } finally {
      paced.close();
    }
  });

  it("publishes a RAW_TEXT message to an ONS topic", async () => {
    const { sim } = suite();
    const topicId = [...sim.state.topics.keys()][0]!;
    const sent = await ports.signals.publishMessage(topicId, "keyproof: rotation partial", "1 of 4 keys failed: throttled");
    expect(sent.value.messageId).toMatch(/\S/);
    expect(sim.messages.at(-1)).toMatchObject({ topicId, title: "keyproof: rotation partial", body: "1 of 4 keys failed: throttled" });
  });

  it("posts metrics in namespace keyproof, 50 streams per call, with our own UTC timestamps", async () => {
    const { sim } = suite();
    const at = sim.clock.now().toISOString();
    const metrics = Array.from({ length: 60 }, (_, i) => ({
      name: "key_version_age_days", compartmentId: EXAMPLE.securityId, dimensions: { keyId: `key-${i}` }, timestamp: at, value: i,
    }));
    const before = sim.metrics.length;
    const since = sim.calls.length;
    const posted = await ports.signals.postMetricData(metrics);
    expect(callsSince(since)).toEqual(["PostMetricData 200", "PostMetricData 200"]);
    expect(posted).toMatchObject({ value: { failedMetricsCount: 0 }, attempts: 2 });
    const accepted = sim.metrics.slice(before);
    expect(accepted).toHaveLength(60);
    expect(accepted.every((m) => m.namespace === "keyproof")).toBe(true);
    expect(accepted[59]).toMatchObject({ name: "key_version_age_days", dimensions: { keyId: "key-59" }, datapoints: [{ value: 59 }] });
    expect(Date.parse(String(accepted[0]!.datapoints[0]!.timestamp))).toBe(Date.parse(at));
  });

  it("fails a missing resource with OciCallError, not retried", async () => {
    const kms = ports.kms(await ports.getVault(EXAMPLE.vaultId));
    const since = suite().sim.calls.length;
    const error = await kms.getKey("ocid1.key.oc1.iad.ejsppeqvaafyi.doesnotexist").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OciCallError);
    expect(error).toMatchObject({ operation: "GetKey", reason: "not-authorized-or-not-found", statusCode: 404, attempts: 1 });
    expect(callsSince(since)).toEqual(["GetKey 404"]);
  });
});

describe("parseTagSelector", () => {
  it("reads freeform key=value and defined namespace.key=value", () => {
    expect(parseTagSelector("backup-encryption=enabled")).toEqual({ namespace: null, key: "backup-encryption", value: "enabled" });
    expect(parseTagSelector("Backup.encryption=enabled")).toEqual({ namespace: "Backup", key: "encryption", value: "enabled" });
    expect(parseTagSelector("backup=")).toEqual({ namespace: null, key: "backup", value: "" });
  });

  it("refuses anything else naming scope.tag", () => {
    for (const bad of ["backup", "a.b.c=d", ".key=v", "ns.=v", "a=b=c", "has space=v"]) {
      expect(() => parseTagSelector(bad), bad).toThrow(/scope\.tag/);
    }
  });
});
