/** Factories for RotationRunResult with overridable defaults (the run-signals tests). */
import type { Finding } from "../../src/rotation/inventory.js";
import type { KeyRotationOutcome, ResourceRekeyOutcome, RotationRunResult, RunError } from "../../src/rotation/rotation-run-result.js";

export const BUCKET_KEY_ID = "ocid1.key.oc1.iad.ejsppeqvaafyi.abuwcljss4pu5bsda5nyaeyrxau3u55c56zevq5yx332fboobrjdozutcqso";
export const VOLUME_KEY_ID = "ocid1.key.oc1.iad.ejsppeqvaafyi.abuwcljsfapgojgpqmjoatoo5arv225ee7ml44rmvmvnvb4naeswg3plkvcs";
export const VAULT_ID = "ocid1.vault.oc1.iad.ejsppeqvaafyi.abuwcljsdtvfh5di7xu4ogwuleuinbr3qeamft7ltnh6a6lvceunsxxcn2mt";
export const COMPARTMENT_ID = "ocid1.compartment.oc1..aaaaaaaavjtddm5so72f22ycv66u62232zq4c7xwxfu3at4h4vqhmeb4h6v7";

export function runError(overrides: Partial<RunError> = {}): RunError {
  return {
    operation: "ReencryptBucket", message: "Too many requests for the tenancy", reason: "throttled", statusCode: 429,
    serviceCode: "TooManyRequests", opcRequestId: "CLIENTREQ1/OCIHOP1/OCIHOP2", attempts: 6, ...overrides,
  };
}

export function rekey(overrides: Partial<ResourceRekeyOutcome> = {}): ResourceRekeyOutcome {
  return {
    resourceId: "ocid1.bucket.oc1.iad.aaaaaaaabackupsdaily", kind: "bucket", displayName: "backups-daily", status: "succeeded",
    operation: "ReencryptBucket", workRequestId: "ocid1.objectstorageworkrequest.oc1.iad.wr1", opcRequestId: "REQ-OK-1", detail: null, error: null,
    ...overrides,
  };
}

export function keyOutcome(overrides: Partial<KeyRotationOutcome> = {}): KeyRotationOutcome {
  return {
    keyId: BUCKET_KEY_ID, keyName: "backup-objects-key", vaultId: VAULT_ID, compartmentId: COMPARTMENT_ID, strategy: "key-version",
    action: "rotate", status: "rotated", slot: `${BUCKET_KEY_ID}@ocid1.keyversion.oc1.iad.v3`, newKeyVersionId: "ocid1.keyversion.oc1.iad.v4",
    successorKeyId: null, createdThisRun: true, currentVersionCreated: "2026-10-05T02:00:01.000Z", reason: null, error: null, steps: [],
    resources: [rekey()], ...overrides,
  };
}

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    code: "RESOURCE_ON_KEY_PENDING_DELETION", severity: "critical", keyId: VOLUME_KEY_ID, resourceId: "ocid1.volume.oc1.iad.vol9",
    message: "Volume vol9 uses key old-key, which is pending deletion on 2026-11-01.", ...overrides,
  };
}

export function runResult(overrides: Partial<RotationRunResult> = {}): RotationRunResult {
  return {
    runId: 42, status: "succeeded", trigger: "schedule", dryRun: false, startedAt: "2026-10-05T02:00:00.000Z",
    finishedAt: "2026-10-05T02:00:12.345Z", keys: [keyOutcome()], findings: [], error: null, ...overrides,
  };
}
