/**
 * Signatures over a precomputed digest (KMS Sign/Verify with `messageType: DIGEST`) for the schemes
 * node:crypto only offers over whole messages: `crypto.sign(hash, data, key)` always hashes `data`
 * (and `crypto.sign(null, ...)` still hashes EC data with the curve's default digest), so there is no
 * prehash API for RSA-PSS or ECDSA. Both are provided here, so that the
 * result is the very signature `crypto.sign(hash, message, key)` would produce for the message the
 * digest came from, and anyone verifies it with `crypto.verify(hash, message, publicKey, signature)`:
 *
 * - RSASSA-PSS (RFC 8017 §8.1, §9.1): EMSA-PSS-ENCODE of the digest with MGF1 over the same hash and
 *   a salt as long as the digest (what `RSA_PSS_SALTLEN_DIGEST` means), then the raw RSA private
 *   operation RSASP1 (`privateEncrypt` with `RSA_NO_PADDING`: m^d mod n, no padding added). Verify
 *   is RSAVP1 (`publicDecrypt` with `RSA_NO_PADDING`) and EMSA-PSS-VERIFY.
 * - ECDSA (FIPS 186-5 §6.4, SEC 1 §4.1) on P-256/P-384/P-521 with @noble/curves, which signs a
 *   message hash as given (`prehash: false`; e = the digest's leftmost bits, as many as the group
 *   order has): hedged RFC 6979 nonces, no low-S normalization, DER `SEQUENCE {r, s}`.
 */
import { constants, createHash, privateEncrypt, publicDecrypt, randomBytes, type KeyObject } from "node:crypto";
import { p256, p384, p521 } from "@noble/curves/nist.js";

// ---------------------------------------------------------------- RSASSA-PSS

function mgf1(hash: string, seed: Buffer, length: number): Buffer {
  const out: Buffer[] = [];
  let total = 0;
  for (let counter = 0; total < length; counter++) {
    const c = Buffer.alloc(4);
    c.writeUInt32BE(counter);
    const block = createHash(hash).update(seed).update(c).digest();
    out.push(block);
    total += block.length;
  }
  return Buffer.concat(out).subarray(0, length);
}

function modulusBits(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength;
  if (!bits) throw new TypeError("not an RSA key");
  return bits;
}

/** EMSA-PSS-ENCODE (RFC 8017 §9.1.1) of `mHash` for a modulus of `modBits` bits, sLen = hLen. */
function pssEncode(hash: string, mHash: Buffer, modBits: number, salt: Buffer): Buffer {
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  const hLen = mHash.length;
  if (emLen < hLen + salt.length + 2) throw new RangeError("the key is too short for this digest");
  const h = createHash(hash).update(Buffer.alloc(8)).update(mHash).update(salt).digest();
  const db = Buffer.concat([Buffer.alloc(emLen - salt.length - hLen - 2), Buffer.from([0x01]), salt]);
  const mask = mgf1(hash, h, db.length);
  for (let i = 0; i < db.length; i++) db[i]! ^= mask[i]!;
  db[0]! &= 0xff >> (8 * emLen - emBits);
  return Buffer.concat([db, h, Buffer.from([0xbc])]);
}

/** RSASSA-PSS signature of a precomputed `digest` (salt length = digest length, MGF1 with `hash`). */
export function signPssDigest(hash: string, digest: Buffer, privateKey: KeyObject): Buffer {
  const modBits = modulusBits(privateKey);
  const em = pssEncode(hash, digest, modBits, randomBytes(digest.length));
  const k = Math.ceil(modBits / 8);
  const padded = Buffer.concat([Buffer.alloc(k - em.length), em]);
  return privateEncrypt({ key: privateKey, padding: constants.RSA_NO_PADDING }, padded);
}

