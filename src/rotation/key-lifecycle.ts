/** Key and key version lifecycle states that matter to rotation (OCI-NOTES §2.2). */

/**
 * States in which a key or version is scheduled for deletion, being deleted or deleted (rule 8:
 * left out of rotation). CANCELLING_DELETION counts until the cancellation completes.
 */
const DELETION_STATES = new Set(["PENDING_DELETION", "SCHEDULING_DELETION", "DELETING", "DELETED", "CANCELLING_DELETION"]);

/** True for a lifecycle state in which the key (or version) is being or has been deleted. */
export function isDeletionState(lifecycleState: string): boolean {
  return DELETION_STATES.has(lifecycleState);
}

/** True for DISABLED / DISABLING: the key cannot encrypt, and CreateKeyVersion fails. */
export function isDisabledState(lifecycleState: string): boolean {
  return lifecycleState === "DISABLED" || lifecycleState === "DISABLING";
}

/**
 * True for a key that can carry a lineage: neither disabled nor being deleted. That is ENABLED or
 * a state on the way to or through ENABLED (CREATING, ENABLING, UPDATING, BACKUP_IN_PROGRESS,
 * RESTORING; OCI-NOTES §2.2), so a head caught mid-update is not passed over for its predecessor.
 */
export function isUsableKeyState(lifecycleState: string): boolean {
  return !isDisabledState(lifecycleState) && !isDeletionState(lifecycleState);
}

/**
 * False for a replica copy: a key or vault with `isPrimary: false` (a replicated vault's copy in
 * another region, B13). Such keys are reported once under their primary and never written to.
 */
export function isPrimaryCopy(copy: { key: { isPrimary: boolean }; vault: { isPrimary: boolean } }): boolean {
  return copy.key.isPrimary && copy.vault.isPrimary;
}
