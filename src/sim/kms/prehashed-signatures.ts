/**
 * Signatures over a precomputed digest (KMS Sign/Verify with `messageType: DIGEST`) for the schemes
 * node:crypto only offers over whole messages: `crypto.sign(hash, data, key)` always hashes `data`
 * (and `crypto.sign(null, ...)` still hashes EC data with the curve's default digest), so there is no
 * prehash API for RSA-PSS or ECDSA. Both are built here from their standard definitions, so that the
 * result is the very signature `crypto.sign(hash, message, key)` would produce for the message the
 * digest came from, and anyone verifies it with `crypto.verify(hash, message, publicKey, signature)`:
 *
 * - RSASSA-PSS (RFC 8017 §8.1, §9.1): EMSA-PSS-ENCODE of the digest with MGF1 over the same hash and
 *   a salt as long as the digest (what `RSA_PSS_SALTLEN_DIGEST` means), then the raw RSA private
 *   operation RSASP1 (`privateEncrypt` with `RSA_NO_PADDING`: m^d mod n, no padding added). Verify
 *   is RSAVP1 (`publicDecrypt` with `RSA_NO_PADDING`) and EMSA-PSS-VERIFY.
 * - ECDSA (FIPS 186-5 §6.4, SEC 1 §4.1) on P-256/P-384/P-521 with bigint arithmetic: e = the
 *   digest's leftmost bits (as many as the group order has), a random nonce, DER `SEQUENCE {r, s}`.
 *   Not constant time: this is a simulator, its keys are test keys.
 */
import { constants, createECDH, createHash, privateEncrypt, publicDecrypt, randomBytes, type KeyObject } from "node:crypto";

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

interface Curve {
  p: bigint;
  n: bigint;
  g: Point;
  bits: number;
}
type Point = { x: bigint; y: bigint } | null; // null: the point at infinity

const CURVE_PARAMS: Record<string, { p: bigint; n: bigint; openssl: string }> = {
  "P-256": {
    p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
    n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
    openssl: "prime256v1",
  },
  "P-384": {
    p: 0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffeffffffff0000000000000000ffffffffn,
    n: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
    openssl: "secp384r1",
  },
  "P-521": {
    p: (1n << 521n) - 1n,
    n: 0x01fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffa51868783bf2f966b7fcc0148f709a5d03bb5c9b8899c47aebb6fb71e91386409n,
    openssl: "secp521r1",
  },
};

const curves = new Map<string, Curve>();

function curveOf(name: string): Curve {
  const known = curves.get(name);
  if (known) return known;
  const params = CURVE_PARAMS[name];
  if (!params) throw new TypeError(`unsupported curve ${name}`);
  // The generator is the public key of private key 1.
  const ecdh = createECDH(params.openssl);
  ecdh.setPrivateKey(Buffer.from([1]));
  const g = ecdh.getPublicKey();
  const len = (g.length - 1) / 2;
  const curve: Curve = {
    p: params.p, n: params.n, bits: params.n.toString(2).length,
    g: { x: toBig(g.subarray(1, 1 + len)), y: toBig(g.subarray(1 + len)) },
  };
  curves.set(name, curve);
  return curve;
}

