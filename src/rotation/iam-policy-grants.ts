/**
 * The mapping behind `keyproof iam-policy`: for each OCI resource-type keyproof touches, the verb
 * it needs, the permissions that verb carries, and the API operations those let keyproof call.
 * One row = one policy statement per location. Sources: OCI's policy reference, one page per
 * service (URL on each row).
 *
 * How it is kept least-privilege:
 * - reads use `read` (OCI verbs are cumulative: inspect < read < use < manage);
 * - every write is a `use`/`manage` statement narrowed with `where request.operation='<Op>'`
 *   ("request.operation: The API operation name being requested", General Variables for All
 *   Requests, https://docs.oracle.com/iaas/Content/Identity/policyreference/policyreference_topic-General_Variables_for_All_Requests.htm),
 *   so the rotator can call CreateKey and CreateKeyVersion but never ScheduleKeyDeletion, DisableKey or UpdateKey,
 *   and UpdateVolumeKmsKey but never UpdateVolume or DeleteVolumeKmsKey. The statements depend on
 *   the operation names, which are certain, not on permission names;
 * - metrics are limited to the `keyproof` namespace with `target.metrics.namespace`.
 *
 * `operations` use the names OCI gives in the policy reference and in Audit event types, which are
 * also the simulator's operation names (src/sim/README.md), so a test can seed a user's allow list
 * with exactly these.
 *
 * Caveats are stated on the rows they concern. Where the stored copies of the reference pages we
 * could search showed only a page's header (Vault, Core Services, Object Storage, Identity), the
 * permission names come from our reading of those pages and should be checked against them; the
 * statements themselves do not depend on them.
 */

export type PolicyVerb = "inspect" | "read" | "use" | "manage";

/** Where a statement applies. */
export type GrantLocation =
  /** `config.scope.compartments` (each as `compartment id <ocid>`), or the tenancy when empty. */
  | "scope"
  /**
   * Where vaults and keys are: the scope, plus `config.scope.vaultCompartments` where they differ
   * (the tenancy when that is empty, since the inventory then looks up vaults tenancy-wide:
   * collect-inventory.ts).
   */
  | "key-compartments"
  | "tenancy"
  /** `config.signals.metricsCompartmentId`. */
  | "metrics-compartment"
  /** The compartment of `config.signals.topicId` (`--topic-compartment`, default the scope). */
  | "topic-compartment";

/** When a grant is needed at all. */
export type GrantWhen = "always" | "metrics-configured" | "topic-configured" | "export-bucket-configured" | "archive-configured";

export interface PolicyGrant {
  /** Short id, stable across versions (for tests and JSON output). */
  id: string;
  /** null: no statement is needed (the service authorises by other permissions). */
  verb: PolicyVerb | null;
  resourceType: string | null;
  /** The `where` clause, without `where`; null for none. */
  condition: string | null;
  location: GrantLocation;
  when: GrantWhen;
  /** Permissions the statement grants (as the policy reference names them). */
  permissions: readonly string[];
  /** API operations the statement lets keyproof call (fully covered by it). */
  operations: readonly string[];
  /** Why keyproof needs it. */
  reason: string;
  /** The OCI policy reference page this row is based on. */
  source: string;
  /** What could not be confirmed, or what else the operation needs; null when nothing. */
  caveat: string | null;
}

// Policy reference pages (docs.oracle.com, "Policy Reference" → "Details for ...").
const VAULT = "https://docs.oracle.com/iaas/Content/Identity/Reference/keypolicyreference.htm";
const CORE = "https://docs.oracle.com/iaas/Content/Identity/Reference/corepolicyreference.htm";
const OBJECT_STORAGE = "https://docs.oracle.com/iaas/Content/Identity/Reference/objectstoragepolicyreference.htm";
const SEARCH = "https://docs.oracle.com/iaas/Content/Identity/Reference/searchpolicyreference.htm";
const AUDIT = "https://docs.oracle.com/iaas/Content/Identity/Reference/auditpolicyreference.htm";
const LOGGING = "https://docs.oracle.com/iaas/Content/Identity/policyreference/loggingpolicyreference.htm";
const MONITORING = "https://docs.oracle.com/iaas/Content/Identity/Reference/monitoringpolicyreference.htm";
const NOTIFICATIONS = "https://docs.oracle.com/iaas/Content/Identity/Reference/notificationpolicyreference.htm";
const IDENTITY = "https://docs.oracle.com/iaas/Content/Identity/Reference/iampolicyreference.htm";
const BLOCK_KEYS = "https://docs.oracle.com/iaas/Content/Block/Concepts/managingblockencryptionkeys.htm";

