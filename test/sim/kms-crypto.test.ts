import { constants, createHash, createPublicKey, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { EXAMPLE, useSimulator } from "../helpers/sim.js";

const message = Buffer.from('{"manifest":"keyproof-evidence-2026-10"}');

describe("KMS crypto Sign and Verify through KmsCryptoClient", () => {
  const suite = useSimulator();

  async function publicKeyOf(keyId: string, keyVersionId: string) {
    const { keyVersion } = await suite().clients.management.getKeyVersion({ keyId, keyVersionId });
    expect(keyVersion.publicKey).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    return createPublicKey(keyVersion.publicKey!);
  }

  it("signs with RSA PKCS#1 v1.5 a signature any third party verifies from the version's public key", async () => {
    const { clients } = suite();
    const keyId = EXAMPLE.signingKey.id;
    const { signedData } = await clients.crypto.sign({
      signDataDetails: { keyId, message: message.toString("base64"), messageType: "RAW" as never, signingAlgorithm: "SHA_256_RSA_PKCS1_V1_5" as never },
    });
    expect(signedData.keyVersionId).toBe(EXAMPLE.signingKey.versions[0]!.id);
    const publicKey = await publicKeyOf(keyId, signedData.keyVersionId);
    expect(verify("sha256", message, { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(signedData.signature, "base64"))).toBe(true);
    const { verifiedData } = await clients.crypto.verify({
      verifyDataDetails: { keyId, keyVersionId: signedData.keyVersionId, message: message.toString("base64"), signature: signedData.signature, signingAlgorithm: "SHA_256_RSA_PKCS1_V1_5" as never },
    });
    expect(verifiedData.isSignatureValid).toBe(true);
  });

  it("signs with RSA PSS (salt length = digest length) and reports a tampered message as invalid", async () => {
    const { clients } = suite();
    const keyId = EXAMPLE.signingKey.id;
    const { signedData } = await clients.crypto.sign({
      signDataDetails: { keyId, message: message.toString("base64"), signingAlgorithm: "SHA_384_RSA_PKCS_PSS" as never },
    });
    const publicKey = await publicKeyOf(keyId, signedData.keyVersionId);
    const options = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 48 };
    expect(verify("sha384", message, options, Buffer.from(signedData.signature, "base64"))).toBe(true);
    const { verifiedData } = await clients.crypto.verify({
      verifyDataDetails: { keyId, keyVersionId: signedData.keyVersionId, message: Buffer.from("tampered").toString("base64"), signature: signedData.signature, signingAlgorithm: "SHA_384_RSA_PKCS_PSS" as never },
    });
    expect(verifiedData.isSignatureValid).toBe(false);
  });

  it("signs a SHA-256 digest with RSA PKCS#1 v1.5 the same way as the raw message", async () => {
    const { clients } = suite();
    const keyId = EXAMPLE.signingKey.id;
    const digest = createHash("sha256").update(message).digest();
    const { signedData } = await clients.crypto.sign({
      signDataDetails: { keyId, message: digest.toString("base64"), messageType: "DIGEST" as never, signingAlgorithm: "SHA_256_RSA_PKCS1_V1_5" as never },
    });
    const publicKey = await publicKeyOf(keyId, signedData.keyVersionId);
    expect(verify("sha256", message, { key: publicKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.from(signedData.signature, "base64"))).toBe(true);
  });

  it("signs with ECDSA P-384 (DER signature) on a key created through the SDK", async () => {
    const { clients } = suite();
    const { key } = await clients.management.createKey({
      createKeyDetails: { compartmentId: EXAMPLE.securityId, displayName: "ec-signing", keyShape: { algorithm: "ECDSA" as never, length: 48, curveId: "NIST_P384" as never } },
    });
    const { signedData } = await clients.crypto.sign({
      signDataDetails: { keyId: key.id, message: message.toString("base64"), signingAlgorithm: "ECDSA_SHA_384" as never },
    });
    const publicKey = await publicKeyOf(key.id, signedData.keyVersionId);
    expect(verify("sha384", message, publicKey, Buffer.from(signedData.signature, "base64"))).toBe(true);
  });

  it("signs a SHA-512 digest with RSA PSS so that crypto.verify accepts it for the raw message, and verifies DIGEST signatures", async () => {
    const { clients } = suite();
    const keyId = EXAMPLE.signingKey.id;
    const digest = createHash("sha512").update(message).digest();
    const { signedData } = await clients.crypto.sign({
      signDataDetails: { keyId, message: digest.toString("base64"), messageType: "DIGEST" as never, signingAlgorithm: "SHA_512_RSA_PKCS_PSS" as never },
    });
    const publicKey = await publicKeyOf(keyId, signedData.keyVersionId);
    const options = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 64 };
    expect(verify("sha512", message, options, Buffer.from(signedData.signature, "base64"))).toBe(true);
    const check = (digestOf: Buffer, signature: string) => clients.crypto.verify({
      verifyDataDetails: { keyId, keyVersionId: signedData.keyVersionId, message: digestOf.toString("base64"), messageType: "DIGEST" as never, signature, signingAlgorithm: "SHA_512_RSA_PKCS_PSS" as never },
    });
    expect((await check(digest, signedData.signature)).verifiedData.isSignatureValid).toBe(true);
    // A RAW-message signature is the same kind of signature: it verifies against the digest too.
    const raw = await clients.crypto.sign({ signDataDetails: { keyId, message: message.toString("base64"), signingAlgorithm: "SHA_512_RSA_PKCS_PSS" as never } });
    expect((await check(digest, raw.signedData.signature)).verifiedData.isSignatureValid).toBe(true);
    expect((await check(createHash("sha512").update("tampered").digest(), signedData.signature)).verifiedData.isSignatureValid).toBe(false);
  });

  it("signs SHA-256 and SHA-512 digests with ECDSA P-256 and P-521 keys so that crypto.verify accepts them for the raw message", async () => {
    const { clients } = suite();
    for (const [curveId, length, hash, algorithm] of [["NIST_P256", 32, "sha256", "ECDSA_SHA_256"], ["NIST_P521", 66, "sha512", "ECDSA_SHA_512"]] as const) {
      const { key } = await clients.management.createKey({
        createKeyDetails: { compartmentId: EXAMPLE.securityId, displayName: `ec-digest-${curveId}`, keyShape: { algorithm: "ECDSA" as never, length, curveId: curveId as never } },
      });
      const digest = createHash(hash).update(message).digest();
      const { signedData } = await clients.crypto.sign({
        signDataDetails: { keyId: key.id, message: digest.toString("base64"), messageType: "DIGEST" as never, signingAlgorithm: algorithm as never },
      });
      const publicKey = await publicKeyOf(key.id, signedData.keyVersionId);
      expect(verify(hash, message, { key: publicKey, dsaEncoding: "der" }, Buffer.from(signedData.signature, "base64"))).toBe(true);
      const { verifiedData } = await clients.crypto.verify({
        verifyDataDetails: { keyId: key.id, keyVersionId: signedData.keyVersionId, message: digest.toString("base64"), messageType: "DIGEST" as never, signature: signedData.signature, signingAlgorithm: algorithm as never },
      });
      expect(verifiedData.isSignatureValid).toBe(true);
    }
  });

  it("refuses a DIGEST message whose length is not the algorithm's digest length with 400 InvalidParameter", async () => {
    const { clients } = suite();
    await expect(clients.crypto.sign({
      signDataDetails: { keyId: EXAMPLE.signingKey.id, message: createHash("sha256").update(message).digest().toString("base64"), messageType: "DIGEST" as never, signingAlgorithm: "SHA_384_RSA_PKCS_PSS" as never },
    })).rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
  });

  it("refuses to sign with an AES key or with a version pending deletion", async () => {
    const { clients } = suite();
    await expect(clients.crypto.sign({
      signDataDetails: { keyId: EXAMPLE.bucketKey.id, message: message.toString("base64"), signingAlgorithm: "SHA_256_RSA_PKCS1_V1_5" as never },
    })).rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    const keyId = EXAMPLE.signingKey.id;
    const old = EXAMPLE.signingKey.versions[0]!.id;
    await clients.management.createKeyVersion({ keyId });
    await clients.management.scheduleKeyVersionDeletion({ keyId, keyVersionId: old, scheduleKeyVersionDeletionDetails: {} });
    await expect(clients.crypto.sign({
      signDataDetails: { keyId, keyVersionId: old, message: message.toString("base64"), signingAlgorithm: "SHA_256_RSA_PKCS1_V1_5" as never },
    })).rejects.toMatchObject({ statusCode: 409, serviceCode: "IncorrectState" });
  });

  it("does not record crypto calls in Audit (OCI logs them in the vault's service log)", () => {
    const { sim } = suite();
    expect(sim.calls.some((c) => c.operation === "Sign")).toBe(true);
    expect(sim.audit.events({ includePending: true }).some((e) => e.data.eventName === "Sign")).toBe(false);
  });
});
