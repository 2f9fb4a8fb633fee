/** SDK shapes → port shapes (to-oci-models.ts): region ids in endpoints, lenient key summaries, strict key times. */
import type { models } from "oci-keymanagement";
import { describe, expect, it } from "vitest";
import { regionOfEndpoint, requiredTime, toOciKey, toOciKeySummary } from "../../src/oci/to-oci-models.js";

describe("regionOfEndpoint", () => {
  it("reads region ids of two or more words from KMS endpoints (oci-common's Region list)", () => {
    expect(regionOfEndpoint("https://ejsppeqvaafyi-management.kms.us-ashburn-1.oraclecloud.com")).toBe("us-ashburn-1");
    expect(regionOfEndpoint("https://abc-management.kms.us-gov-ashburn-1.oraclegovcloud.com")).toBe("us-gov-ashburn-1");
    expect(regionOfEndpoint("https://abc-crypto.kms.eu-dcc-milan-1.oraclecloud.eu")).toBe("eu-dcc-milan-1");
    expect(regionOfEndpoint("https://abc-management.kms.uk-gov-london-1.oraclegovcloud.uk")).toBe("uk-gov-london-1");
  });

  it("is null when the endpoint names no region (the simulator's loopback URLs)", () => {
    expect(regionOfEndpoint("http://127.0.0.1:9000/kms-mgmt/ejsppeqvaafyi")).toBeNull();
    expect(regionOfEndpoint(undefined)).toBeNull();
  });
});

describe("keys", () => {
  const key = {
    id: "ocid1.key.oc1.iad.v.k", vaultId: "ocid1.vault.oc1.iad.v", compartmentId: "ocid1.compartment.oc1..c", displayName: "k",
    lifecycleState: "ENABLED", currentKeyVersion: "ocid1.keyversion.oc1.iad.v.kv", keyShape: { algorithm: "AES", length: 32 },
    timeCreated: "2026-01-02T03:04:05.678Z", freeformTags: { predecessor: "ocid1.key.oc1.iad.v.k0" },
  } as unknown as models.Key;

  it("a key summary without a time or optional fields is still a summary (it only selects keys to read)", () => {
    const { timeCreated: _t, ...summary } = key as unknown as Record<string, unknown>;
    expect(toOciKeySummary(summary as unknown as models.KeySummary)).toEqual({
      id: key.id, vaultId: key.vaultId, compartmentId: key.compartmentId, displayName: "k", lifecycleState: "ENABLED",
      protectionMode: null, algorithm: null, timeCreated: null, freeformTags: { predecessor: "ocid1.key.oc1.iad.v.k0" }, definedTags: {},
    });
  });

  it("a key (GetKey) without timeCreated is a TypeError naming the key and the field", () => {
    expect(toOciKey(key).timeCreated).toBe("2026-01-02T03:04:05.678Z");
    expect(() => toOciKey({ ...key, timeCreated: undefined } as unknown as models.Key)).toThrow(new TypeError(`key ${key.id} timeCreated: OCI answered undefined, not a time`));
    expect(() => requiredTime("yesterday", "f")).toThrow('f: OCI answered "yesterday", not a time');
  });
});
