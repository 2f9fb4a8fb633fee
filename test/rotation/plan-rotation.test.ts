import { afterEach, describe, expect, it } from "vitest";
import { planRotation } from "../../src/rotation/plan-rotation.js";
import type { PlanItem } from "../../src/rotation/rotation-plan.js";
import { buildInventory, buildKey, buildResource, buildSuccessor, buildVault } from "../helpers/inventory-factory.js";

const POLICY = { rotationIntervalDays: 90 };
const ROTATION = { leadDays: 7 };

function plan(parts: Parameters<typeof buildInventory>[0], asOf: string, policy = POLICY, rotation = ROTATION) {
  const inventory = buildInventory({ observedAt: asOf, ...parts });
  return { inventory, plan: planRotation(inventory, policy, rotation, asOf) };
}

function only(items: PlanItem[]): PlanItem {
  expect(items).toHaveLength(1);
  return items[0]!;
}

describe("planRotation: status of a bucket key by the current version's age", () => {
  // Current version created 2026-04-10T02:00:04.174Z; + 90 days = 2026-07-09T02:00:04.174Z,
  // lead boundary (90 − 7 = 83 days) = 2026-07-02T02:00:04.174Z.
  const created = "2026-04-10T02:00:04.174Z";
  const rows: Array<{ name: string; asOf: string; status: string; action: string; age: number }> = [
    { name: "30 days old: not due", asOf: "2026-05-10T02:00:04.174Z", status: "not-due", action: "none", age: 30 },
    { name: "1 ms before the lead boundary: not due", asOf: "2026-07-02T02:00:04.173Z", status: "not-due", action: "none", age: 82 },
    { name: "exactly at the lead boundary: due", asOf: "2026-07-02T02:00:04.174Z", status: "due", action: "rotate", age: 83 },
    { name: "1 ms before the interval: due", asOf: "2026-07-09T02:00:04.173Z", status: "due", action: "rotate", age: 89 },
    { name: "exactly at the interval: overdue", asOf: "2026-07-09T02:00:04.174Z", status: "overdue", action: "rotate", age: 90 },
    { name: "400 days old: overdue", asOf: "2027-05-15T02:00:04.174Z", status: "overdue", action: "rotate", age: 400 },
    { name: "asOf before the version (clock skew): age 0, not due", asOf: "2026-04-09T00:00:00.000Z", status: "not-due", action: "none", age: 0 },
  ];
  for (const row of rows) {
    it(row.name, () => {
      const key = buildKey("backup-objects-key", { versionTimes: ["2026-01-12T09:14:21.441Z", created] });
      const bucket = buildResource("bucket", "db-backups", key);
      const item = only(plan({ keys: [key], resources: [bucket] }, row.asOf).plan.items);
      expect(item).toMatchObject({
        strategy: "key-version", status: row.status, action: row.action, currentVersionAgeDays: row.age,
        currentVersionCreated: created, dueAt: "2026-07-09T02:00:04.174Z",
        slot: `${key.key.id}@${key.versions[1]!.id}`, keyId: key.key.id, lineageKeyIds: [key.key.id],
      });
      expect(item.resources).toEqual([
        row.action === "rotate"
          ? { resource: bucket, action: "reencrypt-bucket", reason: null }
          : { resource: bucket, action: "none", reason: expect.stringContaining("resumed from keyproof's own records") },
      ]);
    });
  }

  it("says what it will do and why, in words", () => {
    const key = buildKey("backup-objects-key", { versionTimes: [created] });
    const buckets = [buildResource("bucket", "db-backups", key), buildResource("bucket", "app-backups", key)];
    const item = only(plan({ keys: [key], resources: buckets }, "2026-07-10T00:00:00.000Z").plan.items);
    expect(item.reason).toBe(
      "Current version is 90 days old, past the 90-day interval (due 2026-07-09T02:00:04.174Z): create a new key version, then re-encrypt 2 buckets.",
    );
    const notDue = only(plan({ keys: [key], resources: buckets }, "2026-05-01T00:00:00.000Z").plan.items);
    expect(notDue.reason).toBe(
      "Current version is 20 days old, due 2026-07-09T02:00:04.174Z; nothing to rotate (buckets of an unfinished rotation are resumed from keyproof's own records).",
    );
  });

  it("never rotates a tagged key no resource uses: untagged volumes on it would get a second version", () => {
    const key = buildKey("tagged-only", { versionTimes: ["2026-01-01T00:00:00.000Z"] });
    const item = only(plan({ keys: [key] }, "2026-06-01T00:00:00.000Z").plan.items);
    expect(item).toMatchObject({ strategy: "none", status: "overdue", action: "none", currentVersionAgeDays: 151, resources: [] });
    expect(item.reason).toBe(
      "Current version is 151 days old, past the 90-day interval (due 2026-04-01T00:00:00.000Z); not rotated: no tagged resource uses this key; tag the buckets or volumes it protects.",
    );
  });

  it("honours another interval and lead (30 days, lead 0)", () => {
    const key = buildKey("k", { versionTimes: ["2026-01-01T00:00:00.000Z"] });
    const at = (asOf: string) => only(plan({ keys: [key] }, asOf, { rotationIntervalDays: 30 }, { leadDays: 0 }).plan.items).status;
    expect(at("2026-01-30T23:59:59.999Z")).toBe("not-due");
    expect(at("2026-01-31T00:00:00.000Z")).toBe("overdue");
  });
});

