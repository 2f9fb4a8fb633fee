/**
 * Rotation of a volume key lineage (DESIGN §3 "How a rotation works": Block Volume supports keys
 * with a single version only): CreateKey successor (same shape, protection mode, compartment and
 * tags, plus the freeform tag `predecessor` = the previous key's OCID) → GetKey until ENABLED
 * (bounded) → per volume UpdateVolumeKmsKey / UpdateBootVolumeKmsKey → GetVolumeKmsKey /
 * GetBootVolumeKmsKey read back. A 200 whose change did not apply is a failure, never success
 * (rule 5). The predecessor is never disabled or scheduled for deletion: backups and clones made
 * earlier keep it (OCI Block Volume docs), and this module has no call that could do either.
 *
 * A resumed slot adopts a successor a previous attempt made (recorded, or found in the inventory
 * by its `predecessor` tag) instead of creating another, and reads a volume's key back before
 * updating it again, so a volume already moved is not re-keyed twice. The same holds within a
 * run: UpdateVolumeKmsKey takes no retry token and a repeat regenerates the volume key (OCI's
 * UpdateVolumeKmsKeyDetails), so an update whose outcome is unknown is never re-sent blindly by the
 * retry layer; the volume is read back first and updated again only if it is not on the successor.
 */
import pMap from "p-map";
import { OciCallError, type BlockVolumePort, type CreateKeyDetails, type OciKey, type OciResource } from "../oci/oci-ports.js";
import { formatInstant } from "../time/instant.js";
import { describeResource } from "./resource-kinds.js";
import { announceAnswer, checkError, recordDecision, runStep } from "./rotation-step.js";
import { notRotatedReason, type ResourceRekeyOutcome } from "./rotation-run-result.js";
import { nextRetryToken } from "./retry-token.js";
import { closeSlot, recordNotEligible, resourceOutcome, setRekey, updateSlot, type SlotWork, type StrategyOutcome } from "./slot-work.js";

/** The freeform tag naming a successor's predecessor key (the lineage link, inventory.ts KeyLineage). */
export const PREDECESSOR_TAG = "predecessor";

/** B15: Block Volume accepts AES keys only (terraform-provider-oci#1381); the successor has the predecessor's shape. */
export const AES_REQUIRED = "incompatible key algorithm – AES required";

const DATE_SUFFIX = /-(\d{4}-\d{2}(?:-\d{2})?)$/;

/**
 * The successor's display name: the predecessor's with its date suffix (`-YYYY-MM` or
 * `-YYYY-MM-DD`) replaced by the slot's start date in the same form, else `-YYYY-MM-DD` appended.
 * From the slot's `createdAt`, not the clock, so a retried CreateKey sends the same body (a
 * different body with the same retry token is a 409 Conflict).
 */
export function successorName(predecessorName: string, slotCreatedAt: string): string {
  const match = DATE_SUFFIX.exec(predecessorName);
  const day = slotCreatedAt.slice(0, 10);
  if (!match) return `${predecessorName}-${day}`;
  return `${predecessorName.slice(0, match.index)}-${match[1]!.length === 7 ? day.slice(0, 7) : day}`;
}

/** CreateKey details of the successor of `key` (DESIGN §3: same shape, protection mode, compartment and tags, plus the predecessor tag). */
export function successorDetails(key: OciKey, slotCreatedAt: string): CreateKeyDetails {
  return {
    compartmentId: key.compartmentId,
    displayName: successorName(key.displayName, slotCreatedAt),
    algorithm: key.algorithm,
    length: key.length,
    curveId: key.curveId,
    protectionMode: key.protectionMode,
    freeformTags: { ...key.freeformTags, [PREDECESSOR_TAG]: key.id },
    definedTags: key.definedTags,
  };
}

/**
 * Pre-flight of a successor-key rotation, checked before the slot is claimed or anything is
 * written (B15): a successor has the predecessor's shape, so a non-AES predecessor would give a
 * key Block Volume refuses. Returns why the rotation cannot run, or null.
 */
