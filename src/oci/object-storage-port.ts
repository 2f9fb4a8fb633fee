/**
 * ObjectStoragePort: ReencryptBucket (202 + `opc-work-request-id`; re-wraps every existing object's
 * data key with the key's current version, OCI-NOTES §2.6) and the work request it starts, with
 * its error messages when it FAILED (ListWorkRequestErrors, all pages).
 */
import type { ObjectStorageClient } from "oci-objectstorage";
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
      // Without the id nothing can prove the re-encryption ran (DESIGN §3 rule 5).
      if (!workRequestId) throw new OciCallError("ReencryptBucket", "server-error", "answered without opc-work-request-id", null, null, outcome.opcRequestId, outcome.attempts);
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
  };
}
