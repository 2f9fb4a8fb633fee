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
import { OciCallError, type ObjectStoragePort } from "./oci-ports.js";
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
