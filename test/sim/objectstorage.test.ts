import * as common from "oci-common";
import { ObjectStorageClient, requests, type models, type responses } from "oci-objectstorage";
import { describe, expect, it } from "vitest";
import { EXAMPLE, useSimulator } from "../helpers/sim.js";
import { objectStorageClient as objectStorage } from "./objectstorage-client.js";

async function text(value: unknown): Promise<string> {
  return new Response(value as ReadableStream).text();
}

describe("Object Storage namespace, buckets and objects through ObjectStorageClient", () => {
  const suite = useSimulator();
  const ns = "idr2kxq7vbmn";

  it("answers GetNamespace with the tenancy's namespace as a JSON string", async () => {
    const client = objectStorage(suite());
    try {
      expect((await client.getNamespace({})).value).toBe(ns);
    } finally {
      client.close();
    }
  });

  it("echoes opc-client-request-id when the client sends one, on reads, lists and writes, and not otherwise", async () => {
    const { sim } = suite();
    const client = objectStorage(suite());
    try {
      const got = await client.getBucket({ namespaceName: ns, bucketName: "db-backups", opcClientRequestId: "keyproof-run-42/get" });
      expect(got.opcClientRequestId).toBe("keyproof-run-42/get");
      const listed = await client.listBuckets({ namespaceName: ns, compartmentId: EXAMPLE.backupProdId, opcClientRequestId: "keyproof-run-42/list" });
      expect(listed.opcClientRequestId).toBe("keyproof-run-42/list");
      const tags = got.bucket.freeformTags;
      const updated = await client.updateBucket({ namespaceName: ns, bucketName: "db-backups", opcClientRequestId: "keyproof-run-42/update", updateBucketDetails: { freeformTags: tags } });
      expect(updated.opcClientRequestId).toBe("keyproof-run-42/update");
      expect((await client.getBucket({ namespaceName: ns, bucketName: "db-backups" })).opcClientRequestId).toBeUndefined();
      const failed = sim.calls.length;
      await expect(client.getBucket({ namespaceName: ns, bucketName: "nope", opcClientRequestId: "keyproof-run-42/missing" })).rejects.toMatchObject({ statusCode: 404 });
      const event = sim.audit.events().at(-1)!;
      expect(sim.calls.length).toBe(failed + 1);
      expect(event.data.response?.headers).toMatchObject({ "opc-client-request-id": ["keyproof-run-42/missing"] });
    } finally {
      client.close();
    }
  });

  it("answers GetBucket with the Bucket model, its ETag, and approximateCount only when asked", async () => {
    const client = objectStorage(suite());
    try {
      const { bucket, eTag } = await client.getBucket({ namespaceName: ns, bucketName: "db-backups" });
      expect(bucket).toMatchObject({
        namespace: ns, name: "db-backups", compartmentId: EXAMPLE.backupProdId, kmsKeyId: EXAMPLE.bucketKey.id,
        versioning: "Disabled", publicAccessType: "NoPublicAccess", storageTier: "Standard", freeformTags: { "backup-encryption": "enabled" },
      });
      expect(bucket.timeCreated as unknown as string).toBe("2025-11-20T15:03:27.904Z");
      expect(bucket.approximateCount).toBeUndefined();
      expect(eTag).toMatch(/^[0-9a-f]{64}$/);
      expect(bucket.etag).toBe(eTag);
      const counted = await client.getBucket({ namespaceName: ns, bucketName: "db-backups", fields: [requests.GetBucketRequest.Fields.ApproximateCount] });
      expect(counted.bucket.approximateCount).toBe(1240);
      expect((await client.getBucket({ namespaceName: ns, bucketName: "web-assets" })).bucket.kmsKeyId).toBeUndefined();
    } finally {
      client.close();
    }
  });

  it("answers an unknown bucket or namespace with 404 NotAuthorizedOrNotFound", async () => {
    const client = objectStorage(suite());
    try {
      await expect(client.getBucket({ namespaceName: ns, bucketName: "nope" })).rejects.toMatchObject({ statusCode: 404, serviceCode: "NotAuthorizedOrNotFound" });
      await expect(client.getBucket({ namespaceName: "other", bucketName: "db-backups" })).rejects.toMatchObject({ statusCode: 404 });
    } finally {
      client.close();
    }
  });

  it("lists buckets as a bare array, paginated through paginateRecords, with tags only for fields=tags", async () => {
    const client = objectStorage(suite());
    try {
      const request: requests.ListBucketsRequest = { namespaceName: ns, compartmentId: EXAMPLE.backupProdId, limit: 1 };
      const all: models.BucketSummary[] = [];
      for await (const b of common.paginateRecords<requests.ListBucketsRequest, responses.ListBucketsResponse, models.BucketSummary>(request, (r) => client.listBuckets(r))) all.push(b);
      expect(all.map((b) => b.name)).toEqual(["app-backups", "db-backups", "web-assets"]);
      expect(all[0]!.freeformTags).toBeUndefined();
      const tagged = await client.listBuckets({ namespaceName: ns, compartmentId: EXAMPLE.backupProdId, fields: [requests.ListBucketsRequest.Fields.Tags] });
      expect(tagged.items[0]!.freeformTags).toEqual({ "backup-encryption": "enabled", "cost-center": "cc-4410" });
      await expect(client.listBuckets({ namespaceName: ns, compartmentId: undefined as never })).rejects.toMatchObject({ statusCode: 400, serviceCode: "MissingParameter" });
    } finally {
      client.close();
    }
  });

  it("updates kmsKeyId and tags with if-match, answers a stale etag with 412, and returns to an Oracle-managed key with an empty kmsKeyId", async () => {
    const client = objectStorage(suite());
    try {
      const { eTag } = await client.getBucket({ namespaceName: ns, bucketName: "web-assets" });
      const updated = await client.updateBucket({
        namespaceName: ns, bucketName: "web-assets", ifMatch: eTag,
        updateBucketDetails: { kmsKeyId: EXAMPLE.bucketKey.id, freeformTags: { "backup-encryption": "enabled" } },
      });
      expect(updated.bucket).toMatchObject({ kmsKeyId: EXAMPLE.bucketKey.id, freeformTags: { "backup-encryption": "enabled" } });
      expect(updated.eTag).not.toBe(eTag);
      await expect(client.updateBucket({ namespaceName: ns, bucketName: "web-assets", ifMatch: eTag, updateBucketDetails: { freeformTags: {} } }))
        .rejects.toMatchObject({ statusCode: 412, serviceCode: "NoEtagMatch" });
      const cleared = await client.updateBucket({ namespaceName: ns, bucketName: "web-assets", updateBucketDetails: { kmsKeyId: "" } });
      expect(cleared.bucket.kmsKeyId).toBeUndefined();
      expect(suite().sim.state.buckets.get("web-assets")!.kmsKeyId).toBeNull();
    } finally {
      client.close();
    }
  });

  it("refuses a non-AES key for a bucket with 400 InvalidParameter", async () => {
    const client = objectStorage(suite());
    try {
      await expect(client.updateBucket({ namespaceName: ns, bucketName: "app-backups", updateBucketDetails: { kmsKeyId: EXAMPLE.signingKey.id } }))
        .rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter", message: expect.stringContaining("AES") });
    } finally {
      client.close();
    }
  });

  it("leaves a bucket update with the 'not applied' fault unapplied behind a 200", async () => {
    const { sim } = suite();
    const client = objectStorage(suite());
    try {
      sim.faults.set("UpdateBucket", { kind: "not-applied", times: 1 });
      const answered = await client.updateBucket({ namespaceName: ns, bucketName: "app-backups", updateBucketDetails: { freeformTags: { moved: "yes" } } });
      expect(answered.bucket.freeformTags).toEqual({ moved: "yes" });
      expect((await client.getBucket({ namespaceName: ns, bucketName: "app-backups" })).bucket.freeformTags).toEqual({ "backup-encryption": "enabled", "cost-center": "cc-4410" });
    } finally {
      sim.faults.clear();
      client.close();
    }
  });

  it("retries a 500 on GetBucket under the SDK's retry configuration and succeeds on the third attempt", async () => {
    const { sim } = suite();
    const client = objectStorage(suite(), { terminationStrategy: new common.MaxAttemptsTerminationStrategy(3), delayStrategy: new common.FixedTimeDelayStrategy(0) });
    try {
      sim.faults.set("GetBucket", { kind: "internal-error", times: 2 });
      const since = sim.calls.length;
      expect((await client.getBucket({ namespaceName: ns, bucketName: "db-backups" })).bucket.name).toBe("db-backups");
      expect(sim.calls.slice(since).map((c) => c.status)).toEqual([500, 500, 200]);
    } finally {
      sim.faults.clear();
      client.close();
    }
  });

  it("retries a 500 by the SDK's own default for Object Storage (no retry configuration given)", async () => {
    const { sim, provider } = suite();
    // No retryConfiguration: the SDK's per-operation default for Object Storage applies (OCI-NOTES §1.4).
    const client = new ObjectStorageClient({ authenticationDetailsProvider: provider }, { circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }) });
    client.endpoint = sim.endpoints.objectstorage;
    try {
      sim.faults.set("GetBucket", { kind: "internal-error", times: 1 });
      const since = sim.calls.length;
      expect((await client.getBucket({ namespaceName: ns, bucketName: "db-backups" })).bucket.name).toBe("db-backups");
      expect(sim.calls.slice(since).map((c) => c.status)).toEqual([500, 200]);
    } finally {
      sim.faults.clear();
      client.close();
    }
  });

  it("never retries a 404, even with retries configured", async () => {
    const { sim } = suite();
    const client = objectStorage(suite(), { terminationStrategy: new common.MaxAttemptsTerminationStrategy(3), delayStrategy: new common.FixedTimeDelayStrategy(0) });
    try {
      const since = sim.calls.length;
      await expect(client.getBucket({ namespaceName: ns, bucketName: "no-such-bucket" })).rejects.toMatchObject({ statusCode: 404 });
      expect(sim.calls.slice(since).map((c) => c.status)).toEqual([404]);
    } finally {
      client.close();
    }
  });

  it("stores objects in memory: PutObject, GetObject and ListObjects with prefix, delimiter, fields and nextStartWith", async () => {
    const client = objectStorage(suite());
    try {
      const names = ["exports/2026/a b.json", "exports/2026/c.json", "exports/d.json", "readme.txt"];
      for (const name of names) {
        const put = await client.putObject({ namespaceName: ns, bucketName: "app-backups", objectName: name, putObjectBody: `body of ${name}`, contentLength: Buffer.byteLength(`body of ${name}`) });
        expect(put.eTag).toBeTruthy();
      }
      const got = await client.getObject({ namespaceName: ns, bucketName: "app-backups", objectName: "exports/2026/a b.json" });
      expect(await text(got.value)).toBe("body of exports/2026/a b.json");
      expect(got.contentLength).toBe(Buffer.byteLength("body of exports/2026/a b.json"));
      const page1 = await client.listObjects({ namespaceName: ns, bucketName: "app-backups", prefix: "exports/", limit: 2, fields: "name,size,timeCreated" });
      expect(page1.listObjects.objects.map((o) => o.name)).toEqual(["exports/2026/a b.json", "exports/2026/c.json"]);
      expect(page1.listObjects.objects[0]!.size).toBe(Buffer.byteLength("body of exports/2026/a b.json"));
      expect(page1.listObjects.nextStartWith).toBe("exports/d.json");
      const page2 = await client.listObjects({ namespaceName: ns, bucketName: "app-backups", prefix: "exports/", start: page1.listObjects.nextStartWith });
      expect(page2.listObjects.objects).toEqual([{ name: "exports/d.json" }]);
      expect(page2.listObjects.nextStartWith).toBeUndefined();
      const folders = await client.listObjects({ namespaceName: ns, bucketName: "app-backups", delimiter: "/" });
      expect(folders.listObjects.prefixes).toEqual(["exports/"]);
      expect(folders.listObjects.objects.map((o) => o.name)).toEqual(["readme.txt"]);
      await expect(client.getObject({ namespaceName: ns, bucketName: "app-backups", objectName: "missing" })).rejects.toMatchObject({ statusCode: 404 });
    } finally {
      client.close();
    }
  });
});
