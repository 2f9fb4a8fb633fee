import { generateKeyPairSync } from "node:crypto";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createAuthProvider } from "../../src/oci/create-auth-provider.js";
import { createOciPorts } from "../../src/oci/create-oci-ports.js";
import { regionFrom } from "../../src/oci/resource-principal-provider.js";
import type { OciPorts } from "../../src/oci/oci-ports.js";
import { mintResourcePrincipalToken } from "../../src/sim/auth/resource-principal-token.js";
import { EXAMPLE, generatedUser, useSimulator } from "../helpers/sim.js";
import { instantRetryRuntime, TEST_RETRY } from "../helpers/oci-ports.js";

const FN_ID = "ocid1.fnfunc.oc1.iad.aaaaaaaakeyproofrotatorfunctionkeyproofrotatorfunction01";
const fn = generatedUser("keyproof-fn");
const stranger = generatedUser("stranger");
const HOURS_12_MIN_5 = (12 * 60 + 5) * 60_000;

const rsa = () => generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

describe("resource principal auth as in an OCI Function, end to end against the simulator", () => {
  // The test moves the simulator clock 12 h and more; signatures carry wall-clock dates.
  const suite = useSimulator({ maxClockSkewMs: Infinity, changeSeed: (seed) => seed.users.push({ ...fn.seedUser, id: FN_ID }) });
  const dir = mkdtempSync(path.join(tmpdir(), "keyproof-rp-"));
  const tokenFile = path.join(dir, "rpst");
  const keyFile = path.join(dir, "private.pem");
  const open: OciPorts[] = [];
  afterAll(() => open.forEach((p) => p.close()));

  /** Writes a fresh session key and a token minted now (simulator time) for `principalId`, as the Functions runtime does. */
  function renewFiles(options: { principalId?: string; signerPem?: string; ttlMs?: number } = {}) {
    const { sim } = suite();
    const session = rsa();
    writeFileSync(keyFile, session.privateKey);
    const token = mintResourcePrincipalToken({
      principalId: options.principalId ?? FN_ID, principalPrivateKeyPem: options.signerPem ?? fn.privateKey, tenancyId: sim.state.tenancy.id,
      compartmentId: EXAMPLE.securityId, sessionPublicKeyPem: session.publicKey, issuedAtMs: sim.clock.now().getTime(), ttlMs: options.ttlMs ?? 20 * 60_000,
    });
    writeFileSync(tokenFile, token);
    return { token, session };
  }

  const env = (over: Record<string, string> = {}) => ({
    OCI_RESOURCE_PRINCIPAL_VERSION: "2.2", OCI_RESOURCE_PRINCIPAL_RPST: tokenFile,
    OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: keyFile, OCI_RESOURCE_PRINCIPAL_REGION: "iad", ...over,
  });

  async function rpPorts(over: Record<string, string> = {}) {
    const auth = await createAuthProvider({ authMode: "resource-principal", configFile: "~/.oci/config", profile: "DEFAULT" }, { env: env(over) });
    const ports = createOciPorts({ auth, retry: TEST_RETRY, retryRuntime: instantRetryRuntime(), endpointOverride: suite().sim.url });
    open.push(ports);
    return { auth, ports };
  }

  const statusesSince = (since: number) => suite().sim.calls.slice(since).map((c) => c.status);

  it("signs with the session key and keyId ST$<token>; the simulator identifies the function", async () => {
    const { sim } = suite();
    renewFiles();
    const { auth, ports } = await rpPorts();
    expect(auth).toMatchObject({ mode: "resource-principal", tenancyId: sim.state.tenancy.id, region: "us-ashburn-1" });
    expect((await auth.provider.getKeyId()).startsWith("ST$ey")).toBe(true);
    const vault = await ports.getVault(EXAMPLE.vaultId);
    expect(vault.id).toBe(EXAMPLE.vaultId);
    expect(sim.calls.at(-1)).toMatchObject({ operation: "GetVault", status: 200, principal: "keyproof-fn" });
  });

  it("B09: 12 h 5 min later the cached token is expired (401); the refresh reads the renewed files and the call succeeds; a second 401 is 'authentication' with no loop", async () => {
    const { sim } = suite();
    renewFiles();
    const { ports } = await rpPorts();
    const kms = ports.kms(await ports.getVault(EXAMPLE.vaultId));
    await kms.getKey(EXAMPLE.bucketKey.id);

    sim.clock.advance(HOURS_12_MIN_5);
    renewFiles(); // the Functions runtime has replaced the token and key files meanwhile
    let since = sim.calls.length;
    const key = await kms.getKey(EXAMPLE.bucketKey.id);
    expect(key.id).toBe(EXAMPLE.bucketKey.id);
    expect(statusesSince(since)).toEqual([401, 200]);

    sim.clock.advance(HOURS_12_MIN_5); // this time nothing renews the files
    since = sim.calls.length;
    const error = await kms.getKey(EXAMPLE.bucketKey.id).catch((e: unknown) => e);
    expect(error).toMatchObject({ operation: "GetKey", reason: "authentication", statusCode: 401, attempts: 2 });
    expect((error as Error).message).toMatch(/session token expired/);
    expect(statusesSince(since)).toEqual([401, 401]);
  });

  it("takes the token and the PEM as values too (not refreshable: a second 401 is final)", async () => {
    const { sim } = suite();
    const { token, session } = renewFiles();
    const { ports } = await rpPorts({ OCI_RESOURCE_PRINCIPAL_RPST: token, OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: session.privateKey, OCI_RESOURCE_PRINCIPAL_REGION: "us-ashburn-1" });
    expect((await ports.getVault(EXAMPLE.vaultId)).id).toBe(EXAMPLE.vaultId);
    sim.clock.advance(HOURS_12_MIN_5);
    const since = sim.calls.length;
    await expect(ports.getVault(EXAMPLE.vaultId)).rejects.toMatchObject({ reason: "authentication", attempts: 2 });
    expect(statusesSince(since)).toEqual([401, 401]);
  });

  it("rejects a foreign token (signed by another key), a token for an unknown principal and a request not signed with the token's key", async () => {
    const { sim } = suite();
    renewFiles({ signerPem: stranger.privateKey });
    const foreign = await (await rpPorts()).ports.getVault(EXAMPLE.vaultId).catch((e: unknown) => e);
    expect(foreign).toMatchObject({ reason: "authentication", statusCode: 401 });
    expect((foreign as Error).message).toMatch(/not issued for keyproof-fn/);

    renewFiles({ principalId: "ocid1.fnfunc.oc1.iad.aaaaaaaanosuchfunction", signerPem: stranger.privateKey });
    const unknown = await (await rpPorts()).ports.getVault(EXAMPLE.vaultId).catch((e: unknown) => e);
    expect((unknown as Error).message).toMatch(/names no known principal/);

    const { token } = renewFiles();
    const { ports } = await rpPorts({ OCI_RESOURCE_PRINCIPAL_RPST: token, OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: rsa().privateKey });
    const wrongKey = await ports.getVault(EXAMPLE.vaultId).catch((e: unknown) => e);
    expect((wrongKey as Error).message).toMatch(/signature does not verify/);
    expect(sim.calls.at(-1)!.status).toBe(401);
  });

  it("applies the principal's allow list to its token", async () => {
    const { sim } = suite();
    const record = [...sim.state.users.values()].find((u) => u.id === FN_ID)!;
    const mutable = record as { allowedOperations: ReadonlySet<string> | null };
    mutable.allowedOperations = new Set(["GetVault"]);
    try {
      renewFiles();
      const { ports } = await rpPorts();
      await expect(ports.getVault(EXAMPLE.vaultId)).resolves.toMatchObject({ id: EXAMPLE.vaultId });
      await expect(ports.listVaults(EXAMPLE.securityId)).rejects.toMatchObject({ reason: "not-authorized-or-not-found", statusCode: 404 });
    } finally {
      mutable.allowedOperations = null;
    }
  });
});