describe("planRotation: B11 age from the current version", () => {
  // Key created 2023-05-01; v1 2023-05-01, v2 2024-04-20, v3 2025-04-15 (current); as of
  // 2025-06-30 the age is 76 days (since 2025-04-15), not 791 (since the key's creation).
  const times = ["2023-05-01T00:00:00.000Z", "2024-04-20T00:00:00.000Z", "2025-04-15T00:00:00.000Z"];

  it("is 76 days, due 2025-07-14, not due", () => {
    const key = buildKey("b11", { versionTimes: times });
    const item = only(plan({ keys: [key] }, "2025-06-30T00:00:00.000Z").plan.items);
    expect(item).toMatchObject({
      currentVersionAgeDays: 76, currentVersionCreated: "2025-04-15T00:00:00.000Z", dueAt: "2025-07-14T00:00:00.000Z",
      status: "not-due", action: "none", currentKeyVersionId: key.versions[2]!.id,
    });
  });

  it("ignores a newer version that is not current (pending deletion)", () => {
    const key = buildKey("b11", {
      versionTimes: [...times, "2025-06-01T00:00:00.000Z"], currentIndex: 2,
      versionOverrides: { 3: { lifecycleState: "PENDING_DELETION", timeOfDeletion: "2025-07-01T00:00:00.000Z" } },
    });
    const item = only(plan({ keys: [key] }, "2025-06-30T00:00:00.000Z").plan.items);
    expect(item.currentVersionAgeDays).toBe(76);
    expect(item.slot).toBe(`${key.key.id}@${key.versions[2]!.id}`);
  });

  it("uses an older current version even when newer ones exist (age 436 → overdue)", () => {
    const key = buildKey("b11", { versionTimes: times, currentIndex: 1 });
    const item = only(plan({ keys: [key] }, "2025-06-30T00:00:00.000Z").plan.items);
    expect(item).toMatchObject({ currentVersionAgeDays: 436, status: "overdue", currentVersionCreated: "2024-04-20T00:00:00.000Z" });
  });
});

