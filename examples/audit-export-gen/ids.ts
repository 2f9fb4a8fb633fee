/**
 * Deterministic identifiers for the example audit export. Every id is derived from a label by
 * SHA-512, so the generator has no randomness and re-running it gives byte-identical files.
 */
import { createHash } from "node:crypto";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";

function digest(label: string): Buffer {
  return createHash("sha512").update(`keyproof-example:${label}`).digest();
}

/** `n` lower-case base32 characters derived from `label` (OCID unique parts look like this). */
export function base32(label: string, n: number): string {
  let out = "";
  for (let round = 0; out.length < n; round++) {
    for (const byte of digest(`${label}#${round}`)) {
      out += BASE32[byte % 32];
      if (out.length === n) break;
    }
  }
  return out;
}

/** `n` upper-case hex digits derived from `label` (OCI request ids look like this). */
export function hexUpper(label: string, n: number): string {
  let out = "";
  for (let round = 0; out.length < n; round++) out += digest(`${label}#${round}`).toString("hex");
  return out.slice(0, n).toUpperCase();
}

/** A version-4-shaped UUID derived from `label` (audit event ids are UUIDs). */
export function uuid(label: string): string {
  const b = Buffer.from(digest(label).subarray(0, 16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Global (region-less) OCID, e.g. `ocid1.tenancy.oc1..aaaaaaaa<52 chars>`. */
export function globalOcid(type: string, label: string): string {
  return `ocid1.${type}.oc1..aaaaaaaa${base32(`${type}:${label}`, 52)}`;
}

/** Regional OCID in us-ashburn-1, e.g. `ocid1.volume.oc1.iad.abuwcljr<52 chars>`. */
export function regionalOcid(type: string, label: string, uniquePrefix = "abuwcljr"): string {
  return `ocid1.${type}.oc1.iad.${uniquePrefix}${base32(`${type}:${label}`, 52)}`;
}

/**
 * KMS OCID with the vault's extra dotted segment (OCI-NOTES §2.1, §5 item 15):
 * `ocid1.key.oc1.iad.<vaultPrefix>.abuwcljs<52 chars>`.
 */
export function kmsOcid(type: "vault" | "key" | "keyversion", vaultPrefix: string, label: string): string {
  return `ocid1.${type}.oc1.iad.${vaultPrefix}.abuwcljs${base32(`${type}:${label}`, 52)}`;
}

/** The three parts of an OCI request id as the Audit records show them. */
export interface RequestIds {
  /** What the client sent as `opc-request-id` (or `opc-client-request-id`). */
  client: string;
  /** `data.request.id` and the response `opc-request-id`. */
  full: string;
  /** `data.eventGroupingId`. */
  grouping: string;
}

/**
 * Request ids in the shape of the real samples. IaaS / KMS: `<client>/<32 hex>/<32 hex>` with the
 * grouping id `<client>/<32 hex>`; the TypeScript SDK's client id is an upper-cased uuid v1 with
 * its first dash removed. Object Storage: `iad-1:<64 chars>` used as request, response and grouping id.
 */
export function requestIds(label: string, objectStorage: boolean): RequestIds {
  if (objectStorage) {
    const id = `iad-1:${base32(`os-request:${label}`, 64)}`;
    return { client: uuid(`os-client:${label}`), full: id, grouping: id };
  }
  const u = hexUpper(`client:${label}`, 32);
  const client = `${u.slice(0, 12)}-1${u.slice(13, 16)}-${u.slice(16, 20)}-${u.slice(20)}`;
  const a = hexUpper(`hop-a:${label}`, 32);
  const b = hexUpper(`hop-b:${label}`, 32);
  return { client, full: `${client}/${a}/${b}`, grouping: `${client}/${a}` };
}
