/**
 * ReencryptBucket and its work requests (OCI-NOTES §2.6): 202 with `opc-work-request-id`, then
 * GetWorkRequest / ListWorkRequests / ListWorkRequestErrors / CancelWorkRequest report the progress
 * the simulator clock has made (work-request-status.ts). A bucket without `kmsKeyId` is refused with
 * 400 InvalidParameter: OCI documents only that "the call will fail"; a 400 is the answer the SDK's
 * default Object Storage retries leave alone.
 */
import { assignableKey } from "../blockstorage/assignable-key.js";
import { paginate } from "../http/paginate.js";
import { requiredQuery } from "../http/query-params.js";
import type { OpContext, SimOperation } from "../sim-service.js";
import { SimError, invalid, notFound } from "../sim-error.js";
import { bucketParam } from "./bucket-json.js";
import { objectStorageState, type WorkRequestRecord } from "./object-storage-state.js";
import { workRequestView } from "./work-request-status.js";

export const REENCRYPT_BUCKET = "ReencryptBucket";

function workRequestJson(wr: WorkRequestRecord, nowMs: number): Record<string, unknown> {
  const view = workRequestView(wr, nowMs);
  return {
    operationType: wr.operationType, status: view.status, id: wr.id, compartmentId: wr.compartmentId,
    resources: [{
      actionType: view.status === "COMPLETED" ? "UPDATED" : view.status === "FAILED" || view.status === "CANCELED" ? "RELATED" : "IN_PROGRESS",
      entityType: "bucket", identifier: wr.bucketName, entityUri: `/n/${wr.namespace}/b/${wr.bucketName}`,
      metadata: { NAMESPACE: wr.namespace, BUCKET: wr.bucketName },
    }],
    percentComplete: view.percentComplete, timeAccepted: wr.timeAccepted,
    timeStarted: view.timeStarted ?? undefined, timeFinished: view.timeFinished ?? undefined,
  };
}

function workRequestParam(ctx: OpContext): WorkRequestRecord {
  const id = ctx.params.workRequestId ?? "";
  const wr = objectStorageState(ctx.state).workRequests[id];
  if (!wr) throw notFound("Work request", id);
  Object.assign(ctx.audit, { compartmentId: wr.compartmentId, resourceId: wr.id, resourceName: wr.bucketName });
  return wr;
}

export const WORK_REQUEST_OPERATIONS: readonly SimOperation[] = [
  {
    name: REENCRYPT_BUCKET, method: "POST", path: "/n/:namespaceName/b/:bucketName/actions/reencrypt", write: true,
    handle(ctx) {
      const bucket = bucketParam(ctx);
      if (!bucket.kmsKeyId) {
        throw invalid("bucket", `the bucket ${bucket.name} has no kmsKeyId: it is encrypted with an Oracle-managed key and cannot be re-encrypted`);
      }
      const key = assignableKey(ctx.state, bucket.kmsKeyId, "Object Storage");
      const os = objectStorageState(ctx.state);
      const objectCount = bucket.approximateCount;
      const { objectsPerMinute, startDelayMs, minimumDurationMs } = os.settings;
      const wr: WorkRequestRecord = {
        id: ctx.state.ids.next("objectstorageworkrequest"), operationType: "REENCRYPT", compartmentId: bucket.compartmentId,
        namespace: ctx.state.tenancy.namespace, bucketName: bucket.name, bucketId: bucket.id, timeAccepted: ctx.now.toISOString(),
        objectCount, durationMs: Math.max(minimumDurationMs, Math.ceil((objectCount / objectsPerMinute) * 60_000)), startDelayMs,
        fault: ctx.runtime.faults.workRequestOutcome(REENCRYPT_BUCKET), timeCanceled: null,
        kmsKeyId: key.id, kmsKeyVersionId: key.currentKeyVersion, eventGroupingId: ctx.eventGroupingId, principalId: ctx.principal.id, settled: false,
      };
      os.workRequests[wr.id] = wr;
      ctx.audit.additionalDetails = { workRequestId: wr.id, kmsKeyId: key.id, kmsKeyVersionId: key.currentKeyVersion };
      return { status: 202, headers: { "opc-work-request-id": wr.id } };
    },
  },
  {
    name: "GetWorkRequest", method: "GET", path: "/workRequests/:workRequestId", write: false,
    handle(ctx) {
      const wr = workRequestParam(ctx);
      const view = workRequestView(wr, ctx.now.getTime());
      const retryAfter: Record<string, string> = view.status === "ACCEPTED" || view.status === "IN_PROGRESS" ? { "retry-after": "30" } : {};
      return { body: workRequestJson(wr, ctx.now.getTime()), headers: retryAfter };
    },
  },
  {
    name: "ListWorkRequests", method: "GET", path: "/workRequests", write: false,
    handle(ctx) {
      const compartmentId = requiredQuery(ctx.query, "compartmentId");
      ctx.audit.compartmentId = compartmentId;
      const all = Object.values(objectStorageState(ctx.state).workRequests)
        .filter((wr) => wr.compartmentId === compartmentId)
        .sort((a, b) => (a.timeAccepted < b.timeAccepted ? 1 : a.timeAccepted > b.timeAccepted ? -1 : 0));
      const page = paginate(ctx, all, { defaultLimit: 100, maxLimit: 1000 });
      return { body: page.items.map((wr) => workRequestJson(wr, ctx.now.getTime())), headers: page.headers };
    },
  },
  {
    name: "ListWorkRequestErrors", method: "GET", path: "/workRequests/:workRequestId/errors", write: false,
    handle(ctx) {
      const wr = workRequestParam(ctx);
      const view = workRequestView(wr, ctx.now.getTime());
      const errors = view.status === "FAILED"
        ? [{ code: "InternalServerError", message: `Re-encryption of bucket ${wr.bucketName} failed at ${view.percentComplete}% (injected fault)`, timestamp: view.timeFinished }]
        : [];
      return { body: paginate(ctx, errors).items };
    },
  },
  {
    name: "CancelWorkRequest", method: "DELETE", path: "/workRequests/:workRequestId", write: true,
    handle(ctx) {
      const wr = workRequestParam(ctx);
      const status = workRequestView(wr, ctx.now.getTime()).status;
      // 409 Conflict, not IncorrectState: the SDK's default Object Storage retries would repeat the call 8 times.
      if (status !== "ACCEPTED" && status !== "IN_PROGRESS") throw new SimError("Conflict", `Work request ${wr.id} is ${status} and cannot be canceled`);
      wr.timeCanceled = ctx.now.toISOString();
      return { status: 204 };
    },
  },
];
