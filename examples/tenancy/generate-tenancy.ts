/**
 * Generates a large tenancy seed for the simulator, deterministically (ids are hashes of counters,
 * times step from a fixed start): N keys in a few private vaults, M resources (volumes, boot
 * volumes, volume backups, buckets) spread over compartments, two thirds tagged
 * `backup-encryption=enabled`. The only user is the example `keyproof-rotator` (its test-only key).
 *
 *     npx tsx examples/tenancy/generate-tenancy.ts --keys 10000 --resources 100000 --out /tmp/big-tenancy.json
 */
import { createPublicKey } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parseTenancySeed } from "../../src/sim/seed/parse-tenancy-seed.js";
import { base32Of } from "../../src/sim/state/id-generator.js";

const DAY = 86_400_000;
const START = Date.parse("2025-01-01T00:00:00.000Z");
const b32 = base32Of;
const global = (type: string, label: string) => `ocid1.${type}.oc1..aaaaaaaa${b32(`${type}:${label}`, 52)}`;
const regional = (type: string, label: string) => `ocid1.${type}.oc1.iad.abuwcljr${b32(`${type}:${label}`, 52)}`;
const kms = (type: string, prefix: string, label: string) => `ocid1.${type}.oc1.iad.${prefix}.abuwcljs${b32(`${type}:${label}`, 52)}`;
const iso = (ms: number) => new Date(ms).toISOString();

/** The seed object for `keys` keys and `resources` resources (pure and deterministic). */
export function generateTenancy(keys: number, resources: number, publicKeyPem: string): Record<string, unknown> {
  const tenancy = global("tenancy", "generated");
  const compartmentCount = Math.max(2, Math.ceil((keys + resources) / 2_000));
  const compartments = Array.from({ length: compartmentCount }, (_, i) => ({
    id: global("compartment", `c${i}`), name: `compartment-${String(i).padStart(3, "0")}`,
    parentId: i < 2 ? undefined : global("compartment", `c${i % 2}`), timeCreated: iso(START),
  }));
  const vaultCount = Math.max(1, Math.ceil(keys / 2_500));
  const vaults = Array.from({ length: vaultCount }, (_, i) => {
    const prefix = b32(`prefix:${i}`, 13);
    return { id: kms("vault", prefix, `v${i}`), prefix, compartmentId: compartments[0]!.id, displayName: `vault-${i}`, vaultType: "VIRTUAL_PRIVATE", timeCreated: iso(START) };
  });
  const keyList = Array.from({ length: keys }, (_, i) => {
    const vault = vaults[i % vaultCount]!;
    const created = START + (i % 300) * DAY;
    const versions = Array.from({ length: 1 + (i % 4) }, (_, v) => ({ id: kms("keyversion", vault.prefix, `k${i}:v${v}`), timeCreated: iso(created + v * 90 * DAY) }));
    return {
      id: kms("key", vault.prefix, `k${i}`), vaultId: vault.id, compartmentId: compartments[0]!.id, displayName: `key-${i}`,
      keyShape: { algorithm: "AES", length: 32 }, protectionMode: i % 5 === 0 ? "SOFTWARE" : "HSM", timeCreated: iso(created),
      freeformTags: i % 3 === 2 ? {} : { "backup-encryption": "enabled" }, versions,
    };
  });
  const kinds = ["volumes", "bootVolumes", "volumeBackups", "buckets"] as const;
  const out: Record<(typeof kinds)[number], Record<string, unknown>[]> = { volumes: [], bootVolumes: [], volumeBackups: [], buckets: [] };
  for (let i = 0; i < resources; i++) {
    const kind = kinds[i % 4]!;
    const compartmentId = compartments[1 + (i % (compartmentCount - 1))]!.id;
    const kmsKeyId = keys > 0 && i % 7 !== 0 ? keyList[i % keys]!.id : null;
    const common = { compartmentId, kmsKeyId, timeCreated: iso(START + (i % 365) * DAY), freeformTags: i % 3 === 2 ? {} : { "backup-encryption": "enabled" } };
    if (kind === "buckets") out.buckets.push({ name: `bucket-${i}`, id: regional("bucket", `b${i}`), ...common });
    else if (kind === "volumeBackups") out.volumeBackups.push({ id: regional("volumebackup", `vb${i}`), displayName: `backup-${i}`, sourceId: regional("volume", `r${i - 2}`), ...common });
    else out[kind].push({ id: regional(kind === "volumes" ? "volume" : "bootvolume", `r${i}`), displayName: `${kind}-${i}`, ...common });
  }
  return {
    tenancy: { id: tenancy, name: "generated", region: "us-ashburn-1", namespace: b32("namespace", 12) },
    compartments,
    users: [{ id: global("user", "keyproof-rotator"), name: "keyproof-rotator", publicKeyPem }],
    vaults: vaults.map(({ prefix: _prefix, ...v }) => v),
    keys: keyList,
    ...out,
    bootVolumeBackups: [],
  };
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { keys: { type: "string", default: "1000" }, resources: { type: "string", default: "10000" }, out: { type: "string" } } });
  const here = path.dirname(fileURLToPath(import.meta.url));
  const privateKey = readFileSync(path.join(here, "TEST-ONLY-keyproof-rotator-private-key.pem"), "utf8");
  const publicKeyPem = createPublicKey(privateKey).export({ type: "spki", format: "pem" }).toString();
  const seed = generateTenancy(Number(values.keys), Number(values.resources), publicKeyPem);
  parseTenancySeed(seed, "generated tenancy");
  const out = values.out ?? path.join(here, `generated-${values.keys}-keys.json`);
  writeFileSync(out, JSON.stringify(seed));
  process.stdout.write(`wrote ${out}\n`);
}
