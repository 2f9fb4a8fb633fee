/**
 * The `opc-retry-token` of a rotation (DESIGN §7: "a lease row plus an `opc-retry-token` derived
 * from key and slot"). OCI replays a successful write for the same token for 24 hours
 * (OCI-NOTES §1.5), so two processes, or a rerun after a crash, that send CreateKeyVersion /
 * CreateKey for the same slot get the same version or key back instead of a second one.
 *
 * Form: `kp1-` + base64url(SHA-256(keyId "\n" slot)), 47 characters: within the 64-character limit
 * OCI's API specifications set for `opc-retry-token`, URL- and header-safe, and revealing nothing
 * but a hash of OCIDs.
 */
import { createHash } from "node:crypto";

/** The retry token of the first CreateKeyVersion / CreateKey attempt of `slot` of `keyId`. */
export function rotationRetryToken(keyId: string, slot: string): string {
  return `kp1-${createHash("sha256").update(`${keyId}\n${slot}`).digest("base64url")}`;
}

/**
 * The token of the next attempt of a slot whose previous write was answered 200 but verifiably
 * not applied (GetKey still shows the slot's version current, or the successor is missing): a
 * new token, so OCI does not replay the phantom answer, still derived only from key and slot.
 */
export function nextRetryToken(previous: string): string {
  return `kp1-${createHash("sha256").update(`${previous}\nnext`).digest("base64url")}`;
}
