import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectStorageClient } from "oci-objectstorage";
import { DAY_MS } from "../../src/sim/sim-clock.js";
import { useSimulator } from "../helpers/sim.js";
import { objectStorageClient } from "./objectstorage-client.js";

const ns = "idr2kxq7vbmn";

describe("Object Storage retention rules", () => {
  const suite = useSimulator({ maxClockSkewMs: Infinity });
  let client: ObjectStorageClient;
  beforeAll(() => {
    client = objectStorageClient(suite());
  });
  afterAll(() => client.close());

  it("lists the seeded rules as {items} and gets one with its etag", async () => {
    const list = await client.listRetentionRules({ namespaceName: ns, bucketName: "db-backups" });
    expect(list.retentionRuleCollection.items).toHaveLength(1);
    const summary = list.retentionRuleCollection.items[0]!;
    expect(summary).toMatchObject({ displayName: "keep-7-years", duration: { timeAmount: 7, timeUnit: "YEARS" }, timeCreated: "2025-11-20T15:10:00.000Z" });
    expect(summary.timeRuleLocked).toBeUndefined();
    const got = await client.getRetentionRule({ namespaceName: ns, bucketName: "db-backups", retentionRuleId: summary.id });
    expect(got.retentionRule).toEqual(summary);
    expect(got.etag).toBe(summary.etag);
  });

  it("refuses new rules on a bucket with versioning enabled with 409", async () => {
    await expect(client.createRetentionRule({ namespaceName: ns, bucketName: "app-backups", createRetentionRuleDetails: { displayName: "x" } }))
      .rejects.toMatchObject({ statusCode: 409, serviceCode: "Conflict" });
  });

  it("seeds db-backups with versioning Disabled, as its retention rule requires", async () => {
    const { bucket } = await client.getBucket({ namespaceName: ns, bucketName: "db-backups" });
    expect(bucket.versioning).toBe("Disabled");
  });

  it("refuses to enable versioning on a bucket with retention rules with 409 and changes nothing", async () => {
    const before = await client.getBucket({ namespaceName: ns, bucketName: "db-backups" });
    await expect(client.updateBucket({
      namespaceName: ns, bucketName: "db-backups",
      updateBucketDetails: { versioning: "Enabled" as never, freeformTags: { changed: "yes" } },
    })).rejects.toMatchObject({ statusCode: 409, serviceCode: "Conflict" });
    const after = await client.getBucket({ namespaceName: ns, bucketName: "db-backups" });
    expect(after.bucket).toEqual(before.bucket);
    expect(after.eTag).toBe(before.eTag);
  });

  it("creates an indefinite rule when no duration is given", async () => {
    const { retentionRule } = await client.createRetentionRule({ namespaceName: ns, bucketName: "web-assets", createRetentionRuleDetails: { displayName: "hold" } });
    expect(retentionRule.duration).toBeUndefined();
    expect(retentionRule.timeCreated as unknown as string).toBe(suite().sim.clock.now().toISOString());
  });

  it("requires a duration and at least 14 days of lock delay for timeRuleLocked", async () => {
    const now = suite().sim.clock.now().getTime();
    await expect(client.createRetentionRule({ namespaceName: ns, bucketName: "web-assets", createRetentionRuleDetails: { timeRuleLocked: new Date(now + 20 * DAY_MS) } }))
      .rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    await expect(client.createRetentionRule({
      namespaceName: ns, bucketName: "web-assets",
      createRetentionRuleDetails: { duration: { timeAmount: 30, timeUnit: "DAYS" as never }, timeRuleLocked: new Date(now + 13 * DAY_MS) },
    })).rejects.toMatchObject({ statusCode: 400, message: expect.stringContaining("14 days") });
  });

  it("lets a rule change during its lock delay, then only lengthens it and never deletes it once locked", async () => {
    const { sim } = suite();
    const lockAt = new Date(sim.clock.now().getTime() + 14 * DAY_MS);
    const { retentionRule } = await client.createRetentionRule({
      namespaceName: ns, bucketName: "web-assets",
      createRetentionRuleDetails: { displayName: "locked", duration: { timeAmount: 90, timeUnit: "DAYS" as never }, timeRuleLocked: lockAt },
    });
    expect(retentionRule.timeRuleLocked as unknown as string).toBe(lockAt.toISOString());
    const ids = { namespaceName: ns, bucketName: "web-assets", retentionRuleId: retentionRule.id };
    const shorter = await client.updateRetentionRule({ ...ids, updateRetentionRuleDetails: { duration: { timeAmount: 60, timeUnit: "DAYS" as never } } });
    expect(shorter.retentionRule.duration).toEqual({ timeAmount: 60, timeUnit: "DAYS" });
    sim.clock.advance(14 * DAY_MS);
    await expect(client.updateRetentionRule({ ...ids, updateRetentionRuleDetails: { duration: { timeAmount: 30, timeUnit: "DAYS" as never } } }))
      .rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    await expect(client.updateRetentionRule({ ...ids, updateRetentionRuleDetails: { displayName: "renamed" } })).rejects.toMatchObject({ statusCode: 400 });
    const longer = await client.updateRetentionRule({ ...ids, updateRetentionRuleDetails: { duration: { timeAmount: 1, timeUnit: "YEARS" as never } } });
    expect(longer.retentionRule.duration).toEqual({ timeAmount: 1, timeUnit: "YEARS" });
    expect(longer.retentionRule.timeModified as unknown as string).toBe(sim.clock.now().toISOString());
    await expect(client.deleteRetentionRule(ids)).rejects.toMatchObject({ statusCode: 409, serviceCode: "Conflict" });
  });
});
