/** Creates a new current version of a key (manual CreateKeyVersion and auto-rotation share it). */
import type { KeyRecord, KeyVersionRecord, SimState } from "../state/sim-state.js";

export function addKeyVersion(state: SimState, key: KeyRecord, timeCreated: string, isAutoRotated: boolean): KeyVersionRecord {
  const vault = state.vaults.get(key.vaultId)!;
  const version: KeyVersionRecord = {
    id: state.ids.next("keyversion", vault.endpointId), keyId: key.id, vaultId: key.vaultId, compartmentId: key.compartmentId,
    timeCreated, lifecycleState: "ENABLED", timeOfDeletion: null, origin: "INTERNAL", isAutoRotated,
  };
  state.keyVersions.set(version.id, version);
  key.currentKeyVersion = version.id;
  return version;
}
