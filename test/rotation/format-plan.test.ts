import stringWidth from "string-width";
import { describe, expect, it } from "vitest";
import { formatPlanTable, planToJson, shortOcid, TABLE_WIDTH } from "../../src/rotation/format-plan.js";
import { planRotation } from "../../src/rotation/plan-rotation.js";
import { buildInventory, buildKey, buildResource, buildSuccessor, buildVault } from "../helpers/inventory-factory.js";

const AS_OF = "2026-07-20T00:00:00.000Z";

function scenario() {
  const bucketKey = buildKey("backup-objects-key", { versionTimes: ["2026-01-12T09:14:21.441Z", "2026-04-10T02:00:04.174Z"] });
  const k1 = buildKey("backup-volumes-2026-04", { versionTimes: ["2026-04-14T10:02:37.571Z"] });
  const k2 = buildSuccessor("backup-volumes-2026-07", k1, "2026-07-10T02:00:11.208Z");
  const rsa = buildKey("鍵-本番-東京-バックアップ-ボリューム", { algorithm: "RSA", length: 256, versionTimes: ["2026-06-01T00:00:00.000Z"] });
  const evil = buildKey("evil\u001b[2Jname\nsecond", { versionTimes: ["2026-07-01T00:00:00.000Z"] });
  const replicaVault = buildVault({ displayName: "backup-vault", id: "ocid1.vault.oc1.phx.replica", isPrimary: false, region: "us-phoenix-1" });
  const resources = [
    buildResource("bucket", "db-backups", bucketKey), buildResource("bucket", "app-backups", bucketKey),
    buildResource("volume", "pg-data-vol", k2), buildResource("bootvolume", "pg-primary (Boot Volume)", k1),
    buildResource("volume", "rsa-vol", rsa), buildResource("bucket", "web-assets", null),
  ];
  const inventory = buildInventory({
    observedAt: AS_OF, keys: [bucketKey, k1, k2, rsa, evil], resources,
    replicaCopies: [{ key: { ...bucketKey.key, vaultId: replicaVault.id, isPrimary: false }, versions: [], vault: replicaVault }],
  });
  const plan = planRotation(inventory, { rotationIntervalDays: 90 }, { leadDays: 7 }, AS_OF);
  return { inventory, plan, bucketKey, k1, k2 };
}

describe("formatPlanTable", () => {
  it("prints the table, what cannot be rotated, what is not eligible and the findings", () => {
    const { inventory, plan } = scenario();
    expect(formatPlanTable(plan, inventory)).toBe(`Rotation plan as of 2026-07-20T00:00:00.000Z (inventory read 2026-07-20T00:00:00.000Z)
4 keys: 1 rotate, 1 rekey, 0 verify, 1 skip, 1 none; 3 resources to re-key

KEY                   KEY OCID       VAULT         STRATEGY               AGE  DUE (UTC)   STATUS         ACTION  RE-KEY
────────────────────  ─────────────  ────────────  ────────────────────  ────  ──────────  ─────────────  ──────  ──────
backup-objects-key    …upobjectskey  backup-vault  key-version            100  2026-07-09  overdue        rotate       2
backup-volumes-2026…  …olumes202607  backup-vault  successor-key           96  2026-07-13  overdue        rekey        1
鍵-本番-東京-バック…  …e38390e38383  backup-vault  successor-key           49  2026-08-30  cannot-rotate  skip         —
evil\uFFFD[2Jname\uFFFDsecond   …2jnamesecond  backup-vault  none                    19  2026-09-29  not-due        none         —

Cannot rotate (1):
  鍵-本番-東京-バックアップ-ボリューム: volume "rsa-vol" uses RSA key "鍵-本番-東京-バックアップ-ボリューム":
    incompatible key algorithm – AES required; not re-keyed.

Not eligible (2):
  volume "rsa-vol" uses RSA key "鍵-本番-東京-バックアップ-ボリューム": incompatible key algorithm – AES required; not
    re-keyed.
  bucket "web-assets" has no customer-managed key: not eligible – Oracle-managed key.

Findings (3):
  HIGH NON_AES_KEY_FOR_VOLUME: volume "rsa-vol" uses RSA key "鍵-本番-東京-バックアップ-ボリューム": incompatible key
    algorithm – AES required; not re-keyed.
  MEDIUM ORACLE_MANAGED_KEY: bucket "web-assets" has no customer-managed key: not eligible – Oracle-managed key.
  LOW REPLICA_KEY: Key "backup-objects-key" in replica vault "backup-vault" (us-phoenix-1) is a read-only copy of the
    primary in us-ashburn-1: reported once under its primary and rotated only through the primary vault's management
    endpoint.
`);
  });

  it("counts the same not-eligible resources as the JSON, skipped items' resources included", () => {
    const { inventory, plan } = scenario();
    const text = formatPlanTable(plan, inventory);
    const json = planToJson(plan, inventory);
    const shown = Number(/Not eligible \((\d+)\):/.exec(text)![1]);
    expect(shown).toBe(json.summary.notEligible);
    expect(shown).toBe(2);
  });

  it("tells keys with the same name apart by the end of their OCID", () => {
    const a = buildKey("backup-key", { id: "ocid1.key.oc1.iad.ejsppeqvaafyi.abuwcljsAAAAAAAAAAA1", versionTimes: ["2026-07-01T00:00:00.000Z"] });
    const b = buildKey("backup-key", { id: "ocid1.key.oc1.iad.ejsppeqvaafyi.abuwcljsBBBBBBBBBBB2", versionTimes: ["2026-07-01T00:00:00.000Z"] });
    const inventory = buildInventory({ observedAt: AS_OF, keys: [a, b], resources: [buildResource("bucket", "x", a), buildResource("bucket", "y", b)] });
    const rows = formatPlanTable(planRotation(inventory, { rotationIntervalDays: 90 }, { leadDays: 7 }, AS_OF), inventory).split("\n").filter((l) => l.startsWith("backup-key"));
    expect(rows).toEqual([
      "backup-key            …AAAAAAAAAAA1  backup-vault  key-version             19  2026-09-29  not-due        none         —",
      "backup-key            …BBBBBBBBBBB2  backup-vault  key-version             19  2026-09-29  not-due        none         —",
    ]);
    expect(shortOcid("ocid1.key.oc1.iad.short")).toBe("…c1.iad.short");
    expect(shortOcid("ocid1.key.x")).toBe("ocid1.key.x");
    expect(shortOcid("ocid1.key.oc1.iad.ab\u001b[2Jcdefghij")).toBe("…\uFFFD[2Jcdefghij");
  });

  it("keeps every line within 120 display columns and never prints a control character", () => {
    const { inventory, plan } = scenario();
    const long = buildKey("k".repeat(200), { versionTimes: ["2026-07-01T00:00:00.000Z"] });
    const wide = buildInventory({ ...inventory, keys: [...inventory.keys, long], lineages: undefined, findings: undefined });
    const text = formatPlanTable(planRotation(wide, { rotationIntervalDays: 90 }, { leadDays: 7 }, AS_OF), wide);
    for (const line of text.split("\n")) expect(stringWidth(line)).toBeLessThanOrEqual(TABLE_WIDTH);
    expect(text).toContain(`${"k".repeat(19)}…  …kkkkkkkkkkkk  backup-vault`);
    expect(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(text)).toBe(false);
  });

  it("says so when no key is in scope", () => {
    const inventory = buildInventory({ observedAt: AS_OF });
    const text = formatPlanTable(planRotation(inventory, { rotationIntervalDays: 90 }, { leadDays: 7 }, AS_OF), inventory);
    expect(text).toBe(`Rotation plan as of ${AS_OF} (inventory read ${AS_OF})\n0 keys: 0 rotate, 0 rekey, 0 verify, 0 skip, 0 none; 0 resources to re-key\n\nNo keys in scope.\n`);
  });
});