export function successorPreflight(predecessor: OciKey): string | null {
  return predecessor.algorithm === "AES" ? null : `key "${predecessor.displayName}" is ${predecessor.algorithm}: ${AES_REQUIRED}`;
}

const DELETION_STATES = new Set(["PENDING_DELETION", "SCHEDULING_DELETION", "DELETING", "DELETED"]);

function volumeOps(kind: "volume" | "bootvolume") {
  return kind === "volume"
    ? { update: "UpdateVolumeKmsKey", read: "GetVolumeKmsKey" }
    : { update: "UpdateBootVolumeKmsKey", read: "GetBootVolumeKmsKey" };
}

/** Executes (or resumes) one successor-key slot; never throws for OCI failures (they are outcomes). */
export async function executeSuccessorKey(w: SlotWork): Promise<StrategyOutcome> {
  const predecessor = w.key.key;
  const notEligible = await recordNotEligible(w);
  const movable = w.resources.filter((r) => r.notEligibleReason === null);
  const fail = (error: StrategyOutcome["error"], successorKeyId: string | null, created: boolean): StrategyOutcome => ({
    status: "failed", newKeyVersionId: null, successorKeyId, createdThisRun: created, currentVersionCreated: null,
    reason: notRotatedReason(error, "the successor key could not be made"), error,
    resources: [...notEligible, ...movable.map((r) => resourceOutcome(r.resource, "skipped", { detail: "not moved: the successor key is not ready" }))],
  });

  const kms = w.deps.oci.kms(w.vault);
  let successorId = w.record.successorKeyId;
  let created = false;
  if (successorId === null && w.resumed) {
    // ORDER: on resume, look for a successor the crashed attempt made (tagged predecessor = this
    // key) before creating one: a second successor would split the lineage.
    const found = w.inventoryKeys.find((k) => k.key.freeformTags[PREDECESSOR_TAG] === predecessor.id && !DELETION_STATES.has(k.key.lifecycleState));
    if (found) {
      successorId = found.key.id;
      await recordDecision(w, "AdoptSuccessorKey", { status: "succeeded", detail: { adopted: successorId } });
      await updateSlot(w, { status: "rotated", successorKeyId: successorId });
    }
  }
  if (successorId === null) {
    // ORDER: the slot record with its retry token precedes this call (execute-plan.ts): a crash
    // after OCI made the key is resumed above (or replayed by OCI for 24 h), never repeated.
    const details = successorDetails(predecessor, w.record.createdAt);
    const made = await runStep<OciKey>(w, "CreateKey", null, async () => {
      const r = await kms.createKey(details, w.record.retryToken);
      announceAnswer(w, "CreateKey", null);
      // ORDER: recorded the moment it exists (before the step ends), before any volume moves to it.
      await updateSlot(w, { status: "rotated", successorKeyId: r.value.id });
      return { value: r.value, attempts: r.attempts, opcRequestId: r.opcRequestId, detail: { successorKeyId: r.value.id, displayName: details.displayName, retryToken: w.record.retryToken } };
    });
    if (!made.ok) {
      await updateSlot(w, { status: "failed" });
      return fail(made.error, null, false);
    }
    successorId = made.value.id;
    created = true;
  }

  // ORDER: the successor must be ENABLED (and AES) before any volume moves to it: Block Volume
  // refuses other keys, and a volume must never point at a key that cannot decrypt it.
  const ready = await waitEnabled(w, kms.getKey.bind(kms), successorId);
  if (!ready.ok) {
    if (ready.error.reason === "not-authorized-or-not-found") {
      // The successor is not there: a CreateKey answered 200 but not applied (OCI would replay
      // that answer for the same token, so the next attempt gets a new one, still derived from
      // key and slot only). Should it exist after all (GetKey refused, not missing), the next run's
      // inventory lists it by its predecessor tag and the resume above adopts it: never a second one.
      await updateSlot(w, { status: "failed", successorKeyId: null, retryToken: nextRetryToken(w.record.retryToken) });
      return fail(ready.error, null, false);
    }
    await updateSlot(w, { status: "failed" });
    return fail(ready.error, successorId, created);
  }

  // ORDER: each volume is read back right after its own update, before it counts as moved: a
  // change that did not apply is caught on the volume it happened to, and the others carry on
  // (rule 9). Volumes move resourceConcurrency at a time, each in that order.
  const moved = await pMap(movable, ({ resource }) => moveVolume(w, resource, successorId), { concurrency: w.deps.config.rotation.resourceConcurrency });
  const resources = [...notEligible, ...moved];
  return closeSlot(w, {
    newKeyVersionId: null, successorKeyId: successorId, createdThisRun: created, resources,
    currentVersionCreated: created ? ready.key.timeCreated : null,
  });
}

