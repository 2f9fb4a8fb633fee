import * as common from "oci-common";
import type { models, requests, responses } from "oci-objectstorage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ObjectStorageClient } from "oci-objectstorage";
import { objectStorageState } from "../../src/sim/objectstorage/object-storage-state.js";
import { EXAMPLE, useSimulator } from "../helpers/sim.js";
import { objectStorageClient } from "./objectstorage-client.js";

const ns = "idr2kxq7vbmn";
const MINUTE = 60_000;

describe("ReencryptBucket and its work requests", () => {
  // Signatures carry wall-clock dates while the test moves the simulator clock: skew check off.
  const suite = useSimulator({
    maxClockSkewMs: Infinity,
    changeSeed: (seed) => {
      seed.buckets!.push({
        name: "big-backups", id: "ocid1.bucket.oc1.iad.aaaaaaaabigbackupsbigbackupsbigbackupsbigbackupsbigbackups0",
        compartmentId: EXAMPLE.backupProdId, kmsKeyId: EXAMPLE.bucketKey.id, timeCreated: "2025-12-01T00:00:00.000Z",
        approximateCount: 10_000, freeformTags: { "backup-encryption": "enabled" },
      });
    },
  });
  let client: ObjectStorageClient;
  beforeAll(() => {
    client = objectStorageClient(suite());
  });
  afterAll(() => client.close());

  const workRequest = async (id: string) => (await client.getWorkRequest({ workRequestId: id })).workRequest;

  it("refuses a bucket without kmsKeyId with 400 InvalidParameter and starts no work request (B17)", async () => {
    const { sim } = suite();
    await expect(client.reencryptBucket({ namespaceName: ns, bucketName: "web-assets" }))
      .rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter", message: expect.stringContaining("kmsKeyId") });
    expect(Object.keys(objectStorageState(sim.state).workRequests)).toEqual([]);
  });

  it("answers 202 with opc-work-request-id and progresses over simulator time: ACCEPTED, 60 % IN_PROGRESS, COMPLETED (B17)", async () => {
    const { sim } = suite();
    const accepted = sim.clock.now().getTime();
    const { opcWorkRequestId } = await client.reencryptBucket({ namespaceName: ns, bucketName: "big-backups" });
    expect(opcWorkRequestId).toMatch(/^ocid1\.objectstorageworkrequest\.oc1\.iad\./);
    expect(await workRequest(opcWorkRequestId)).toMatchObject({
      id: opcWorkRequestId, operationType: "REENCRYPT", status: "ACCEPTED", percentComplete: 0, compartmentId: EXAMPLE.backupProdId,
      timeAccepted: new Date(accepted).toISOString(),
      resources: [{ entityType: "bucket", identifier: "big-backups", metadata: { NAMESPACE: ns, BUCKET: "big-backups" } }],
    });
    // 10,000 objects at the default 1,000 objects per minute: 10 minutes after a 1 s start delay.
    sim.clock.advance(1_000 + 6 * MINUTE);
    const running = await workRequest(opcWorkRequestId);
    expect(running).toMatchObject({ status: "IN_PROGRESS", percentComplete: 60, timeStarted: new Date(accepted + 1_000).toISOString() });
    expect(running.timeFinished).toBeUndefined();
    sim.clock.advance(4 * MINUTE);
    expect(await workRequest(opcWorkRequestId)).toMatchObject({
      status: "COMPLETED", percentComplete: 100, timeFinished: new Date(accepted + 1_000 + 10 * MINUTE).toISOString(),
    });
  });

  it("records the call and the end of the work as .begin/.end audit events with one eventGroupingId", () => {
    const { sim } = suite();
    const events = sim.audit.all().map((r) => r.event).filter((e) => e.data.eventName === "ReencryptBucket" && e.data.resourceName === "big-backups");
    expect(events.map((e) => e.eventType)).toEqual(["com.oraclecloud.objectstorage.reencryptbucket.begin", "com.oraclecloud.objectstorage.reencryptbucket.end"]);
    expect(events[1]!.data.eventGroupingId).toBe(events[0]!.data.eventGroupingId);
    expect(events[0]!.data.response.status).toBe("202");
    expect(events[1]!.data.additionalDetails).toMatchObject({ status: "COMPLETED", percentComplete: 100 });
  });

  it("re-wraps objects created before the call with the bucket key's current version, leaving later ones as written", async () => {
    const { sim, clients } = suite();
    await client.putObject({ namespaceName: ns, bucketName: "app-backups", objectName: "old.bin", putObjectBody: "old", contentLength: 3 });
    const before = sim.state.keys.get(EXAMPLE.bucketKey.id)!.currentKeyVersion;
    const objects = () => objectStorageState(sim.state).objects["app-backups"]!;
    expect(objects()["old.bin"]!.kmsKeyVersionId).toBe(before);
    const { keyVersion } = await clients.management.createKeyVersion({ keyId: EXAMPLE.bucketKey.id });
    const { opcWorkRequestId } = await client.reencryptBucket({ namespaceName: ns, bucketName: "app-backups" });
    // 310 objects take 18.6 s: 5 s in, the work is still running.
    sim.clock.advance(5_000);
    await client.putObject({ namespaceName: ns, bucketName: "app-backups", objectName: "new.bin", putObjectBody: "new", contentLength: 3 });
    expect(objects()["old.bin"]!.kmsKeyVersionId).toBe(before);
    sim.clock.advance(10 * MINUTE);
    expect((await workRequest(opcWorkRequestId)).status).toBe("COMPLETED");
    expect(objects()["old.bin"]!.kmsKeyVersionId).toBe(keyVersion.id);
    expect(objects()["new.bin"]!.kmsKeyVersionId).toBe(keyVersion.id);
  });

  it("lists work requests of a compartment newest first through paginateRecords", async () => {
    const request: requests.ListWorkRequestsRequest = { compartmentId: EXAMPLE.backupProdId, limit: 1 };
    const all: models.WorkRequestSummary[] = [];
    for await (const wr of common.paginateRecords<requests.ListWorkRequestsRequest, responses.ListWorkRequestsResponse, models.WorkRequestSummary>(request, (r) => client.listWorkRequests(r))) all.push(wr);
    expect(all.map((w) => w.resources![0]!.identifier)).toEqual(["app-backups", "big-backups"]);
    expect(all.every((w) => w.status === "COMPLETED")).toBe(true);
  });

  it("stalls a work request at 50 % IN_PROGRESS under the stall fault", async () => {
    const { sim } = suite();
    sim.faults.set("ReencryptBucket", { workRequest: "stall", times: 1 });
    const { opcWorkRequestId } = await client.reencryptBucket({ namespaceName: ns, bucketName: "big-backups" });
    sim.clock.advance(60 * MINUTE);
    expect(await workRequest(opcWorkRequestId)).toMatchObject({ status: "IN_PROGRESS", percentComplete: 50 });
    sim.faults.clear();
    await client.cancelWorkRequest({ workRequestId: opcWorkRequestId });
    expect(await workRequest(opcWorkRequestId)).toMatchObject({ status: "CANCELED", percentComplete: 50, timeFinished: sim.clock.now().toISOString() });
    await expect(client.cancelWorkRequest({ workRequestId: opcWorkRequestId })).rejects.toMatchObject({ statusCode: 409 });
  });

  it("fails a work request halfway under the fail fault, with its error listed", async () => {
    const { sim } = suite();
    sim.faults.set("ReencryptBucket", { workRequest: "fail", times: 1 });
    const { opcWorkRequestId } = await client.reencryptBucket({ namespaceName: ns, bucketName: "big-backups" });
    sim.faults.clear();
    sim.clock.advance(4 * MINUTE);
    expect((await workRequest(opcWorkRequestId)).status).toBe("IN_PROGRESS");
    sim.clock.advance(2 * MINUTE);
    expect(await workRequest(opcWorkRequestId)).toMatchObject({ status: "FAILED", percentComplete: 50 });
    const errors = await client.listWorkRequestErrors({ workRequestId: opcWorkRequestId });
    expect(errors.items).toHaveLength(1);
    expect(errors.items[0]!.message).toContain("50%");
  });

  it("follows the objects-per-minute setting", async () => {
    const { sim } = suite();
    objectStorageState(sim.state).settings.objectsPerMinute = 100_000;
    const { opcWorkRequestId } = await client.reencryptBucket({ namespaceName: ns, bucketName: "big-backups" });
    sim.clock.advance(1_000 + 3_000);
    expect(await workRequest(opcWorkRequestId)).toMatchObject({ status: "IN_PROGRESS", percentComplete: 50 });
    objectStorageState(sim.state).settings.objectsPerMinute = 1000;
  });

  it("answers an unknown work request with 404", async () => {
    await expect(client.getWorkRequest({ workRequestId: "ocid1.objectstorageworkrequest.oc1.iad.nope" })).rejects.toMatchObject({ statusCode: 404 });
  });
});
