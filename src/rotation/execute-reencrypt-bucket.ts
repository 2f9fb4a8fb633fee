/**
 * ReencryptBucket for one bucket of a key-version slot (DESIGN §3 "How a rotation works", §7
 * "exactly once"): skip a bucket already re-encrypted for the slot, poll one still running, and
 * for a call whose outcome is unknown find its work request before anything is sent again.
 */
import { OciCallError, type OciResource } from "../oci/oci-ports.js";
import { formatInstant } from "../time/instant.js";
import type { WorkRequestWatch } from "./poll-work-requests.js";
import { announceAnswer, checkError, recordDecision, runStep } from "./rotation-step.js";
import type { ResourceRekeyOutcome, RunError } from "./rotation-run-result.js";
import { resourceOutcome, setRekey, type SlotWork } from "./slot-work.js";

/** A submitted (or adopted) re-encryption to poll, with the bucket and the submission's request id. */
export type BucketWatch = WorkRequestWatch & { resource: OciResource; opcRequestId: string | null };

/** Work request statuses that re-encrypt nothing (oci-objectstorage WorkRequest.Status): never adopted. */
const DEAD_WORK_REQUEST = new Set(["FAILED", "CANCELING", "CANCELED"]);

/**
 * How far OCI's clock may be behind ours when the search for a lost call's work request starts
 * from our own send instant (only when the new version's timeCreated is unknown): OCI refuses a
 * request whose signed date is more than 5 minutes off (OCI-NOTES §1.3), so its timeAccepted is
 * no earlier than our send instant minus that.
 */
const CLOCK_SKEW_ALLOWANCE_MS = 5 * 60_000;

/**
 * One bucket's ReencryptBucket for a key-version slot (execute-key-version.ts): what it needs
 * polled (its work request, new or adopted), or its outcome when there is nothing to poll
 * (already re-encrypted for the slot, refused, or left "pending" with an unknown outcome). Never
 * throws for OCI failures; LeaseLostError when the store refuses a re-key write (slot-work.ts).
 * @param versionSince the slot's new version's timeCreated (null: unknown), the lower bound of
 *   the search for the work request of a call whose answer was lost.
 *
 * ReencryptBucket takes no retry token, so a call whose answer never came (the run died while it
 * was in flight; or a timeout, a lost connection or a 5xx, which the retry layer does not repeat
 * for it: with-retry.ts NOT_SAFE_TO_REPEAT) may or may not have started a re-encryption. Such a
 * bucket is recorded "pending" with no work request id (never "failed", which would make the
 * next run send again unseen), and before any re-send, in this run or a later one, OCI's own list
 * is searched for a re-encryption of the bucket accepted since; one found is adopted and polled,
 * and only when there is none is the call sent again, at most `config.rotation.retry.maxAttempts`
 * times in a run and not after `retry.maxTotalMs` since the first send.
 */
