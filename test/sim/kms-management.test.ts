import * as common from "oci-common";
import type { models, requests, responses } from "oci-keymanagement";
import { describe, expect, it } from "vitest";
import { DAY_MS } from "../../src/sim/sim-clock.js";
import { buildClients, closeClients, EXAMPLE, useSimulator } from "../helpers/sim.js";

const ENABLED_TAG = { "backup-encryption": "enabled" };

describe("KMS key operations through KmsManagementClient", () => {
  const suite = useSimulator();

  async function newKey(name: string, extra: Record<string, unknown> = {}) {
    const { key } = await suite().clients.management.createKey({
      createKeyDetails: {
        compartmentId: EXAMPLE.securityId, displayName: name, keyShape: { algorithm: "AES" as never, length: 32 },
        protectionMode: "HSM" as never, freeformTags: ENABLED_TAG, ...extra,
      },
    });
    return key;
  }

  it("creates a key with its first version and answers CREATING, then GetKey shows ENABLED", async () => {
    const { sim, clients } = suite();
    const created = await newKey("successor-key");
    expect(created.lifecycleState).toBe("CREATING");
    expect(created.id).toMatch(/^ocid1\.key\.oc1\.iad\.ejsppeqvaafyi\.abuwcljs[a-z2-7]{52}$/);
    expect(created.vaultId).toBe(EXAMPLE.vaultId);
    expect(created.keyShape).toEqual({ algorithm: "AES", length: 32 });
    expect(created.freeformTags).toEqual(ENABLED_TAG);
    expect(created.timeCreated as unknown as string).toBe(sim.clock.now().toISOString());
    const { key, etag } = await clients.management.getKey({ keyId: created.id });
    expect(key.lifecycleState).toBe("ENABLED");
    expect(key.currentKeyVersion).toBe(created.currentKeyVersion);
    expect(key.isPrimary).toBe(true);
    expect(etag).toMatch(/^[0-9a-f]{64}$/);
    const version = (await clients.management.getKeyVersion({ keyId: key.id, keyVersionId: key.currentKeyVersion })).keyVersion;
    expect(version).toMatchObject({ keyId: key.id, lifecycleState: "ENABLED", origin: "INTERNAL", isAutoRotated: false });
    expect(version.publicKey).toBeUndefined();
  });

  it("rejects a key shape OCI does not offer with 400 InvalidParameter", async () => {
    await expect(newKey("bad", { keyShape: { algorithm: "AES", length: 20 } })).rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    await expect(newKey("bad", { keyShape: undefined })).rejects.toMatchObject({ statusCode: 400, serviceCode: "MissingParameter" });
  });

  it("lists keys without currentKeyVersion, filtered and paginated through paginateRecords", async () => {
    const { clients } = suite();
    const all = [];
    const request: requests.ListKeysRequest = { compartmentId: EXAMPLE.securityId, limit: 2 };
    const pages = common.paginateRecords<requests.ListKeysRequest, responses.ListKeysResponse, models.KeySummary>(request, (r) => clients.management.listKeys(r));
    for await (const key of pages) all.push(key);
    const names = all.map((k) => k.displayName);
    expect(names).toEqual(expect.arrayContaining(["backup-objects-key", "backup-volumes-2026-04", "keyproof-manifest-signing"]));
    expect(all[0]).not.toHaveProperty("currentKeyVersion");
    const rsa = await clients.management.listKeys({ compartmentId: EXAMPLE.securityId, algorithm: "RSA" as never });
    expect(rsa.items.map((k) => k.displayName)).toEqual(["keyproof-manifest-signing"]);
    const byName = await clients.management.listKeys({ compartmentId: EXAMPLE.securityId, sortBy: "DISPLAYNAME" as never, sortOrder: "ASC" as never });
    expect(byName.items.map((k) => k.displayName)).toEqual([...byName.items.map((k) => k.displayName)].sort());
  });

  it("rejects a page token used with other filters", async () => {
    const { clients } = suite();
    const first = await clients.management.listKeys({ compartmentId: EXAMPLE.securityId, limit: 1 });
    expect(first.opcNextPage).toMatch(/^[A-Za-z0-9_-]+$/);
    await expect(clients.management.listKeys({ compartmentId: EXAMPLE.backupProdId, limit: 1, page: first.opcNextPage })).rejects.toMatchObject({
      statusCode: 400, serviceCode: "InvalidParameter",
    });
  });

  it("rotates a key with CreateKeyVersion: the new version is current and listed newest first", async () => {
    const { clients } = suite();
    const keyId = EXAMPLE.bucketKey.id;
    const { keyVersion } = await clients.management.createKeyVersion({ keyId });
    expect(keyVersion.lifecycleState).toBe("ENABLING");
    expect((await clients.management.getKey({ keyId })).key.currentKeyVersion).toBe(keyVersion.id);
    const versions = (await clients.management.listKeyVersions({ keyId })).items;
    expect(versions).toHaveLength(4);
    expect(versions[0]!.id).toBe(keyVersion.id);
    expect(versions.map((v) => v.lifecycleState)).toEqual(["ENABLED", "ENABLED", "ENABLED", "ENABLED"]);
  });

  it("updates tags with if-match and answers a stale etag with 412 NoEtagMatch", async () => {
    const { clients } = suite();
    const key = await newKey("tagged");
    const { etag } = await clients.management.getKey({ keyId: key.id });
    const updated = await clients.management.updateKey({ keyId: key.id, ifMatch: etag, updateKeyDetails: { freeformTags: { ...ENABLED_TAG, owner: "platform" } } });
    expect(updated.key.freeformTags).toEqual({ ...ENABLED_TAG, owner: "platform" });
    expect(updated.etag).not.toBe(etag);
    await expect(clients.management.updateKey({ keyId: key.id, ifMatch: etag, updateKeyDetails: { displayName: "x" } })).rejects.toMatchObject({
      statusCode: 412, serviceCode: "NoEtagMatch",
    });
  });

  it("disables and enables a key, and refuses to rotate a disabled key with 409 IncorrectState", async () => {
    const { clients } = suite();
    const key = await newKey("toggled");
    expect((await clients.management.disableKey({ keyId: key.id })).key.lifecycleState).toBe("DISABLING");
    await expect(clients.management.createKeyVersion({ keyId: key.id })).rejects.toMatchObject({ statusCode: 409, serviceCode: "IncorrectState" });
    await expect(clients.management.disableKey({ keyId: key.id })).rejects.toMatchObject({ statusCode: 409 });
    expect((await clients.management.enableKey({ keyId: key.id })).key.lifecycleState).toBe("ENABLING");
    expect((await clients.management.getKey({ keyId: key.id })).key.lifecycleState).toBe("ENABLED");
  });

  it("schedules key deletion 7 to 30 days ahead (30 by default) and forbids everything but cancelling", async () => {
    const { sim, clients } = suite();
    const key = await newKey("doomed");
    const now = sim.clock.now().getTime();
    await expect(clients.management.scheduleKeyDeletion({ keyId: key.id, scheduleKeyDeletionDetails: { timeOfDeletion: new Date(now + 6 * DAY_MS) } }))
      .rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    await expect(clients.management.scheduleKeyDeletion({ keyId: key.id, scheduleKeyDeletionDetails: { timeOfDeletion: new Date(now + 31 * DAY_MS) } }))
      .rejects.toMatchObject({ statusCode: 400 });
    const scheduled = await clients.management.scheduleKeyDeletion({ keyId: key.id, scheduleKeyDeletionDetails: {} });
    expect(scheduled.key.lifecycleState).toBe("SCHEDULING_DELETION");
    expect(scheduled.key.timeOfDeletion as unknown as string).toBe(new Date(now + 30 * DAY_MS).toISOString());
    expect((await clients.management.getKey({ keyId: key.id })).key.lifecycleState).toBe("PENDING_DELETION");
    for (const call of [
      () => clients.management.createKeyVersion({ keyId: key.id }),
      () => clients.management.updateKey({ keyId: key.id, updateKeyDetails: { displayName: "x" } }),
      () => clients.management.disableKey({ keyId: key.id }),
      () => clients.management.scheduleKeyDeletion({ keyId: key.id, scheduleKeyDeletionDetails: {} }),
    ]) {
      await expect(call()).rejects.toMatchObject({ statusCode: 409, serviceCode: "IncorrectState" });
    }
    expect((await clients.management.cancelKeyDeletion({ keyId: key.id })).key.lifecycleState).toBe("CANCELLING_DELETION");
    const back = (await clients.management.getKey({ keyId: key.id })).key;
    expect(back.lifecycleState).toBe("ENABLED");
    expect(back.timeOfDeletion).toBeUndefined();
  });

  it("deletes a key version at its timeOfDeletion but never the current version", async () => {
    const { sim, clients } = suite();
    const key = await newKey("versions");
    const v1 = key.currentKeyVersion;
    await expect(clients.management.scheduleKeyVersionDeletion({ keyId: key.id, keyVersionId: v1, scheduleKeyVersionDeletionDetails: {} }))
      .rejects.toMatchObject({ statusCode: 409, serviceCode: "IncorrectState" });
    await clients.management.createKeyVersion({ keyId: key.id });
    const at = new Date(sim.clock.now().getTime() + 7 * DAY_MS);
    const scheduled = await clients.management.scheduleKeyVersionDeletion({ keyId: key.id, keyVersionId: v1, scheduleKeyVersionDeletionDetails: { timeOfDeletion: at } });
    expect(scheduled.keyVersion).toMatchObject({ lifecycleState: "SCHEDULING_DELETION", timeOfDeletion: at.toISOString() });
    const cancelled = await clients.management.cancelKeyVersionDeletion({ keyId: key.id, keyVersionId: v1 });
    expect(cancelled.keyVersion.lifecycleState).toBe("CANCELLING_DELETION");
    await clients.management.scheduleKeyVersionDeletion({ keyId: key.id, keyVersionId: v1, scheduleKeyVersionDeletionDetails: { timeOfDeletion: at } });
    sim.clock.advance(7 * DAY_MS);
    expect(sim.state.keyVersions.get(v1)!.lifecycleState).toBe("DELETED");
    sim.clock.advance(-7 * DAY_MS);
  });

  it("keeps keys behind their own vault: a key of another vault is 404 and a replica refuses writes with 409", async () => {
    const { sim, provider } = suite();
    const replica = await buildClients(sim, provider, EXAMPLE.replicaVaultId);
    try {
      const { key } = await replica.management.getKey({ keyId: EXAMPLE.bucketKey.id });
      expect(key.isPrimary).toBe(false);
      expect(key.vaultId).toBe(EXAMPLE.replicaVaultId);
      await expect(replica.management.createKeyVersion({ keyId: EXAMPLE.bucketKey.id })).rejects.toMatchObject({ statusCode: 409, serviceCode: "Conflict" });
      await expect(replica.management.getKey({ keyId: "ocid1.key.oc1.iad.otherprefix1.abuwcljsnothere" })).rejects.toMatchObject({ statusCode: 404 });
      // A refused CreateKey is audited in the compartment it targeted, so ListEvents there shows the attempt.
      const refused = await replica.management
        .createKey({ createKeyDetails: { compartmentId: EXAMPLE.backupProdId, displayName: "on-replica", keyShape: { algorithm: "AES" as models.KeyShape.Algorithm, length: 32 } } })
        .catch((e: { statusCode: number; opcRequestId: string }) => e);
      expect(refused).toMatchObject({ statusCode: 409 });
      const event = sim.audit.events().find((e) => e.data.request.id === (refused as { opcRequestId: string }).opcRequestId)!;
      expect(event.data.compartmentId).toBe(EXAMPLE.backupProdId);
    } finally {
      closeClients(replica);
    }
  });

  it("allows auto-rotation only in a virtual private vault with an interval of 60 to 365 days", async () => {
    const { clients } = suite();
    const key = await newKey("auto");
    await expect(clients.management.updateKey({ keyId: key.id, updateKeyDetails: { isAutoRotationEnabled: true, autoKeyRotationDetails: { rotationIntervalInDays: 59 } } }))
      .rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    const { key: updated } = await clients.management.updateKey({
      keyId: key.id, updateKeyDetails: { isAutoRotationEnabled: true, autoKeyRotationDetails: { rotationIntervalInDays: 90 } },
    });
    expect(updated.isAutoRotationEnabled).toBe(true);
    expect(updated.autoKeyRotationDetails?.rotationIntervalInDays).toBe(90);
    expect(updated.autoKeyRotationDetails?.timeOfNextRotation as unknown as string).toMatch(/T00:00:00\.000Z$/);
  });

});

describe("KMS management write throttling", () => {
  const suite = useSimulator({ writeLimits: {} });

  it("throttles management writes above 10 per second per tenancy with 429 TooManyRequests", async () => {
    const { clients } = suite();
    const keyId = EXAMPLE.bucketKey.id;
    const results = await Promise.allSettled(Array.from({ length: 12 }, () => clients.management.createKeyVersion({ keyId })));
    const rejected = results.filter((r) => r.status === "rejected") as PromiseRejectedResult[];
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(10);
    expect(rejected.map((r) => r.reason)).toEqual([
      expect.objectContaining({ statusCode: 429, serviceCode: "TooManyRequests" }),
      expect.objectContaining({ statusCode: 429, serviceCode: "TooManyRequests" }),
    ]);
  });
});
