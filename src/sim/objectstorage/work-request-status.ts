/**
 * Where a ReencryptBucket work request stands at a simulator instant, and the tick that applies
 * finished ones. Timeline: ACCEPTED for `startDelayMs`, then IN_PROGRESS with percentComplete
 * growing linearly over `durationMs` (objects ÷ objects-per-minute), then COMPLETED. The
 * ReencryptBucket fault rule `workRequest: "stall"` freezes it IN_PROGRESS at 50 %; `"fail"` makes it
 * FAILED at 50 %. CancelWorkRequest makes it CANCELED. A COMPLETED request re-wraps every object
 * created before the call with the key version current at the call; the terminal state is also
 * recorded as the `.end` audit record linked to the call by its eventGroupingId.
 */
import { appendBackgroundEvent } from "../audit/append-background-event.js";
import type { SimRuntime } from "../sim-service.js";
import { objectStorageState, type WorkRequestRecord } from "./object-storage-state.js";

export type WorkRequestStatus = "ACCEPTED" | "IN_PROGRESS" | "COMPLETED" | "FAILED" | "CANCELED";

export interface WorkRequestView {
  status: WorkRequestStatus;
  percentComplete: number;
  timeStarted: string | null;
  timeFinished: string | null;
}

const STALL_OR_FAIL_PERCENT = 50;
const iso = (ms: number) => new Date(ms).toISOString();

/** Status, progress and times of `wr` as of `nowMs`. */
export function workRequestView(wr: WorkRequestRecord, nowMs: number): WorkRequestView {
  const startMs = Date.parse(wr.timeAccepted) + wr.startDelayMs;
  const canceledMs = wr.timeCanceled ? Date.parse(wr.timeCanceled) : Infinity;
  const atMs = Math.min(nowMs, canceledMs);
  const started = atMs >= startMs;
  let percent = started ? Math.min(100, Math.floor(((atMs - startMs) * 100) / wr.durationMs)) : 0;
  if (wr.fault) percent = Math.min(percent, STALL_OR_FAIL_PERCENT);
  const timeStarted = started ? iso(startMs) : null;
  if (wr.timeCanceled && nowMs >= canceledMs) return { status: "CANCELED", percentComplete: percent, timeStarted, timeFinished: wr.timeCanceled };
  if (!started) return { status: "ACCEPTED", percentComplete: 0, timeStarted: null, timeFinished: null };
  const failMs = startMs + (wr.durationMs * STALL_OR_FAIL_PERCENT) / 100;
  if (wr.fault === "fail" && nowMs >= failMs) return { status: "FAILED", percentComplete: percent, timeStarted, timeFinished: iso(failMs) };
  if (!wr.fault && percent >= 100) return { status: "COMPLETED", percentComplete: 100, timeStarted, timeFinished: iso(startMs + wr.durationMs) };
  return { status: "IN_PROGRESS", percentComplete: percent, timeStarted, timeFinished: null };
}

function applyCompletion(rt: SimRuntime, wr: WorkRequestRecord): void {
  const objects = objectStorageState(rt.state).objects[wr.bucketName] ?? {};
  // Only objects that existed when ReencryptBucket was called are re-encrypted (OCI docs).
  for (const o of Object.values(objects)) if (o.timeCreated <= wr.timeAccepted) o.kmsKeyVersionId = wr.kmsKeyVersionId;
}

/** Settles every work request that reached a terminal state by the simulator's now (runs on each tick). */
export function settleWorkRequests(rt: SimRuntime): void {
  const nowMs = rt.clock.now().getTime();
  for (const wr of Object.values(objectStorageState(rt.state).workRequests)) {
    if (wr.settled) continue;
    const view = workRequestView(wr, nowMs);
    if (view.status !== "COMPLETED" && view.status !== "FAILED" && view.status !== "CANCELED") continue;
    wr.settled = true;
    if (view.status === "COMPLETED") applyCompletion(rt, wr);
    const principal = [...rt.state.users.values()].find((u) => u.id === wr.principalId) ?? null;
    const bucket = rt.state.buckets.get(wr.bucketName);
    appendBackgroundEvent(rt, {
      eventType: "com.oraclecloud.objectstorage.reencryptbucket.end", source: "ObjectStorage", eventName: "ReencryptBucket",
      timeMs: Date.parse(view.timeFinished!), eventGroupingId: wr.eventGroupingId,
      path: `/n/${wr.namespace}/b/${wr.bucketName}/actions/reencrypt`, action: "POST",
      status: view.status === "COMPLETED" ? 200 : view.status === "CANCELED" ? 409 : 500,
      message: view.status === "COMPLETED" ? null : `Work request ${wr.id} ${view.status}`,
      details: {
        compartmentId: wr.compartmentId, resourceId: wr.bucketId, resourceName: wr.bucketName,
        freeformTags: bucket?.freeformTags ?? null, definedTags: bucket?.definedTags ?? null,
        payload: { id: wr.bucketId, resourceName: wr.bucketName },
        additionalDetails: { workRequestId: wr.id, status: view.status, percentComplete: view.percentComplete, kmsKeyId: wr.kmsKeyId, kmsKeyVersionId: wr.kmsKeyVersionId },
      },
      principal,
    });
  }
}
