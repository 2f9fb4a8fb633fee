/**
 * Rotation of a bucket key (DESIGN §3 "How a rotation works": Object Storage follows key
 * versions): CreateKeyVersion → GetKey shows it current → ReencryptBucket per in-scope bucket →
 * the work requests polled (bounded) to COMPLETED / FAILED / still running.
 *
 * A resumed slot (a crash, a failure, a bucket left in progress) starts with GetKey and adopts
 * the version a previous attempt made instead of creating another; buckets already re-encrypted
 * for the slot are not re-encrypted again, work requests still running are polled, not
 * re-submitted, and a bucket whose ReencryptBucket has an unknown outcome (in flight when the
 * previous run died, or ended in a timeout, a lost connection or a 5xx: recorded "pending", no
 * work request id) gets the work request that call started, found with ListWorkRequests, before
 * anything is sent again (ReencryptBucket takes no retry token; execute-reencrypt-bucket.ts).
 *
 * The buckets of a key are submitted `config.rotation.resourceConcurrency` at a time: each bucket's
 * own order (pending record → ReencryptBucket → work request id recorded → polls) is kept.
 */
import pMap from "p-map";
import type { OciKey, OciKeyVersion } from "../oci/oci-ports.js";
import { executeReencryptBucket, type BucketWatch } from "./execute-reencrypt-bucket.js";
import { pollWorkRequests } from "./poll-work-requests.js";
import { nextRetryToken } from "./retry-token.js";
import { announceAnswer, recordDecision, runStep } from "./rotation-step.js";
import { notRotatedReason, type ResourceRekeyOutcome } from "./rotation-run-result.js";
import {
  baseVersionOf,
  closeSlot,
  recordNotEligible,
  resourceOutcome,
  setRekey,
  updateSlot,
  type SlotWork,
  type StrategyOutcome,
} from "./slot-work.js";

function failedRotation(w: SlotWork, error: StrategyOutcome["error"], resources: ResourceRekeyOutcome[], newKeyVersionId: string | null = null): StrategyOutcome {
  const skipped = w.resources
    .filter((r) => r.notEligibleReason === null)
    .map((r) => resourceOutcome(r.resource, "skipped", { detail: "not re-encrypted: the key's new version is not confirmed current" }));
  return {
    status: "failed", newKeyVersionId, successorKeyId: null, createdThisRun: false, currentVersionCreated: null,
    reason: notRotatedReason(error, "the new key version could not be made"), error, resources: [...resources, ...skipped],
  };
}

/** Executes (or resumes) one key-version slot; never throws for OCI failures (they are outcomes). */
export async function executeKeyVersion(w: SlotWork): Promise<StrategyOutcome> {
  const kms = w.deps.oci.kms(w.vault);
  const base = baseVersionOf(w.slot);
  const notEligible = await recordNotEligible(w);
  let version: string | null = w.record.newKeyVersionId;
  let versionCreated: string | null = null;
  let created = false;

  if (w.resumed) {
    // ORDER: on resume, read the key before any write. If its current version moved on since the
    // slot began (the crashed run's CreateKeyVersion did apply, or a replay made it), that version
    // is adopted: creating another would be a second rotation of the same slot.
    const read = await runStep(w, "GetKey", null, async () => {
      const key = await kms.getKey(w.keyId);
      return { value: key, detail: { currentKeyVersionId: key.currentKeyVersionId } };
    });
    if (!read.ok) return failedRotation(w, read.error, notEligible, version);
    const current = read.value.currentKeyVersionId;
    if (current !== base) {
      if (current !== version) {
        await recordDecision(w, "AdoptKeyVersion", { status: "succeeded", detail: { adopted: current, recorded: version, base } });
      }
      version = current;
      await updateSlot(w, { status: "rotated", newKeyVersionId: current });
    } else if (version !== null) {
      // The recorded version never became current: its CreateKeyVersion was answered 200 but not
      // applied. OCI would replay that answer for the same token, so the next attempt gets a new
      // token (still derived from key and slot only).
      await updateSlot(w, { newKeyVersionId: null, retryToken: nextRetryToken(w.record.retryToken) });
      version = null;
    }
  }

  if (version === null) {
    // ORDER: the slot record with its retry token was written before this call (execute-plan.ts),
    // so a crash right after OCI created the version is resumed above, never repeated.
    const rotation = await runStep<OciKeyVersion>(w, "CreateKeyVersion", null, async () => {
      const r = await kms.createKeyVersion(w.keyId, w.record.retryToken);
      announceAnswer(w, "CreateKeyVersion", null);
      // ORDER: the new version is recorded the moment it exists, before the step ends and before
      // anything uses it.
      await updateSlot(w, { status: "rotated", newKeyVersionId: r.value.id });
      return { value: r.value, attempts: r.attempts, opcRequestId: r.opcRequestId, detail: { newKeyVersionId: r.value.id, retryToken: w.record.retryToken } };
    });
    if (!rotation.ok) {
      await updateSlot(w, { status: "failed" });
      return failedRotation(w, rotation.error, notEligible);
    }
    version = rotation.value.id;
    versionCreated = rotation.value.timeCreated;
    created = true;

    // ORDER: verify before re-encrypting. ReencryptBucket re-wraps with whatever version is
    // current; a 200 from CreateKeyVersion is no proof that it is ours, and re-encrypting under
    // another version would record a rotation that did not happen.
    let seen: OciKey | null = null;
    const check = await runStep(w, "GetKey", null, async () => {
      seen = await kms.getKey(w.keyId);
      const ok = seen.currentKeyVersionId === version;
      return {
        value: seen, status: ok ? "succeeded" : "failed", detail: { currentKeyVersionId: seen.currentKeyVersionId, expected: version },
        error: `GetKey shows ${seen.currentKeyVersionId} as the current version, not ${version} created by CreateKeyVersion: nothing is re-encrypted`,
      };
    });
    if (!check.ok) {
      const current = (seen as OciKey | null)?.currentKeyVersionId;
      if (current === base) {
        // Still the slot's base version: the 200 was not applied (no version exists); the next
        // attempt needs a new token, or OCI would replay the same phantom answer.
        await updateSlot(w, { status: "failed", newKeyVersionId: null, retryToken: nextRetryToken(w.record.retryToken) });
        return failedRotation(w, check.error, notEligible);
      }
      // Another version is current (a concurrent rotation, or unreadable): ours exists; the next
      // run's resume adopts whatever is current then.
      await updateSlot(w, { status: "failed" });
      return { ...failedRotation(w, check.error, notEligible, version), createdThisRun: true };
    }
  }

  // Where a lost ReencryptBucket answer is looked for from: the version it would re-wrap with
  // became current at its timeCreated (OCI's clock, the same clock as the work requests').
  const since = versionCreated ?? w.key.versions.find((v) => v.id === version)?.timeCreated ?? null;
  const resources = [...notEligible, ...(await reencryptBuckets(w, since))];
  return closeSlot(w, { newKeyVersionId: version, successorKeyId: null, createdThisRun: created, resources, currentVersionCreated: versionCreated });
}