const op = (...names: string[]) => names.map((n) => `request.operation='${n}'`).join(", ");
const anyOp = (...names: string[]) => (names.length === 1 ? op(...names) : `any {${op(...names)}}`);

/** Reads both the rotator and the auditor need (inventory, evidence). */
const READ_GRANTS: readonly PolicyGrant[] = [
  {
    id: "compartments-inspect", verb: "inspect", resourceType: "compartments", condition: null, location: "tenancy", when: "always",
    permissions: ["COMPARTMENT_INSPECT"], operations: ["ListCompartments"],
    reason: "Walks the configured compartments' subtrees (scope is a compartment subtree).", source: IDENTITY,
    caveat: "`inspect compartments` is granted in the tenancy even when everything else is scoped: keyproof calls ListCompartments on the tenancy with compartmentIdInSubtree=true (OCI lists a whole subtree only from the tenancy), then keeps the configured subtrees. `inspect` shows compartment names and OCIDs only.",
  },
  {
    id: "vaults-read", verb: "read", resourceType: "vaults", condition: null, location: "key-compartments", when: "always",
    permissions: ["VAULT_INSPECT", "VAULT_READ"], operations: ["ListVaults", "GetVault"],
    reason: "Finds the vaults and their management endpoints.", source: VAULT, caveat: null,
  },
  {
    id: "keys-read", verb: "read", resourceType: "keys", condition: null, location: "key-compartments", when: "always",
    permissions: ["KEY_INSPECT", "KEY_READ"], operations: ["ListKeys", "GetKey", "ListKeyVersions", "GetKeyVersion"],
    reason: "Reads keys (GetKey: ListKeys lacks the current version) and every key version.", source: VAULT,
    caveat: "A tagged resource whose key lives outside the scope and vault compartments needs the key statements in the key's compartment too.",
  },
  {
    id: "volumes-read", verb: "read", resourceType: "volumes", condition: null, location: "scope", when: "always",
    permissions: ["VOLUME_INSPECT"],
    operations: ["ListVolumes", "GetVolume", "ListBootVolumes", "GetBootVolume", "GetVolumeKmsKey", "GetBootVolumeKmsKey"],
    reason: "Reads block and boot volumes and the key each reports (read-back after a move).", source: CORE,
    caveat: "Boot volumes are governed by the `volumes` resource-type (their backups by `boot-volume-backups`).",
  },
  {
    id: "volume-backups-read", verb: "read", resourceType: "volume-backups", condition: null, location: "scope", when: "always",
    permissions: ["VOLUME_BACKUP_INSPECT", "VOLUME_BACKUP_READ"], operations: ["ListVolumeBackups", "GetVolumeBackup"],
    reason: "Reads backups to show which keys they still need (retention).", source: CORE, caveat: null,
  },
  {
    id: "boot-volume-backups-read", verb: "read", resourceType: "boot-volume-backups", condition: null, location: "scope", when: "always",
    permissions: ["BOOT_VOLUME_BACKUP_INSPECT", "BOOT_VOLUME_BACKUP_READ"], operations: ["ListBootVolumeBackups", "GetBootVolumeBackup"],
    reason: "Reads boot volume backups to show which keys they still need (retention).", source: CORE, caveat: null,
  },
  {
    id: "buckets-read", verb: "read", resourceType: "buckets", condition: null, location: "scope", when: "always",
    permissions: ["BUCKET_INSPECT", "BUCKET_READ"],
    operations: ["ListBuckets", "GetBucket", "ListRetentionRules", "GetRetentionRule", "GetWorkRequest", "ListWorkRequests", "ListWorkRequestErrors"],
    reason: "Reads buckets (kmsKeyId, retention rules) and the ReencryptBucket work requests.", source: OBJECT_STORAGE,
    caveat: "Which permission OCI checks for Object Storage work requests (GetWorkRequest, ListWorkRequestErrors) was not confirmed; keyproof assumes bucket read.",
  },
  {
    id: "namespace-read", verb: "read", resourceType: "objectstorage-namespaces", condition: null, location: "tenancy", when: "always",
    permissions: ["OBJECTSTORAGE_NAMESPACE_READ"], operations: ["GetNamespace"],
    reason: "Object Storage addresses buckets by namespace.", source: OBJECT_STORAGE, caveat: null,
  },
  {
    id: "resource-search", verb: null, resourceType: null, condition: null, location: "scope", when: "always",
    permissions: [], operations: ["SearchResources", "ListResourceTypes"],
    reason: "Finds tagged volumes, backups and buckets. Search needs no policy of its own: results show what the inspect/read statements above allow.",
    source: SEARCH, caveat: null,
  },
  {
    id: "audit-events-read", verb: "read", resourceType: "audit-events", condition: null, location: "scope", when: "always",
    permissions: ["AUDIT_EVENT_READ"], operations: ["ListEvents"],
    reason: "Collects the Audit events that prove each rotation (evidence).", source: AUDIT, caveat: null,
  },
  {
    id: "log-content-read", verb: "read", resourceType: "log-content", condition: null, location: "scope", when: "always",
    permissions: ["LOG_CONTENT_READ"], operations: ["SearchLogs"],
    reason: "Searches the _Audit log group (Logging Search) for the same evidence.", source: LOGGING, caveat: null,
  },
  {
    id: "audit-configuration-read", verb: "read", resourceType: "audit-events", condition: null, location: "tenancy", when: "always",
    permissions: ["AUDIT_EVENT_READ"], operations: ["GetConfiguration"],
    reason: "Reads the tenancy's Audit retention (keyproof ingest: how far back OCI still holds events; snapshot evidence for PCI DSS 10.5.1).",
    source: AUDIT,
    caveat: "Which permission Audit GetConfiguration checks could not be confirmed from the stored policy reference; read audit-events in the tenancy is our assumption.",
  },
  {
    id: "export-objects-read", verb: "read", resourceType: "objects", condition: null, location: "scope", when: "export-bucket-configured",
    permissions: ["OBJECT_INSPECT", "OBJECT_READ"], operations: ["ListObjects", "GetObject"],
    reason: "Imports the Service Connector audit export objects of ingest.exportBucket.",
    source: OBJECT_STORAGE,
    caveat: "Belongs in the export bucket's compartment, which the configuration does not name: the scope's compartments are used; narrow it with `where target.bucket.name='<bucket>'`.",
  },
  {
    id: "archive-objects-create", verb: "manage", resourceType: "objects", condition: anyOp("PutObject"), location: "scope", when: "archive-configured",
    permissions: ["OBJECT_CREATE"], operations: ["PutObject"],
    reason: "Writes the monthly archive objects of ingest.archiveBucket.",
    source: OBJECT_STORAGE,
    caveat: "Belongs in the archive bucket's compartment, which the configuration does not name: the scope's compartments are used; narrow it with `target.bucket.name='<bucket>'`.",
  },
  {
    id: "archive-objects-read", verb: "read", resourceType: "objects", condition: null, location: "scope", when: "archive-configured",
    permissions: ["OBJECT_INSPECT", "OBJECT_READ"], operations: ["ListObjects", "GetObject"],
    reason: "Lists the archive bucket before each write, so an archive object is never overwritten.",
    source: OBJECT_STORAGE,
    caveat: "Same statement as export-objects-read when both buckets are configured; narrow it with `where target.bucket.name='<bucket>'`.",
  },
];

