/**
 * The tenancy seed: a JSON description of everything the simulator starts with. One schema for all
 * services; sections a service does not use yet are kept so the next service finds its data. The
 * schema doubles as the type (STYLE §3). Times are ISO-8601 instants; tags are OCI's maps.
 */
import { z } from "zod";

const Iso = z.string().refine((s) => Number.isFinite(Date.parse(s)) && /^\d{4}-\d{2}-\d{2}T/.test(s), "expected an ISO-8601 instant");
const Ocid = z.string().regex(/^ocid1\.[a-z0-9]+\.[a-z0-9-]+\.[a-z0-9-]*\.[a-z0-9.]+$/, "expected an OCID");
const FreeformTags = z.record(z.string(), z.string()).default({});
const DefinedTags = z.record(z.string(), z.record(z.string(), z.unknown())).default({});

export const SeedCompartment = z.object({
  id: Ocid,
  name: z.string().min(1),
  description: z.string().default(""),
  /** Parent compartment; default: the tenancy (root compartment). */
  parentId: Ocid.optional(),
  lifecycleState: z.enum(["ACTIVE", "INACTIVE", "DELETED"]).default("ACTIVE"),
  timeCreated: Iso,
  freeformTags: FreeformTags,
  definedTags: DefinedTags,
});

export const SeedUser = z.object({
  id: Ocid,
  name: z.string().min(1),
  /** SPKI PEM of the API signing key; the fingerprint is computed from it. */
  publicKeyPem: z.string().includes("BEGIN PUBLIC KEY"),
  /** Operation names (`CreateKeyVersion`, ...) the user may call; absent = all (404 for others). */
  allowedOperations: z.array(z.string()).optional(),
  /** Compartments (with their subtrees) the user can access; absent = all. Used by accessLevel=ACCESSIBLE. */
  accessibleCompartmentIds: z.array(Ocid).optional(),
});

export const SeedVault = z.object({
  id: Ocid,
  compartmentId: Ocid,
  displayName: z.string().min(1),
  vaultType: z.enum(["DEFAULT", "VIRTUAL_PRIVATE"]),
  lifecycleState: z.enum(["ACTIVE", "PENDING_DELETION", "DELETED"]).default("ACTIVE"),
  timeCreated: Iso,
  /** The vault this one is a cross-region replica of; its keys are read-only copies. */
  replicaOf: Ocid.optional(),
  region: z.string().default("us-ashburn-1"),
  freeformTags: FreeformTags,
  definedTags: DefinedTags,
});

export const SeedKeyVersion = z.object({
  id: Ocid,
  timeCreated: Iso,
  lifecycleState: z.enum(["ENABLED", "DISABLED", "PENDING_DELETION", "DELETED"]).default("ENABLED"),
  timeOfDeletion: Iso.optional(),
  isAutoRotated: z.boolean().default(false),
});

export const SeedKey = z.object({
  id: Ocid,
  vaultId: Ocid,
  compartmentId: Ocid,
  displayName: z.string().min(1),
  keyShape: z.object({
    algorithm: z.enum(["AES", "RSA", "ECDSA"]),
    length: z.number().int().positive(),
    curveId: z.enum(["NIST_P256", "NIST_P384", "NIST_P521"]).optional(),
  }),
  protectionMode: z.enum(["HSM", "SOFTWARE", "EXTERNAL"]).default("HSM"),
  lifecycleState: z.enum(["ENABLED", "DISABLED", "PENDING_DELETION", "DELETED"]).default("ENABLED"),
  timeCreated: Iso,
  timeOfDeletion: Iso.optional(),
  isAutoRotationEnabled: z.boolean().default(false),
  autoKeyRotationDetails: z
    .object({
      rotationIntervalInDays: z.number().int().min(60).max(365),
      timeOfScheduleStart: Iso.optional(),
      timeOfNextRotation: Iso.optional(),
      timeOfLastRotation: Iso.optional(),
      lastRotationStatus: z.enum(["SUCCESS", "FAILED", "IN_PROGRESS"]).optional(),
      lastRotationMessage: z.string().optional(),
    })
    .optional(),
  /** Version history, oldest first; at least one. */
  versions: z.array(SeedKeyVersion).min(1),
  /** Default: the newest ENABLED version. */
  currentKeyVersionId: Ocid.optional(),
  freeformTags: FreeformTags,
  definedTags: DefinedTags,
});

