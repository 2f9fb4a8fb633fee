import { constants, createHash, generateKeyPairSync, sign, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { signEcdsaDigest, signPssDigest, verifyEcdsaDigest, verifyPssDigest } from "../../src/sim/kms/prehashed-signatures.js";

const message = Buffer.from("keyproof evidence manifest");

describe("Signatures over a precomputed digest (KMS DIGEST messages)", () => {
  it("gives ECDSA signatures on P-256, P-384 and P-521 that crypto.verify accepts for the message, and verifies crypto.sign's", () => {
    for (const [curve, hash] of [["P-256", "sha256"], ["P-384", "sha384"], ["P-521", "sha512"], ["P-256", "sha512"], ["P-521", "sha256"]] as const) {
      const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: curve });
      const digest = createHash(hash).update(message).digest();
      const signature = signEcdsaDigest(digest, privateKey);
      expect(verify(hash, message, { key: publicKey, dsaEncoding: "der" }, signature)).toBe(true);
      expect(verifyEcdsaDigest(digest, publicKey, sign(hash, message, { key: privateKey, dsaEncoding: "der" }))).toBe(true);
      expect(verifyEcdsaDigest(createHash(hash).update("other").digest(), publicKey, signature)).toBe(false);
      expect(verifyEcdsaDigest(digest, publicKey, signature.subarray(1))).toBe(false);
    }
  }, 30_000); // bigint P-521 arithmetic takes a few hundred ms per operation

  it("gives RSA-PSS signatures (salt = digest length) that crypto.verify accepts for the message, also for a modulus of 2049 bits", () => {
    for (const bits of [2048, 2049]) {
      const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: bits });
      for (const hash of ["sha224", "sha256", "sha384", "sha512"]) {
        const digest = createHash(hash).update(message).digest();
        const options = { key: publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST };
        expect(verify(hash, message, options, signPssDigest(hash, digest, privateKey))).toBe(true);
        const native = sign(hash, message, { key: privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST });
        expect(verifyPssDigest(hash, digest, publicKey, native)).toBe(true);
        expect(verifyPssDigest(hash, createHash(hash).update("other").digest(), publicKey, native)).toBe(false);
      }
    }
  });

  it("shows why a prehash API is needed: crypto.sign(null, ...) with an EC key hashes the data with SHA-256", () => {
    const { privateKey, publicKey } = generateKeyPairSync("ec", { namedCurve: "P-384" });
    const digest = createHash("sha384").update(message).digest();
    const signed = sign(null, digest, privateKey);
    expect(verify("sha384", message, publicKey, signed)).toBe(false);
    expect(verify("sha256", digest, publicKey, signed)).toBe(true);
  });
});
