/**
 * OCIDs for resources the simulator creates. Deterministic (a counter hashed with the tenancy id),
 * so two runs of the same script get the same ids, and shaped like OCI's: KMS ids carry the vault's
 * extra dotted segment (OCI-NOTES §2.1, §5 item 15).
 */
import { createHash } from "node:crypto";

const BASE32 = "abcdefghijklmnopqrstuvwxyz234567";
const REGION_CODES: Record<string, string> = {
  "us-ashburn-1": "iad", "us-phoenix-1": "phx", "eu-frankfurt-1": "fra", "uk-london-1": "lhr",
  "eu-amsterdam-1": "ams", "ap-tokyo-1": "nrt", "sa-saopaulo-1": "gru", "ca-toronto-1": "yyz",
};

/** Three-letter region key of a region id (`us-ashburn-1` → `iad`). */
export function regionCode(region: string): string {
  return REGION_CODES[region] ?? region;
}

/** `n` base32 characters derived from `label`. */
export function base32Of(label: string, n: number): string {
  let out = "";
  for (let round = 0; out.length < n; round++) {
    for (const byte of createHash("sha256").update(`${label}#${round}`).digest()) {
      out += BASE32[byte % 32];
      if (out.length === n) break;
    }
  }
  return out;
}

export interface IdGenerator {
  /** A regional OCID such as `ocid1.volume.oc1.iad.abuwcljr<52>`; KMS types pass the vault's endpoint id. */
  next(type: string, vaultEndpointId?: string): string;
}

export function createIdGenerator(tenancyId: string, region: string): IdGenerator {
  let counter = 0;
  return {
    next(type, vaultEndpointId) {
      const unique = base32Of(`${tenancyId}:${type}:${++counter}`, 52);
      const code = regionCode(region);
      return vaultEndpointId
        ? `ocid1.${type}.oc1.${code}.${vaultEndpointId}.abuwcljs${unique}`
        : `ocid1.${type}.oc1.${code}.abuwcljr${unique}`;
    },
  };
}