describe("planToJson", () => {
  it("has stable field names, counts, nulls for unknown times, and the replica copies", () => {
    const { inventory, plan, bucketKey } = scenario();
    const json = planToJson(plan, inventory);
    expect(Object.keys(json)).toEqual(["schemaVersion", "asOf", "observedAt", "summary", "items", "notEligible", "replicaCopies", "findings"]);
    expect(json.summary).toEqual({
      keys: 4,
      byAction: { rotate: 1, rekey: 1, verify: 0, skip: 1, none: 1 },
      byStatus: { overdue: 2, due: 0, "not-due": 1, "auto-rotation": 0, "cannot-rotate": 1 },
      resourcesToRekey: 3,
      notEligible: 2,
      findings: { critical: 0, high: 1, medium: 1, low: 1 },
    });
    expect(json.items[0]).toEqual({
      keyId: bucketKey.key.id, keyName: "backup-objects-key", vaultId: bucketKey.vault.id, vaultName: "backup-vault", vaultRegion: "us-ashburn-1",
      compartmentId: bucketKey.key.compartmentId, strategy: "key-version", status: "overdue", action: "rotate",
      reason: "Current version is 100 days old, past the 90-day interval (due 2026-07-09T02:00:04.174Z): create a new key version, then re-encrypt 2 buckets.",
      currentKeyVersionId: bucketKey.versions[1]!.id, currentVersionCreated: "2026-04-10T02:00:04.174Z", currentVersionAgeDays: 100,
      dueAt: "2026-07-09T02:00:04.174Z", ageFrom: "2026-04-10T02:00:04.174Z", slot: `${bucketKey.key.id}@${bucketKey.versions[1]!.id}`, lineageKeyIds: [bucketKey.key.id],
      resources: [
        { kind: "bucket", id: "ocid1.bucket.oc1.iad.dbbackups", displayName: "db-backups", compartmentId: "ocid1.compartment.oc1..aaaaaaaabackupprod", kmsKeyId: bucketKey.key.id, action: "reencrypt-bucket", reason: null },
        { kind: "bucket", id: "ocid1.bucket.oc1.iad.appbackups", displayName: "app-backups", compartmentId: "ocid1.compartment.oc1..aaaaaaaabackupprod", kmsKeyId: bucketKey.key.id, action: "reencrypt-bucket", reason: null },
      ],
    });
    expect(json.replicaCopies).toEqual([{ keyId: bucketKey.key.id, keyName: "backup-objects-key", vaultId: "ocid1.vault.oc1.phx.replica", vaultName: "backup-vault", region: "us-phoenix-1" }]);
    expect(json.notEligible.map((r) => [r.displayName, r.action, r.kmsKeyId])).toEqual([["web-assets", "not-eligible", null]]);
    // Round-trips through JSON unchanged (plain data only).
    expect(JSON.parse(JSON.stringify(json))).toEqual(json);
  });

  it("gives null times and age for an item whose current version is unknown", () => {
    const key = buildKey("lost", { currentKeyVersionId: "ocid1.keyversion.oc1.iad.gone" });
    const inventory = buildInventory({ observedAt: AS_OF, keys: [key] });
    const item = planToJson(planRotation(inventory, { rotationIntervalDays: 90 }, { leadDays: 7 }, AS_OF), inventory).items[0]!;
    expect(item).toMatchObject({ currentVersionCreated: null, currentVersionAgeDays: null, dueAt: null, ageFrom: null, status: "cannot-rotate", action: "skip" });
  });
});
