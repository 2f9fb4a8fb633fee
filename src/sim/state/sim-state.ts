/**
 * The simulator's in-memory tenancy: one Map per resource kind, records in OCI's field names with
 * times as ISO text. Services read and write it directly; the request pipeline snapshots the
 * mutable sections to implement the "200 but not applied" fault. Built from a {@link TenancySeed}.
 */
import { createHash, createPublicKey, type KeyObject } from "node:crypto";
import type { TenancySeed } from "../seed/tenancy-seed.js";
import { createIdGenerator, type IdGenerator } from "./id-generator.js";
import { vaultEndpointIdOf } from "./vault-endpoint-id.js";

type Tags = { freeformTags: Record<string, string>; definedTags: Record<string, Record<string, unknown>> };

export interface CompartmentRecord extends Tags {
  id: string;
  /** Parent compartment (the tenancy for top-level compartments). */
  compartmentId: string;
  name: string;
  description: string;
  lifecycleState: string;
  timeCreated: string;
}

export interface UserRecord {
  id: string;
  name: string;
  /** `tenancy/user/fingerprint`, the signature keyId. */
  keyId: string;
  fingerprint: string;
  publicKey: KeyObject;
  allowedOperations: ReadonlySet<string> | null;
  accessibleCompartmentIds: readonly string[] | null;
}

export interface VaultRecord extends Tags {
  id: string;
  compartmentId: string;
  displayName: string;
  vaultType: "DEFAULT" | "VIRTUAL_PRIVATE";
  lifecycleState: string;
  timeCreated: string;
  timeOfDeletion: string | null;
  /** Primary vault id when this is a replica. */
  replicaOf: string | null;
  region: string;
  /** Path segment of this vault's management and crypto endpoints. */
  endpointId: string;
}

export interface AutoRotationRecord {
  rotationIntervalInDays: number;
  timeOfScheduleStart: string | null;
  timeOfNextRotation: string | null;
  timeOfLastRotation: string | null;
  lastRotationStatus: "SUCCESS" | "FAILED" | "IN_PROGRESS" | null;
  lastRotationMessage: string | null;
}

export interface KeyRecord extends Tags {
  id: string;
  vaultId: string;
  compartmentId: string;
  displayName: string;
  keyShape: { algorithm: "AES" | "RSA" | "ECDSA"; length: number; curveId?: string };
  protectionMode: "HSM" | "SOFTWARE" | "EXTERNAL";
  lifecycleState: string;
  timeCreated: string;
  timeOfDeletion: string | null;
  currentKeyVersion: string;
  isAutoRotationEnabled: boolean;
  autoKeyRotationDetails: AutoRotationRecord | null;
}

export interface KeyVersionRecord {
  id: string;
  keyId: string;
  vaultId: string;
  compartmentId: string;
  timeCreated: string;
  lifecycleState: string;
  timeOfDeletion: string | null;
  origin: "INTERNAL" | "EXTERNAL";
  isAutoRotated: boolean;
}

type Seeded<K extends keyof TenancySeed> = TenancySeed[K] extends readonly (infer T)[] ? T : never;

/** The sections that change while the simulator runs (snapshotted for the "not applied" fault). */
export interface MutableState {
  vaults: Map<string, VaultRecord>;
  keys: Map<string, KeyRecord>;
  keyVersions: Map<string, KeyVersionRecord>;
  volumes: Map<string, Seeded<"volumes">>;
  bootVolumes: Map<string, Seeded<"bootVolumes">>;
  volumeBackups: Map<string, Seeded<"volumeBackups">>;
  bootVolumeBackups: Map<string, Seeded<"bootVolumeBackups">>;
  /** Buckets by name. */
  buckets: Map<string, Seeded<"buckets">>;
  audit: { retentionPeriodDays: number };
  /** Free space for services added later (work requests, objects, messages...): one entry per service, plain data only. */
  extensions: Record<string, unknown>;
}

export interface SimState extends MutableState {
  tenancy: { id: string; name: string; region: string; namespace: string };
  compartments: Map<string, CompartmentRecord>;
  /** Users by signature keyId (`tenancy/user/fingerprint`). */
  users: Map<string, UserRecord>;
  /** Notifications topics by id (from the seed; not changed by any operation). */
  topics: Map<string, Seeded<"topics">>;
  ids: IdGenerator;
}

/** OCI API-key fingerprint: MD5 of the DER SubjectPublicKeyInfo, colon-separated hex (OCI-NOTES §1.2). */
export function fingerprintOf(publicKey: KeyObject): string {
  const der = publicKey.export({ type: "spki", format: "der" });
  return createHash("md5").update(der).digest("hex").match(/../g)!.join(":");
}

const byId = <T extends { id: string }>(items: readonly T[]): Map<string, T> => new Map(items.map((i) => [i.id, i]));