/** GetKey until ENABLED, every workRequestPollMs, for at most workRequestMaxWaitMs. */
async function waitEnabled(w: SlotWork, getKey: (id: string) => Promise<OciKey>, keyId: string) {
  const { clock, config, sleep } = w.deps;
  const deadline = clock.now().getTime() + config.rotation.workRequestMaxWaitMs;
  for (;;) {
    const read = await runStep<OciKey>(w, "GetKey", null, async () => {
      const key = await getKey(keyId);
      const problem =
        key.algorithm !== "AES" ? `the successor key ${keyId} is ${key.algorithm}: ${AES_REQUIRED}`
          : DELETION_STATES.has(key.lifecycleState) || key.lifecycleState === "DISABLED" ? `the successor key ${keyId} is ${key.lifecycleState}` : null;
      return {
        value: key, status: problem ? "failed" : "succeeded", error: problem ?? "",
        detail: { keyId, lifecycleState: key.lifecycleState, currentKeyVersionId: key.currentKeyVersionId },
      };
    });
    if (!read.ok) return { ok: false as const, error: read.error };
    if (read.value.lifecycleState === "ENABLED") return { ok: true as const, key: read.value };
    const left = deadline - clock.now().getTime();
    if (left <= 0) {
      return { ok: false as const, error: checkError("GetKey", `the successor key ${keyId} is still ${read.value.lifecycleState} after ${config.rotation.workRequestMaxWaitMs} ms`) };
    }
    await sleep(Math.min(config.rotation.workRequestPollMs, left));
  }
}