export async function executeReencryptBucket(
  w: SlotWork,
  resource: OciResource,
  versionSince: string | null,
): Promise<{ watch: BucketWatch } | { outcome: ResourceRekeyOutcome }> {
  const record = w.rekeys.get(resource.id);
  if (record?.status === "succeeded") {
    return { outcome: resourceOutcome(resource, "skipped", { detail: `already re-encrypted for slot ${w.slot}`, workRequestId: record.workRequestId }) };
  }
  if (record?.status === "in-progress" && record.workRequestId) {
    // Still running from an earlier run: poll it, never submit a second re-encryption.
    return { watch: { resourceId: resource.id, workRequestId: record.workRequestId, resource, opcRequestId: null } };
  }
  if (!resource.namespace || !resource.bucketName) {
    const error = checkError("ReencryptBucket", `bucket ${resource.id} has no namespace or name in the inventory`);
    await setRekey(w, resource, "failed", { detail: error.message });
    return { outcome: resourceOutcome(resource, "failed", { operation: "ReencryptBucket", error }) };
  }
  const bucket = { namespace: resource.namespace, bucketName: resource.bucketName };
  const { retry } = w.deps.config.rotation;
  // When a ReencryptBucket whose outcome is unknown was sent (a "pending" record keeps that
  // instant as its updatedAt, slot-work.ts setRekey): an earlier run's, or this run's last one.
  let unknownSince: string | null = record?.status === "pending" && !record.workRequestId ? record.updatedAt : null;
  let unknownError: RunError | null = null;
  // Re-sends in this run are bounded like the retry layer's attempts: maxAttempts sends, and no new
  // send once maxTotalMs passed since the first.
  let firstSendMs: number | null = null;
  for (let sends = 0; ; ) {
    if (unknownSince !== null) {
      // ORDER: look before any re-send. Only OCI's own list tells whether the lost call started
      // a re-encryption; adopt what it started (any live REENCRYPT of this bucket accepted since
      // the new version became current re-wraps under it).
      const since = versionSince ?? formatInstant(Date.parse(unknownSince) - CLOCK_SKEW_ALLOWANCE_MS);
      const found = await findLostWorkRequest(w, resource, bucket, since);
      if ("watch" in found) return found;
      if ("outcome" in found) return found;
      if (sends >= retry.maxAttempts || (firstSendMs !== null && w.deps.clock.now().getTime() - firstSendMs >= retry.maxTotalMs)) {
        // Left "pending": the next run looks again before it sends anything.
        const detail = `ReencryptBucket sent ${sends} time(s), last at ${unknownSince}, outcome unknown and no work request found yet: the next run looks again before sending`;
        return { outcome: resourceOutcome(resource, "failed", { operation: "ReencryptBucket", error: unknownError, opcRequestId: unknownError?.opcRequestId ?? null, detail }) };
      }
    }
    sends += 1;
    firstSendMs ??= w.deps.clock.now().getTime();
    const sentAt = formatInstant(w.deps.clock.now().getTime());
    // ORDER: "pending" before the call, the work request id the moment it is answered (before
    // the step ends), so a rerun polls that work request instead of re-encrypting again.
    await setRekey(w, resource, "pending", { updatedAt: sentAt });
    let outcomeUnknown = false;
    const sent = await runStep(w, "ReencryptBucket", resource.id, async () => {
      const r = await w.deps.oci.objectStorage.reencryptBucket(bucket.namespace, bucket.bucketName).catch((error: unknown) => {
        outcomeUnknown = error instanceof OciCallError && error.outcomeUnknown;
        throw error;
      });
      announceAnswer(w, "ReencryptBucket", resource.id);
      if (r.workRequestId) await setRekey(w, resource, "in-progress", { workRequestId: r.workRequestId, percentComplete: 0 });
      return { value: r.workRequestId, attempts: r.attempts, opcRequestId: r.opcRequestId, workRequestId: r.workRequestId, detail: { bucket: bucket.bucketName, send: sends } };
    });
    if (sent.ok) {
      if (!sent.value) {
        const error = checkError("ReencryptBucket", "ReencryptBucket answered without an opc-work-request-id: its progress cannot be proven", sent.step.opcRequestId);
        await setRekey(w, resource, "failed", { detail: error.message });
        return { outcome: resourceOutcome(resource, "failed", { operation: "ReencryptBucket", error, opcRequestId: sent.step.opcRequestId }) };
      }
      // Submitted just now: its first reading is one poll interval away (poll-work-requests.ts).
      const firstPollAt = w.deps.clock.now().getTime() + w.deps.config.rotation.workRequestPollMs;
      return { watch: { resourceId: resource.id, workRequestId: sent.value, resource, opcRequestId: sent.step.opcRequestId, firstPollAt } };
    }
    if (!outcomeUnknown) {
      // Refused (4xx, 429 after every attempt, a refused connection): nothing started; the next run sends again.
      await setRekey(w, resource, "failed", { detail: sent.error.message });
      return { outcome: resourceOutcome(resource, "failed", { operation: "ReencryptBucket", error: sent.error, opcRequestId: sent.error.opcRequestId }) };
    }
    // OCI may have accepted it: "pending" (unknown), never "failed", with the send instant kept.
    await setRekey(w, resource, "pending", { updatedAt: sentAt, detail: `ReencryptBucket sent at ${sentAt}, outcome unknown: ${sent.error.message}` });
    unknownSince = sentAt;
    unknownError = sent.error;
    // A call OCI is still working on shows up in its list a moment later: wait as the retry layer would.
    await w.deps.sleep(Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (sends - 1)));
  }
}

/**
 * ListWorkRequests for a REENCRYPT of the bucket accepted at or after `since`: the oldest live one
 * (not FAILED, CANCELING or CANCELED) is adopted (recorded in progress, `AdoptWorkRequest`) and
 * returned as a watch; `{ none }` when there is none; the outcome when the list failed (the record
 * stays "pending" for the next run).
 */
async function findLostWorkRequest(
  w: SlotWork,
  resource: OciResource,
  bucket: { namespace: string; bucketName: string },
  since: string,
): Promise<{ watch: BucketWatch } | { outcome: ResourceRekeyOutcome } | { none: true }> {
  const found = await runStep(w, "ListWorkRequests", resource.id, async () => {
    const wrs = await w.deps.oci.objectStorage.findReencryptWorkRequests(resource.compartmentId, bucket.namespace, bucket.bucketName, since);
    const live = wrs.filter((x) => !DEAD_WORK_REQUEST.has(x.status));
    return { value: live, detail: { bucket: bucket.bucketName, acceptedSince: since, found: wrs.map((x) => x.id), adoptable: live.map((x) => x.id) } };
  });
  if (!found.ok) {
    return { outcome: resourceOutcome(resource, "failed", { operation: "ListWorkRequests", error: found.error, opcRequestId: found.error.opcRequestId }) };
  }
  const adopted = found.value[0];
  if (!adopted) return { none: true };
  await setRekey(w, resource, "in-progress", { workRequestId: adopted.id, percentComplete: adopted.percentComplete ?? 0 });
  await recordDecision(w, "AdoptWorkRequest", {
    status: "succeeded", resourceId: resource.id, workRequestId: adopted.id,
    detail: { bucket: bucket.bucketName, workRequestId: adopted.id, timeAccepted: adopted.timeAccepted, status: adopted.status },
  });
  return { watch: { resourceId: resource.id, workRequestId: adopted.id, resource, opcRequestId: null } };
}