const BlockResource = {
  id: Ocid,
  compartmentId: Ocid,
  displayName: z.string().min(1),
  availabilityDomain: z.string().default("Uocm:US-ASHBURN-AD-1"),
  kmsKeyId: Ocid.nullable().default(null),
  timeCreated: Iso,
  freeformTags: FreeformTags,
  definedTags: DefinedTags,
};

export const SeedVolume = z.object({
  ...BlockResource,
  sizeInGBs: z.number().int().positive().default(50),
  lifecycleState: z.enum(["PROVISIONING", "AVAILABLE", "TERMINATING", "TERMINATED", "FAULTY"]).default("AVAILABLE"),
});

export const SeedVolumeBackup = z.object({
  ...BlockResource,
  /** The volume (or boot volume, in `bootVolumeBackups`) the backup was taken from. */
  sourceId: Ocid,
  type: z.enum(["FULL", "INCREMENTAL"]).default("FULL"),
  lifecycleState: z.enum(["CREATING", "AVAILABLE", "TERMINATING", "TERMINATED", "FAULTY"]).default("AVAILABLE"),
  expirationTime: Iso.optional(),
});

export const SeedRetentionRule = z.object({
  id: z.string().min(1),
  displayName: z.string().min(1),
  /** Absent = indefinite retention. */
  duration: z.object({ timeAmount: z.number().int().positive(), timeUnit: z.enum(["DAYS", "YEARS"]) }).optional(),
  timeRuleLocked: Iso.optional(),
  timeCreated: Iso,
});

export const SeedBucket = z.object({
  name: z.string().regex(/^[A-Za-z0-9._-]{1,256}$/, "expected a bucket name"),
  id: Ocid,
  compartmentId: Ocid,
  kmsKeyId: Ocid.nullable().default(null),
  timeCreated: Iso,
  versioning: z.enum(["Enabled", "Disabled", "Suspended"]).default("Disabled"),
  approximateCount: z.number().int().nonnegative().default(0),
  retentionRules: z.array(SeedRetentionRule).default([]),
  freeformTags: FreeformTags,
  definedTags: DefinedTags,
});

/** A Notifications topic (PublishMessage targets it). */
export const SeedTopic = z.object({
  id: Ocid,
  name: z.string().min(1),
  compartmentId: Ocid,
  description: z.string().default(""),
  timeCreated: Iso.optional(),
});

export const TenancySeed = z.object({
  tenancy: z.object({
    id: Ocid,
    name: z.string().min(1),
    region: z.string().default("us-ashburn-1"),
    /** Object Storage namespace. */
    namespace: z.string().min(1),
    timeCreated: Iso.optional(),
  }),
  compartments: z.array(SeedCompartment).default([]),
  users: z.array(SeedUser).min(1),
  vaults: z.array(SeedVault).default([]),
  keys: z.array(SeedKey).default([]),
  volumes: z.array(SeedVolume).default([]),
  bootVolumes: z.array(SeedVolume).default([]),
  volumeBackups: z.array(SeedVolumeBackup).default([]),
  bootVolumeBackups: z.array(SeedVolumeBackup).default([]),
  buckets: z.array(SeedBucket).default([]),
  topics: z.array(SeedTopic).default([]),
  audit: z.object({ retentionPeriodDays: z.number().int().min(90).max(365).default(90) }).default({ retentionPeriodDays: 90 }),
});

/** A parsed (defaults applied) tenancy seed. */
export type TenancySeed = z.infer<typeof TenancySeed>;
/** The JSON a person writes (defaults not yet applied). */
export type TenancySeedInput = z.input<typeof TenancySeed>;
export type SeedKey = z.infer<typeof SeedKey>;
export type SeedVault = z.infer<typeof SeedVault>;
export type SeedUser = z.infer<typeof SeedUser>;
