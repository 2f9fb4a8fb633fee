import { writeFile, mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateTenancy } from "../../examples/tenancy/generate-tenancy.js";
import { SeedError, loadTenancySeed, parseTenancySeed } from "../../src/sim/seed/parse-tenancy-seed.js";
import { startSimulator } from "../../src/sim/start-simulator.js";
import { EXAMPLE, EXAMPLE_TENANCY_FILE, exampleSeed } from "../helpers/sim.js";

function seedError(input: unknown): SeedError {
  try {
    parseTenancySeed(input, "seed.json");
  } catch (error) {
    if (error instanceof SeedError) return error;
    throw error;
  }
  throw new Error("expected a SeedError");
}

describe("tenancy seeds", () => {
  it("loads the example tenancy with the ids of examples/README.md", async () => {
    const seed = await loadTenancySeed(EXAMPLE_TENANCY_FILE);
    expect(seed.tenancy.id).toBe("ocid1.tenancy.oc1..aaaaaaaah4tpt5e4nwq54jjxwgcdxvv4ax4gm3xk6ndcxqz23q7pon6d36w6");
    expect(seed.keys.find((k) => k.displayName === "backup-objects-key")!.versions).toHaveLength(3);
    expect(seed.vaults.map((v) => v.replicaOf ?? null)).toEqual([null, EXAMPLE.vaultId]);
    expect(seed.buckets.filter((b) => b.freeformTags["backup-encryption"] === "enabled").map((b) => b.name)).toEqual(["db-backups", "app-backups"]);
  });

  it("names the JSON path of every invalid field", () => {
    const seed = exampleSeed();
    (seed.keys[0]!.keyShape as { length: unknown }).length = "32";
    delete (seed.vaults[0] as { vaultType?: unknown }).vaultType;
    const error = seedError(seed);
    expect(error.details).toEqual(expect.arrayContaining([
      expect.stringMatching(/^keys\[0\]\.keyShape\.length: /),
      expect.stringMatching(/^vaults\[0\]\.vaultType: /),
    ]));
    expect(error.message).toContain("seed.json is not a valid tenancy seed");
  });

  it("names broken references between sections", () => {
    const seed = exampleSeed();
    seed.keys[1]!.vaultId = "ocid1.vault.oc1.iad.missingvault1.abuwcljsnothere";
    seed.volumes![0]!.kmsKeyId = "ocid1.key.oc1.iad.ejsppeqvaafyi.abuwcljsnothere";
    seed.keys.push({ ...seed.keys[0]! });
    const error = seedError(seed);
    expect(error.details).toEqual(expect.arrayContaining([
      "keys[1].vaultId: vault ocid1.vault.oc1.iad.missingvault1.abuwcljsnothere is not in vaults",
      "volumes[0].kmsKeyId: key ocid1.key.oc1.iad.ejsppeqvaafyi.abuwcljsnothere is not in keys",
      expect.stringMatching(/^keys\[3\]\.id: duplicate id .* \(first at keys\[0\]\.id\)$/),
    ]));
  });

  it("rejects a bucket with retention rules and versioning Enabled, naming its path", () => {
    const seed = exampleSeed() as ReturnType<typeof exampleSeed> & { buckets: { name: string; versioning?: string; retentionRules?: unknown[] }[] };
    const at = seed.buckets.findIndex((b) => b.name === "db-backups");
    expect(seed.buckets[at]!.retentionRules).toHaveLength(1);
    seed.buckets[at]!.versioning = "Enabled";
    const error = seedError(seed);
    expect(error.details).toEqual([
      `buckets[${at}].versioning: bucket db-backups has retention rules, which OCI does not allow with versioning Enabled (use Disabled or Suspended)`,
    ]);
    seed.buckets[at]!.versioning = "Suspended";
    expect(() => parseTenancySeed(seed)).not.toThrow();
  });

  it("rejects auto-rotation on a key of a DEFAULT vault", () => {
    const seed = exampleSeed();
    seed.vaults[0]!.vaultType = "DEFAULT";
    seed.vaults.splice(1, 1);
    Object.assign(seed.keys[0]!, { isAutoRotationEnabled: true, autoKeyRotationDetails: { rotationIntervalInDays: 90 } });
    expect(seedError(seed).details).toContain("keys[0].isAutoRotationEnabled: auto-rotation needs a VIRTUAL_PRIVATE vault");
  });

  it("names the file of a seed that is not JSON", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "keyproof-seed-"));
    const file = path.join(dir, "broken.json");
    await writeFile(file, "{ not json");
    await expect(loadTenancySeed(file)).rejects.toThrow(`${file} is not JSON`);
  });

  it("generates large tenancies deterministically, and the simulator serves them", async () => {
    const pem = exampleSeed().users[0]!.publicKeyPem;
    const a = generateTenancy(50, 200, pem);
    expect(JSON.stringify(generateTenancy(50, 200, pem))).toBe(JSON.stringify(a));
    const seed = parseTenancySeed(a);
    expect(seed.keys).toHaveLength(50);
    expect(seed.volumes.length + seed.bootVolumes.length + seed.volumeBackups.length + seed.buckets.length).toBe(200);
    const sim = await startSimulator({ seed });
    try {
      expect(sim.state.keyVersions.size).toBe(seed.keys.reduce((n, k) => n + k.versions.length, 0));
    } finally {
      await sim.close();
    }
  });
});