/** EMSA-PSS-VERIFY (RFC 8017 §9.1.2) of `signature` against a precomputed `digest`. */
export function verifyPssDigest(hash: string, digest: Buffer, publicKey: KeyObject, signature: Buffer): boolean {
  const modBits = modulusBits(publicKey);
  const k = Math.ceil(modBits / 8);
  if (signature.length !== k) return false;
  let m: Buffer;
  try {
    m = publicDecrypt({ key: publicKey, padding: constants.RSA_NO_PADDING }, signature);
  } catch {
    return false; // signature representative out of range
  }
  const emBits = modBits - 1;
  const emLen = Math.ceil(emBits / 8);
  if (m.length < k) m = Buffer.concat([Buffer.alloc(k - m.length), m]);
  if (m.subarray(0, k - emLen).some((b) => b !== 0)) return false;
  const em = m.subarray(k - emLen);
  const hLen = digest.length;
  const sLen = hLen;
  if (emLen < hLen + sLen + 2 || em[emLen - 1] !== 0xbc) return false;
  const maskedDb = em.subarray(0, emLen - hLen - 1);
  const h = em.subarray(emLen - hLen - 1, emLen - 1);
  const topMask = 0xff >> (8 * emLen - emBits);
  if ((maskedDb[0]! & ~topMask) !== 0) return false;
  const mask = mgf1(hash, h, maskedDb.length);
  const db = Buffer.from(maskedDb.map((b, i) => b ^ mask[i]!));
  db[0]! &= topMask;
  const psLen = emLen - hLen - sLen - 2;
  if (db.subarray(0, psLen).some((b) => b !== 0) || db[psLen] !== 0x01) return false;
  const salt = db.subarray(db.length - sLen);
  const h2 = createHash(hash).update(Buffer.alloc(8)).update(digest).update(salt).digest();
  return h2.equals(h);
}

// ---------------------------------------------------------------- ECDSA

type EcdsaCurve = typeof p256 | typeof p384 | typeof p521;

const EC_CURVES: Record<string, EcdsaCurve> = { "P-256": p256, "P-384": p384, "P-521": p521 };

interface EcJwk {
  crv: string;
  x: string;
  y: string;
  d?: string;
}

function jwkOf(key: KeyObject): EcJwk {
  const jwk = key.export({ format: "jwk" }) as { kty?: string; crv?: string; x?: string; y?: string; d?: string };
  if (jwk.kty !== "EC" || !jwk.crv || !jwk.x || !jwk.y) throw new TypeError("not an EC key");
  return jwk as EcJwk;
}

function curveOf(jwk: EcJwk): EcdsaCurve {
  const curve = EC_CURVES[jwk.crv];
  if (!curve) throw new TypeError(`unsupported curve ${jwk.crv}`);
  return curve;
}

/**
 * ECDSA signature (DER) of a precomputed `digest` with an EC private key on P-256, P-384 or P-521.
 * `prehash: false`: the digest is the message hash (truncated to the order's bit length per FIPS 186-5).
 * `lowS: false`: like OpenSSL, s is not normalized. `extraEntropy: true`: hedged RFC 6979 nonces,
 * so signatures vary from call to call as KMS's (and crypto.sign's) do.
 */
export function signEcdsaDigest(digest: Buffer, privateKey: KeyObject): Buffer {
  const jwk = jwkOf(privateKey);
  if (!jwk.d) throw new TypeError("not a private key");
  const curve = curveOf(jwk);
  const signature = curve.sign(digest, Buffer.from(jwk.d, "base64url"), { prehash: false, lowS: false, extraEntropy: true });
  return Buffer.from(signature.toDERRawBytes());
}

/** Verifies a DER ECDSA `signature` of a precomputed `digest` with an EC public (or private) key. */
export function verifyEcdsaDigest(digest: Buffer, publicKey: KeyObject, signature: Buffer): boolean {
  const jwk = jwkOf(publicKey);
  const curve = curveOf(jwk);
  const point = Buffer.concat([Buffer.from([0x04]), Buffer.from(jwk.x, "base64url"), Buffer.from(jwk.y, "base64url")]);
  try {
    return curve.verify(signature, digest, point, { prehash: false, lowS: false, format: "der" });
  } catch {
    return false; // malformed DER, r or s out of range
  }
}