/** Moves one volume or boot volume to the successor and proves it by reading the key back. */
async function moveVolume(w: SlotWork, resource: OciResource, successorId: string): Promise<ResourceRekeyOutcome> {
  const kind = resource.kind as "volume" | "bootvolume";
  const ops = volumeOps(kind);
  const block: BlockVolumePort = w.deps.oci.blockVolume;
  const record = w.rekeys.get(resource.id);
  if (record?.status === "succeeded") {
    return resourceOutcome(resource, "skipped", { detail: `already moved to ${successorId} for slot ${w.slot}` });
  }
  const readBack = (why: string) =>
    runStep<string | null>(w, ops.read, resource.id, async () => {
      const now = await block.getKmsKey(kind, resource.id);
      const ok = now === successorId;
      return {
        value: now, status: ok ? "succeeded" : "failed", detail: { kmsKeyId: now, expected: successorId, why },
        error: `${describeResource(resource)} reads back key ${now ?? "(Oracle-managed)"}, not the successor ${successorId}: the change did not apply`,
      };
    });

  // A volume an earlier attempt may already have moved (its update was sent, or the inventory
  // shows the successor) is read first: a second UpdateVolumeKmsKey to the same key would
  // regenerate the volume key again (OCI UpdateVolumeKmsKeyDetails), a second re-key.
  if (record !== undefined || resource.kmsKeyId === successorId) {
    const first = await readBack("resume");
    if (first.ok) {
      await setRekey(w, resource, "succeeded", { detail: `read back ${successorId}` });
      return resourceOutcome(resource, "succeeded", { operation: ops.read, opcRequestId: first.step.opcRequestId, detail: "already on the successor (read back)" });
    }
    if (first.error.reason !== null) {
      await setRekey(w, resource, "failed", { detail: first.error.message });
      return resourceOutcome(resource, "failed", { operation: ops.read, error: first.error, opcRequestId: first.error.opcRequestId });
    }
  }

  const { retry } = w.deps.config.rotation;
  // Re-sends are bounded like the retry layer's attempts: maxAttempts, and none after maxTotalMs.
  const firstSendMs = w.deps.clock.now().getTime();
  for (let sends = 1; ; sends++) {
    // ORDER: recorded "pending" before the update, so a crash after it is resumed by a read-back.
    const sentAt = formatInstant(w.deps.clock.now().getTime());
    await setRekey(w, resource, "pending", { updatedAt: sentAt });
    let outcomeUnknown = false;
    const update = await runStep(w, ops.update, resource.id, async () => {
      const r = await block.updateKmsKey(kind, resource.id, successorId).catch((error: unknown) => {
        outcomeUnknown = error instanceof OciCallError && error.outcomeUnknown;
        throw error;
      });
      announceAnswer(w, ops.update, resource.id);
      return { value: r.value, attempts: r.attempts, opcRequestId: r.opcRequestId, detail: { from: resource.kmsKeyId, to: successorId, answered: r.value, send: sends } };
    });
    if (!update.ok && !outcomeUnknown) {
      // Refused (4xx, 429 after every attempt, a refused connection): nothing applied.
      await setRekey(w, resource, "failed", { detail: update.error.message });
      return resourceOutcome(resource, "failed", { operation: ops.update, error: update.error, opcRequestId: update.error.opcRequestId });
    }
    if (update.ok) {
      // ORDER: a 200 is not proof (rule 5): only the read-back showing the successor is.
      const proof = await readBack("proof");
      if (!proof.ok) {
        // Left "failed" (not pending): the next run reads back first and only then updates again.
        await setRekey(w, resource, "failed", { detail: proof.error.message });
        return resourceOutcome(resource, "failed", { operation: ops.read, error: proof.error, opcRequestId: update.step.opcRequestId });
      }
      await setRekey(w, resource, "succeeded", { detail: `read back ${successorId}` });
      return resourceOutcome(resource, "succeeded", { operation: ops.update, opcRequestId: update.step.opcRequestId });
    }
    // ORDER: the outcome is unknown (a timeout, a lost connection, a 5xx: OCI may have applied it,
    // and the retry layer did not repeat it, with-retry.ts NOT_SAFE_TO_REPEAT). A second update to
    // the same key would regenerate the volume key again, so read back before any re-send: the
    // volume on the successor means it applied. Recorded "pending" (unknown), never "failed".
    await setRekey(w, resource, "pending", { updatedAt: sentAt, detail: `${ops.update} sent at ${sentAt}, outcome unknown: ${update.error.message}` });
    await w.deps.sleep(Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** (sends - 1)));
    const check = await readBack("outcome unknown");
    if (check.ok) {
      await setRekey(w, resource, "succeeded", { detail: `read back ${successorId} after an answer that was lost` });
      return resourceOutcome(resource, "succeeded", { operation: ops.update, detail: "applied although its answer was lost (read back)" });
    }
    if (check.error.reason !== null || sends >= retry.maxAttempts || w.deps.clock.now().getTime() - firstSendMs >= retry.maxTotalMs) {
      // Left "pending": the next run reads back first and only then updates again.
      const error = check.error.reason !== null ? check.error : update.error;
      return resourceOutcome(resource, "failed", {
        operation: check.error.reason !== null ? ops.read : ops.update, error, opcRequestId: error.opcRequestId,
        detail: `${ops.update} sent ${sends} time(s), outcome unknown: the next run reads back before sending again`,
      });
    }
  }
}
