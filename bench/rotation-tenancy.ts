/**
 * The rotation benchmark's tenancy (issue 4): `keys` keys in one private vault, every one due
 * (current version 100 days old at `asOf`), each with `resourcesPerKey` tagged resources. Even
 * keys protect buckets (strategy key-version: CreateKeyVersion + ReencryptBucket per bucket), odd
 * keys protect volumes and boot volumes (strategy successor-key: CreateKey + UpdateVolumeKmsKey
 * per volume). Deterministic: ids are hashes of counters.
 */
import { base32Of } from "../src/sim/state/id-generator.js";

const DAY = 86_400_000;
const b32 = base32Of;
const global = (type: string, label: string) => `ocid1.${type}.oc1..aaaaaaaa${b32(`${type}:${label}`, 52)}`;
const regional = (type: string, label: string) => `ocid1.${type}.oc1.iad.abuwcljr${b32(`${type}:${label}`, 52)}`;
const iso = (ms: number) => new Date(ms).toISOString();

export interface RotationTenancy {
  seed: Record<string, unknown>;
  bucketKeys: number;
  volumeKeys: number;
  buckets: number;
  volumes: number;
}

/** The seed object (pure). `publicKeyPem` is the rotator user's API key. */
export function rotationTenancy(keys: number, resourcesPerKey: number, asOf: string, publicKeyPem: string): RotationTenancy {
  const asOfMs = Date.parse(asOf);
  const created = asOfMs - 100 * DAY;
  const security = global("compartment", "security");
  const backups = global("compartment", "backups");
  const prefix = b32("bench-prefix", 13);
  const vaultId = `ocid1.vault.oc1.iad.${prefix}.abuwcljs${b32("vault:bench", 52)}`;
  const kms = (type: string, label: string) => `ocid1.${type}.oc1.iad.${prefix}.abuwcljs${b32(`${type}:${label}`, 52)}`;
  const tags = { "backup-encryption": "enabled" };
  const keyList = [];
  const buckets = [];
  const volumes = [];
  const bootVolumes = [];
  for (let k = 0; k < keys; k++) {
    const keyId = kms("key", `k${k}`);
    keyList.push({
      id: keyId, vaultId, compartmentId: security, displayName: `bench-key-${k}`, keyShape: { algorithm: "AES", length: 32 },
      protectionMode: "HSM", timeCreated: iso(created), freeformTags: tags,
      versions: [{ id: kms("keyversion", `k${k}:v0`), timeCreated: iso(created) }],
    });
    for (let r = 0; r < resourcesPerKey; r++) {
      const common = { compartmentId: backups, kmsKeyId: keyId, timeCreated: iso(created), freeformTags: tags };
      if (k % 2 === 0) buckets.push({ name: `bench-bucket-${k}-${r}`, id: regional("bucket", `b${k}:${r}`), approximateCount: 1000, ...common });
      else if (r % 2 === 0) volumes.push({ id: regional("volume", `v${k}:${r}`), displayName: `bench-volume-${k}-${r}`, ...common });
      else bootVolumes.push({ id: regional("bootvolume", `bv${k}:${r}`), displayName: `bench-boot-${k}-${r}`, ...common });
    }
  }
  return {
    seed: {
      tenancy: { id: global("tenancy", "bench"), name: "bench", region: "us-ashburn-1", namespace: b32("bench-namespace", 12) },
      compartments: [
        { id: security, name: "security", timeCreated: iso(created - DAY) },
        { id: backups, name: "backups", timeCreated: iso(created - DAY) },
      ],
      users: [{ id: global("user", "keyproof-rotator"), name: "keyproof-rotator", publicKeyPem }],
      vaults: [{ id: vaultId, compartmentId: security, displayName: "bench-vault", vaultType: "VIRTUAL_PRIVATE", timeCreated: iso(created - DAY) }],
      keys: keyList,
      volumes,
      bootVolumes,
      volumeBackups: [],
      bootVolumeBackups: [],
      buckets,
    },
    bucketKeys: Math.ceil(keys / 2),
    volumeKeys: Math.floor(keys / 2),
    buckets: buckets.length,
    volumes: volumes.length + bootVolumes.length,
  };
}