describe("regionFrom (OCI_RESOURCE_PRINCIPAL_REGION, oci.region, a profile's region)", () => {
  // Real ids from oci-common 2.139.1's Region list, three words before the number among them.
  it("accepts region ids of two or more words and short codes, in the SDK's realm", () => {
    const ids = ["us-ashburn-1", "us-gov-ashburn-1", "uk-gov-london-1", "eu-dcc-milan-1", "ap-dcc-canberra-1"];
    expect(ids.map((id) => [regionFrom(id, "field").regionId, regionFrom(id, "field").realm.realmId])).toEqual([
      ["us-ashburn-1", "oc1"], ["us-gov-ashburn-1", "oc3"], ["uk-gov-london-1", "oc4"], ["eu-dcc-milan-1", "oc14"], ["ap-dcc-canberra-1", "oc10"],
    ]);
    expect(regionFrom("IAD", "field").regionId).toBe("us-ashburn-1");
  });

  it("refuses what is not a region id, naming the field", () => {
    for (const bad of ["moon", "ashburn-1", "us-ashburn", "us--ashburn-1", "us_ashburn_1", "us-ashburn-1-"]) {
      expect(() => regionFrom(bad, "OCI_RESOURCE_PRINCIPAL_REGION"), bad).toThrow(new RegExp(`^OCI_RESOURCE_PRINCIPAL_REGION: "${bad}" is not a region id or short code`));
    }
  });
});