describe("planRotation: UTC day arithmetic at DST changes and month ends", () => {
  const rows = [
    { created: "2025-03-30T00:30:00.000Z", interval: 30, dueAt: "2025-04-29T00:30:00.000Z", note: "EU spring-forward day" },
    { created: "2025-10-26T00:30:00.000Z", interval: 1, dueAt: "2025-10-27T00:30:00.000Z", note: "EU fall-back day (25 h local)" },
    { created: "2025-03-09T06:59:59.999Z", interval: 90, dueAt: "2025-06-07T06:59:59.999Z", note: "US spring-forward" },
    { created: "2025-01-31T23:59:59.999Z", interval: 30, dueAt: "2025-03-02T23:59:59.999Z", note: "month end into February" },
    { created: "2024-02-29T12:00:00.000Z", interval: 365, dueAt: "2025-02-28T12:00:00.000Z", note: "leap day" },
    { created: "2025-12-31T23:59:59.999Z", interval: 1, dueAt: "2026-01-01T23:59:59.999Z", note: "year end" },
  ];
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });
  for (const row of rows) {
    for (const tz of ["UTC", "Europe/Brussels", "America/Denver", "Pacific/Chatham"]) {
      it(`${row.note}: due ${row.dueAt}, overdue from that instant (TZ=${tz})`, () => {
        process.env.TZ = tz;
        const key = buildKey("k", { versionTimes: [row.created] });
        const policy = { rotationIntervalDays: row.interval };
        const before = only(plan({ keys: [key] }, new Date(Date.parse(row.dueAt) - 1).toISOString(), policy, { leadDays: 0 }).plan.items);
        const at = only(plan({ keys: [key] }, row.dueAt, policy, { leadDays: 0 }).plan.items);
        expect(before).toMatchObject({ dueAt: row.dueAt, status: "not-due", currentVersionAgeDays: row.interval - 1 });
        expect(at).toMatchObject({ dueAt: row.dueAt, status: "overdue", currentVersionAgeDays: row.interval });
      });
    }
  }
});

