import { describe, expect, it } from "vitest";
import type { Finding } from "../../src/rotation/inventory.js";
import { findInventoryFindings, keyNotReadableFinding, sortFindings } from "../../src/rotation/inventory-findings.js";
import { buildInventory, buildKey, buildResource, buildSuccessor, buildVault } from "../helpers/inventory-factory.js";

const AT = "2026-07-09T12:00:00.000Z";

function findingsOf(parts: Parameters<typeof buildInventory>[0], asOf = AT, policy?: { rotationIntervalDays: number }): Finding[] {
  const { findings: _ignored, ...facts } = buildInventory({ ...parts, findings: [] });
  return findInventoryFindings(facts, asOf, policy);
}

const brief = (findings: Finding[]) => findings.map((f) => [f.code, f.severity, f.keyId, f.resourceId]);

describe("findInventoryFindings", () => {
  it("finds nothing wrong with a healthy bucket key and a healthy volume key", () => {
    const bucketKey = buildKey("objects", { versionTimes: ["2026-01-12T09:14:21.441Z", "2026-04-10T02:00:04.174Z"] });
    const volumeKey = buildKey("volumes");
    const resources = [buildResource("bucket", "db-backups", bucketKey), buildResource("volume", "vol", volumeKey), buildResource("volumebackup", "bk", volumeKey)];
    expect(findingsOf({ keys: [bucketKey, volumeKey], resources })).toEqual([]);
  });

  it("B13: a replica copy is one low REPLICA_KEY finding, never a second failure", () => {
    const primary = buildKey("K", { versionTimes: ["2025-06-01T00:00:00.000Z"] });
    const replicaVault = buildVault({ displayName: "backup-vault", id: "ocid1.vault.oc1.phx.replica", isPrimary: false, region: "us-phoenix-1" });
    const copy = { key: { ...primary.key, vaultId: replicaVault.id, isPrimary: false }, versions: [], vault: replicaVault };
    const findings = findingsOf({ keys: [primary], replicaCopies: [copy], resources: [buildResource("bucket", "b", primary)] });
    expect(findings).toEqual([{
      code: "REPLICA_KEY", severity: "low", keyId: primary.key.id, resourceId: null,
      message: 'Key "K" in replica vault "backup-vault" (us-phoenix-1) is a read-only copy of the primary in us-ashburn-1: reported once under its primary and rotated only through the primary vault\'s management endpoint.',
    }]);
  });

  it("B13: a key seen only through a replica is a medium REPLICA_KEY (cannot be rotated here)", () => {
    const replicaVault = buildVault({ displayName: "dr-vault", isPrimary: false, region: "us-phoenix-1" });
    const key = buildKey("R", { vault: replicaVault });
    expect(findingsOf({ keys: [key] })).toEqual([{
      code: "REPLICA_KEY", severity: "medium", keyId: key.key.id, resourceId: null,
      message: 'Key "R" is seen only as a read-only copy in replica vault "dr-vault" (us-phoenix-1); it can only be rotated through its primary vault, which is not in scope: not rotated.',
    }]);
  });

  it("B15: each volume and boot volume on a non-AES key, with the AES-required reason (backups are not re-keyed)", () => {
    const rsa = buildKey("rsa-2048", { algorithm: "RSA", length: 256 });
    const volume = buildResource("volume", "vol-a", rsa);
    const boot = buildResource("bootvolume", "boot-a", rsa);
    const backup = buildResource("volumebackup", "bk", rsa);
    const findings = findingsOf({ keys: [rsa], resources: [volume, boot, backup] });
    expect(brief(findings)).toEqual([
      ["NON_AES_KEY_FOR_VOLUME", "high", rsa.key.id, boot.id],
      ["NON_AES_KEY_FOR_VOLUME", "high", rsa.key.id, volume.id],
    ].sort((a, b) => a[3]!.localeCompare(b[3]!)));
    expect(findings.find((f) => f.resourceId === volume.id)!.message).toBe(
      'volume "vol-a" uses RSA key "rsa-2048": incompatible key algorithm – AES required; not re-keyed.',
    );
  });

  it("B17: buckets and volumes without a customer key are not eligible", () => {
    const bucket = buildResource("bucket", "web-assets", null);
    const volume = buildResource("volume", "scratch", null);
    const findings = findingsOf({ resources: [bucket, volume] });
    expect(findings.map((f) => [f.code, f.severity, f.resourceId, f.message])).toEqual([
      ["ORACLE_MANAGED_KEY", "medium", bucket.id, 'bucket "web-assets" has no customer-managed key: not eligible – Oracle-managed key.'],
      ["ORACLE_MANAGED_KEY", "medium", volume.id, 'volume "scratch" has no customer-managed key: not eligible – Oracle-managed key.'],
    ].sort((a, b) => a[2]!.localeCompare(b[2]!)));
  });

  it("rule 8: a key pending deletion is listed with its date; each resource still on it is critical", () => {
    const key = buildKey("doomed", { lifecycleState: "PENDING_DELETION", timeOfDeletion: "2026-08-01T00:00:00.000Z" });
    const bucket = buildResource("bucket", "still-here", key);
    const findings = findingsOf({ keys: [key], resources: [bucket] });
    expect(findings).toEqual([
      {
        code: "RESOURCE_ON_KEY_PENDING_DELETION", severity: "critical", keyId: key.key.id, resourceId: bucket.id,
        message: 'bucket "still-here" still uses key "doomed", which is PENDING_DELETION (deletion on 2026-08-01T00:00:00.000Z): its data becomes unreadable when the key is deleted (rule 8).',
      },
      {
        code: "KEY_PENDING_DELETION", severity: "medium", keyId: key.key.id, resourceId: null,
        message: 'Key "doomed" is PENDING_DELETION (deletion on 2026-08-01T00:00:00.000Z): left out of rotation (rule 8).',
      },
    ]);
  });

  it("a key serving volumes and buckets, an EXTERNAL key and a disabled key", () => {
    const both = buildKey("both");
    const external = buildKey("ext", { protectionMode: "EXTERNAL" });
    const disabled = buildKey("off", { lifecycleState: "DISABLED" });
    const resources = [buildResource("bucket", "b", both), buildResource("bootvolumebackup", "bbk", both)];
    const findings = findingsOf({ keys: [both, external, disabled], resources });
    expect(brief(findings)).toEqual([
      ["EXTERNAL_KEY", "high", external.key.id, null],
      ["KEY_DISABLED", "high", disabled.key.id, null],
      ["KEY_SERVES_VOLUMES_AND_BUCKETS", "high", both.key.id, null],
    ]);
    expect(findings[2]!.message).toBe(
      'Key "both" serves 1 Block Volume resource(s) and 1 bucket: buckets need a new key version, volumes a successor key, so it cannot be rotated correctly for both: not rotated.',
    );
  });

  it("a volume key with more than one live version (Block Volume supports a single version)", () => {
    const key = buildKey("vk", {
      versionTimes: ["2026-01-01T00:00:00.000Z", "2026-04-01T00:00:00.000Z", "2026-05-01T00:00:00.000Z"],
      versionOverrides: { 0: { lifecycleState: "DELETED" } },
    });
    const findings = findingsOf({ keys: [key], resources: [buildResource("volume", "v", key)] });
    expect(findings.map((f) => [f.code, f.message])).toEqual([[
      "VOLUME_KEY_HAS_MULTIPLE_VERSIONS",
      'Key "vk" is used by Block Volume resources and has 2 versions; Block Volume supports keys with a single version only (rotate volumes to a successor key instead; the volumes\' cryptoperiod runs from the key\'s oldest version).',
    ]]);
  });

  describe("native auto-rotation (rule 2: context, never proof)", () => {
    const auto = (overrides: Record<string, unknown>, versionTime = "2026-06-01T00:00:03.000Z") =>
      buildKey("auto", {
        versionTimes: [versionTime], isAutoRotationEnabled: true,
        autoRotation: {
          rotationIntervalInDays: 90, timeOfScheduleStart: null, timeOfNextRotation: "2026-08-30T00:00:00.000Z",
          timeOfLastRotation: "2026-06-01T00:00:03.000Z", lastRotationStatus: "SUCCESS", lastRotationMessage: null, ...overrides,
        },
      });

    it("is quiet while the schedule is kept", () => {
      expect(findingsOf({ keys: [auto({})] })).toEqual([]);
    });

    it("reports FAILED with the time and OCI's message", () => {
      const findings = findingsOf({ keys: [auto({ lastRotationStatus: "FAILED", lastRotationMessage: "HSM unavailable" })] });
      expect(findings.map((f) => [f.code, f.severity, f.message])).toEqual([
        ["AUTO_ROTATION_FAILED", "high", 'Key "auto": the last native auto-rotation at 2026-06-01T00:00:03.000Z FAILED (HSM unavailable).'],
      ]);
    });

    it("reports a next rotation in the past (1 ms is enough) ", () => {
      const findings = findingsOf({ keys: [auto({ timeOfNextRotation: "2026-07-09T11:59:59.999Z" })] });
      expect(findings.map((f) => f.message)).toEqual([
        'Key "auto" has native auto-rotation on, but its next rotation was due at 2026-07-09T11:59:59.999Z.',
      ]);
      expect(findingsOf({ keys: [auto({ timeOfNextRotation: "2026-07-09T12:00:00.000Z" })] })).toEqual([]);
    });

    it("reports a current version older than the key's own auto-rotation interval (91 days > 90)", () => {
      const key = auto({ timeOfNextRotation: null }, "2026-04-09T11:00:00.000Z");
      expect(findingsOf({ keys: [key] }).map((f) => f.message)).toEqual([
        'Key "auto" has native auto-rotation on, but its current version is 91 days old, past its 90-day auto-rotation interval.',
      ]);
      // Exactly 90 whole days: the rotation is due today, not yet missed.
      expect(findingsOf({ keys: [auto({ timeOfNextRotation: null }, "2026-04-10T11:00:00.000Z")] })).toEqual([]);
    });
  });

  describe("native auto-rotation against the policy interval (rule 2)", () => {
    // Auto-rotating every 365 days, last version 2025-09-12T12:00Z: 300 days old on 2026-07-09T12:00Z.
    const yearly = (versionTime = "2025-09-12T12:00:00.000Z") => buildKey("yearly", {
      versionTimes: [versionTime], isAutoRotationEnabled: true,
      autoRotation: { rotationIntervalInDays: 365, timeOfScheduleStart: null, timeOfNextRotation: "2026-09-12T00:00:00.000Z", timeOfLastRotation: versionTime, lastRotationStatus: "SUCCESS", lastRotationMessage: null },
    });

    it("is a high finding when the current version is past the policy interval, though the key's own schedule is kept", () => {
      const key = yearly();
      expect(findingsOf({ keys: [key], resources: [buildResource("bucket", "b", key)] }, AT, { rotationIntervalDays: 90 })).toEqual([{
        code: "AUTO_ROTATION_BEHIND_POLICY", severity: "high", keyId: key.key.id, resourceId: null,
        message: 'Key "yearly" has native auto-rotation every 365 days, but its current version is 300 days old, past the 90-day policy interval: non-compliant (rule 2: auto-rotation is context, never proof).',
      }]);
      // Without the policy nothing is guessed.
      expect(findingsOf({ keys: [key] })).toEqual([]);
    });

    it("is medium while the version is young but the key's interval is longer than the policy's", () => {
      const findings = findingsOf({ keys: [yearly("2026-06-09T12:00:00.000Z")] }, AT, { rotationIntervalDays: 90 });
      expect(findings.map((f) => [f.code, f.severity, f.message])).toEqual([[
        "AUTO_ROTATION_BEHIND_POLICY", "medium",
        'Key "yearly" has native auto-rotation every 365 days, longer than the 90-day policy interval: its versions will outlive the policy unless the interval is shortened.',
      ]]);
      expect(findingsOf({ keys: [yearly("2026-06-09T12:00:00.000Z")] }, AT, { rotationIntervalDays: 365 })).toEqual([]);
    });

    it("on a key Block Volume resources use is a high finding: auto-rotation does not re-key volumes", () => {
      const key = yearly("2026-06-09T12:00:00.000Z");
      const findings = findingsOf({ keys: [key], resources: [buildResource("volume", "v", key)] }, AT, { rotationIntervalDays: 90 });
      expect(findings.map((f) => [f.code, f.severity, f.keyId])).toEqual([["AUTO_ROTATION_ON_VOLUME_KEY", "high", key.key.id]]);
      expect(findings[0]!.message).toBe(
        'Key "yearly" has native auto-rotation on and is used by 1 Block Volume resource(s): native auto-rotation makes new key versions but does not re-key volumes (Block Volume supports keys with a single version only), so keyproof moves the volumes to a successor key instead.',
      );
    });
  });

  describe("lineages", () => {
    const k1 = buildKey("vol-2026-04", { timeCreated: "2026-04-14T10:02:37.571Z" });

    const rejected: Array<{ name: string; options: Parameters<typeof buildSuccessor>[3]; mismatch: string }> = [
      { name: "another vault", options: { vault: buildVault({ displayName: "other-vault" }) }, mismatch: "vault ocid1.vault.oc1.iad.backupvault → ocid1.vault.oc1.iad.othervault" },
      { name: "another algorithm", options: { algorithm: "RSA" }, mismatch: "algorithm AES → RSA" },
      { name: "another length", options: { length: 16 }, mismatch: "length 32 → 16 bytes" },
      { name: "another protection mode", options: { protectionMode: "SOFTWARE" }, mismatch: "protection mode HSM → SOFTWARE" },
    ];
    for (const row of rejected) {
      it(`rejects a predecessor link to a key in ${row.name} (the keys are not joined)`, () => {
        const odd = buildSuccessor("vol-2026-07", k1, "2026-07-10T02:00:11.208Z", row.options);
        const inventory = buildInventory({ keys: [k1, odd], findings: [] });
        expect(inventory.lineages.map((l) => l.keyIds)).toEqual([[k1.key.id], [odd.key.id]]);
        expect(findingsOf({ keys: [k1, odd] }).filter((f) => f.code === "LINEAGE_LINK_REJECTED")).toEqual([{
          code: "LINEAGE_LINK_REJECTED", severity: "high", keyId: odd.key.id, resourceId: null,
          message: `Key "vol-2026-07" names key "vol-2026-04" as its predecessor, but a successor keeps its predecessor's vault, algorithm, length and protection mode (${row.mismatch}): the link is ignored and the keys are not joined into one lineage.`,
        }]);
      });
    }

    it("a bucket on a retired key of a volume lineage is its own high finding, not KEY_SERVES_VOLUMES_AND_BUCKETS", () => {
      const k2 = buildSuccessor("vol-2026-07", k1, "2026-07-10T02:00:11.208Z");
      const bucket = buildResource("bucket", "exports", k1);
      const resources = [bucket, buildResource("volumebackup", "bk", k1), buildResource("volume", "v", k2)];
      expect(findingsOf({ keys: [k1, k2], resources })).toEqual([{
        code: "BUCKET_ON_RETIRED_VOLUME_KEY", severity: "high", keyId: k1.key.id, resourceId: bucket.id,
        message: 'bucket "exports" uses key "vol-2026-04", a retired key of the volume key lineage now headed by "vol-2026-07": buckets need a new key version and retired volume keys are kept unchanged for backups, so it is not re-encrypted; give the bucket its own key.',
      }]);
    });
  });

  it("builds KEY_NOT_READABLE for a resource's key and for a key on its own", () => {
    const resource = buildResource("bucket", "orphan", null, { kmsKeyId: "ocid1.key.oc1.iad.gone" });
    expect(keyNotReadableFinding("ocid1.key.oc1.iad.gone", resource, "404 NotAuthorizedOrNotFound")).toEqual({
      code: "KEY_NOT_READABLE", severity: "high", keyId: "ocid1.key.oc1.iad.gone", resourceId: resource.id,
      message: 'bucket "orphan" uses key ocid1.key.oc1.iad.gone, which could not be read (404 NotAuthorizedOrNotFound): not rotated, not re-keyed.',
    });
    expect(keyNotReadableFinding("ocid1.key.oc1.iad.gone", null, "throttled").message).toBe(
      "Key ocid1.key.oc1.iad.gone could not be read (throttled): not rotated, not re-keyed.",
    );
  });

  it("sorts by severity, code, key and resource", () => {
    const f = (code: Finding["code"], severity: Finding["severity"], keyId: string | null): Finding => ({ code, severity, keyId, resourceId: null, message: "" });
    const sorted = sortFindings([f("REPLICA_KEY", "low", "a"), f("KEY_DISABLED", "high", "b"), f("EXTERNAL_KEY", "high", "c"), f("RESOURCE_ON_KEY_PENDING_DELETION", "critical", null)]);
    expect(sorted.map((x) => x.code)).toEqual(["RESOURCE_ON_KEY_PENDING_DELETION", "EXTERNAL_KEY", "KEY_DISABLED", "REPLICA_KEY"]);
  });
});
