import { createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import * as common from "oci-common";
import { describe, expect, it } from "vitest";
import { KeyObjectRequestSigner, createRequestSigner } from "../../src/oci/key-object-request-signer.js";
import { SwappableAuthProvider } from "../../src/oci/swappable-auth-provider.js";

const X_DATE = "Sun, 29 Nov 2026 12:00:00 GMT";

function keyPair(passphrase?: string) {
  return generateKeyPairSync("rsa", {
    modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: passphrase ? { type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase } : { type: "pkcs8", format: "pem" },
  });
}

function provider(privateKey: string, passphrase: string | null = null) {
  return new common.SimpleAuthenticationDetailsProvider("ocid1.tenancy.oc1..t", "ocid1.user.oc1..u", "11:22:33", privateKey, passphrase, common.Region.US_ASHBURN_1);
}

function request(method: string, uri: string, body?: string): common.HttpRequest {
  return { method, uri, headers: new Headers({ "x-date": X_DATE, "opc-request-id": "req-1" }), body } as common.HttpRequest;
}

/** The headers, with `date` (the time of signing, sent but not signed) checked for form only. */
const headersOf = (r: common.HttpRequest) =>
  Object.fromEntries([...r.headers.entries()].sort().map(([k, v]) => [k, k === "date" ? /^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(v) : v]));

describe("KeyObjectRequestSigner: the SDK's request signature with the key parsed once", () => {
  const { privateKey, publicKey } = keyPair();

  it.each([
    ["GET with a query", "GET", "http://127.0.0.1:9000/kms-mgmt/ejsppeqvaafyi/20180608/keys?compartmentId=ocid1.compartment.oc1..c&limit=100", undefined, false],
    ["POST with a JSON body", "POST", "http://127.0.0.1:9000/kms-mgmt/ejsppeqvaafyi/20180608/keys", JSON.stringify({ displayName: "clé-ü" }), false],
    ["POST without a body", "POST", "http://127.0.0.1:9000/objectstorage/n/ns/b/app-backups/actions/reencrypt", undefined, false],
    ["PUT with the body left out of the signature", "PUT", "http://127.0.0.1:9000/blockstorage/20160918/volumes/v1/kmsKey", JSON.stringify({ kmsKeyId: "k" }), true],
  ] as const)("signs a %s exactly as oci-common's DefaultRequestSigner does", async (_name, method, uri, body, forceExcludeBody) => {
    const sdk = request(method, uri, body);
    const ours = request(method, uri, body);
    await new common.DefaultRequestSigner(provider(privateKey)).signHttpRequest(sdk, forceExcludeBody);
    await new KeyObjectRequestSigner(provider(privateKey)).signHttpRequest(ours, forceExcludeBody);
    // RSASSA-PKCS1-v1_5 is deterministic: the same key, headers and date give the same signature.
    expect(headersOf(ours)).toEqual(headersOf(sdk));
    expect(ours.headers.get("authorization")).toMatch(/^Signature version="1",keyId="ocid1\.tenancy\.oc1\.\.t\/ocid1\.user\.oc1\.\.u\/11:22:33",algorithm="rsa-sha256",headers="x-date \(request-target\) host/);
  });

  it("signs with the provider's current key: a swapped provider (a refreshed key) is used by the next request", async () => {
    const second = keyPair("s3cret");
    const swappable = new SwappableAuthProvider(provider(privateKey), common.Region.US_ASHBURN_1);
    const signer = new KeyObjectRequestSigner(swappable);
    const signatureOf = (r: common.HttpRequest) => Buffer.from(/signature="([^"]+)"/.exec(r.headers.get("authorization")!)![1]!, "base64");
    const signingString = `x-date: ${X_DATE}\n(request-target): get /20180608/keys/k1\nhost: 127.0.0.1:9000`;

    const before = request("GET", "http://127.0.0.1:9000/20180608/keys/k1");
    await signer.signHttpRequest(before);
    expect(verify("sha256", Buffer.from(signingString), createPublicKey(publicKey), signatureOf(before))).toBe(true);

    swappable.swap(provider(second.privateKey, "s3cret"));
    const after = request("GET", "http://127.0.0.1:9000/20180608/keys/k1");
    await signer.signHttpRequest(after);
    expect(verify("sha256", Buffer.from(signingString), createPublicKey(second.publicKey), signatureOf(after))).toBe(true);
    expect(verify("sha256", Buffer.from(signingString), createPublicKey(publicKey), signatureOf(after))).toBe(false);
  });

  it("refuses a key that is not RSA, naming the type and not the key", async () => {
    const { privateKey: ec } = generateKeyPairSync("ec", { namedCurve: "P-256", privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const signing = new KeyObjectRequestSigner(provider(ec)).signHttpRequest(request("GET", "http://127.0.0.1:9000/x"));
    await expect(signing).rejects.toThrow("cannot sign the request: the API key is ec, OCI signs with RSA keys");
  });

  it("leaves providers that delegate to another provider (auth_type profiles) to the SDK's own signer", () => {
    const delegating = Object.assign(provider(privateKey), { getAuthType: () => "instance_principal", getDelegationToken: () => "", getProvider: () => null });
    expect(createRequestSigner(delegating)).toBeInstanceOf(common.DefaultRequestSigner);
    expect(createRequestSigner(provider(privateKey))).toBeInstanceOf(KeyObjectRequestSigner);
  });
});
