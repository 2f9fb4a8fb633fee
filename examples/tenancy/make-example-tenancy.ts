/**
 * Writes examples/tenancy/example-tenancy.json: the example tenancy of examples/README.md (same
 * OCIDs as the audit export) as the simulator seeds it, in its state of 2026-07-09 (bucket key KB
 * at v3, volume key K1), plus a replica of the vault in us-phoenix-1 and an RSA signing key.
 * The API key of `keyproof-rotator` is TEST-ONLY-keyproof-rotator-private-key.pem (test use only).
 *
 *     npx tsx examples/tenancy/make-example-tenancy.ts
 */
import { createPublicKey } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { globalOcid, kmsOcid, regionalOcid } from "../audit-export-gen/ids.js";
import {
  APP_BACKUPS, BACKUP_PROD, BOOT_VOLUME, DB_BACKUPS, K1, KB, KB_V2, KB_V3, NAMESPACE, SECURITY, TENANCY, VAULT, VOLUME, WEB_ASSETS,
} from "../audit-export-gen/tenancy.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const privateKeyPem = readFileSync(path.join(here, "TEST-ONLY-keyproof-rotator-private-key.pem"), "utf8");
const publicKeyPem = createPublicKey(privateKeyPem).export({ type: "spki", format: "pem" }).toString();
const ENABLED = { "backup-encryption": "enabled" };
const APP_TAGS = { "backup-encryption": "enabled", "cost-center": "cc-4410" };
const REPLICA_PREFIX = "fkqrrfrwaafzm";

const seed = {
  tenancy: { id: TENANCY, name: "acme-prod", region: "us-ashburn-1", namespace: NAMESPACE },
  compartments: [
    { id: SECURITY.id, name: SECURITY.name, description: "Vaults and keys", timeCreated: "2025-11-18T10:00:00.000Z" },
    { id: BACKUP_PROD.id, name: BACKUP_PROD.name, description: "Production backups", timeCreated: "2025-11-18T10:05:00.000Z" },
  ],
  users: [{ id: globalOcid("user", "keyproof-rotator"), name: "keyproof-rotator", publicKeyPem }],
  vaults: [
    { id: VAULT, compartmentId: SECURITY.id, displayName: "backup-vault", vaultType: "VIRTUAL_PRIVATE", timeCreated: "2025-11-20T14:00:00.000Z" },
    {
      id: kmsOcid("vault", REPLICA_PREFIX, "backup-vault-replica"), compartmentId: SECURITY.id, displayName: "backup-vault",
      vaultType: "VIRTUAL_PRIVATE", timeCreated: "2025-11-21T09:30:00.000Z", replicaOf: VAULT, region: "us-phoenix-1",
    },
  ],
  keys: [
    {
      id: KB.id, vaultId: VAULT, compartmentId: SECURITY.id, displayName: KB.name, keyShape: { algorithm: "AES", length: 32 },
      protectionMode: "HSM", timeCreated: "2026-01-12T09:14:21.441Z", freeformTags: ENABLED,
      versions: [
        { id: KB.firstVersion, timeCreated: "2026-01-12T09:14:21.441Z" },
        { id: KB_V2, timeCreated: "2026-04-10T02:00:04.174Z" },
        { id: KB_V3, timeCreated: "2026-07-08T02:00:03.737Z" },
      ],
    },
    {
      id: K1.id, vaultId: VAULT, compartmentId: SECURITY.id, displayName: K1.name, keyShape: { algorithm: "AES", length: 32 },
      protectionMode: "HSM", timeCreated: "2026-04-14T10:02:37.571Z", freeformTags: ENABLED,
      versions: [{ id: K1.firstVersion, timeCreated: "2026-04-14T10:02:37.571Z" }],
    },
    {
      id: kmsOcid("key", "ejsppeqvaafyi", "manifest-signing"), vaultId: VAULT, compartmentId: SECURITY.id,
      displayName: "keyproof-manifest-signing", keyShape: { algorithm: "RSA", length: 256 }, protectionMode: "HSM",
      timeCreated: "2026-01-05T08:00:00.000Z",
      versions: [{ id: kmsOcid("keyversion", "ejsppeqvaafyi", "manifest-signing:v1"), timeCreated: "2026-01-05T08:00:00.000Z" }],
    },
  ],
  volumes: [
    {
      id: VOLUME.id, compartmentId: BACKUP_PROD.id, displayName: VOLUME.name, sizeInGBs: 200, kmsKeyId: K1.id,
      timeCreated: "2026-03-02T08:41:19.512Z", freeformTags: ENABLED,
    },
  ],
  bootVolumes: [
    {
      id: BOOT_VOLUME.id, compartmentId: BACKUP_PROD.id, displayName: BOOT_VOLUME.name, sizeInGBs: 50, kmsKeyId: K1.id,
      timeCreated: "2026-03-02T08:41:19.512Z", freeformTags: ENABLED,
    },
  ],
  volumeBackups: [
    {
      id: regionalOcid("volumebackup", "pg-data-vol-2026-06-30"), compartmentId: BACKUP_PROD.id, displayName: "pg-data-vol-2026-06-30",
      sourceId: VOLUME.id, kmsKeyId: K1.id, timeCreated: "2026-06-30T01:00:00.000Z", freeformTags: ENABLED,
    },
  ],
  bootVolumeBackups: [],
  buckets: [
    {
      name: DB_BACKUPS.name, id: DB_BACKUPS.ocid, compartmentId: BACKUP_PROD.id, kmsKeyId: KB.id, timeCreated: "2025-11-20T15:03:27.904Z",
      // OCI refuses retention rules on a versioned bucket (and versioning on one with rules).
      versioning: "Disabled", approximateCount: 1240, freeformTags: ENABLED,
      retentionRules: [
        { id: "b1f2a8c4-5d6e-4f70-8a91-b2c3d4e5f607", displayName: "keep-7-years", duration: { timeAmount: 7, timeUnit: "YEARS" }, timeCreated: "2025-11-20T15:10:00.000Z" },
      ],
    },
    {
      name: APP_BACKUPS.name, id: APP_BACKUPS.ocid, compartmentId: BACKUP_PROD.id, kmsKeyId: KB.id, timeCreated: "2025-11-20T15:04:02.118Z",
      versioning: "Enabled", approximateCount: 310, freeformTags: APP_TAGS,
    },
    { name: WEB_ASSETS.name, id: WEB_ASSETS.ocid, compartmentId: BACKUP_PROD.id, kmsKeyId: null, timeCreated: "2025-11-20T15:05:44.300Z" },
  ],
  topics: [
    { id: regionalOcid("onstopic", "keyproof-alerts"), name: "keyproof-alerts", compartmentId: SECURITY.id, description: "keyproof rotation alerts", timeCreated: "2025-11-18T10:10:00.000Z" },
  ],
  audit: { retentionPeriodDays: 365 },
};

writeFileSync(path.join(here, "example-tenancy.json"), `${JSON.stringify(seed, null, 2)}\n`);
process.stdout.write(`wrote ${path.join(here, "example-tenancy.json")}\n`);