const toBig = (b: Uint8Array): bigint => (b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b).toString("hex")}`));
const mod = (a: bigint, m: bigint): bigint => ((a % m) + m) % m;

function inverse(a: bigint, m: bigint): bigint {
  let [r0, r1] = [mod(a, m), m];
  let [s0, s1] = [1n, 0n];
  while (r1 !== 0n) {
    const q = r0 / r1;
    [r0, r1] = [r1, r0 - q * r1];
    [s0, s1] = [s1, s0 - q * s1];
  }
  if (r0 !== 1n) throw new RangeError("not invertible");
  return mod(s0, m);
}

/** Point addition on y² = x³ - 3x + b over GF(p) (all three NIST curves have a = -3). */
function add(c: Curve, P: Point, Q: Point): Point {
  if (!P) return Q;
  if (!Q) return P;
  let lambda: bigint;
  if (P.x === Q.x) {
    if (mod(P.y + Q.y, c.p) === 0n) return null;
    lambda = mod((3n * P.x * P.x - 3n) * inverse(2n * P.y, c.p), c.p);
  } else {
    lambda = mod((Q.y - P.y) * inverse(Q.x - P.x, c.p), c.p);
  }
  const x = mod(lambda * lambda - P.x - Q.x, c.p);
  return { x, y: mod(lambda * (P.x - x) - P.y, c.p) };
}

function multiply(c: Curve, k: bigint, P: Point): Point {
  let result: Point = null;
  let addend = P;
  for (let e = k; e > 0n; e >>= 1n) {
    if (e & 1n) result = add(c, result, addend);
    addend = add(c, addend, addend);
  }
  return result;
}

/** bits2int: the digest's leftmost `bits` bits as an integer. */
function digestInt(c: Curve, digest: Buffer): bigint {
  const e = toBig(digest);
  const extra = digest.length * 8 - c.bits;
  return extra > 0 ? e >> BigInt(extra) : e;
}

function jwkOf(key: KeyObject): { crv: string; x: string; y: string; d?: string } {
  const jwk = key.export({ format: "jwk" }) as { kty?: string; crv?: string; x?: string; y?: string; d?: string };
  if (jwk.kty !== "EC" || !jwk.crv || !jwk.x || !jwk.y) throw new TypeError("not an EC key");
  return jwk as { crv: string; x: string; y: string; d?: string };
}

function derInteger(v: bigint): Buffer {
  let hex = v.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  let bytes = Buffer.from(hex, "hex");
  if (bytes[0]! & 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return Buffer.concat([Buffer.from([0x02]), derLength(bytes.length), bytes]);
}

function derLength(n: number): Buffer {
  return n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
}

/** Parses DER `SEQUENCE { INTEGER r, INTEGER s }` (strict lengths), or null. */
function parseDer(sig: Buffer): { r: bigint; s: bigint } | null {
  let at = 0;
  const length = (): number | null => {
    const first = sig[at++];
    if (first === undefined) return null;
    if (first < 0x80) return first;
    const count = first & 0x7f;
    if (count < 1 || count > 2) return null;
    let n = 0;
    for (let i = 0; i < count; i++) {
      const b = sig[at++];
      if (b === undefined) return null;
      n = (n << 8) | b;
    }
    return n;
  };
  if (sig[at++] !== 0x30) return null;
  const total = length();
  if (total === null || at + total !== sig.length) return null;
  const ints: bigint[] = [];
  for (let i = 0; i < 2; i++) {
    if (sig[at++] !== 0x02) return null;
    const len = length();
    if (!len || at + len > sig.length) return null;
    const bytes = sig.subarray(at, at + len);
    if (bytes[0]! & 0x80) return null; // negative
    ints.push(toBig(bytes));
    at += len;
  }
  return at === sig.length ? { r: ints[0]!, s: ints[1]! } : null;
}

/** ECDSA signature (DER) of a precomputed `digest` with an EC private key on P-256, P-384 or P-521. */
export function signEcdsaDigest(digest: Buffer, privateKey: KeyObject): Buffer {
  const jwk = jwkOf(privateKey);
  if (!jwk.d) throw new TypeError("not a private key");
  const c = curveOf(jwk.crv);
  const d = toBig(Buffer.from(jwk.d, "base64url"));
  const e = digestInt(c, digest);
  for (;;) {
    // A nonce uniform in [1, n-1]: 64 extra random bits make the modulo bias negligible.
    const k = mod(toBig(randomBytes(Math.ceil((c.bits + 64) / 8))), c.n - 1n) + 1n;
    const R = multiply(c, k, c.g)!;
    const r = mod(R.x, c.n);
    if (r === 0n) continue;
    const s = mod(inverse(k, c.n) * (e + r * d), c.n);
    if (s === 0n) continue;
    const body = Buffer.concat([derInteger(r), derInteger(s)]);
    return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
  }
}

/** Verifies a DER ECDSA `signature` of a precomputed `digest` with an EC public (or private) key. */
export function verifyEcdsaDigest(digest: Buffer, publicKey: KeyObject, signature: Buffer): boolean {
  const parsed = parseDer(signature);
  if (!parsed) return false;
  const jwk = jwkOf(publicKey);
  const c = curveOf(jwk.crv);
  const { r, s } = parsed;
  if (r < 1n || r >= c.n || s < 1n || s >= c.n) return false;
  const Q: Point = { x: toBig(Buffer.from(jwk.x, "base64url")), y: toBig(Buffer.from(jwk.y, "base64url")) };
  const w = inverse(s, c.n);
  const e = digestInt(c, digest);
  const X = add(c, multiply(c, mod(e * w, c.n), c.g), multiply(c, mod(r * w, c.n), Q));
  return X !== null && mod(X.x, c.n) === r;
}
