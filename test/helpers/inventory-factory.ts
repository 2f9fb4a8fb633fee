/**
 * Inventories for the pure rotation tests (STYLE §14): vaults, keys with versions, resources and
 * whole inventories with overridable defaults. Ids are deterministic fake OCIDs built from names;
 * every time is canonical UTC ISO. `buildInventory` derives lineages (predecessor tags) and
 * findings the way `collectInventory` does, unless the test passes its own.
 */
import type { OciKey, OciKeyVersion, OciResource, OciVault } from "../../src/oci/oci-ports.js";
import type { Inventory, InventoryKey } from "../../src/rotation/inventory.js";
import { findInventoryFindings } from "../../src/rotation/inventory-findings.js";
import { buildKeyLineages } from "../../src/rotation/key-lineages.js";

export const COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaasecurity";
export const BACKUP_COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaabackupprod";

/**
 * A deterministic fake OCID: `ocid1.<kind>.oc1.iad.<name>` (name lower-cased, non-alphanumerics
 * dropped; a name with no ASCII letter or digit gives the hex of its UTF-8 bytes instead).
 */
export function fakeOcid(kind: string, name: string): string {
  const plain = name.toLowerCase().replace(/[^a-z0-9]/g, "");
  return `ocid1.${kind}.oc1.iad.${plain || Buffer.from(name, "utf8").toString("hex").slice(0, 48)}`;
}

/** The primary private vault `backup-vault` in us-ashburn-1; override any field. */
export function buildVault(overrides: Partial<OciVault> = {}): OciVault {
  const name = overrides.displayName ?? "backup-vault";
  return {
    id: fakeOcid("vault", name),
    compartmentId: COMPARTMENT,
    displayName: name,
    vaultType: "VIRTUAL_PRIVATE",
    lifecycleState: "ACTIVE",
    managementEndpoint: `https://${name}-management.kms.us-ashburn-1.oraclecloud.com`,
    cryptoEndpoint: `https://${name}-crypto.kms.us-ashburn-1.oraclecloud.com`,
    isPrimary: true,
    region: "us-ashburn-1",
    freeformTags: {},
    definedTags: {},
    ...overrides,
  };
}

/** An ENABLED version of key `keyName`, created `timeCreated`; override any field. */
export function buildVersion(keyName: string, timeCreated: string, overrides: Partial<OciKeyVersion> = {}): OciKeyVersion {
  return {
    id: fakeOcid("keyversion", `${keyName}-${timeCreated}`),
    keyId: fakeOcid("key", keyName),
    vaultId: buildVault().id,
    lifecycleState: "ENABLED",
    timeCreated,
    timeOfDeletion: null,
    origin: "INTERNAL",
    isAutoRotated: false,
    ...overrides,
  };
}

export interface KeyOptions extends Partial<OciKey> {
  /** timeCreated of each version, oldest first (default: one version at the key's creation). */
  versionTimes?: string[];
  /** Index into versionTimes of the current version (default: the last). */
  currentIndex?: number;
  /** Overrides per version index. */
  versionOverrides?: Record<number, Partial<OciKeyVersion>>;
  vault?: OciVault;
}

/**
 * An in-scope key `name`: AES-256, HSM, ENABLED, created 2026-04-14T10:02:37.571Z, tagged
 * `backup-encryption=enabled`, in `backup-vault`, with one version per `versionTimes` entry.
 */
export function buildKey(name: string, options: KeyOptions = {}): InventoryKey {
  const { versionTimes, currentIndex, versionOverrides = {}, vault = buildVault(), ...keyOverrides } = options;
  const timeCreated = keyOverrides.timeCreated ?? versionTimes?.[0] ?? "2026-04-14T10:02:37.571Z";
  const times = versionTimes ?? [timeCreated];
  const id = keyOverrides.id ?? fakeOcid("key", name);
  const versions = times.map((t, i) =>
    buildVersion(name, t, { id: fakeOcid("keyversion", `${id.split(".").at(-1)}-${t}`), keyId: id, vaultId: vault.id, ...versionOverrides[i] }));
  const current = versions[currentIndex ?? versions.length - 1]!;
  const key: OciKey = {
    id,
    vaultId: vault.id,
    compartmentId: COMPARTMENT,
    displayName: name,
    lifecycleState: "ENABLED",
    protectionMode: "HSM",
    algorithm: "AES",
    length: 32,
    curveId: null,
    currentKeyVersionId: current.id,
    timeCreated,
    timeOfDeletion: null,
    isPrimary: vault.isPrimary,
    isAutoRotationEnabled: false,
    autoRotation: null,
    freeformTags: { "backup-encryption": "enabled" },
    definedTags: {},
    ...keyOverrides,
  };
  return { key, versions, vault };
}

/** A successor of `predecessor` (tag `predecessor` = its OCID), created at `timeCreated`. */
export function buildSuccessor(name: string, predecessor: InventoryKey, timeCreated: string, options: KeyOptions = {}): InventoryKey {
  return buildKey(name, {
    timeCreated,
    vault: predecessor.vault,
    freeformTags: { "backup-encryption": "enabled", predecessor: predecessor.key.id },
    ...options,
  });
}

/** A tagged resource `name` of `kind` on `key` (null = Oracle-managed); override any field. */
export function buildResource(kind: OciResource["kind"], name: string, key: InventoryKey | null, overrides: Partial<OciResource> = {}): OciResource {
  const bucket = kind === "bucket";
  return {
    kind,
    id: fakeOcid(kind, name),
    displayName: name,
    compartmentId: BACKUP_COMPARTMENT,
    lifecycleState: bucket ? null : "AVAILABLE",
    timeCreated: "2026-03-02T08:41:19.512Z",
    kmsKeyId: key ? key.key.id : null,
    freeformTags: { "backup-encryption": "enabled" },
    definedTags: {},
    namespace: bucket ? "idr2kxq7vbmn" : null,
    bucketName: bucket ? name : null,
    sourceId: null,
    ...overrides,
  };
}

/**
 * An inventory observed at `observedAt` (default 2026-07-09T12:00:00.000Z) of `keys` and
 * `resources`, with the vaults of its keys, lineages from predecessor tags and the findings
 * `findInventoryFindings` gives, unless passed.
 */
export function buildInventory(parts: Partial<Inventory> = {}): Inventory {
  const observedAt = parts.observedAt ?? "2026-07-09T12:00:00.000Z";
  const keys = parts.keys ?? [];
  const vaults = parts.vaults ?? [...new Map([...keys, ...(parts.replicaCopies ?? [])].map((k) => [k.vault.id, k.vault])).values()];
  const facts = {
    observedAt,
    vaults,
    keys,
    resources: parts.resources ?? [],
    lineages: parts.lineages ?? buildKeyLineages(keys.map((k) => k.key)),
    ...(parts.replicaCopies ? { replicaCopies: parts.replicaCopies } : {}),
  };
  return { ...facts, findings: parts.findings ?? findInventoryFindings(facts, observedAt) };
}
