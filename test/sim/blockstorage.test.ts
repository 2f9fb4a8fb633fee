import * as common from "oci-common";
import { BlockstorageClient, type models, type requests, type responses } from "oci-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createVolumeBackup } from "../../src/sim/blockstorage/create-volume-backup.js";
import { EXAMPLE, exampleSeed, useSimulator } from "../helpers/sim.js";

const seed = exampleSeed();
const VOLUME = seed.volumes![0]!.id;
const BOOT_VOLUME = seed.bootVolumes![0]!.id;
const BACKUP = seed.volumeBackups![0]!.id;

describe("Block Volume through BlockstorageClient", () => {
  const suite = useSimulator();
  let block: BlockstorageClient;
  beforeAll(() => {
    block = new BlockstorageClient({ authenticationDetailsProvider: suite().provider }, { circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }) });
    block.endpoint = suite().sim.endpoints.blockstorage;
  });
  afterAll(() => block.close());

  async function successorKey(name: string, algorithm = "AES", length = 32) {
    const { key } = await suite().clients.management.createKey({
      createKeyDetails: { compartmentId: EXAMPLE.securityId, displayName: name, keyShape: { algorithm: algorithm as never, length }, protectionMode: "HSM" as never },
    });
    return key;
  }

  it("answers GetVolume and GetBootVolume with the Core models and an etag", async () => {
    const { volume, etag } = await block.getVolume({ volumeId: VOLUME });
    expect(volume).toMatchObject({
      id: VOLUME, compartmentId: EXAMPLE.backupProdId, displayName: "pg-data-vol", kmsKeyId: EXAMPLE.volumeKey.id, lifecycleState: "AVAILABLE",
      sizeInGBs: 200, sizeInMBs: 204800, availabilityDomain: "Uocm:US-ASHBURN-AD-1", freeformTags: { "backup-encryption": "enabled" },
    });
    expect(volume.timeCreated as unknown as string).toBe("2026-03-02T08:41:19.512Z");
    expect(etag).toMatch(/^[0-9a-f]{64}$/);
    const { bootVolume } = await block.getBootVolume({ bootVolumeId: BOOT_VOLUME });
    expect(bootVolume).toMatchObject({ id: BOOT_VOLUME, displayName: "pg-primary (Boot Volume)", kmsKeyId: EXAMPLE.volumeKey.id, sizeInGBs: 50 });
    await expect(block.getVolume({ volumeId: "ocid1.volume.oc1.iad.nope" })).rejects.toMatchObject({ statusCode: 404, serviceCode: "NotAuthorizedOrNotFound" });
  });

  it("lists volumes, boot volumes and backups as bare arrays through paginateRecords", async () => {
    const { sim } = suite();
    createVolumeBackup(sim.state, VOLUME, "2026-07-01T01:00:00.000Z");
    const request: requests.ListVolumeBackupsRequest = { compartmentId: EXAMPLE.backupProdId, volumeId: VOLUME, limit: 1 };
    const backups: models.VolumeBackup[] = [];
    for await (const b of common.paginateRecords<requests.ListVolumeBackupsRequest, responses.ListVolumeBackupsResponse, models.VolumeBackup>(request, (r) => block.listVolumeBackups(r))) backups.push(b);
    expect(backups.map((b) => b.displayName)).toEqual(["pg-data-vol-2026-07-01", "pg-data-vol-2026-06-30"]);
    expect(backups[1]).toMatchObject({ id: BACKUP, volumeId: VOLUME, type: "FULL", kmsKeyId: EXAMPLE.volumeKey.id, lifecycleState: "AVAILABLE" });
    expect((await block.listVolumes({ compartmentId: EXAMPLE.backupProdId })).items.map((v) => v.id)).toEqual([VOLUME]);
    expect((await block.listVolumes({ compartmentId: EXAMPLE.securityId })).items).toEqual([]);
    expect((await block.listBootVolumes({ compartmentId: EXAMPLE.backupProdId, availabilityDomain: "Uocm:US-ASHBURN-AD-1" })).items.map((v) => v.id)).toEqual([BOOT_VOLUME]);
    const bootBackup = createVolumeBackup(sim.state, BOOT_VOLUME, "2026-07-02T01:00:00.000Z");
    const boots = await block.listBootVolumeBackups({ compartmentId: EXAMPLE.backupProdId });
    expect(boots.items.map((b) => b.id)).toEqual([bootBackup.id]);
    expect((await block.getBootVolumeBackup({ bootVolumeBackupId: bootBackup.id })).bootVolumeBackup).toMatchObject({ bootVolumeId: BOOT_VOLUME, kmsKeyId: EXAMPLE.volumeKey.id });
    expect((await block.getVolumeBackup({ volumeBackupId: BACKUP })).volumeBackup.volumeId).toBe(VOLUME);
    await expect(block.listVolumes({ compartmentId: undefined as never })).rejects.toMatchObject({ statusCode: 400, serviceCode: "MissingParameter" });
  });

  it("rotates a volume by moving it to a successor key; earlier backups keep the predecessor", async () => {
    const { sim } = suite();
    const before = createVolumeBackup(sim.state, VOLUME, sim.clock.now().toISOString(), "before-rotation");
    const successor = await successorKey("backup-volumes-2026-07");
    const { etag } = await block.getVolumeKmsKey({ volumeId: VOLUME });
    const updated = await block.updateVolumeKmsKey({ volumeId: VOLUME, ifMatch: etag, updateVolumeKmsKeyDetails: { kmsKeyId: successor.id } });
    expect(updated.volumeKmsKey.kmsKeyId).toBe(successor.id);
    expect((await block.getVolumeKmsKey({ volumeId: VOLUME })).volumeKmsKey.kmsKeyId).toBe(successor.id);
    expect((await block.getVolumeBackup({ volumeBackupId: before.id })).volumeBackup.kmsKeyId).toBe(EXAMPLE.volumeKey.id);
    expect((await block.getVolumeBackup({ volumeBackupId: BACKUP })).volumeBackup.kmsKeyId).toBe(EXAMPLE.volumeKey.id);
    const after = createVolumeBackup(sim.state, VOLUME, sim.clock.now().toISOString(), "after-rotation");
    expect((await block.getVolumeBackup({ volumeBackupId: after.id })).volumeBackup.kmsKeyId).toBe(successor.id);
    await expect(block.updateVolumeKmsKey({ volumeId: VOLUME, ifMatch: etag, updateVolumeKmsKeyDetails: { kmsKeyId: successor.id } }))
      .rejects.toMatchObject({ statusCode: 412, serviceCode: "NoEtagMatch" });
    const event = sim.audit.all().map((r) => r.event).filter((e) => e.data.eventName === "UpdateVolumeKmsKey" && e.data.response.status === "200").at(-1)!;
    expect(event.eventType).toBe("com.oraclecloud.BlockVolumes.UpdateVolumeKmsKey");
    expect(event.data.stateChange).toEqual({ previous: { kmsKeyId: EXAMPLE.volumeKey.id }, current: { kmsKeyId: successor.id } });
  });

  it("refuses a non-AES key with 400 InvalidParameter and leaves the volume's key alone (B15)", async () => {
    const current = (await block.getBootVolumeKmsKey({ bootVolumeId: BOOT_VOLUME })).bootVolumeKmsKey.kmsKeyId;
    await expect(block.updateBootVolumeKmsKey({ bootVolumeId: BOOT_VOLUME, updateBootVolumeKmsKeyDetails: { kmsKeyId: EXAMPLE.signingKey.id } }))
      .rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter", message: expect.stringContaining("AES") });
    expect((await block.getBootVolumeKmsKey({ bootVolumeId: BOOT_VOLUME })).bootVolumeKmsKey.kmsKeyId).toBe(current);
  });

  it("refuses a disabled key and a key pending deletion with 400 InvalidParameter", async () => {
    const { clients } = suite();
    const disabled = await successorKey("disabled-key");
    await clients.management.disableKey({ keyId: disabled.id });
    await expect(block.updateVolumeKmsKey({ volumeId: VOLUME, updateVolumeKmsKeyDetails: { kmsKeyId: disabled.id } }))
      .rejects.toMatchObject({ statusCode: 400, message: expect.stringContaining("DISABLED") });
    const doomed = await successorKey("doomed-key");
    await clients.management.scheduleKeyDeletion({ keyId: doomed.id, scheduleKeyDeletionDetails: {} });
    await expect(block.updateVolumeKmsKey({ volumeId: VOLUME, updateVolumeKmsKeyDetails: { kmsKeyId: doomed.id } }))
      .rejects.toMatchObject({ statusCode: 400, message: expect.stringContaining("PENDING_DELETION") });
  });

  it("answers 200 but keeps the old key under the 'not applied' fault, as GetVolumeKmsKey shows", async () => {
    const { sim } = suite();
    const old = (await block.getBootVolumeKmsKey({ bootVolumeId: BOOT_VOLUME })).bootVolumeKmsKey.kmsKeyId;
    const successor = await successorKey("boot-successor");
    sim.faults.set("UpdateBootVolumeKmsKey", { kind: "not-applied", times: 1 });
    try {
      const answered = await block.updateBootVolumeKmsKey({ bootVolumeId: BOOT_VOLUME, updateBootVolumeKmsKeyDetails: { kmsKeyId: successor.id } });
      expect(answered.bootVolumeKmsKey.kmsKeyId).toBe(successor.id);
      expect((await block.getBootVolumeKmsKey({ bootVolumeId: BOOT_VOLUME })).bootVolumeKmsKey.kmsKeyId).toBe(old);
    } finally {
      sim.faults.clear();
    }
    sim.faults.set("UpdateVolumeKmsKey", { kind: "not-applied", times: 1 });
    try {
      const before = (await block.getVolumeKmsKey({ volumeId: VOLUME })).volumeKmsKey.kmsKeyId;
      await block.updateVolumeKmsKey({ volumeId: VOLUME, updateVolumeKmsKeyDetails: { kmsKeyId: successor.id } });
      expect((await block.getVolumeKmsKey({ volumeId: VOLUME })).volumeKmsKey.kmsKeyId).toBe(before);
    } finally {
      sim.faults.clear();
    }
  });

  it("returns a volume and a boot volume to an Oracle-managed key with Delete(Boot)VolumeKmsKey", async () => {
    await block.deleteVolumeKmsKey({ volumeId: VOLUME });
    expect((await block.getVolumeKmsKey({ volumeId: VOLUME })).volumeKmsKey.kmsKeyId).toBeUndefined();
    expect((await block.getVolume({ volumeId: VOLUME })).volume.kmsKeyId).toBeUndefined();
    await block.deleteBootVolumeKmsKey({ bootVolumeId: BOOT_VOLUME });
    expect((await block.getBootVolumeKmsKey({ bootVolumeId: BOOT_VOLUME })).bootVolumeKmsKey.kmsKeyId).toBeUndefined();
    expect((await block.getBootVolume({ bootVolumeId: BOOT_VOLUME })).bootVolume.kmsKeyId).toBeUndefined();
  });
});
