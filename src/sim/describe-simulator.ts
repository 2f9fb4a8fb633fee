/**
 * What `keyproof sim` prints on start: the service endpoints and a ready-to-use OCI config profile
 * (the format of `~/.oci/config`) for the seeded user whose private key file is known.
 */
import type { Simulator } from "./start-simulator.js";

export interface SimulatorBannerInput {
  sim: Simulator;
  /** The private key file of the first seeded user, if known. */
  keyFile?: string;
  profile?: string;
}

/** The banner text (endpoints, vault endpoints, config profile, how to point an SDK at it). */
export function describeSimulator({ sim, keyFile, profile = "KEYPROOF_SIM" }: SimulatorBannerInput): string {
  const user = [...sim.state.users.values()][0]!;
  const lines = [`keyproof OCI simulator listening on ${sim.url} (tenancy ${sim.state.tenancy.name}, clock ${sim.clock.now().toISOString()})`, "", "endpoints (set client.endpoint):"];
  for (const [name, url] of Object.entries(sim.endpoints)) lines.push(`  ${name.padEnd(14)} ${url}`);
  lines.push("", "vaults (GetVault answers these managementEndpoint / cryptoEndpoint):");
  for (const vault of sim.state.vaults.values()) {
    const e = sim.vaultEndpoints(vault.id);
    lines.push(`  ${vault.displayName}${vault.replicaOf ? " (replica)" : ""} ${vault.id}`, `    management ${e.management}`, `    crypto     ${e.crypto}`);
  }
  lines.push(
    "", `OCI config profile (append to ~/.oci/config; key_file is a TEST-ONLY key):`, "",
    `[${profile}]`, `user=${user.id}`, `fingerprint=${user.fingerprint}`, `tenancy=${sim.state.tenancy.id}`,
    `region=${sim.state.tenancy.region}`, `key_file=${keyFile ?? "<the private key of " + user.name + ">"}`, "",
    "Clients: new common.ConfigFileAuthenticationDetailsProvider(undefined, \"" + profile + "\"), then client.endpoint = <endpoint above>",
    "(set endpoint after region; the circuit breaker is best disabled against a local simulator).",
  );
  return `${lines.join("\n")}\n`;
}
