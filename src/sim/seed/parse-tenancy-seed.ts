/**
 * Validates a tenancy seed: the zod schema first, then the references between sections (a key's
 * vault exists, a compartment's parent exists, ...). Every problem is reported with its JSON path
 * (`keys[2].vaultId: ...`), all at once.
 */
import { readFile } from "node:fs/promises";
import { TenancySeed } from "./tenancy-seed.js";

/** A seed that cannot be used; `details` names every bad field by JSON path. */
export class SeedError extends Error {
  constructor(
    message: string,
    readonly details: readonly string[],
  ) {
    super(`${message}\n  ${details.join("\n  ")}`);
    this.name = "SeedError";
  }
}

function jsonPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) out += typeof part === "number" ? `[${part}]` : `${out ? "." : ""}${String(part)}`;
  return out || "(root)";
}

function crossReferences(seed: TenancySeed): string[] {
  const problems: string[] = [];
  const compartments = new Set([seed.tenancy.id, ...seed.compartments.map((c) => c.id)]);
  const vaults = new Map(seed.vaults.map((v) => [v.id, v]));
  const keys = new Set(seed.keys.map((k) => k.id));
  const ids = new Map<string, string>();
  const unique = (id: string, where: string): void => {
    const first = ids.get(id);
    if (first) problems.push(`${where}: duplicate id ${id} (first at ${first})`);
    else ids.set(id, where);
  };
  const compartment = (id: string, where: string): void => {
    if (!compartments.has(id)) problems.push(`${where}: compartment ${id} is not the tenancy or in compartments`);
  };
  seed.compartments.forEach((c, i) => {
    unique(c.id, `compartments[${i}].id`);
    if (c.parentId) compartment(c.parentId, `compartments[${i}].parentId`);
  });
  seed.users.forEach((u, i) => unique(u.id, `users[${i}].id`));
  seed.vaults.forEach((v, i) => {
    unique(v.id, `vaults[${i}].id`);
    compartment(v.compartmentId, `vaults[${i}].compartmentId`);
    if (v.replicaOf && (!vaults.has(v.replicaOf) || vaults.get(v.replicaOf)!.replicaOf)) {
      problems.push(`vaults[${i}].replicaOf: ${v.replicaOf} is not a primary vault in vaults`);
    }
  });
  seed.keys.forEach((k, i) => {
    unique(k.id, `keys[${i}].id`);
    compartment(k.compartmentId, `keys[${i}].compartmentId`);
    const vault = vaults.get(k.vaultId);
    if (!vault) problems.push(`keys[${i}].vaultId: vault ${k.vaultId} is not in vaults`);
    else if (vault.replicaOf) problems.push(`keys[${i}].vaultId: ${k.vaultId} is a replica vault; seed keys in the primary`);
    if (k.isAutoRotationEnabled && vault && vault.vaultType !== "VIRTUAL_PRIVATE") {
      problems.push(`keys[${i}].isAutoRotationEnabled: auto-rotation needs a VIRTUAL_PRIVATE vault`);
    }
    k.versions.forEach((v, j) => unique(v.id, `keys[${i}].versions[${j}].id`));
    if (k.currentKeyVersionId && !k.versions.some((v) => v.id === k.currentKeyVersionId)) {
      problems.push(`keys[${i}].currentKeyVersionId: ${k.currentKeyVersionId} is not in versions`);
    }
  });
  const keyRef = (id: string | null, where: string): void => {
    if (id && !keys.has(id)) problems.push(`${where}: key ${id} is not in keys`);
  };
  for (const section of ["volumes", "bootVolumes", "volumeBackups", "bootVolumeBackups"] as const) {
    seed[section].forEach((r, i) => {
      unique(r.id, `${section}[${i}].id`);
      compartment(r.compartmentId, `${section}[${i}].compartmentId`);
      keyRef(r.kmsKeyId, `${section}[${i}].kmsKeyId`);
    });
  }
  seed.buckets.forEach((b, i) => {
    unique(b.id, `buckets[${i}].id`);
    compartment(b.compartmentId, `buckets[${i}].compartmentId`);
    keyRef(b.kmsKeyId, `buckets[${i}].kmsKeyId`);
    if (b.versioning === "Enabled" && b.retentionRules.length > 0) {
      problems.push(`buckets[${i}].versioning: bucket ${b.name} has retention rules, which OCI does not allow with versioning Enabled (use Disabled or Suspended)`);
    }
  });
  return problems;
}

// Seeds this module already checked, so startSimulator does not parse a large seed twice.
const checked = new WeakSet<object>();

/** Parses and checks a seed object; throws {@link SeedError} naming every bad field. A seed this function returned is returned as is. */
export function parseTenancySeed(input: unknown, source = "tenancy seed"): TenancySeed {
  if (typeof input === "object" && input !== null && checked.has(input)) return input as TenancySeed;
  const parsed = TenancySeed.safeParse(input);
  if (!parsed.success) {
    throw new SeedError(`${source} is not a valid tenancy seed`, parsed.error.issues.map((i) => `${jsonPath(i.path)}: ${i.message}`));
  }
  const problems = crossReferences(parsed.data);
  if (problems.length) throw new SeedError(`${source} has broken references or inconsistent settings`, problems);
  checked.add(parsed.data);
  return parsed.data;
}

/** Reads a seed JSON file; errors name the file and the JSON path. */
export async function loadTenancySeed(file: string): Promise<TenancySeed> {
  const text = await readFile(file, "utf8");
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new SeedError(`${file} is not JSON`, [(error as Error).message]);
  }
  return parseTenancySeed(json, file);
}