describe("planRotation: volume lineages (successor keys)", () => {
  const k1 = buildKey("backup-volumes-2026-04", { versionTimes: ["2026-04-14T10:02:37.571Z"] });
  const k2 = buildSuccessor("backup-volumes-2026-07", k1, "2026-07-10T02:00:11.208Z");

  it("moves a boot volume still on the predecessor (rekey), aged from the predecessor it sits on, keeps the backup, names the head", () => {
    const volume = buildResource("volume", "pg-data-vol", k2);
    const boot = buildResource("bootvolume", "pg-primary (Boot Volume)", k1);
    const backup = buildResource("volumebackup", "pg-data-vol-2026-06-30", k1, { sourceId: volume.id });
    const item = only(plan({ keys: [k1, k2], resources: [volume, boot, backup] }, "2026-07-20T00:00:00.000Z").plan.items);
    // The boot volume's key material dates from k1 (2026-04-14): 96 days, overdue since 2026-07-13;
    // the head k2 itself is 9 days old, so the volume moves to it (no new successor).
    expect(item).toMatchObject({
      keyId: k2.key.id, keyName: "backup-volumes-2026-07", strategy: "successor-key", status: "overdue", action: "rekey",
      lineageKeyIds: [k1.key.id, k2.key.id], currentVersionAgeDays: 96, dueAt: "2026-07-13T10:02:37.571Z",
      ageFrom: "2026-04-14T10:02:37.571Z", currentVersionCreated: "2026-07-10T02:00:11.208Z",
      slot: `${k2.key.id}@${k2.key.currentKeyVersionId}`,
    });
    expect(item.reason).toBe(
      'Volume key material (key "backup-volumes-2026-04", since 2026-04-14T10:02:37.571Z) is 96 days old, past the 90-day interval (due 2026-07-13T10:02:37.571Z); successor key "backup-volumes-2026-07" exists but 1 boot volume is still on an older key of the lineage: move it.',
    );
    expect(item.resources.map((r) => [r.resource.displayName, r.action, r.reason])).toEqual([
      ["pg-data-vol", "none", "already on the newest key"],
      ["pg-primary (Boot Volume)", "move-to-successor", 'still on older key "backup-volumes-2026-04" of the lineage'],
      ["pg-data-vol-2026-06-30", "none", "backups keep the key they were made with (retired, retained: rule 6)"],
    ]);
  });

  it("is not due while every volume is on a young head", () => {
    const volume = buildResource("volume", "pg-data-vol", k2);
    const item = only(plan({ keys: [k1, k2], resources: [volume] }, "2026-07-20T00:00:00.000Z").plan.items);
    expect(item).toMatchObject({ action: "none", status: "not-due", currentVersionAgeDays: 9, ageFrom: "2026-07-10T02:00:11.208Z", dueAt: "2026-10-08T02:00:11.208Z" });
  });

  it("rotates when the head is due: every volume and boot volume moves to the new successor", () => {
    const volume = buildResource("volume", "pg-data-vol", k2);
    const boot = buildResource("bootvolume", "boot", k2);
    const item = only(plan({ keys: [k1, k2], resources: [volume, boot] }, "2026-10-02T00:00:00.000Z").plan.items);
    expect(item).toMatchObject({ status: "due", action: "rotate", currentVersionAgeDays: 83 });
    expect(item.reason).toContain("create a successor key, then move 1 volume and 1 boot volume to it.");
    expect(item.resources.map((r) => r.action)).toEqual(["move-to-successor", "move-to-successor"]);
  });

  it("rotates when the head is due even with a volume lagging on the predecessor; the age is the laggard's", () => {
    const volume = buildResource("volume", "pg-data-vol", k2);
    const boot = buildResource("bootvolume", "boot", k1);
    const item = only(plan({ keys: [k1, k2], resources: [volume, boot] }, "2026-10-02T00:00:00.000Z").plan.items);
    expect(item).toMatchObject({ status: "overdue", action: "rotate", currentVersionAgeDays: 170, ageFrom: "2026-04-14T10:02:37.571Z" });
    expect(item.resources.map((r) => r.action)).toEqual(["move-to-successor", "move-to-successor"]);
  });

  it("has nothing to move when only backups use the lineage, even when overdue", () => {
    const backup = buildResource("volumebackup", "old-backup", k1);
    const item = only(plan({ keys: [k1], resources: [backup] }, "2027-01-01T00:00:00.000Z").plan.items);
    expect(item).toMatchObject({ strategy: "successor-key", status: "overdue", action: "none" });
    expect(item.reason).toContain("no volume or boot volume in scope uses the lineage");
  });

  it("rotates the newest key not being deleted when the head successor is pending deletion", () => {
    const k3 = buildSuccessor("backup-volumes-2026-10", k2, "2026-10-06T02:00:09.733Z", { lifecycleState: "PENDING_DELETION", timeOfDeletion: "2026-11-05T00:00:00.000Z" });
    const volume = buildResource("volume", "pg-data-vol", k2);
    const stray = buildResource("bootvolume", "boot-on-k3", k3);
    const result = plan({ keys: [k1, k2, k3], resources: [volume, stray] }, "2026-10-20T00:00:00.000Z").plan;
    const item = only(result.items);
    expect(item).toMatchObject({ keyId: k2.key.id, lineageKeyIds: [k1.key.id, k2.key.id], status: "overdue", action: "rotate" });
    expect(result.notEligible).toEqual([
      { resource: stray, action: "not-eligible", reason: expect.stringContaining('which is PENDING_DELETION (deletion on 2026-11-05T00:00:00.000Z)') },
    ]);
  });

  it("a manual CreateKeyVersion on a volume key does not reset the clock: the age runs from its oldest live version", () => {
    // Versions 2026-01-01 and 2026-06-01 (current): the volume got the key's material on
    // 2026-01-01 and Block Volume does not follow versions, so it is 189 days old, not 38.
    const key = buildKey("vol-key", {
      versionTimes: ["2025-12-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z", "2026-06-01T00:00:00.000Z"], versionOverrides: { 0: { lifecycleState: "DELETED" } },
    });
    const volume = buildResource("volume", "data", key);
    const { plan: result, inventory } = plan({ keys: [key], resources: [volume] }, "2026-07-09T12:00:00.000Z");
    expect(only(result.items)).toMatchObject({
      strategy: "successor-key", status: "overdue", action: "rotate", currentVersionAgeDays: 189, ageFrom: "2026-01-01T00:00:00.000Z",
      dueAt: "2026-04-01T00:00:00.000Z", currentVersionCreated: "2026-06-01T00:00:00.000Z", resources: [{ resource: volume, action: "move-to-successor", reason: null }],
    });
    expect(inventory.findings.map((f) => f.code)).toEqual(["VOLUME_KEY_HAS_MULTIPLE_VERSIONS"]);
  });

  it("moves volumes off a key with native auto-rotation (never verify-only) and says auto-rotation does not re-key them", () => {
    const key = buildKey("auto-vol", {
      versionTimes: ["2026-01-01T00:00:00.000Z", "2026-03-02T00:00:00.000Z", "2026-05-01T00:00:00.000Z"],
      versionOverrides: { 1: { isAutoRotated: true }, 2: { isAutoRotated: true } }, isAutoRotationEnabled: true,
      autoRotation: { rotationIntervalInDays: 60, timeOfScheduleStart: null, timeOfNextRotation: "2026-06-30T00:00:00.000Z", timeOfLastRotation: "2026-05-01T00:00:00.000Z", lastRotationStatus: "SUCCESS", lastRotationMessage: null },
    });
    const volume = buildResource("volume", "data", key);
    const { plan: result, inventory } = plan({ keys: [key], resources: [volume] }, "2026-07-09T12:00:00.000Z");
    const item = only(result.items);
    expect(item).toMatchObject({ strategy: "successor-key", status: "overdue", action: "rotate", currentVersionAgeDays: 189, ageFrom: "2026-01-01T00:00:00.000Z" });
    const finding = inventory.findings.find((f) => f.code === "AUTO_ROTATION_ON_VOLUME_KEY")!;
    expect(finding).toMatchObject({ severity: "high", keyId: key.key.id });
    expect(finding.message).toContain("native auto-rotation makes new key versions but does not re-key volumes");
    expect(item.reason).toContain(finding.message);
  });

  it("a bucket on a retired predecessor is not eligible and does not block the volumes", () => {
    const volume = buildResource("volume", "pg-data-vol", k2);
    const bucket = buildResource("bucket", "old-exports", k1);
    const { plan: result, inventory } = plan({ keys: [k1, k2], resources: [volume, bucket] }, "2026-10-02T00:00:00.000Z");
    const item = only(result.items);
    expect(item).toMatchObject({ keyId: k2.key.id, strategy: "successor-key", status: "due", action: "rotate" });
    const finding = inventory.findings.find((f) => f.resourceId === bucket.id)!;
    expect(finding).toMatchObject({ code: "BUCKET_ON_RETIRED_VOLUME_KEY", severity: "high", keyId: k1.key.id });
    expect(inventory.findings.some((f) => f.code === "KEY_SERVES_VOLUMES_AND_BUCKETS")).toBe(false);
    expect(item.resources).toEqual([
      { resource: volume, action: "move-to-successor", reason: null },
      { resource: bucket, action: "not-eligible", reason: finding.message },
    ]);
  });

  it("a DISABLED successor is never the head: its ENABLED predecessor is rotated, a volume on the disabled key is not eligible", () => {
    const off = buildSuccessor("backup-volumes-2026-07", k1, "2026-07-10T02:00:11.208Z", { lifecycleState: "DISABLED" });
    const volume = buildResource("volume", "pg-data-vol", k1);
    const stuck = buildResource("bootvolume", "boot-on-off", off);
    const item = only(plan({ keys: [k1, off], resources: [volume, stuck] }, "2026-07-20T00:00:00.000Z").plan.items);
    expect(item).toMatchObject({ keyId: k1.key.id, lineageKeyIds: [off.key.id, k1.key.id], status: "overdue", action: "rotate", currentVersionAgeDays: 96 });
    expect(item.resources).toEqual([
      { resource: volume, action: "move-to-successor", reason: null },
      { resource: stuck, action: "not-eligible", reason: 'on key "backup-volumes-2026-07", which is DISABLED: cannot be moved until the key is enabled' },
    ]);
  });

  it("a fork (two successors of one key) rotates the newest ENABLED branch and the plan says so", () => {
    const a = buildSuccessor("fork-a", k1, "2026-07-10T02:00:00.000Z");
    const b = buildSuccessor("fork-b", k1, "2026-07-11T02:00:00.000Z", { lifecycleState: "DISABLED" });
    const volume = buildResource("volume", "pg-data-vol", a);
    const { plan: result, inventory } = plan({ keys: [k1, a, b], resources: [volume] }, "2026-07-20T00:00:00.000Z");
    const item = only(result.items);
    expect(item).toMatchObject({ keyId: a.key.id, action: "none", status: "not-due" });
    const fork = inventory.findings.find((f) => f.code === "LINEAGE_FORK")!;
    expect(fork).toMatchObject({ severity: "high", keyId: k1.key.id });
    expect(fork.message).toBe(
      'Key "backup-volumes-2026-04" has 2 successor keys ("fork-a" (ENABLED), "fork-b" (DISABLED)): a sign of a double rotation. The lineage continues from "fork-a" (ENABLED), the newest ENABLED one.',
    );
    expect(item.reason).toContain(fork.message);
  });
});

