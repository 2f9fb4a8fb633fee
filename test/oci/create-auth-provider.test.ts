import { generateKeyPairSync } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { createAuthProvider } from "../../src/oci/create-auth-provider.js";
import { createOciPorts } from "../../src/oci/create-oci-ports.js";
import { EXAMPLE, EXAMPLE_KEY_FILE, useSimulator } from "../helpers/sim.js";
import { instantRetryRuntime, TEST_RETRY } from "../helpers/oci-ports.js";

const dir = mkdtempSync(path.join(tmpdir(), "keyproof-auth-"));
const rsa = (passphrase?: string) =>
  generateKeyPairSync("rsa", {
    modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: passphrase ? { type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase } : { type: "pkcs8", format: "pem" },
  });

const settings = (over: Partial<Parameters<typeof createAuthProvider>[0]> = {}) => ({ authMode: "config-file" as const, configFile: "~/.oci/config", profile: "DEFAULT", ...over });

/** Writes an OCI config file with one profile and returns its path. */
function configFile(name: string, profile: string, entries: Record<string, string>): string {
  const file = path.join(dir, name);
  writeFileSync(file, `[${profile}]\n${Object.entries(entries).map(([k, v]) => `${k}=${v}`).join("\n")}\n`);
  return file;
}

describe("config-file auth (OCI config file + profile)", () => {
  const suite = useSimulator();
  const closers: Array<() => void> = [];
  afterAll(() => closers.forEach((c) => c()));
  const userEntries = () => ({
    user: EXAMPLE.user.id, fingerprint: [...suite().sim.state.users.values()][0]!.fingerprint, tenancy: EXAMPLE.tenancyId,
    region: "us-ashburn-1", key_file: EXAMPLE_KEY_FILE,
  });

  it("reads the profile, expands ~ from HOME, and signs calls the simulator accepts", async () => {
    const home = path.join(dir, "home");
    mkdirSync(path.join(home, ".oci"), { recursive: true });
    writeFileSync(path.join(home, ".oci", "config"), `[DEFAULT]\nregion=eu-frankfurt-1\n\n[KEYPROOF_SIM]\n${Object.entries(userEntries()).map(([k, v]) => `${k}=${v}`).join("\n")}\n`);
    const auth = await createAuthProvider(settings({ profile: "KEYPROOF_SIM" }), { env: { HOME: home } });
    expect(auth).toMatchObject({ mode: "config-file", tenancyId: EXAMPLE.tenancyId, region: "us-ashburn-1" });
    const ports = createOciPorts({ auth, retry: TEST_RETRY, retryRuntime: instantRetryRuntime(), endpointOverride: suite().sim.url });
    closers.push(() => ports.close());
    expect((await ports.getVault(EXAMPLE.vaultId)).id).toBe(EXAMPLE.vaultId);
    expect(suite().sim.calls.at(-1)).toMatchObject({ status: 200, principal: "keyproof-rotator" });
  });

  it("prints nothing for a file without a [DEFAULT] profile (the SDK's console.info would corrupt rotate --json)", async () => {
    const file = configFile("no-default", "KEYPROOF_SIM", userEntries());
    const info = vi.spyOn(console, "info");
    try {
      const auth = await createAuthProvider(settings({ configFile: file, profile: "KEYPROOF_SIM" }), { env: {} });
      expect(auth.tenancyId).toBe(EXAMPLE.tenancyId);
      expect(info).not.toHaveBeenCalled();
    } finally {
      info.mockRestore();
    }
  });

  it("oci.region and oci.tenancy win over the profile's", async () => {
    const file = configFile("override", "DEFAULT", userEntries());
    const auth = await createAuthProvider(settings({ configFile: file, region: "eu-frankfurt-1", tenancy: "ocid1.tenancy.oc1..other" }), { env: {} });
    expect(auth).toMatchObject({ region: "eu-frankfurt-1", tenancyId: "ocid1.tenancy.oc1..other" });
    expect(auth.provider.getRegion().regionId).toBe("eu-frankfurt-1");
  });

  it("takes region ids of three words from the profile and from oci.region (us-gov-ashburn-1, eu-dcc-milan-1)", async () => {
    const file = configFile("gov", "DEFAULT", { ...userEntries(), region: "us-gov-ashburn-1" });
    const fromProfile = await createAuthProvider(settings({ configFile: file }), { env: {} });
    expect([fromProfile.region, fromProfile.provider.getRegion().regionId]).toEqual(["us-gov-ashburn-1", "us-gov-ashburn-1"]);
    const fromConfig = await createAuthProvider(settings({ configFile: file, region: "eu-dcc-milan-1" }), { env: {} });
    expect([fromConfig.region, fromConfig.provider.getRegion().regionId]).toEqual(["eu-dcc-milan-1", "eu-dcc-milan-1"]);
    fromProfile.close();
    fromConfig.close();
  });

  it("refresh re-reads the file: a key file fixed after a 401 is used by the retried call", async () => {
    const { sim } = suite();
    const keyFile = path.join(dir, "rotating.pem");
    writeFileSync(keyFile, rsa().privateKey);
    const file = configFile("rotating", "DEFAULT", { ...userEntries(), key_file: keyFile });
    const auth = await createAuthProvider(settings({ configFile: file }), { env: {} });
    const ports = createOciPorts({ auth, retry: TEST_RETRY, retryRuntime: instantRetryRuntime(), endpointOverride: sim.url });
    closers.push(() => ports.close());
    await expect(ports.getVault(EXAMPLE.vaultId)).rejects.toMatchObject({ reason: "authentication", attempts: 2 });
    writeFileSync(keyFile, readFileSync(EXAMPLE_KEY_FILE, "utf8"));
    const since = sim.calls.length;
    await expect(ports.getVault(EXAMPLE.vaultId)).resolves.toMatchObject({ id: EXAMPLE.vaultId });
    expect(sim.calls.slice(since).map((c) => c.status)).toEqual([401, 200]);
  });

  it("opens a key with its pass_phrase", async () => {
    const key = rsa("correct horse");
    writeFileSync(path.join(dir, "protected.pem"), key.privateKey);
    const file = configFile("protected", "DEFAULT", { ...userEntries(), key_file: path.join(dir, "protected.pem"), pass_phrase: "correct horse" });
    await expect(createAuthProvider(settings({ configFile: file }), { env: {} })).resolves.toMatchObject({ mode: "config-file" });
  });

  describe("errors name the field, file or entry and never the key or pass_phrase", () => {
    const cases: Array<[string, () => Promise<unknown>, RegExp]> = [
      ["a missing file", () => createAuthProvider(settings({ configFile: path.join(dir, "nope") }), { env: {} }), /^oci\.configFile: OCI config file .*nope does not exist/],
      ["a missing profile", () => createAuthProvider(settings({ configFile: configFile("p", "OTHER", userEntries()), profile: "KEYPROOF" }), { env: {} }), /^oci\.profile: no profile \[KEYPROOF\] of OCI config file/],
      ["missing entries", () => createAuthProvider(settings({ configFile: configFile("m", "DEFAULT", { tenancy: EXAMPLE.tenancyId, region: "us-ashburn-1" }) }), { env: {} }), /has no user, fingerprint, key_file/],
      ["an unreadable key_file", () => createAuthProvider(settings({ configFile: configFile("k", "DEFAULT", { ...userEntries(), key_file: path.join(dir, "absent.pem") }) }), { env: {} }), /key_file .*absent\.pem of profile \[DEFAULT\].* cannot be read \(ENOENT\)/],
      ["no region anywhere", () => createAuthProvider(settings({ configFile: configFile("r", "DEFAULT", { ...userEntries(), region: "" }) }), { env: {} }), /^oci\.region: neither oci\.region, OCI_REGION nor region/],
      ["a malformed line", () => {
        const file = path.join(dir, "malformed");
        writeFileSync(file, "[DEFAULT]\nsecret-passphrase-line\n");
        return createAuthProvider(settings({ configFile: file }), { env: {} });
      }, /is not a valid OCI config file/],
    ];
    for (const [name, run, message] of cases) {
      it(name, async () => {
        const error = await run().catch((e: unknown) => e);
        expect(error).toMatchObject({ code: "VALIDATION" });
        expect((error as Error).message).toMatch(message);
        expect((error as Error).message).not.toMatch(/PRIVATE KEY|secret-passphrase-line/);
      });
    }

    it("a key that does not open with its pass_phrase", async () => {
      writeFileSync(path.join(dir, "locked.pem"), rsa("right").privateKey);
      const file = configFile("locked", "DEFAULT", { ...userEntries(), key_file: path.join(dir, "locked.pem"), pass_phrase: "wrong-phrase" });
      const error = (await createAuthProvider(settings({ configFile: file }), { env: {} }).catch((e: unknown) => e)) as Error;
      expect(error.message).toMatch(/locked\.pem of profile \[DEFAULT\].* is not a private key that can be opened with its pass_phrase/);
      expect(error.message).not.toContain("wrong-phrase");
    });
  });
});