/**
 * ReencryptBucket for each bucket not yet done (resourceConcurrency at a time), then the bounded
 * wait for all their work requests.
 * @param versionSince when the slot's new version was created (null: unknown), the lower bound of
 *   the search for a work request whose ReencryptBucket answer was lost.
 */
async function reencryptBuckets(w: SlotWork, versionSince: string | null): Promise<ResourceRekeyOutcome[]> {
  const out: ResourceRekeyOutcome[] = [];
  const watches: BucketWatch[] = [];
  // ORDER: every bucket's re-encryption is submitted before any is polled: they run in parallel
  // in Object Storage, and one bucket that fails or stalls does not hold up the others (rule 9).
  await pMap(w.resources, async ({ resource, notEligibleReason }) => {
    if (notEligibleReason !== null) return;
    const result = await executeReencryptBucket(w, resource, versionSince);
    if ("watch" in result) watches.push(result.watch);
    else out.push(result.outcome);
  }, { concurrency: w.deps.config.rotation.resourceConcurrency });
  const order = new Map(w.resources.map((r, i) => [r.resource.id, i]));
  const inResourceOrder = () => out.sort((a, b) => order.get(a.resourceId)! - order.get(b.resourceId)!);
  if (watches.length === 0) return inResourceOrder();
  // Polled and recorded in resource order, whichever submission answered first.
  watches.sort((a, b) => order.get(a.resourceId)! - order.get(b.resourceId)!);

  for (const result of await pollWorkRequests(w, watches)) {
    const watch = watches.find((x) => x.workRequestId === result.workRequestId)!;
    const wr = result.workRequest;
    const percent = wr?.percentComplete ?? null;
    const fields = { operation: "ReencryptBucket", workRequestId: result.workRequestId, opcRequestId: watch.opcRequestId };
    if (result.status === "succeeded") {
      await setRekey(w, watch.resource, "succeeded", { workRequestId: result.workRequestId, percentComplete: 100, detail: wr?.timeFinished ? `completed ${wr.timeFinished}` : null });
      out.push(resourceOutcome(watch.resource, "succeeded", fields));
    } else if (result.status === "failed") {
      await setRekey(w, watch.resource, "failed", { workRequestId: result.workRequestId, percentComplete: percent, detail: result.error?.message ?? null });
      out.push(resourceOutcome(watch.resource, "failed", { ...fields, error: result.error }));
    } else {
      // B17: "in progress, 60%, work request id, started at"; only a succeeded request is done.
      const detail = `in progress, ${percent ?? "?"}%, work request ${result.workRequestId}, started at ${wr?.timeStarted ?? "not yet started"}` +
        (result.error ? ` (last status read failed: ${result.error.message})` : "");
      await setRekey(w, watch.resource, "in-progress", { workRequestId: result.workRequestId, percentComplete: percent, detail });
      out.push(resourceOutcome(watch.resource, "in-progress", { ...fields, detail }));
    }
  }
  return inResourceOrder();
}
