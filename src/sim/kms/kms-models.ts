/**
 * KMS records → the JSON OCI answers (oci-keymanagement models Vault, VaultSummary, Key,
 * KeySummary, KeyVersion, KeyVersionSummary; OCI-NOTES §2.1–2.2). `through` is the vault whose
 * endpoint was called: through a replica, keys and versions show `isPrimary: false`.
 */
import type { SimRuntime } from "../sim-service.js";
import type { KeyRecord, KeyVersionRecord, SimState, VaultRecord } from "../state/sim-state.js";
import { base32Of } from "../state/id-generator.js";
import { replicationIdOf, vaultUrls } from "./vault-access.js";

export function vaultSummaryJson(runtime: SimRuntime, v: VaultRecord): Record<string, unknown> {
  return {
    compartmentId: v.compartmentId, ...vaultUrls(runtime, v), definedTags: v.definedTags, displayName: v.displayName,
    freeformTags: v.freeformTags, id: v.id, lifecycleState: v.lifecycleState, timeCreated: v.timeCreated, vaultType: v.vaultType,
  };
}

export function vaultJson(runtime: SimRuntime, v: VaultRecord): Record<string, unknown> {
  const replicationId = replicationIdOf(runtime.state, v);
  return {
    ...vaultSummaryJson(runtime, v),
    timeOfDeletion: v.timeOfDeletion ?? undefined,
    wrappingkeyId: `ocid1.key.oc1.iad.${v.endpointId}.abuwcljs${base32Of(`wrapping:${v.id}`, 52)}`,
    replicaDetails: replicationId ? { replicationId } : undefined,
    isPrimary: v.replicaOf === null,
    isVaultReplicable: v.vaultType === "VIRTUAL_PRIVATE",
  };
}

function replicaFields(state: SimState, through: VaultRecord): Record<string, unknown> {
  const replicationId = replicationIdOf(state, through);
  return { replicaDetails: replicationId ? { replicationId } : undefined, isPrimary: through.replicaOf === null };
}

/** Key as GetKey answers it; `lifecycleState` may be overridden with the transitional state an action answers. */
export function keyJson(state: SimState, k: KeyRecord, through: VaultRecord, lifecycleState = k.lifecycleState): Record<string, unknown> {
  const a = k.autoKeyRotationDetails;
  return {
    compartmentId: k.compartmentId, currentKeyVersion: k.currentKeyVersion, definedTags: k.definedTags, displayName: k.displayName,
    freeformTags: k.freeformTags, id: k.id, keyShape: k.keyShape, protectionMode: k.protectionMode, lifecycleState,
    timeCreated: k.timeCreated, timeOfDeletion: k.timeOfDeletion ?? undefined, vaultId: through.id,
    ...replicaFields(state, through),
    isAutoRotationEnabled: k.isAutoRotationEnabled,
    autoKeyRotationDetails: a
      ? Object.fromEntries(Object.entries(a).filter(([, value]) => value !== null))
      : undefined,
  };
}

export function keySummaryJson(k: KeyRecord, through: VaultRecord): Record<string, unknown> {
  return {
    compartmentId: k.compartmentId, definedTags: k.definedTags, displayName: k.displayName, freeformTags: k.freeformTags,
    id: k.id, lifecycleState: k.lifecycleState, timeCreated: k.timeCreated, vaultId: through.id,
    protectionMode: k.protectionMode, algorithm: k.keyShape.algorithm, isAutoRotationEnabled: k.isAutoRotationEnabled,
  };
}

export function keyVersionSummaryJson(v: KeyVersionRecord, through: VaultRecord, lifecycleState = v.lifecycleState): Record<string, unknown> {
  return {
    compartmentId: v.compartmentId, id: v.id, keyId: v.keyId, lifecycleState, origin: v.origin, timeCreated: v.timeCreated,
    timeOfDeletion: v.timeOfDeletion ?? undefined, vaultId: through.id, isAutoRotated: v.isAutoRotated,
  };
}

/** KeyVersion as GetKeyVersion answers it; asymmetric keys carry the version's public key (PEM). */
export function keyVersionJson(
  runtime: SimRuntime, v: KeyVersionRecord, key: KeyRecord, through: VaultRecord, lifecycleState = v.lifecycleState,
): Record<string, unknown> {
  const pair = runtime.keyMaterial.pairFor(v.id, key.keyShape);
  return {
    ...keyVersionSummaryJson(v, through, lifecycleState),
    publicKey: pair?.publicKeyPem,
    ...replicaFields(runtime.state, through),
  };
}
