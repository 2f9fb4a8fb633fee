/**
 * Real key material for asymmetric key versions, generated with node:crypto the first time a
 * version is used (Sign, Verify, GetKeyVersion's publicKey), so signatures are verifiable by any
 * third party from the version's public key. Lazy because a large seed may hold thousands of keys.
 * Kept outside the snapshotted state: material never needs rolling back.
 */
import { generateKeyPairSync, type KeyObject } from "node:crypto";
import type { KeyRecord } from "../state/sim-state.js";

const CURVES: Record<string, string> = { NIST_P256: "prime256v1", NIST_P384: "secp384r1", NIST_P521: "secp521r1" };
const CURVE_BY_LENGTH: Record<number, string> = { 32: "NIST_P256", 48: "NIST_P384", 66: "NIST_P521" };

export interface KeyPairMaterial {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** SPKI PEM, as KeyVersion.publicKey shows it. */
  publicKeyPem: string;
}

/** The curve of an ECDSA key shape (curveId, or derived from the length in bytes). */
export function curveOf(shape: KeyRecord["keyShape"]): string {
  return shape.curveId ?? CURVE_BY_LENGTH[shape.length] ?? "NIST_P256";
}

export class KeyMaterialStore {
  private readonly pairs = new Map<string, KeyPairMaterial>();

  /** The key pair of an asymmetric key version; null for AES keys. */
  pairFor(versionId: string, shape: KeyRecord["keyShape"]): KeyPairMaterial | null {
    if (shape.algorithm === "AES") return null;
    let pair = this.pairs.get(versionId);
    if (!pair) {
      const { privateKey, publicKey } =
        shape.algorithm === "RSA"
          ? generateKeyPairSync("rsa", { modulusLength: shape.length * 8 })
          : generateKeyPairSync("ec", { namedCurve: CURVES[curveOf(shape)]! });
      pair = { privateKey, publicKey, publicKeyPem: publicKey.export({ type: "spki", format: "pem" }).toString() };
      this.pairs.set(versionId, pair);
    }
    return pair;
  }
}
