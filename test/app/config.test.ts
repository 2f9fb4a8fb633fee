import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.js";
import { ValidationError } from "../../src/app/errors.js";

describe("loadConfig", () => {
  it("applies the DESIGN §3 policy defaults when nothing is set", () => {
    const config = loadConfig({});
    expect(config.policy).toEqual({ rotationIntervalDays: 90, rekeyWithinHours: 24, retentionDays: 2555 });
    expect(config.scope.tag).toBe("backup-encryption=enabled");
    expect(config.database).toBe("./data/keyproof.sqlite");
    expect(config.oci.authMode).toBe("config-file");
  });

  it("reads environment variables over the config file", () => {
    const dir = mkdtempSync(join(tmpdir(), "kp-config-"));
    const file = join(dir, "keyproof.json");
    writeFileSync(file, JSON.stringify({ policy: { rotationIntervalDays: 30, retentionDays: 3650 }, reportsDir: "/srv/packs" }));
    const config = loadConfig({ KEYPROOF_CONFIG: file, KEYPROOF_ROTATION_INTERVAL_DAYS: "60", KEYPROOF_COMPARTMENTS: "ocid1.compartment.oc1..a, ocid1.compartment.oc1..b" });
    expect(config.policy.rotationIntervalDays).toBe(60);
    expect(config.policy.retentionDays).toBe(3650);
    expect(config.reportsDir).toBe("/srv/packs");
    expect(config.scope.compartments).toEqual(["ocid1.compartment.oc1..a", "ocid1.compartment.oc1..b"]);
  });

  it("reads scope.vaultCompartments from KEYPROOF_VAULT_COMPARTMENTS (default [] = the whole tenancy) and checks each OCID", () => {
    expect(loadConfig({}).scope.vaultCompartments).toEqual([]);
    expect(loadConfig({ KEYPROOF_VAULT_COMPARTMENTS: "ocid1.compartment.oc1..sec, ocid1.compartment.oc1..sec2" }).scope.vaultCompartments)
      .toEqual(["ocid1.compartment.oc1..sec", "ocid1.compartment.oc1..sec2"]);
    expect(() => loadConfig({ KEYPROOF_VAULT_COMPARTMENTS: "ocid1.vault.oc1..x" })).toThrow(/scope\.vaultCompartments\.0: expected a compartment or tenancy OCID \(from KEYPROOF_VAULT_COMPARTMENTS\)/);
  });

  it("accepts region ids of two or more words (oci-common's Region list: us-gov-ashburn-1, eu-dcc-milan-1) and refuses malformed ones", () => {
    for (const region of ["us-ashburn-1", "us-gov-ashburn-1", "uk-gov-cardiff-1", "eu-dcc-milan-2", "me-dcc-muscat-1"]) {
      expect(loadConfig({ OCI_REGION: region }).oci.region).toBe(region);
    }
    for (const region of ["ashburn-1", "us-ashburn", "US-ASHBURN-1", "us--ashburn-1", "us_ashburn_1"]) {
      expect(() => loadConfig({ OCI_REGION: region }), region).toThrow(/oci\.region: expected a region id such as us-ashburn-1 \(from OCI_REGION\)/);
    }
  });

  it("selects PostgreSQL through DATABASE_URL, unless the specific KEYPROOF_DATABASE is set", () => {
    expect(loadConfig({ DATABASE_URL: "postgres://u@127.0.0.1/test" }).database).toBe("postgres://u@127.0.0.1/test");
    expect(loadConfig({ KEYPROOF_DATABASE: "/a.sqlite", DATABASE_URL: "postgres://b" }).database).toBe("/a.sqlite");
  });

  it("names every bad field and where it came from", () => {
    let error: unknown;
    try {
      loadConfig({ KEYPROOF_ROTATION_INTERVAL_DAYS: "ninety", KEYPROOF_OCI_AUTH: "password", OCI_TENANCY: "tenancy-1", KEYPROOF_SCOPE_TAG: "no-equals" });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    const details = (error as ValidationError).details ?? [];
    expect(details).toHaveLength(4);
    expect(details.join("\n")).toContain("policy.rotationIntervalDays: expected an integer, got \"ninety\" (from KEYPROOF_ROTATION_INTERVAL_DAYS)");
    expect(details.join("\n")).toMatch(/oci\.authMode: .*\(from KEYPROOF_OCI_AUTH\)/);
    expect(details.join("\n")).toMatch(/oci\.tenancy: expected a tenancy OCID \(from OCI_TENANCY\)/);
    expect(details.join("\n")).toMatch(/scope\.tag: expected key=value or namespace\.key=value \(from KEYPROOF_SCOPE_TAG\)/);
  });

  it("rejects unknown fields and wrong types in the config file, naming the file", () => {
    const dir = mkdtempSync(join(tmpdir(), "kp-config-"));
    const file = join(dir, "bad.json");
    writeFileSync(file, JSON.stringify({ policy: { rotationIntervalDays: -5 }, colour: "blue" }));
    expect(() => loadConfig({}, file)).toThrow(/policy\.rotationIntervalDays: .*\(from .*bad\.json\)/);
    expect(() => loadConfig({}, file)).toThrow(/Unrecognized key.*colour/);
  });

  it("reports a config file that is not JSON", () => {
    const dir = mkdtempSync(join(tmpdir(), "kp-config-"));
    const file = join(dir, "broken.json");
    writeFileSync(file, "{ policy: ");
    expect(() => loadConfig({}, file)).toThrow(/config file .*broken\.json: not valid JSON/);
    expect(() => loadConfig({}, join(dir, "missing.json"))).toThrow(/config file .*missing\.json: cannot be read \(ENOENT\)/);
  });

  it("refuses a rotation.leadDays that is not less than half of policy.rotationIntervalDays, naming both and their values", () => {
    let error: unknown;
    try {
      loadConfig({ KEYPROOF_ROTATION_INTERVAL_DAYS: "7" }); // the default lead of 7 days
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).details).toEqual([
      "rotation.leadDays: rotation.leadDays (7) must be less than half of policy.rotationIntervalDays (7): use rotation.leadDays ≤ 3 or a longer interval",
    ]);
    expect(() => loadConfig({ KEYPROOF_ROTATION_INTERVAL_DAYS: "14", KEYPROOF_ROTATION_LEAD_DAYS: "7" })).toThrow(
      /rotation\.leadDays: rotation\.leadDays \(7\) must be less than half of policy\.rotationIntervalDays \(14\): use rotation\.leadDays ≤ 6 .*\(from KEYPROOF_ROTATION_LEAD_DAYS\)/,
    );
    // Just under half is fine: 7 × 2 = 14 < 15; and lead 0 with a 1-day interval.
    expect(loadConfig({ KEYPROOF_ROTATION_INTERVAL_DAYS: "15" }).rotation.leadDays).toBe(7);
    expect(loadConfig({ KEYPROOF_ROTATION_INTERVAL_DAYS: "1", KEYPROOF_ROTATION_LEAD_DAYS: "0" }).policy.rotationIntervalDays).toBe(1);
  });

  it("returns a frozen object", () => {
    const config = loadConfig({});
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.policy)).toBe(true);
  });
});
