/**
 * A simulator per suite, seeded with the example tenancy (examples/tenancy/), and real oci-sdk
 * clients pointed at it: signed with the example user's test-only key, endpoint overridden, circuit
 * breaker off (OCI-NOTES §1.4), closed at teardown. KMS management and crypto clients take the
 * vault's own endpoints from GetVault, as production code does.
 */
import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import * as common from "oci-common";
import { IdentityClient } from "oci-identity";
import { KmsCryptoClient, KmsManagementClient, KmsVaultClient } from "oci-keymanagement";
import { afterAll, beforeAll } from "vitest";
import { startSimulator, type Simulator, type SimulatorOptions } from "../../src/sim/start-simulator.js";
import { createSimClock } from "../../src/sim/sim-clock.js";
import type { TenancySeedInput } from "../../src/sim/seed/tenancy-seed.js";
import { REPO_ROOT } from "./run-cli.js";

export const EXAMPLE_TENANCY_FILE = path.join(REPO_ROOT, "examples/tenancy/example-tenancy.json");
export const EXAMPLE_KEY_FILE = path.join(REPO_ROOT, "examples/tenancy/TEST-ONLY-keyproof-rotator-private-key.pem");

/** A fresh copy of the example tenancy seed (tests may change it). */
export function exampleSeed(): TenancySeedInput & Required<Pick<TenancySeedInput, "users" | "vaults" | "keys" | "compartments">> {
  return JSON.parse(readFileSync(EXAMPLE_TENANCY_FILE, "utf8"));
}

/** Ids of the example tenancy that tests refer to. */
export const EXAMPLE = (() => {
  const seed = exampleSeed();
  const key = (name: string) => seed.keys.find((k) => k.displayName === name)!;
  return {
    tenancyId: seed.tenancy.id,
    securityId: seed.compartments.find((c) => c.name === "security")!.id,
    backupProdId: seed.compartments.find((c) => c.name === "backup-prod")!.id,
    vaultId: seed.vaults.find((v) => !v.replicaOf)!.id,
    replicaVaultId: seed.vaults.find((v) => v.replicaOf)!.id,
    bucketKey: key("backup-objects-key"),
    volumeKey: key("backup-volumes-2026-04"),
    signingKey: key("keyproof-manifest-signing"),
    user: seed.users[0]!,
  };
})();

/** A user with a freshly generated API key, to add to a seed (for allow lists and second principals). */
export function generatedUser(name: string, extra: Record<string, unknown> = {}) {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const id = `ocid1.user.oc1..aaaaaaaa${name.replace(/[^a-z0-9]/g, "").padEnd(52, "x").slice(0, 52)}`;
  return { seedUser: { id, name, publicKeyPem: publicKey, ...extra }, privateKey };
}

export interface SdkClientOptions {
  retryConfiguration?: common.RetryConfiguration;
  httpOptions?: Record<string, unknown>;
}

/** Auth provider for a seeded user (fingerprint computed like `oci setup keys`). */
export function providerFor(sim: Simulator, userId: string, privateKeyPem: string): common.SimpleAuthenticationDetailsProvider {
  const user = [...sim.state.users.values()].find((u) => u.id === userId);
  if (!user) throw new Error(`no user ${userId} in the simulator`);
  return new common.SimpleAuthenticationDetailsProvider(sim.state.tenancy.id, userId, user.fingerprint, privateKeyPem, null, common.Region.US_ASHBURN_1);
}

function configuration(options: SdkClientOptions): common.ClientConfiguration {
  return {
    circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
    ...(options.retryConfiguration ? { retryConfiguration: options.retryConfiguration } : {}),
    ...(options.httpOptions ? { httpOptions: options.httpOptions } : {}),
  };
}

export interface SimClients {
  vault: KmsVaultClient;
  management: KmsManagementClient;
  crypto: KmsCryptoClient;
  identity: IdentityClient;
}

/** Real SDK clients for `sim`; KMS management/crypto are pointed at `vaultId`'s endpoints via GetVault. */
export async function buildClients(
  sim: Simulator, provider: common.AuthenticationDetailsProvider, vaultId = EXAMPLE.vaultId, options: SdkClientOptions = {},
): Promise<SimClients> {
  const params = { authenticationDetailsProvider: provider };
  const vault = new KmsVaultClient(params, configuration(options));
  vault.endpoint = sim.endpoints["kms-vault"];
  const identity = new IdentityClient(params, configuration(options));
  identity.endpoint = sim.endpoints.identity;
  const { managementEndpoint, cryptoEndpoint } = sim.vaultEndpoints(vaultId) && (await vault.getVault({ vaultId })).vault;
  const management = new KmsManagementClient(params, configuration(options));
  management.endpoint = managementEndpoint;
  const crypto = new KmsCryptoClient(params, configuration(options));
  crypto.endpoint = cryptoEndpoint;
  return { vault, management, crypto, identity };
}

export function closeClients(clients: SimClients): void {
  for (const client of Object.values(clients)) client.close();
}

export interface SimSuite {
  sim: Simulator;
  clients: SimClients;
  provider: common.SimpleAuthenticationDetailsProvider;
}

/**
 * Starts a simulator with the example tenancy before the suite and stops it after. `changeSeed`
 * may change the example seed; the clock defaults to a frozen clock at the wall-clock time of start.
 * KMS write throttling (10/s) is off unless the suite passes `writeLimits`: tests write faster than that.
 */
export function useSimulator(options: Partial<SimulatorOptions> & { changeSeed?: (seed: ReturnType<typeof exampleSeed>) => void } = {}): () => SimSuite {
  let suite: SimSuite | undefined;
  beforeAll(async () => {
    const seed = exampleSeed();
    options.changeSeed?.(seed);
    const sim = await startSimulator({ clock: createSimClock(), writeLimits: { "kms-mgmt": null }, ...options, seed });
    const provider = providerFor(sim, EXAMPLE.user.id, readFileSync(EXAMPLE_KEY_FILE, "utf8"));
    suite = { sim, provider, clients: await buildClients(sim, provider) };
  });
  afterAll(async () => {
    if (suite) closeClients(suite.clients);
    await suite?.sim.close();
  });
  return () => {
    if (!suite) throw new Error("useSimulator: the suite has not started");
    return suite;
  };
}

/** A raw request signed by the SDK's own signer (to see headers the SDK does not expose, or to tamper). */
export async function signedFetch(
  sim: Simulator, provider: common.AuthenticationDetailsProvider, path: string, init: { method?: "GET" | "POST" | "PUT"; body?: string } = {},
): Promise<Response> {
  const method = init.method ?? "GET";
  const headers = new Headers();
  if (init.body !== undefined) {
    headers.set("content-type", "application/json");
    headers.set("content-length", String(Buffer.byteLength(init.body)));
  }
  const uri = `${sim.url}${path}`;
  await new common.DefaultRequestSigner(provider).signHttpRequest({ method: method as common.Method, headers, uri, body: init.body });
  return fetch(uri, { method, headers, body: init.body });
}