describe("resource-principal environment errors", () => {
  const pem = rsa().privateKey;
  const base = { OCI_RESOURCE_PRINCIPAL_VERSION: "2.2", OCI_RESOURCE_PRINCIPAL_RPST: "eyJhbGciOiJSUzI1NiJ9.e30.c2ln", OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: pem, OCI_RESOURCE_PRINCIPAL_REGION: "us-ashburn-1" };
  const rp = (env: Record<string, string | undefined>) => createAuthProvider(settings({ authMode: "resource-principal" }), { env }).catch((e: unknown) => e as Error);

  it("names each missing variable", async () => {
    for (const name of Object.keys(base)) {
      const error = await rp({ ...base, [name]: undefined });
      expect((error as Error).message, name).toMatch(new RegExp(`^${name} is not set`));
    }
  });

  it("refuses another version, an unreadable token file, a token without claims and a bad key, without echoing them", async () => {
    expect((await rp({ ...base, OCI_RESOURCE_PRINCIPAL_VERSION: "1.1" }) as Error).message).toMatch(/OCI_RESOURCE_PRINCIPAL_VERSION: "1.1" is not supported/);
    expect((await rp({ ...base, OCI_RESOURCE_PRINCIPAL_RPST: path.join(dir, "no-token") }) as Error).message).toMatch(/OCI_RESOURCE_PRINCIPAL_RPST: the token file .*no-token cannot be read/);
    const claimless = (await rp(base)) as Error;
    expect(claimless.message).toMatch(/OCI_RESOURCE_PRINCIPAL_RPST: the token is not a resource principal session token/);
    expect(claimless.message).not.toContain(base.OCI_RESOURCE_PRINCIPAL_RPST);
    const badPem = (await rp({ ...base, OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----" })) as Error;
    expect(badPem.message).toMatch(/OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: the PEM private key cannot be parsed/);
    expect(badPem.message).not.toContain("AAAA");
    expect((await rp({ ...base, OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: path.join(dir, "no-key.pem") }) as Error).message).toMatch(/private key file .*no-key\.pem cannot be read/);
    expect((await rp({ ...base, OCI_RESOURCE_PRINCIPAL_REGION: "moon" }) as Error).message).toMatch(/OCI_RESOURCE_PRINCIPAL_REGION: "moon" is not a region/);
  });
});

describe("instance-principal auth", () => {
  // Not testable here: a real instance principal needs the instance metadata service (certificates
  // of the instance) and OCI's federation endpoint; only the failure path is exercised, with the
  // SDK builder pointed at a local server standing in for a metadata service that is not there.
  it("fails fast with PRECONDITION_FAILED naming the mode and the metadata URL when no metadata service answers", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(404, { "content-type": "text/plain" });
      res.end("not an instance");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/opc/v2/`;
    try {
      const error = (await createAuthProvider(settings({ authMode: "instance-principal" }), { instanceMetadataUrl: url }).catch((e: unknown) => e)) as Error & { code: string };
      expect(error.code).toBe("PRECONDITION_FAILED");
      expect(error.message).toContain("oci.authMode instance-principal");
      expect(error.message).toContain(url);
    } finally {
      server.close();
    }
  });
});