describe("planRotation: native auto-rotation is verified, never rotated", () => {
  it("verifies a healthy auto-rotating key", () => {
    const key = buildKey("auto", {
      versionTimes: ["2026-06-01T00:00:03.000Z"], isAutoRotationEnabled: true,
      autoRotation: { rotationIntervalInDays: 90, timeOfScheduleStart: "2026-03-03T00:00:00.000Z", timeOfNextRotation: "2026-08-30T00:00:00.000Z", timeOfLastRotation: "2026-06-01T00:00:03.000Z", lastRotationStatus: "SUCCESS", lastRotationMessage: null },
    });
    const bucket = buildResource("bucket", "b", key);
    const item = only(plan({ keys: [key], resources: [bucket] }, "2026-07-01T00:00:00.000Z").plan.items);
    expect(item).toMatchObject({ strategy: "native-auto-rotation", status: "auto-rotation", action: "verify", currentVersionAgeDays: 29 });
    expect(item.reason).toBe(
      "Native auto-rotation every 90 days (last SUCCESS at 2026-06-01T00:00:03.000Z, next 2026-08-30T00:00:00.000Z); current version 29 days old: verify, never rotate.",
    );
    expect(item.resources[0]).toMatchObject({ action: "none" });
  });

  it("says non-compliant and carries the FAILED and not-happening findings when the version is too old", () => {
    const key = buildKey("auto", {
      versionTimes: ["2026-01-01T00:00:00.000Z"], isAutoRotationEnabled: true,
      autoRotation: { rotationIntervalInDays: 90, timeOfScheduleStart: null, timeOfNextRotation: "2026-04-01T00:00:00.000Z", timeOfLastRotation: "2026-04-01T00:00:00.000Z", lastRotationStatus: "FAILED", lastRotationMessage: "HSM unavailable" },
    });
    const item = only(plan({ keys: [key] }, "2026-05-01T00:00:00.000Z").plan.items);
    expect(item).toMatchObject({ status: "overdue", action: "verify", currentVersionAgeDays: 120 });
    expect(item.reason).toContain("current version 120 days old, past the 90-day policy interval: non-compliant (rule 2): verify, never rotate.");
    expect(item.reason).toContain('Key "auto": the last native auto-rotation at 2026-04-01T00:00:00.000Z FAILED (HSM unavailable).');
    expect(item.reason).toContain("its next rotation was due at 2026-04-01T00:00:00.000Z");
  });

  it("shows a key auto-rotating every 365 days as overdue against a 90-day policy (verified, never rotated)", () => {
    const key = buildKey("yearly", {
      versionTimes: ["2025-09-12T12:00:00.000Z"], isAutoRotationEnabled: true,
      autoRotation: { rotationIntervalInDays: 365, timeOfScheduleStart: null, timeOfNextRotation: "2026-09-12T00:00:00.000Z", timeOfLastRotation: "2025-09-12T12:00:00.000Z", lastRotationStatus: "SUCCESS", lastRotationMessage: null },
    });
    const bucket = buildResource("bucket", "b", key);
    const item = only(plan({ keys: [key], resources: [bucket] }, "2026-07-09T12:00:00.000Z").plan.items);
    expect(item).toMatchObject({ strategy: "native-auto-rotation", status: "overdue", action: "verify", currentVersionAgeDays: 300, dueAt: "2025-12-11T12:00:00.000Z" });
    expect(item.reason).toContain("current version 300 days old, past the 90-day policy interval: non-compliant (rule 2)");
  });
});

