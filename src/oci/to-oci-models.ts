/**
 * SDK shapes → keyproof's port shapes (oci-ports.ts). Every time goes through ociInstant (the SDK
 * hands strings despite its `Date` typings, in more than one format: cases.md B02); absent
 * optional fields become null, absent tag maps empty maps.
 */
import type { models as kms } from "oci-keymanagement";
import type { models as objectstorage } from "oci-objectstorage";
import type { OciAutoRotation, OciKey, OciKeySummary, OciKeyVersion, OciVault, OciWorkRequest } from "./oci-ports.js";
import { ociInstant } from "./oci-time.js";

type Tags = { freeformTags?: { [k: string]: string }; definedTags?: { [ns: string]: { [k: string]: unknown } } };

export function tagsOf(r: Tags): { freeformTags: Record<string, string>; definedTags: Record<string, Record<string, unknown>> } {
  return { freeformTags: { ...(r.freeformTags ?? {}) }, definedTags: structuredClone(r.definedTags ?? {}) as Record<string, Record<string, unknown>> };
}

/**
 * A time OCI always sends; a missing or unreadable one is a malformed answer.
 * @throws TypeError naming the field and the value OCI sent (a time or nothing, never a secret);
 *   readers that go through many objects (collect-inventory) turn it into a finding for that one.
 */
export function requiredTime(value: unknown, field: string): string {
  const iso = ociInstant(value);
  if (iso === null) throw new TypeError(`${field}: OCI answered ${JSON.stringify(value)}, not a time`);
  return iso;
}

/**
 * Region id in a KMS endpoint host (`…-management.kms.us-ashburn-1.oraclecloud.com`,
 * `…-management.kms.us-gov-ashburn-1.oraclegovcloud.com`), else null. Region ids have two or more
 * words before the number (oci-common's Region list: `eu-dcc-milan-1`, `uk-gov-london-1`).
 */
export function regionOfEndpoint(endpoint: string | undefined): string | null {
  return /\.kms\.([a-z]+(?:-[a-z]+)+-\d+)\./.exec(endpoint ?? "")?.[1] ?? null;
}

export function toOciVault(v: kms.Vault): OciVault {
  return {
    id: v.id, compartmentId: v.compartmentId, displayName: v.displayName, vaultType: v.vaultType,
    lifecycleState: v.lifecycleState, managementEndpoint: v.managementEndpoint, cryptoEndpoint: v.cryptoEndpoint,
    // OCI: isPrimary is false only on the replica of a replicated vault.
    isPrimary: v.isPrimary !== false, region: regionOfEndpoint(v.managementEndpoint), ...tagsOf(v),
  };
}

function toAutoRotation(a: kms.AutoKeyRotationDetails | undefined): OciAutoRotation | null {
  if (!a) return null;
  return {
    rotationIntervalInDays: a.rotationIntervalInDays ?? null,
    timeOfScheduleStart: ociInstant(a.timeOfScheduleStart), timeOfNextRotation: ociInstant(a.timeOfNextRotation),
    timeOfLastRotation: ociInstant(a.timeOfLastRotation), lastRotationStatus: a.lastRotationStatus ?? null,
    lastRotationMessage: a.lastRotationMessage ?? null,
  };
}

export function toOciKey(k: kms.Key): OciKey {
  return {
    id: k.id, vaultId: k.vaultId, compartmentId: k.compartmentId, displayName: k.displayName, lifecycleState: k.lifecycleState,
    protectionMode: k.protectionMode ?? "HSM", algorithm: k.keyShape.algorithm, length: k.keyShape.length,
    curveId: k.keyShape.curveId ?? null, currentKeyVersionId: k.currentKeyVersion,
    timeCreated: requiredTime(k.timeCreated, `key ${k.id} timeCreated`), timeOfDeletion: ociInstant(k.timeOfDeletion),
    isPrimary: k.isPrimary !== false, isAutoRotationEnabled: k.isAutoRotationEnabled === true,
    autoRotation: toAutoRotation(k.autoKeyRotationDetails), ...tagsOf(k),
  };
}

/** ListKeys' KeySummary; lenient (a summary only selects keys to read with GetKey). */
export function toOciKeySummary(k: kms.KeySummary): OciKeySummary {
  return {
    id: k.id, vaultId: k.vaultId, compartmentId: k.compartmentId, displayName: k.displayName ?? "", lifecycleState: k.lifecycleState ?? "",
    protectionMode: k.protectionMode ?? null, algorithm: k.algorithm ?? null, timeCreated: ociInstant(k.timeCreated), ...tagsOf(k),
  };
}

export function toOciKeyVersion(v: kms.KeyVersion | kms.KeyVersionSummary): OciKeyVersion {
  return {
    id: v.id, keyId: v.keyId, vaultId: v.vaultId, lifecycleState: v.lifecycleState ?? "ENABLED",
    timeCreated: requiredTime(v.timeCreated, `key version ${v.id} timeCreated`), timeOfDeletion: ociInstant(v.timeOfDeletion),
    origin: v.origin ?? "INTERNAL", isAutoRotated: v.isAutoRotated === true,
  };
}

export function toOciWorkRequest(w: objectstorage.WorkRequest | objectstorage.WorkRequestSummary, errors: string[]): OciWorkRequest {
  return {
    id: w.id ?? "", operationType: w.operationType ?? "", status: w.status ?? "", percentComplete: w.percentComplete ?? null,
    timeAccepted: ociInstant(w.timeAccepted), timeStarted: ociInstant(w.timeStarted), timeFinished: ociInstant(w.timeFinished), errors,
  };
}
