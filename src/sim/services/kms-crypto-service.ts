/**
 * KMS crypto Sign and Verify (`KmsCryptoClient`, OCI-NOTES §2.3), served per vault at
 * `<url>/kms-crypto/<vaultPrefix>`. Real signatures with the key version's node:crypto key pair:
 * RSA PKCS#1 v1.5, RSA PSS (salt length = digest length) and ECDSA (DER), verifiable by anyone with
 * the version's public key (GetKeyVersion). A DIGEST message gets the same signature as the RAW
 * message it is the digest of (PKCS#1 v1.5 from the DigestInfo, PSS and ECDSA from
 * kms/prehashed-signatures.ts, as node:crypto has no prehash API for them). Not recorded in Audit: OCI logs crypto calls in the
 * vault's service log, not in `_Audit` (OCI-NOTES §2.8).
 */
import { constants, createHash, privateEncrypt, publicDecrypt, sign, verify, type KeyObject } from "node:crypto";
import { signEcdsaDigest, signPssDigest, verifyEcdsaDigest, verifyPssDigest } from "../kms/prehashed-signatures.js";
import { keyThrough, requestVault, versionOf } from "../kms/vault-access.js";
import { bodyObject, requireKeyState, requireVersionState } from "../kms/kms-rules.js";
import type { OpContext, OpResult, SimService } from "../sim-service.js";
import { invalid, missing } from "../sim-error.js";
import type { KeyRecord } from "../state/sim-state.js";

const ALGORITHMS = /^(?:SHA_(224|256|384|512)_RSA_(PKCS_PSS|PKCS1_V1_5)|ECDSA_SHA_(256|384|512))$/;
// DER DigestInfo prefixes (RFC 8017 §9.2 note 1) for PKCS#1 v1.5 signatures over a precomputed digest.
const DIGEST_INFO: Record<string, string> = {
  sha224: "302d300d06096086480165030402040500041c", sha256: "3031300d060960864801650304020105000420",
  sha384: "3041300d060960864801650304020205000430", sha512: "3051300d060960864801650304020305000440",
};

interface Scheme {
  hash: string;
  padding: "PSS" | "PKCS1" | "ECDSA";
}

function schemeFor(key: KeyRecord, algorithm: unknown): Scheme {
  const m = typeof algorithm === "string" ? ALGORITHMS.exec(algorithm) : null;
  if (!m) throw invalid("signingAlgorithm", `unsupported: ${String(algorithm)}`);
  const scheme: Scheme = m[3] ? { hash: `sha${m[3]}`, padding: "ECDSA" } : { hash: `sha${m[1]}`, padding: m[2] === "PKCS_PSS" ? "PSS" : "PKCS1" };
  const wanted = scheme.padding === "ECDSA" ? "ECDSA" : "RSA";
  if (key.keyShape.algorithm !== wanted) throw invalid("signingAlgorithm", `${String(algorithm)} needs a ${wanted} key; key ${key.id} is ${key.keyShape.algorithm}`);
  return scheme;
}

function message(body: Record<string, unknown>, scheme: Scheme): { data: Buffer; digest: boolean } {
  if (typeof body.message !== "string") throw missing("message");
  const data = Buffer.from(body.message, "base64");
  const type = body.messageType ?? "RAW";
  if (type === "RAW") {
    if (data.length > 4096) throw invalid("message", "RAW messages are at most 4096 bytes; send a DIGEST");
    return { data, digest: false };
  }
  if (type !== "DIGEST") throw invalid("messageType", "expected RAW or DIGEST");
  if (data.length !== createHash(scheme.hash).digest().length) throw invalid("message", `a ${scheme.hash} digest has ${createHash(scheme.hash).digest().length} bytes`);
  return { data, digest: true };
}

function keyOptions(key: KeyObject, scheme: Scheme) {
  return scheme.padding === "PSS"
    ? { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }
    : scheme.padding === "PKCS1" ? { key, padding: constants.RSA_PKCS1_PADDING } : { key, dsaEncoding: "der" as const };
}

/** Key, version and key pair of a Sign/Verify body, checked: key ENABLED, version ENABLED. */
function resolve(ctx: OpContext, body: Record<string, unknown>, versionRequired: boolean) {
  if (typeof body.keyId !== "string") throw missing("keyId");
  const vault = requestVault(ctx);
  const key = keyThrough(ctx.state, vault, body.keyId);
  if (versionRequired && typeof body.keyVersionId !== "string") throw missing("keyVersionId");
  const version = versionOf(ctx.state, key, (body.keyVersionId as string | undefined) ?? key.currentKeyVersion);
  requireKeyState(key, ["ENABLED"], ctx.operation.name);
  requireVersionState(version, ["ENABLED"], ctx.operation.name);
  const scheme = schemeFor(key, body.signingAlgorithm);
  const pair = ctx.runtime.keyMaterial.pairFor(version.id, key.keyShape)!;
  return { key, version, scheme, pair };
}

/** The signature of a precomputed digest: the one `sign(scheme.hash, message, key)` gives for the message. */
function signDigest(scheme: Scheme, digest: Buffer, privateKey: KeyObject): Buffer {
  if (scheme.padding === "PSS") return signPssDigest(scheme.hash, digest, privateKey);
  if (scheme.padding === "ECDSA") return signEcdsaDigest(digest, privateKey);
  return privateEncrypt({ key: privateKey, padding: constants.RSA_PKCS1_PADDING }, Buffer.concat([Buffer.from(DIGEST_INFO[scheme.hash]!, "hex"), digest]));
}

function verifyDigest(scheme: Scheme, digest: Buffer, publicKey: KeyObject, signature: Buffer): boolean {
  if (scheme.padding === "PSS") return verifyPssDigest(scheme.hash, digest, publicKey, signature);
  if (scheme.padding === "ECDSA") return verifyEcdsaDigest(digest, publicKey, signature);
  try {
    const recovered = publicDecrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, signature);
    return recovered.equals(Buffer.concat([Buffer.from(DIGEST_INFO[scheme.hash]!, "hex"), digest]));
  } catch {
    return false;
  }
}

function signOp(ctx: OpContext): OpResult {
  const body = bodyObject(ctx.body, true);
  const { key, version, scheme, pair } = resolve(ctx, body, false);
  const msg = message(body, scheme);
  const signature = msg.digest ? signDigest(scheme, msg.data, pair.privateKey) : sign(scheme.hash, msg.data, keyOptions(pair.privateKey, scheme));
  return { body: { keyId: key.id, keyVersionId: version.id, signature: signature.toString("base64"), signingAlgorithm: body.signingAlgorithm } };
}

function verifyOp(ctx: OpContext): OpResult {
  const body = bodyObject(ctx.body, true);
  const { scheme, pair } = resolve(ctx, body, true);
  if (typeof body.signature !== "string") throw missing("signature");
  const msg = message(body, scheme);
  const signature = Buffer.from(body.signature, "base64");
  const valid = msg.digest
    ? verifyDigest(scheme, msg.data, pair.publicKey, signature)
    : verify(scheme.hash, msg.data, keyOptions(pair.publicKey, scheme), signature);
  return { body: { isSignatureValid: valid } };
}

export const kmsCryptoService: SimService = {
  name: "kms-crypto",
  basePath: "/kms-crypto/:vault",
  auditSource: "KeyManagementService",
  operations: [
    { name: "Sign", method: "POST", path: "/20180608/sign", write: false, audited: false, handle: signOp },
    { name: "Verify", method: "POST", path: "/20180608/verify", write: false, audited: false, handle: verifyOp },
  ],
};