describe("planRotation: findings that block rotation, and one bad key never hides the others", () => {
  const healthy = buildKey("healthy", { versionTimes: ["2026-01-01T00:00:00.000Z"] });
  const healthyBucket = buildResource("bucket", "healthy-bucket", healthy);
  const asOf = "2026-07-09T12:00:00.000Z";

  it("B15: a volume on an RSA key is not eligible, the item is skipped, the other key still rotates", () => {
    const rsa = buildKey("rsa-2048", { algorithm: "RSA", length: 256, versionTimes: ["2026-01-01T00:00:00.000Z"] });
    const volume = buildResource("volume", "tagged-vol", rsa);
    const result = plan({ keys: [rsa, healthy], resources: [volume, healthyBucket] }, asOf).plan;
    const skipped = result.items.find((i) => i.keyId === rsa.key.id)!;
    expect(skipped).toMatchObject({ strategy: "successor-key", status: "cannot-rotate", action: "skip" });
    expect(skipped.reason).toBe('volume "tagged-vol" uses RSA key "rsa-2048": incompatible key algorithm – AES required; not re-keyed.');
    expect(skipped.resources).toEqual([{ resource: volume, action: "not-eligible", reason: skipped.reason }]);
    expect(result.items.find((i) => i.keyId === healthy.key.id)).toMatchObject({ action: "rotate", status: "overdue" });
  });

  it("B17: a bucket without a customer key is listed not eligible; the key's other bucket is planned", () => {
    const key = buildKey("bucket-key", { versionTimes: ["2026-01-01T00:00:00.000Z"] });
    const onKey = buildResource("bucket", "db-backups", key);
    const oracle = buildResource("bucket", "web-assets", null);
    const result = plan({ keys: [key], resources: [onKey, oracle] }, asOf).plan;
    expect(only(result.items).resources).toEqual([{ resource: onKey, action: "reencrypt-bucket", reason: null }]);
    expect(result.notEligible).toEqual([
      { resource: oracle, action: "not-eligible", reason: 'bucket "web-assets" has no customer-managed key: not eligible – Oracle-managed key.' },
    ]);
  });

  it("B13: a replicated key is one item, on the primary vault; a replica-only key is skipped", () => {
    const primary = buildKey("K", { versionTimes: ["2025-06-01T00:00:00.000Z"] });
    const replicaVault = buildVault({ displayName: "backup-vault-phx", isPrimary: false, region: "us-phoenix-1" });
    const copy = { key: { ...primary.key, vaultId: replicaVault.id, isPrimary: false }, versions: [], vault: replicaVault };
    const bucket = buildResource("bucket", "b", primary);
    const result = plan({ keys: [primary], replicaCopies: [copy], resources: [bucket] }, asOf).plan;
    expect(only(result.items)).toMatchObject({ keyId: primary.key.id, vaultId: primary.vault.id, status: "overdue", action: "rotate", currentVersionAgeDays: 403 });

    const replicaOnly = buildKey("R", { vault: replicaVault, versionTimes: ["2025-06-01T00:00:00.000Z"] });
    const skipped = only(plan({ keys: [replicaOnly] }, asOf).plan.items);
    expect(skipped).toMatchObject({ status: "cannot-rotate", action: "skip", vaultId: replicaVault.id });
    expect(skipped.reason).toContain('seen only as a read-only copy in replica vault "backup-vault-phx" (us-phoenix-1)');
  });

  const blockers: Array<{ name: string; key: Parameters<typeof buildKey>[1]; resources: (k: ReturnType<typeof buildKey>) => ReturnType<typeof buildResource>[]; reason: string; strategy: string }> = [
    { name: "EXTERNAL key", key: { protectionMode: "EXTERNAL" }, resources: (k) => [buildResource("bucket", "b", k)], reason: "has protection mode EXTERNAL", strategy: "key-version" },
    { name: "disabled key", key: { lifecycleState: "DISABLED" }, resources: (k) => [buildResource("bucket", "b", k)], reason: 'Key "bad" is DISABLED', strategy: "key-version" },
    {
      name: "key serving volumes and buckets", key: {},
      resources: (k) => [buildResource("bucket", "b", k), buildResource("volume", "v", k)], reason: "cannot be rotated correctly for both", strategy: "none",
    },
    { name: "current version missing", key: { currentKeyVersionId: "ocid1.keyversion.oc1.iad.gone" }, resources: () => [], reason: "is not among the key's versions", strategy: "key-version" },
    { name: "current version with a broken timeCreated", key: { versionTimes: ["not-a-time"] }, resources: () => [], reason: "has no valid timeCreated", strategy: "key-version" },
  ];
  for (const row of blockers) {
    it(`skips a ${row.name} with the reason and still plans the healthy key`, () => {
      const bad = buildKey("bad", { versionTimes: ["2026-01-01T00:00:00.000Z"], ...row.key });
      const result = plan({ keys: [bad, healthy], resources: [...row.resources(bad), healthyBucket] }, asOf).plan;
      const item = result.items.find((i) => i.keyId === bad.key.id)!;
      expect(item).toMatchObject({ status: "cannot-rotate", action: "skip", strategy: row.strategy });
      expect(item.reason).toContain(row.reason);
      expect(item.resources.every((r) => r.action === "not-eligible")).toBe(true);
      expect(result.items.find((i) => i.keyId === healthy.key.id)).toMatchObject({ action: "rotate" });
    });
  }

  it("unknown version times leave dueAt empty and sort the item last", () => {
    const bad = buildKey("aaa-bad", { versionTimes: ["2026-01-01T00:00:00.000Z"], currentKeyVersionId: "ocid1.keyversion.oc1.iad.gone" });
    const result = plan({ keys: [bad, healthy] }, asOf).plan;
    expect(result.items.map((i) => [i.keyName, i.dueAt, i.currentVersionCreated, i.currentVersionAgeDays])).toEqual([
      ["healthy", "2026-04-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z", 189],
      ["aaa-bad", "", "", 0],
    ]);
  });

  it("rule 8: leaves out a key pending deletion; a bucket still on it is listed with the critical reason", () => {
    const doomed = buildKey("doomed", { versionTimes: ["2026-01-01T00:00:00.000Z"], lifecycleState: "PENDING_DELETION", timeOfDeletion: "2026-07-30T00:00:00.000Z" });
    const bucket = buildResource("bucket", "still-here", doomed);
    const result = plan({ keys: [doomed, healthy], resources: [bucket] }, asOf).plan;
    expect(result.items.map((i) => i.keyId)).toEqual([healthy.key.id]);
    expect(result.notEligible).toEqual([{
      resource: bucket, action: "not-eligible",
      reason: 'bucket "still-here" still uses key "doomed", which is PENDING_DELETION (deletion on 2026-07-30T00:00:00.000Z): its data becomes unreadable when the key is deleted (rule 8).',
    }]);
  });

  it("orders items by due date, then name, and keeps asOf canonical", () => {
    const a = buildKey("a", { versionTimes: ["2026-03-01T00:00:00.000Z"] });
    const b = buildKey("b", { versionTimes: ["2026-02-01T00:00:00.000Z"] });
    const c = buildKey("c", { versionTimes: ["2026-03-01T00:00:00.000Z"] });
    const result = plan({ keys: [c, a, b] }, "2026-07-09T14:00:00+02:00").plan;
    expect(result.asOf).toBe("2026-07-09T12:00:00.000Z");
    expect(result.items.map((i) => i.keyName)).toEqual(["b", "a", "c"]);
    expect(result.notEligible).toBeUndefined();
  });

  it("rejects an asOf that is not an instant", () => {
    expect(() => planRotation(buildInventory({}), POLICY, ROTATION, "yesterday")).toThrow(/asOf: expected an ISO-8601 instant/);
  });
});