/** The rotator: the reads above plus exactly the writes the engine makes. */
export const ROTATOR_GRANTS: readonly PolicyGrant[] = [
  ...READ_GRANTS,
  {
    id: "keys-create", verb: "manage", resourceType: "keys", condition: anyOp("CreateKey", "CreateKeyVersion"), location: "key-compartments", when: "always",
    permissions: ["KEY_CREATE", "KEY_ROTATE"], operations: ["CreateKey", "CreateKeyVersion"],
    reason: "Rotates: a new key version (buckets follow key versions) or a successor key (Block Volume needs single-version keys). Nothing else of `manage keys`: never Disable/Delete/Update.",
    source: VAULT, caveat: null,
  },
  {
    id: "vaults-create-key", verb: "use", resourceType: "vaults", condition: anyOp("CreateKey"), location: "key-compartments", when: "always",
    permissions: ["VAULT_CREATE_KEY"], operations: [],
    reason: "CreateKey also needs the vault's permission to hold a new key.", source: VAULT, caveat: null,
  },
  {
    id: "key-delegate-use", verb: "use", resourceType: "key-delegate", condition: anyOp("UpdateVolumeKmsKey", "UpdateBootVolumeKmsKey"), location: "key-compartments", when: "always",
    permissions: ["KEY_ASSOCIATE"], operations: [],
    reason: "Assigning a Vault key to a volume needs `use key-delegate` on the key.", source: VAULT,
    caveat: `Block Volume must also be allowed to use the keys (service policy, see ${BLOCK_KEYS}); it already is where volumes use Vault keys today.`,
  },
  {
    id: "volumes-update-key", verb: "use", resourceType: "volumes", condition: anyOp("UpdateVolumeKmsKey", "UpdateBootVolumeKmsKey"), location: "scope", when: "always",
    permissions: ["VOLUME_UPDATE"], operations: ["UpdateVolumeKmsKey", "UpdateBootVolumeKmsKey"],
    reason: "Moves each volume and boot volume to the successor key.", source: CORE, caveat: null,
  },
  {
    id: "buckets-reencrypt", verb: "use", resourceType: "buckets", condition: anyOp("ReencryptBucket"), location: "scope", when: "always",
    permissions: ["BUCKET_UPDATE"], operations: ["ReencryptBucket"],
    reason: "Re-encrypts each bucket's data encryption keys under the new key version.", source: OBJECT_STORAGE,
    caveat: "Object Storage must also be allowed to use the keys (service policy `objectstorage-<region>`); it already is where buckets use Vault keys today.",
  },
  {
    id: "metrics-post", verb: "use", resourceType: "metrics", condition: "target.metrics.namespace='keyproof'", location: "metrics-compartment", when: "metrics-configured",
    permissions: ["METRIC_WRITE"], operations: ["PostMetricData"],
    reason: "Posts rotation metrics, in namespace keyproof only.", source: MONITORING, caveat: null,
  },
  {
    id: "topic-publish", verb: "use", resourceType: "ons-topics", condition: anyOp("PublishMessage"), location: "topic-compartment", when: "topic-configured",
    permissions: ["ONS_TOPIC_PUBLISH"], operations: ["PublishMessage"],
    reason: "Publishes failure alerts and the monthly summary. `use ons-topics` alone would also allow managing subscriptions.", source: NOTIFICATIONS,
    caveat: "Notifications has no per-topic variable: the statement covers every topic of its compartment.",
  },
];

/** The read-only auditor group: inspect/read only, and the keyproof metrics. */
export const AUDITOR_GRANTS: readonly PolicyGrant[] = [
  ...READ_GRANTS,
  {
    id: "metrics-read", verb: "read", resourceType: "metrics", condition: "target.metrics.namespace='keyproof'", location: "metrics-compartment", when: "metrics-configured",
    permissions: ["METRIC_INSPECT", "METRIC_READ"], operations: ["ListMetrics", "SummarizeMetricsData"],
    reason: "Reads keyproof's rotation metrics.", source: MONITORING, caveat: null,
  },
];
