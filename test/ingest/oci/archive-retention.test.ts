/**
 * checkArchiveRetention: the archive mirror bucket must have a LOCKED retention rule at least
 * policy.retentionDays long. Rules come from the simulator through the real SDK (seeded, or created
 * with CreateRetentionRule, whose 14-day lock delay the simulator enforces as OCI does).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectStorageClient } from "oci-objectstorage";
import { checkArchiveRetention, evaluateRetentionRules, retentionRuleDays } from "../../../src/ingest/oci/check-archive-retention.js";
import type { OciPorts, OciRetentionRule } from "../../../src/oci/oci-ports.js";
import { portsFor } from "../../helpers/oci-ports.js";
import { EXAMPLE, useSimulator } from "../../helpers/sim.js";
import { objectStorageClient } from "../../sim/objectstorage-client.js";

const NAMESPACE = "idr2kxq7vbmn";
const NOW = "2026-11-29T12:00:00.000Z";
const DAY = 86_400_000;

function bucket(name: string, n: number, retentionRules: unknown[] = []) {
  return {
    name, id: `ocid1.bucket.oc1.iad.aaaaaaaa${String(n).repeat(52).slice(0, 52)}`, compartmentId: EXAMPLE.securityId,
    kmsKeyId: null, timeCreated: "2025-11-20T15:05:44.300Z", retentionRules,
  };
}
const rule = (id: string, displayName: string, extra: Record<string, unknown>) => ({ id, displayName, timeCreated: "2025-11-20T15:10:00.000Z", ...extra });

describe("checkArchiveRetention against the simulator (real SDK clients)", () => {
  const suite = useSimulator({
    maxClockSkewMs: Infinity,
    changeSeed: (seed) => {
      (seed as { buckets: unknown[] }).buckets.push(
        bucket("arch-none", 1),
        bucket("arch-7y", 2, [rule("r-7y", "keep-7-years-locked", { duration: { timeAmount: 7, timeUnit: "YEARS" }, timeRuleLocked: "2025-12-05T00:00:00.000Z" })]),
        bucket("arch-1y", 3, [rule("r-1y", "keep-1-year-locked", { duration: { timeAmount: 1, timeUnit: "YEARS" }, timeRuleLocked: "2025-12-05T00:00:00.000Z" })]),
        // OCI refuses a lock time on an indefinite rule (CreateRetentionRule below); only a seed can hold one.
        bucket("arch-indefinite-locked", 4, [rule("r-inf", "keep-forever-locked", { timeRuleLocked: "2025-12-05T00:00:00.000Z" })]),
        bucket("arch-pending", 5),
        bucket("arch-indefinite", 6),
        bucket("arch-mixed", 8, [
          rule("r-30d", "keep-30-days", { duration: { timeAmount: 30, timeUnit: "DAYS" } }),
          rule("r-2554d", "keep-2554-days-locked", { duration: { timeAmount: 2554, timeUnit: "DAYS" }, timeRuleLocked: "2025-12-05T00:00:00.000Z" }),
        ]),
      );
    },
  });
  let ports: OciPorts;
  let client: ObjectStorageClient;
  beforeAll(() => {
    suite().sim.clock.set(NOW);
    ports = portsFor(suite().sim);
    client = objectStorageClient(suite());
  });
  afterAll(() => {
    ports?.close();
    client?.close();
  });

  const check = (bucketName: string, now = NOW, days = 2555) => checkArchiveRetention(ports, NAMESPACE, bucketName, days, now);

  it("no rule: not ok", async () => {
    expect(await check("arch-none")).toMatchObject({
      ok: false, reason: "no-rule", rule: null, rules: [], requiredDays: 2555, checkedAt: NOW,
      message: `archive bucket ${NAMESPACE}/arch-none has no retention rule: archived objects can be changed or deleted; policy.retentionDays requires 2555 days (7 years) under a locked rule`,
    });
  });

  it("locked 7 YEARS (2555 days) against 2555 required: ok", async () => {
    expect(await check("arch-7y")).toMatchObject({
      ok: true, reason: "locked",
      rule: { id: "r-7y", durationDays: 2555, timeRuleLocked: "2025-12-05T00:00:00.000Z", locked: true },
      message: `archive bucket ${NAMESPACE}/arch-7y: retention rule "keep-7-years-locked" keeps objects for 2555 days (7 years) and is locked since 2025-12-05T00:00:00.000Z; policy.retentionDays requires 2555 days (7 years)`,
    });
    // One day more than 7 years is not enough.
    expect(await check("arch-7y", NOW, 2556)).toMatchObject({ ok: false, reason: "too-short" });
  });

  it("locked 1 YEAR against 2555 required: too short, with both numbers", async () => {
    expect(await check("arch-1y")).toMatchObject({
      ok: false, reason: "too-short", rule: { id: "r-1y", durationDays: 365, locked: true },
      message: `archive bucket ${NAMESPACE}/arch-1y: the longest locked retention rule "keep-1-year-locked" keeps objects for 365 days (1 year); policy.retentionDays requires 2555 days (7 years)`,
    });
  });

  it("a locked indefinite rule is ok", async () => {
    expect(await check("arch-indefinite-locked")).toMatchObject({ ok: true, reason: "locked", rule: { id: "r-inf", durationDays: null, locked: true } });
  });

  it("a rule whose lock time is still ahead (OCI's 14-day delay) is not locked yet; once that time has passed it is", async () => {
    const lockAt = new Date(Date.parse(NOW) + 14 * DAY + 3_600_000).toISOString();
    const created = await client.createRetentionRule({
      namespaceName: NAMESPACE, bucketName: "arch-pending",
      createRetentionRuleDetails: { displayName: "keep-7-years", duration: { timeAmount: 7, timeUnit: "YEARS" as never }, timeRuleLocked: lockAt as unknown as Date },
    });
    expect(created.retentionRule.timeRuleLocked as unknown as string).toBe(lockAt);
    expect(await check("arch-pending")).toMatchObject({
      ok: false, reason: "not-locked", rule: { durationDays: 2555, timeRuleLocked: lockAt, locked: false },
      message: `archive bucket ${NAMESPACE}/arch-pending: retention rule "keep-7-years" (2555 days (7 years)) is not locked: its lock time ${lockAt} is still ahead, and until then it can be shortened or deleted`,
    });
    expect(await check("arch-pending", new Date(Date.parse(lockAt) - 1).toISOString())).toMatchObject({ ok: false, reason: "not-locked" });
    expect(await check("arch-pending", lockAt)).toMatchObject({ ok: true, reason: "locked" });
  });

  it("an indefinite rule cannot be locked in OCI, so it can be deleted any time: not ok", async () => {
    await expect(client.createRetentionRule({
      namespaceName: NAMESPACE, bucketName: "arch-indefinite",
      createRetentionRuleDetails: { displayName: "keep-forever", timeRuleLocked: new Date(Date.parse(NOW) + 30 * DAY).toISOString() as unknown as Date },
    })).rejects.toMatchObject({ statusCode: 400 });
    await client.createRetentionRule({ namespaceName: NAMESPACE, bucketName: "arch-indefinite", createRetentionRuleDetails: { displayName: "keep-forever" } });
    expect(await check("arch-indefinite")).toMatchObject({
      ok: false, reason: "not-locked", rule: { durationDays: null, timeRuleLocked: null },
      message: expect.stringContaining("OCI cannot lock an indefinite rule, so it can be deleted at any time"),
    });
  });

  it("several rules: judged by the best one; all short names the longest locked one", async () => {
    expect(await check("arch-mixed")).toMatchObject({ ok: false, reason: "too-short", rule: { id: "r-2554d", durationDays: 2554 }, rules: [{ id: "r-30d" }, { id: "r-2554d" }] });
    expect(await check("arch-mixed", NOW, 2554)).toMatchObject({ ok: true, rule: { id: "r-2554d" } });
    expect(await check("arch-mixed", NOW, 30)).toMatchObject({ ok: true, rule: { id: "r-2554d" } });
  });

  it("rules that cannot be read are 'not collected', never ok", async () => {
    const r = await check("no-such-bucket");
    expect(r).toMatchObject({ ok: false, reason: "not-collected", rule: null });
    expect(r.message).toMatch(/^archive bucket idr2kxq7vbmn\/no-such-bucket: retention rules not collected \(not-authorized-or-not-found\): ListRetentionRules: 404 /);
  });
});

describe("evaluateRetentionRules (pure)", () => {
  const target = { namespace: "ns", bucket: "b", requiredDays: 2555, now: NOW };
  const r = (duration: OciRetentionRule["duration"], timeRuleLocked: string | null, id = "r"): OciRetentionRule =>
    ({ id, displayName: id, duration, timeRuleLocked, timeCreated: null, timeModified: null });

  it("counts YEARS as 365 days and DAYS as days; no duration is indefinite", () => {
    expect(retentionRuleDays(r({ timeAmount: 7, timeUnit: "YEARS" }, null))).toBe(2555);
    expect(retentionRuleDays(r({ timeAmount: 2555, timeUnit: "DAYS" }, null))).toBe(2555);
    expect(retentionRuleDays(r(null, null))).toBeNull();
  });

  it("ok exactly at the lock instant and at the required length; not a millisecond or a day short", () => {
    expect(evaluateRetentionRules(target, [r({ timeAmount: 2555, timeUnit: "DAYS" }, NOW)]).ok).toBe(true);
    expect(evaluateRetentionRules(target, [r({ timeAmount: 2555, timeUnit: "DAYS" }, "2026-11-29T12:00:00.001Z")]).reason).toBe("not-locked");
    expect(evaluateRetentionRules(target, [r({ timeAmount: 2554, timeUnit: "DAYS" }, NOW)]).reason).toBe("too-short");
    expect(evaluateRetentionRules(target, [r({ timeAmount: 6, timeUnit: "YEARS" }, NOW)]).reason).toBe("too-short");
  });

  it("an unlocked short rule is too short and says it is not locked either", () => {
    expect(evaluateRetentionRules(target, [r({ timeAmount: 30, timeUnit: "DAYS" }, null, "month")]).message).toBe(
      'archive bucket ns/b: the longest retention rule "month" keeps objects for 30 days and is not locked; policy.retentionDays requires 2555 days (7 years)',
    );
  });

  it("a pending long rule is reported before a locked short one (the pending lock is what fixes it)", () => {
    const v = evaluateRetentionRules(target, [r({ timeAmount: 1, timeUnit: "YEARS" }, "2025-01-01T00:00:00.000Z", "short"), r({ timeAmount: 10, timeUnit: "YEARS" }, "2026-12-31T00:00:00.000Z", "long")]);
    expect([v.reason, v.rule?.id]).toEqual(["not-locked", "long"]);
  });
});
