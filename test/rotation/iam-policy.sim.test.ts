/**
 * The policy's operations are enough, and nothing more: simulator users whose allow lists are
 * exactly the rotator's / the auditor's operations (src/sim/README.md, `allowedOperations`) call
 * OCI through the real adapter. Everything the rotator does succeeds; any write outside the
 * policy is refused 404 NotAuthorizedOrNotFound, as OCI answers, and changes nothing.
 */
import * as common from "oci-common";
import { AuditClient } from "oci-audit";
import { BlockstorageClient } from "oci-core";
import { KmsManagementClient } from "oci-keymanagement";
import { LogSearchClient } from "oci-loggingsearch";
import { ObjectStorageClient } from "oci-objectstorage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.js";
import { OciCallError, type OciPorts } from "../../src/oci/oci-ports.js";
import { buildIamPolicy } from "../../src/rotation/iam-policy.js";
import { createSimClock } from "../../src/sim/sim-clock.js";
import type { Simulator } from "../../src/sim/start-simulator.js";
import { portsFor } from "../helpers/oci-ports.js";
import { EXAMPLE, exampleSeed, generatedUser, providerFor, useSimulator } from "../helpers/sim.js";

const NOW = "2026-10-05T02:00:00.000Z";
const TOPIC = exampleSeed().topics![0]!;
const CONFIG = loadConfig({
  KEYPROOF_DATABASE: ":memory:", KEYPROOF_COMPARTMENTS: `${EXAMPLE.securityId},${EXAMPLE.backupProdId}`,
  KEYPROOF_ONS_TOPIC: TOPIC.id, KEYPROOF_METRICS_COMPARTMENT: EXAMPLE.securityId,
});
const POLICY = buildIamPolicy(CONFIG);
const rotator = generatedUser("iam-rotator", { allowedOperations: POLICY.rotator.operations });
const auditor = generatedUser("iam-auditor", { allowedOperations: POLICY.auditor.operations });

const noBreaker = { circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }) };
const NO_RETRY: common.RetryConfiguration = { terminationStrategy: new common.MaxAttemptsTerminationStrategy(1) };

function sdkClients(sim: Simulator, userId: string, pem: string) {
  const params = { authenticationDetailsProvider: providerFor(sim, userId, pem) };
  const management = new KmsManagementClient(params, noBreaker);
  management.endpoint = sim.vaultEndpoints(EXAMPLE.vaultId).management;
  const block = new BlockstorageClient(params, noBreaker);
  block.endpoint = sim.endpoints.blockstorage;
  const objects = new ObjectStorageClient(params, { ...noBreaker, retryConfiguration: NO_RETRY });
  objects.endpoint = sim.endpoints.objectstorage;
  const audit = new AuditClient(params, noBreaker);
  audit.endpoint = sim.endpoints.audit;
  const logging = new LogSearchClient(params, noBreaker);
  logging.endpoint = sim.endpoints.logging;
  return { management, block, objects, audit, logging, close: () => [management, block, objects, audit, logging].forEach((c) => c.close()) };
}

const refused = { statusCode: 404, serviceCode: "NotAuthorizedOrNotFound" };

