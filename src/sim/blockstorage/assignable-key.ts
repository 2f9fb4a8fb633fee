/**
 * The checks Block Volume and Object Storage make before they accept a Vault key as a resource's
 * encryption key: the key exists, is an AES key (both services use symmetric keys only; Block Volume
 * rejects RSA/ECDSA keys, see terraform-provider-oci#1381), is ENABLED (not DISABLED, not
 * PENDING_DELETION) and its current version is usable. All failures are 400 InvalidParameter, so an
 * SDK with Object Storage's default retries does not retry them.
 */
import { invalid } from "../sim-error.js";
import type { KeyRecord, SimState } from "../state/sim-state.js";

/** The key `kmsKeyId` if a service may encrypt with it; otherwise 400 InvalidParameter saying why. */
export function assignableKey(state: SimState, kmsKeyId: unknown, service: "Block Volume" | "Object Storage"): KeyRecord {
  if (typeof kmsKeyId !== "string" || kmsKeyId === "") throw invalid("kmsKeyId", "expected the OCID of a Vault key");
  const key = state.keys.get(kmsKeyId);
  if (!key || key.lifecycleState === "DELETED") throw invalid("kmsKeyId", `the key ${kmsKeyId} does not exist or is not authorized`);
  if (key.keyShape.algorithm !== "AES") {
    throw invalid("kmsKeyId", `the ${service} service does not support ${key.keyShape.algorithm} keys; the key ${kmsKeyId} must be an AES (symmetric) key`);
  }
  if (key.lifecycleState !== "ENABLED") {
    throw invalid("kmsKeyId", `the key ${kmsKeyId} is ${key.lifecycleState}; only an ENABLED key can be used for encryption`);
  }
  const version = state.keyVersions.get(key.currentKeyVersion);
  if (!version || version.lifecycleState !== "ENABLED") {
    throw invalid("kmsKeyId", `the current version of the key ${kmsKeyId} is not ENABLED`);
  }
  return key;
}
