/**
 * ObjectStoragePort: ReencryptBucket (202 + `opc-work-request-id`; re-wraps every existing object's
 * data key with the key's current version, OCI-NOTES §2.6; never re-sent by the retry layer after
 * an attempt whose outcome is unknown, with-retry.ts NOT_SAFE_TO_REPEAT) and the work request it starts, with
 * its error messages when it FAILED (ListWorkRequestErrors, all pages); and the REENCRYPT work
 * requests of a bucket found through ListWorkRequests.
 */
import type { ObjectStorageClient, models } from "oci-objectstorage";
import { toOciWrite } from "./kms-management-port.js";
import { listAllPages } from "./list-all-pages.js";
import { Readable } from "node:stream";
import { OciCallError, type ObjectStoragePort, type OciRetentionRule } from "./oci-ports.js";
import { ociInstant } from "./oci-time.js";
import { toOciWorkRequest } from "./to-oci-models.js";
import type { OciCaller } from "./with-retry.js";

export function createObjectStoragePort(client: ObjectStorageClient, call: OciCaller, pageLimit?: number): ObjectStoragePort {
  return {
    async reencryptBucket(namespaceName, bucketName) {
      const outcome = await call("ReencryptBucket", () => client.reencryptBucket({ namespaceName, bucketName }));
      const workRequestId = outcome.workRequestId ?? outcome.value.opcWorkRequestId ?? null;
      // Without the id nothing can prove the re-encryption ran (DESIGN §3 rule 5). It was accepted
      // all the same: outcome unknown, so the engine looks it up (ListWorkRequests) before any re-send.
      if (!workRequestId) {
        throw new OciCallError("ReencryptBucket", "server-error", "answered without opc-work-request-id", null, null, outcome.opcRequestId, outcome.attempts, true);
      }
      return { ...toOciWrite(outcome, null), workRequestId };
    },
    async getWorkRequest(workRequestId) {
      const { workRequest } = (await call("GetWorkRequest", () => client.getWorkRequest({ workRequestId }))).value;
      const errors = workRequest.status === "FAILED"
        ? await listAllPages(
            "ListWorkRequestErrors",
            async (page) => {
              const { value } = await call("ListWorkRequestErrors", () => client.listWorkRequestErrors({ workRequestId, page, limit: pageLimit }));
              return { items: value.items, nextPage: value.opcNextPage };
            },
          )
        : [];
      return toOciWorkRequest(workRequest, errors.map((e) => [e.code, e.message].filter(Boolean).join(": ")));
    },
    async getNamespace() {
      return (await call("GetNamespace", () => client.getNamespace({}))).value.value;
    },
    async listObjects(namespaceName, bucketName, prefix, start) {
      const { value } = await call("ListObjects", () =>
        client.listObjects({ namespaceName, bucketName, prefix, fields: "name,size,etag,timeModified", ...(start ? { start } : {}) }));
      return {
        objects: value.listObjects.objects.map((o) => ({
          name: o.name, etag: o.etag ?? "", sizeBytes: o.size ?? 0, timeModified: ociInstant(o.timeModified),
        })),
        nextStartWith: value.listObjects.nextStartWith || null,
      };
    },
    async getObject(namespaceName, bucketName, objectName) {
      const { value } = await call("GetObject", () => client.getObject({ namespaceName, bucketName, objectName }));
      const body = value.value instanceof Readable ? value.value : Readable.fromWeb(value.value as import("node:stream/web").ReadableStream);
      return { body, etag: value.eTag, sizeBytes: value.contentLength ?? null };
    },
    async putObject(namespaceName, bucketName, objectName, body, contentType) {
      const outcome = await call("PutObject", () =>
        client.putObject({ namespaceName, bucketName, objectName, putObjectBody: body, contentLength: body.length, contentType }));
      return toOciWrite(outcome, { etag: outcome.value.eTag });
    },
    async listRetentionRules(namespaceName, bucketName) {
      const items = await listAllPages(
        "ListRetentionRules",
        async (page) => {
          const { value } = await call("ListRetentionRules", () => client.listRetentionRules({ namespaceName, bucketName, page }));
          return { items: value.retentionRuleCollection.items, nextPage: value.opcNextPage };
        },
        { idOf: (r) => r.id },
      );
      return items.map((r): OciRetentionRule => ({
        id: r.id,
        displayName: r.displayName,
        duration: r.duration ? { timeAmount: r.duration.timeAmount, timeUnit: r.duration.timeUnit as "DAYS" | "YEARS" } : null,
        timeRuleLocked: ociInstant(r.timeRuleLocked),
        timeCreated: ociInstant(r.timeCreated),
        timeModified: ociInstant(r.timeModified),
      }));
    },
    async findReencryptWorkRequests(compartmentId, namespace, bucketName, acceptedSince) {
      const since = Date.parse(acceptedSince);
      const all = await listAllPages(
        "ListWorkRequests",
        async (page) => {
          const { value } = await call("ListWorkRequests", () => client.listWorkRequests({ compartmentId, page, limit: pageLimit }));
          return { items: value.items, nextPage: value.opcNextPage };
        },
        { idOf: (w) => w.id ?? "" },
      );
      return all
        .filter((w) => w.operationType === "REENCRYPT" && (w.resources ?? []).some((r) => isBucket(r, namespace, bucketName)))
        .map((w) => toOciWorkRequest(w, []))
        .filter((w) => w.timeAccepted !== null && Date.parse(w.timeAccepted) >= since)
        .sort((a, b) => Date.parse(a.timeAccepted!) - Date.parse(b.timeAccepted!));
    },
  };
}

/**
 * Whether a work request resource is the bucket. OCI documents the fields (entityType, identifier,
 * entityUri, metadata) but not their values for a re-encryption; the simulator answers entityType
 * "bucket", identifier = the bucket name, entityUri `/n/{ns}/b/{bucket}` and metadata NAMESPACE and
 * BUCKET. Any of the three forms naming this bucket counts; one naming another namespace does not.
 */
function isBucket(r: models.WorkRequestResource, namespace: string, bucketName: string): boolean {
  const uri = r.entityUri ? decodeURIComponent(r.entityUri) : "";
  if (uri.endsWith(`/n/${namespace}/b/${bucketName}`)) return true;
  const meta = r.metadata ?? {};
  if (meta.BUCKET !== undefined) return meta.BUCKET === bucketName && (meta.NAMESPACE === undefined || meta.NAMESPACE === namespace);
  return (r.entityType ?? "").toLowerCase() === "bucket" && r.identifier === bucketName && !uri;
}
