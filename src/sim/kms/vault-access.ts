/**
 * Which vault a KMS management/crypto request is for (the `:vault` segment of its endpoint), and
 * the rules that follow: keys are only visible through their own vault's endpoints, and a replica
 * vault serves read-only copies of its primary's keys.
 */
import type { OpContext, SimRuntime } from "../sim-service.js";
import { SimError, notFound } from "../sim-error.js";
import type { KeyRecord, KeyVersionRecord, SimState, VaultRecord } from "../state/sim-state.js";
import { base32Of } from "../state/id-generator.js";

/** The vault an endpoint id belongs to (404 when none). */
export function vaultOfEndpoint(state: SimState, endpointId: string | undefined): VaultRecord {
  for (const vault of state.vaults.values()) if (vault.endpointId === endpointId) return vault;
  throw new SimError("NotAuthorizedOrNotFound", `No vault serves endpoint ${endpointId}`);
}

/** The vault of the request's endpoint. */
export function requestVault(ctx: OpContext): VaultRecord {
  return vaultOfEndpoint(ctx.state, ctx.params.vault);
}

/** The primary of a replica vault, or the vault itself. */
export function primaryOf(state: SimState, vault: VaultRecord): VaultRecord {
  return vault.replicaOf ? state.vaults.get(vault.replicaOf)! : vault;
}

/** The key `keyId` as seen through `vault`'s endpoint (404 when it lives elsewhere or is unknown). */
export function keyThrough(state: SimState, vault: VaultRecord, keyId: string | undefined): KeyRecord {
  const key = keyId ? state.keys.get(keyId) : undefined;
  if (!key || key.vaultId !== primaryOf(state, vault).id) throw notFound("Key", keyId ?? "");
  return key;
}

/** A version of `key` (404 when it belongs to another key). */
export function versionOf(state: SimState, key: KeyRecord, versionId: string | undefined): KeyVersionRecord {
  const version = versionId ? state.keyVersions.get(versionId) : undefined;
  if (!version || version.keyId !== key.id) throw notFound("KeyVersion", versionId ?? "");
  return version;
}

/** 409 Conflict for writes through a replica vault (only the primary accepts changes). */
export function requireWritable(vault: VaultRecord): void {
  if (vault.replicaOf) {
    throw new SimError("Conflict", `Vault ${vault.id} is a replica of ${vault.replicaOf}; keys can only be changed in the primary vault`);
  }
}

/** The replication id shared by a primary vault and its replicas (null when not replicated). */
export function replicationIdOf(state: SimState, vault: VaultRecord): string | null {
  const primary = primaryOf(state, vault);
  const replicated = vault.replicaOf !== null || [...state.vaults.values()].some((v) => v.replicaOf === primary.id);
  return replicated ? `ocid1.vaultreplication.oc1..aaaaaaaa${base32Of(`replication:${primary.id}`, 52)}` : null;
}

/** Vault endpoints as GetVault answers them: they point back at the simulator. */
export function vaultUrls(runtime: SimRuntime, vault: VaultRecord): { managementEndpoint: string; cryptoEndpoint: string } {
  return { managementEndpoint: `${runtime.url}/kms-mgmt/${vault.endpointId}`, cryptoEndpoint: `${runtime.url}/kms-crypto/${vault.endpointId}` };
}