function keysAndVersions(seed: TenancySeed): { keys: KeyRecord[]; versions: KeyVersionRecord[] } {
  const keys: KeyRecord[] = [];
  const versions: KeyVersionRecord[] = [];
  for (const k of seed.keys) {
    const enabled = k.versions.filter((v) => v.lifecycleState === "ENABLED");
    const current = k.currentKeyVersionId ?? (enabled.at(-1) ?? k.versions.at(-1)!).id;
    const a = k.autoKeyRotationDetails;
    keys.push({
      id: k.id, vaultId: k.vaultId, compartmentId: k.compartmentId, displayName: k.displayName,
      keyShape: k.keyShape, protectionMode: k.protectionMode, lifecycleState: k.lifecycleState,
      timeCreated: new Date(k.timeCreated).toISOString(), timeOfDeletion: k.timeOfDeletion ? new Date(k.timeOfDeletion).toISOString() : null,
      currentKeyVersion: current, isAutoRotationEnabled: k.isAutoRotationEnabled,
      autoKeyRotationDetails: a
        ? {
            rotationIntervalInDays: a.rotationIntervalInDays,
            timeOfScheduleStart: a.timeOfScheduleStart ?? null,
            timeOfNextRotation: a.timeOfNextRotation ?? null,
            timeOfLastRotation: a.timeOfLastRotation ?? null,
            lastRotationStatus: a.lastRotationStatus ?? null,
            lastRotationMessage: a.lastRotationMessage ?? null,
          }
        : null,
      freeformTags: k.freeformTags, definedTags: k.definedTags,
    });
    for (const v of k.versions) {
      versions.push({
        id: v.id, keyId: k.id, vaultId: k.vaultId, compartmentId: k.compartmentId,
        timeCreated: new Date(v.timeCreated).toISOString(), lifecycleState: v.lifecycleState,
        timeOfDeletion: v.timeOfDeletion ? new Date(v.timeOfDeletion).toISOString() : null,
        origin: "INTERNAL", isAutoRotated: v.isAutoRotated,
      });
    }
  }
  return { keys, versions };
}

/** Builds the in-memory state from a parsed seed (see parseTenancySeed). */
export function createSimState(seed: TenancySeed): SimState {
  const t = seed.tenancy;
  const compartments: CompartmentRecord[] = seed.compartments.map((c) => ({
    id: c.id, compartmentId: c.parentId ?? t.id, name: c.name, description: c.description,
    lifecycleState: c.lifecycleState, timeCreated: new Date(c.timeCreated).toISOString(),
    freeformTags: c.freeformTags, definedTags: c.definedTags,
  }));
  const users: UserRecord[] = seed.users.map((u) => {
    const publicKey = createPublicKey(u.publicKeyPem);
    const fingerprint = fingerprintOf(publicKey);
    return {
      id: u.id, name: u.name, keyId: `${t.id}/${u.id}/${fingerprint}`, fingerprint, publicKey,
      allowedOperations: u.allowedOperations ? new Set(u.allowedOperations) : null,
      accessibleCompartmentIds: u.accessibleCompartmentIds ?? null,
    };
  });
  const vaults: VaultRecord[] = seed.vaults.map((v) => ({
    id: v.id, compartmentId: v.compartmentId, displayName: v.displayName, vaultType: v.vaultType,
    lifecycleState: v.lifecycleState, timeCreated: new Date(v.timeCreated).toISOString(), timeOfDeletion: null,
    replicaOf: v.replicaOf ?? null, region: v.region, endpointId: vaultEndpointIdOf(v.id),
    freeformTags: v.freeformTags, definedTags: v.definedTags,
  }));
  const { keys, versions } = keysAndVersions(seed);
  return {
    tenancy: { id: t.id, name: t.name, region: t.region, namespace: t.namespace },
    compartments: byId(compartments),
    users: new Map(users.map((u) => [u.keyId, u])),
    ids: createIdGenerator(t.id, t.region),
    vaults: byId(vaults),
    keys: byId(keys),
    keyVersions: byId(versions),
    // Copies: two simulators started from one parsed seed must not share records.
    volumes: byId(structuredClone(seed.volumes)),
    bootVolumes: byId(structuredClone(seed.bootVolumes)),
    volumeBackups: byId(structuredClone(seed.volumeBackups)),
    bootVolumeBackups: byId(structuredClone(seed.bootVolumeBackups)),
    buckets: new Map(structuredClone(seed.buckets).map((b) => [b.name, b])),
    topics: byId(structuredClone(seed.topics)),
    audit: { ...seed.audit },
    extensions: {},
  };
}

const MUTABLE: readonly (keyof MutableState)[] = [
  "vaults", "keys", "keyVersions", "volumes", "bootVolumes", "volumeBackups", "bootVolumeBackups", "buckets", "audit", "extensions",
];

/** A deep copy of the mutable sections, to undo a handler's changes. */
export function snapshotState(state: SimState): MutableState {
  const out = {} as Record<string, unknown>;
  for (const k of MUTABLE) out[k] = structuredClone(state[k]);
  return out as unknown as MutableState;
}

/** Puts a snapshot back (the "200 but not applied" fault). */
export function restoreState(state: SimState, snapshot: MutableState): void {
  Object.assign(state, snapshot);
}