describe("the rotator's IAM policy, enforced by the simulator's allow lists", () => {
  const suite = useSimulator({
    clock: createSimClock({ start: NOW }), maxClockSkewMs: Infinity,
    changeSeed: (seed) => seed.users.push(rotator.seedUser, auditor.seedUser),
  });
  let ports: OciPorts;
  let sdk: ReturnType<typeof sdkClients>;
  beforeAll(() => {
    ports = portsFor(suite().sim, { userId: rotator.seedUser.id, privateKeyPem: rotator.privateKey });
    sdk = sdkClients(suite().sim, rotator.seedUser.id, rotator.privateKey);
  });
  afterAll(() => {
    ports?.close();
    sdk?.close();
  });

  it("lets the rotator make every call a rotation makes, and every call is one the policy names", async () => {
    const { sim } = suite();
    const first = sim.calls.length;
    // Inventory (collect-inventory): compartments, vaults, keys and versions, tagged resources.
    expect(await ports.listCompartmentSubtree(EXAMPLE.tenancyId)).toEqual(expect.arrayContaining([EXAMPLE.securityId, EXAMPLE.backupProdId]));
    const [vault] = (await ports.listVaults(EXAMPLE.securityId)).filter((v) => v.id === EXAMPLE.vaultId);
    expect((await ports.getVault(EXAMPLE.vaultId)).managementEndpoint).toBe(vault!.managementEndpoint);
    const kms = ports.kms(vault!);
    expect((await kms.listKeys(EXAMPLE.securityId)).map((k) => k.id)).toContain(EXAMPLE.bucketKey.id);
    const volumeKey = await kms.getKey(EXAMPLE.volumeKey.id);
    expect(await kms.listKeyVersions(EXAMPLE.bucketKey.id)).toHaveLength(EXAMPLE.bucketKey.versions.length);
    const { resources, unreadable } = await ports.findTaggedResources({ namespace: null, key: "backup-encryption", value: "enabled" });
    expect(unreadable).toEqual([]);
    expect(new Set(resources.map((r) => r.kind))).toEqual(new Set(["volume", "bootvolume", "volumebackup", "bucket"]));

    // Bucket key: CreateKeyVersion, then ReencryptBucket and its work request.
    const version = await kms.createKeyVersion(EXAMPLE.bucketKey.id, "iam-test-version-token");
    expect(version.value.keyId).toBe(EXAMPLE.bucketKey.id);
    const bucket = resources.find((r) => r.kind === "bucket")!;
    const reencrypt = await ports.objectStorage.reencryptBucket(bucket.namespace!, bucket.bucketName!);
    expect((await ports.objectStorage.getWorkRequest(reencrypt.workRequestId!)).id).toBe(reencrypt.workRequestId);

    // Volume key: a successor key, each volume and boot volume moved to it, read back.
    const successor = await kms.createKey({
      compartmentId: volumeKey.compartmentId, displayName: "backup-volumes-iam-test", algorithm: "AES", length: 32, curveId: null,
      protectionMode: volumeKey.protectionMode, freeformTags: { ...volumeKey.freeformTags, predecessor: volumeKey.id }, definedTags: {},
    }, "iam-test-key-token");
    for (const r of resources.filter((x) => x.kind === "volume" || x.kind === "bootvolume")) {
      const kind = r.kind as "volume" | "bootvolume";
      await ports.blockVolume.updateKmsKey(kind, r.id, successor.value.id);
      expect(await ports.blockVolume.getKmsKey(kind, r.id)).toBe(successor.value.id);
    }

    // Signals and evidence.
    await ports.signals.publishMessage(TOPIC.id, "iam test", "body");
    expect((await ports.signals.postMetricData([{ name: "RunDurationMs", compartmentId: EXAMPLE.securityId, dimensions: { job: "rotation" }, timestamp: NOW, value: 1 }])).value.failedMetricsCount).toBe(0);
    await sdk.audit.listEvents({ compartmentId: EXAMPLE.securityId, startTime: "2026-10-05T00:00:00Z" as unknown as Date, endTime: "2026-10-05T03:00:00Z" as unknown as Date });
    await sdk.logging.searchLogs({ searchLogsDetails: { timeStart: "2026-10-05T00:00:00.000Z" as unknown as Date, timeEnd: "2026-10-05T03:00:00.000Z" as unknown as Date, searchQuery: `search "${EXAMPLE.securityId}/_Audit"` } });

    const calls = sim.calls.slice(first);
    expect(calls.every((c) => c.principal === "iam-rotator")).toBe(true);
    expect(calls.filter((c) => c.status >= 400)).toEqual([]);
    const used = [...new Set(calls.map((c) => c.operation))].sort();
    for (const op of used) expect(POLICY.rotator.operations).toContain(op);
    expect(used).toEqual(expect.arrayContaining([
      "CreateKey", "CreateKeyVersion", "GetBootVolumeKmsKey", "GetKey", "GetNamespace", "GetVault", "GetVolumeKmsKey", "GetWorkRequest", "ListCompartments",
      "ListEvents", "ListKeyVersions", "ListKeys", "ListVaults", "PostMetricData", "PublishMessage", "ReencryptBucket", "SearchLogs", "SearchResources",
      "UpdateBootVolumeKmsKey", "UpdateVolumeKmsKey",
    ]));
  });

  it("refuses every write outside the policy with 404 NotAuthorizedOrNotFound, and nothing changes", async () => {
    const { sim } = suite();
    const keyId = EXAMPLE.volumeKey.id;
    const before = sim.state.keys.get(keyId)!;
    const volume = exampleSeed().volumes![0]!;
    const bucket = exampleSeed().buckets![0]!;
    const ns = sim.state.tenancy.namespace;
    const attempts: [string, () => Promise<unknown>][] = [
      ["ScheduleKeyDeletion", () => sdk.management.scheduleKeyDeletion({ keyId, scheduleKeyDeletionDetails: {} })],
      ["DisableKey", () => sdk.management.disableKey({ keyId })],
      ["UpdateKey", () => sdk.management.updateKey({ keyId, updateKeyDetails: { displayName: "renamed" } })],
      ["ScheduleKeyVersionDeletion", () => sdk.management.scheduleKeyVersionDeletion({ keyId: EXAMPLE.bucketKey.id, keyVersionId: EXAMPLE.bucketKey.versions[0]!.id, scheduleKeyVersionDeletionDetails: {} })],
      ["DeleteVolumeKmsKey", () => sdk.block.deleteVolumeKmsKey({ volumeId: volume.id })],
      ["UpdateBucket", () => sdk.objects.updateBucket({ namespaceName: ns, bucketName: bucket.name, updateBucketDetails: { kmsKeyId: "" } })],
      ["PutObject", () => sdk.objects.putObject({ namespaceName: ns, bucketName: bucket.name, objectName: "x", putObjectBody: "x", contentLength: 1 })],
    ];
    for (const [operation, attempt] of attempts) {
      await expect(attempt(), operation).rejects.toMatchObject(refused);
      expect(sim.calls.at(-1)).toMatchObject({ operation, status: 404, principal: "iam-rotator" });
    }
    const after = sim.state.keys.get(keyId)!;
    expect([after.lifecycleState, after.displayName]).toEqual([before.lifecycleState, before.displayName]);
    expect(after.lifecycleState).toBe("ENABLED");
  });

  it("lets the auditor read everything the rotator reads and refuses its writes", async () => {
    const { sim } = suite();
    const auditorPorts = portsFor(sim, { userId: auditor.seedUser.id, privateKeyPem: auditor.privateKey });
    try {
      const vault = (await auditorPorts.listVaults(EXAMPLE.securityId)).find((v) => v.id === EXAMPLE.vaultId)!;
      const kms = auditorPorts.kms(vault);
      expect((await kms.getKey(EXAMPLE.bucketKey.id)).id).toBe(EXAMPLE.bucketKey.id);
      const found = await auditorPorts.findTaggedResources({ namespace: null, key: "backup-encryption", value: "enabled" });
      expect([found.resources.length, found.unreadable]).toEqual([5, []]);
      const writes: [string, () => Promise<unknown>][] = [
        ["CreateKeyVersion", () => kms.createKeyVersion(EXAMPLE.bucketKey.id, "auditor-token")],
        ["ReencryptBucket", () => auditorPorts.objectStorage.reencryptBucket(sim.state.tenancy.namespace, exampleSeed().buckets![0]!.name)],
        ["UpdateVolumeKmsKey", () => auditorPorts.blockVolume.updateKmsKey("volume", exampleSeed().volumes![0]!.id, EXAMPLE.volumeKey.id)],
        ["PublishMessage", () => auditorPorts.signals.publishMessage(TOPIC.id, "t", "b")],
      ];
      for (const [operation, write] of writes) {
        const error = await write().then(() => null, (e: unknown) => e);
        expect(error, operation).toBeInstanceOf(OciCallError);
        expect(error).toMatchObject({ operation, reason: "not-authorized-or-not-found", statusCode: 404, serviceCode: "NotAuthorizedOrNotFound", attempts: 1 });
      }
    } finally {
      auditorPorts.close();
    }
  });
});
