/**
 * The narrow ports keyproof uses to talk to OCI (STYLE §11), in keyproof's own shapes: every time
 * is a canonical UTC ISO string (`2026-03-08T13:00:00.000Z`, normalised at the adapter boundary,
 * cases B01/B02), every list is complete (the adapter follows `opc-next-page` to the end with the
 * B07 guard), and every call goes through the one retry layer (`with-retry.ts`, cases B03/B09).
 *
 * Reads return plain values. Writes return {@link OciWrite}: the value plus what the evidence
 * record needs (the `opc-request-id` of the attempt that succeeded, how many attempts it took,
 * the work request id). Every failure is an {@link OciCallError}.
 *
 * The rotation engine, ingestion and signals depend on these types only; the SDK adapter is
 * `create-oci-ports.ts`, the one place that imports the oci-* client packages.
 */
import { AppError } from "../app/errors.js";

/** KMS vault (oci-keymanagement Vault). */
export interface OciVault {
  id: string;
  compartmentId: string;
  displayName: string;
  /** VIRTUAL_PRIVATE | DEFAULT | EXTERNAL. */
  vaultType: string;
  lifecycleState: string;
  managementEndpoint: string;
  cryptoEndpoint: string;
  /** False for the replica of a replicated vault (OCI: Vault.isPrimary; absent = true). */
  isPrimary: boolean;
  /** Region id the vault lives in, when known (replica vaults are in another region). */
  region: string | null;
  freeformTags: Record<string, string>;
  definedTags: Record<string, Record<string, unknown>>;
}

export interface OciAutoRotation {
  rotationIntervalInDays: number | null;
  timeOfScheduleStart: string | null;
  timeOfNextRotation: string | null;
  timeOfLastRotation: string | null;
  /** SUCCESS | FAILED | IN_PROGRESS. */
  lastRotationStatus: string | null;
  lastRotationMessage: string | null;
}

/** Master encryption key (oci-keymanagement Key, from GetKey: ListKeys lacks currentKeyVersion). */
export interface OciKey {
  id: string;
  vaultId: string;
  compartmentId: string;
  displayName: string;
  lifecycleState: string;
  /** HSM | SOFTWARE | EXTERNAL. */
  protectionMode: string;
  /** AES | RSA | ECDSA. */
  algorithm: string;
  /** Bytes (AES 16/24/32; RSA 256/384/512). */
  length: number;
  curveId: string | null;
  currentKeyVersionId: string;
  timeCreated: string;
  timeOfDeletion: string | null;
  isPrimary: boolean;
  isAutoRotationEnabled: boolean;
  autoRotation: OciAutoRotation | null;
  freeformTags: Record<string, string>;
  definedTags: Record<string, Record<string, unknown>>;
}

export interface OciKeyVersion {
  id: string;
  keyId: string;
  vaultId: string;
  lifecycleState: string;
  timeCreated: string;
  timeOfDeletion: string | null;
  /** INTERNAL | EXTERNAL. */
  origin: string;
  isAutoRotated: boolean;
}

export type ResourceKind = "volume" | "bootvolume" | "volumebackup" | "bootvolumebackup" | "bucket";

/** A resource found by Resource Search, with its key read from its own service. */
export interface OciResource {
  kind: ResourceKind;
  /** OCID (for buckets, the bucket OCID). */
  id: string;
  displayName: string;
  compartmentId: string;
  lifecycleState: string | null;
  timeCreated: string | null;
  /** The key's OCID; null = Oracle-managed key. */
  kmsKeyId: string | null;
  freeformTags: Record<string, string>;
  definedTags: Record<string, Record<string, unknown>>;
  /** Buckets only: namespace and name (Object Storage addresses buckets by name). */
  namespace: string | null;
  bucketName: string | null;
  /** Backups only: the volume or boot volume they were taken from. */
  sourceId: string | null;
}

/** Object Storage work request (status values: ACCEPTED, IN_PROGRESS, FAILED, COMPLETED, CANCELING, CANCELED). */
export interface OciWorkRequest {
  id: string;
  operationType: string;
  status: string;
  percentComplete: number | null;
  timeAccepted: string | null;
  timeStarted: string | null;
  timeFinished: string | null;
  /** Error messages (ListWorkRequestErrors) when FAILED; empty otherwise. */
  errors: string[];
}

/**
 * A tagged resource Resource Search listed in scope whose own read (GetVolume, GetBucket, ...)
 * failed after the retry layer: left out of `resources`, reported so that the caller can say why
 * (DESIGN §3 rules 7 and 9: one bad read never hides the rest, and never passes silently).
 */
export interface UnreadableResource {
  kind: ResourceKind;
  id: string;
  /** From the search summary (the authoritative read failed). */
  displayName: string;
  compartmentId: string;
  /** The read that failed: GetVolume, GetBootVolume, GetVolumeBackup, GetBootVolumeBackup, GetNamespace or GetBucket. */
  operation: string;
  /** OciCallError.reason (`malformed-answer` when OCI answered without a field keyproof needs). */
  reason: OciFailureReason;
  statusCode: number | null;
  serviceCode: string | null;
}

/** What findTaggedResources found: the resources read, and the ones whose read failed. */
export interface TaggedResources {
  resources: OciResource[];
  unreadable: UnreadableResource[];
}

export interface FindTaggedResourcesOptions {
  /**
   * Only search results in these compartments are read (Get*); the rest are never touched.
   * Absent = every result (the whole tenancy).
   */
  compartmentIds?: Iterable<string>;
}

/** Tag selector: freeform `key=value`, or defined `namespace.key=value` (config scope.tag). */
export interface TagSelector {
  namespace: string | null;
  key: string;
  value: string;
}

/** The details of a successful write that evidence records keep. */
export interface OciWrite<T> {
  value: T;
  /** `opc-request-id` of the successful attempt (OCI's request id, as in the Audit record). */
  opcRequestId: string | null;
  /** Attempts made, 1 = first try. */
  attempts: number;
  /** `opc-work-request-id` for asynchronous operations (ReencryptBucket). */
  workRequestId: string | null;
}

export interface CreateKeyDetails {
  compartmentId: string;
  displayName: string;
  algorithm: string;
  length: number;
  curveId: string | null;
  protectionMode: string;
  freeformTags: Record<string, string>;
  definedTags: Record<string, Record<string, unknown>>;
}

/**
 * A key as ListKeys lists it (oci-keymanagement KeySummary): no current version, shape length or
 * auto-rotation details (GetKey has those), but the tags, so a caller can tell which keys it wants
 * (scope tag, `predecessor` tag) before reading them one by one.
 */
export interface OciKeySummary {
  id: string;
  /** The vault the key was listed through (a replica vault lists its primary's keys). */
  vaultId: string;
  compartmentId: string;
  displayName: string;
  lifecycleState: string;
  /** HSM | SOFTWARE | EXTERNAL; null when OCI leaves it out. */
  protectionMode: string | null;
  /** AES | RSA | ECDSA; null when OCI leaves it out. */
  algorithm: string | null;
  /** null when OCI's answer has no readable time (a summary is never rejected for it). */
  timeCreated: string | null;
  freeformTags: Record<string, string>;
  definedTags: Record<string, Record<string, unknown>>;
}

/** KMS management of one vault (the client points at the vault's managementEndpoint). */
export interface KmsManagementPort {
  getKey(keyId: string): Promise<OciKey>;
  /** Every key of a compartment in this vault (ListKeys, then GetKey each). */
  listKeys(compartmentId: string): Promise<OciKey[]>;
  /** Every key of a compartment in this vault as ListKeys lists it (every page, no GetKey). */
  listKeySummaries(compartmentId: string): Promise<OciKeySummary[]>;
  listKeyVersions(keyId: string): Promise<OciKeyVersion[]>;
  /** CreateKeyVersion with `opc-retry-token` = retryToken (OCI replays the same version for 24 h). */
  createKeyVersion(keyId: string, retryToken: string): Promise<OciWrite<OciKeyVersion>>;
  /** CreateKey with `opc-retry-token` = retryToken. */
  createKey(details: CreateKeyDetails, retryToken: string): Promise<OciWrite<OciKey>>;
}

export interface BlockVolumePort {
  /** GetVolumeKmsKey / GetBootVolumeKmsKey: the key the service reports now (null = Oracle-managed). */
  getKmsKey(kind: "volume" | "bootvolume", id: string): Promise<string | null>;
  /** UpdateVolumeKmsKey / UpdateBootVolumeKmsKey. A 200 is not proof: read back with getKmsKey. */
  updateKmsKey(kind: "volume" | "bootvolume", id: string, kmsKeyId: string): Promise<OciWrite<string | null>>;
  /** ListVolumeBackups and ListBootVolumeBackups of one compartment (all pages, B07 guard), with their keys. */
  listVolumeBackups(compartmentId: string): Promise<OciVolumeBackup[]>;
}

export interface ObjectStoragePort {
  /** ReencryptBucket: 202 with `opc-work-request-id` (in OciWrite.workRequestId). */
  reencryptBucket(namespace: string, bucketName: string): Promise<OciWrite<null>>;
  getWorkRequest(workRequestId: string): Promise<OciWorkRequest>;
  /**
   * The REENCRYPT work requests of one bucket accepted at or after `acceptedSince` (an instant),
   * oldest first, from ListWorkRequests of the bucket's compartment (every page; no `errors`).
   * ReencryptBucket takes no `opc-retry-token`, so this is how a rerun finds the work request of a
   * call whose answer was lost (a crash while it was in flight) instead of re-encrypting twice.
   */
  findReencryptWorkRequests(compartmentId: string, namespace: string, bucketName: string, acceptedSince: string): Promise<OciWorkRequest[]>;
  /** GetNamespace of the tenancy. */
  getNamespace(): Promise<string>;
  /**
   * ListObjects, one page of objects whose name starts with `prefix`, after `start` (inclusive
   * name), with etag, size and time modified. `nextStartWith` null on the last page.
   */
  listObjects(namespace: string, bucketName: string, prefix: string, start?: string): Promise<{ objects: OciObjectSummary[]; nextStartWith: string | null }>;
  /** GetObject: the body as a Node stream (consume or destroy it), with the etag answered. */
  getObject(namespace: string, bucketName: string, objectName: string): Promise<{ body: NodeJS.ReadableStream; etag: string; sizeBytes: number | null }>;
  /** PutObject of a whole body (not paced; Object Storage has no retry token: a retry overwrites the same name). */
  putObject(namespace: string, bucketName: string, objectName: string, body: Buffer, contentType: string): Promise<OciWrite<{ etag: string }>>;
  /** ListRetentionRules of a bucket (all pages, B07 guard). */
  listRetentionRules(namespace: string, bucketName: string): Promise<OciRetentionRule[]>;
}

/**
 * One page of an audit read, items as OCI sent them (plain JSON objects, times untouched), so the
 * archive keeps the original record. `attempts` counts HTTP attempts of this page (retries included).
 */
export interface RawPage {
  items: Record<string, unknown>[];
  /** `opc-next-page`; null on the last page (an empty header counts as absent). */
  nextPage: string | null;
  opcRequestId: string | null;
  attempts: number;
}

/** Audit (oci-audit AuditClient, OCI-NOTES §2.7). */
export interface AuditPort {
  /**
   * ListEvents, one page: events of `compartmentId` only (not its subtree) PROCESSED at or after
   * `startTime` and before `endTime`. Both bounds are epoch ms on whole minutes (anything finer is
   * floored) and are sent as `YYYY-MM-DDTHH:MM:00Z` strings (cases.md B01).
   * @throws OciCallError after the retry layer.
   */
  listEventsPage(compartmentId: string, startTimeMs: number, endTimeMs: number, page?: string): Promise<RawPage>;
  /** GetConfiguration of the tenancy: days OCI keeps audit events (90..365). */
  getRetentionPeriodDays(): Promise<OciWrite<number>>;
}

/** Logging Search (oci-loggingsearch LogSearchClient, OCI-NOTES §2.8). */
export interface LoggingSearchPort {
  /**
   * SearchLogs, one page: `items` are `results[].data` objects (`{datetime, logContent, regionId}`),
   * records whose event time is in [timeStart, timeEnd) (epoch ms, sent as ISO with ms). `limit`
   * 1..1000 (default 1000). "Done" is the absence of `nextPage`, never a short page (cases.md B05).
   */
  searchLogsPage(searchQuery: string, timeStartMs: number, timeEndMs: number, page?: string, limit?: number): Promise<RawPage>;
}

/** One object of a bucket listing. */
export interface OciObjectSummary {
  name: string;
  etag: string;
  sizeBytes: number;
  /** Canonical ISO UTC; null when OCI did not answer it. */
  timeModified: string | null;
}

/** A bucket retention rule (Object Storage retention rules). */
export interface OciRetentionRule {
  id: string;
  displayName: string;
  /** Null = indefinite retention. */
  duration: { timeAmount: number; timeUnit: "DAYS" | "YEARS" } | null;
  /** Set once the rule is locked (cannot be shortened or removed after this instant); canonical ISO UTC. */
  timeRuleLocked: string | null;
  timeCreated: string | null;
  timeModified: string | null;
}

/** A volume or boot volume backup and its key. */
export interface OciVolumeBackup {
  kind: "volumebackup" | "bootvolumebackup";
  id: string;
  displayName: string;
  compartmentId: string;
  lifecycleState: string | null;
  timeCreated: string | null;
  /** Null = Oracle-managed key. */
  kmsKeyId: string | null;
  /** The volume / boot volume it was taken from. */
  sourceId: string | null;
  /** Canonical ISO UTC; null = kept until deleted. */
  expirationTime: string | null;
  freeformTags: Record<string, string>;
  definedTags: Record<string, Record<string, unknown>>;
}

export interface MetricDatum {
  name: string;
  compartmentId: string;
  dimensions: Record<string, string>;
  /** UTC instant. */
  timestamp: string;
  value: number;
}

export interface SignalsPort {
  /** Notifications PublishMessage (messageType RAW_TEXT). */
  publishMessage(topicId: string, title: string, body: string): Promise<OciWrite<{ messageId: string }>>;
  /** Monitoring PostMetricData, namespace `keyproof`; returns the number of failed metrics. */
  postMetricData(metrics: MetricDatum[]): Promise<OciWrite<{ failedMetricsCount: number }>>;
}

/** Every OCI read and write keyproof makes. */
export interface OciPorts {
  tenancyId: string;
  /** The home region of the auth provider / config. */
  region: string;
  /** The compartment and every compartment below it (Identity ListCompartments, ACTIVE only). */
  listCompartmentSubtree(rootId: string): Promise<string[]>;
  listVaults(compartmentId: string): Promise<OciVault[]>;
  getVault(vaultId: string): Promise<OciVault>;
  /** KMS management for a vault (its managementEndpoint). */
  kms(vault: OciVault): KmsManagementPort;
  /**
   * Resource Search for volumes, boot volumes, volume backups, boot volume backups and buckets
   * carrying the tag (only those in `options.compartmentIds`, when given), each completed with its
   * kmsKeyId from its own service (GetVolume, GetBucket...). A resource whose own read fails is in
   * `unreadable`, never a failed call; only the search itself failing throws.
   */
  findTaggedResources(selector: TagSelector, options?: FindTaggedResourcesOptions): Promise<TaggedResources>;
  blockVolume: BlockVolumePort;
  objectStorage: ObjectStoragePort;
  audit: AuditPort;
  loggingSearch: LoggingSearchPort;
  signals: SignalsPort;
  /** Closes every client (circuit-breaker timers, keep-alive sockets). */
  close(): void;
}

/** Why an OCI call failed, in the terms run records and coverage use. */
export type OciFailureReason =
  | "throttled"
  | "authentication"
  | "not-authorized-or-not-found"
  | "conflict"
  | "invalid-request"
  | "server-error"
  | "network"
  | "timeout"
  /** A list whose next-page token or first item repeated (cases.md B07): the result would be incomplete. */
  | "pagination-stalled"
  /**
   * OCI answered 2xx but the answer cannot be read: not JSON, or without a field keyproof needs
   * (ListEvents without an array of events, SearchLogs without `searchResponse`). Not retried.
   */
  | "malformed-answer";

/**
 * An OCI call that failed after the retry layer gave up (or at once, for errors not retried).
 * code OCI_UNAVAILABLE (CLI exit 7).
 */
export class OciCallError extends AppError {
  constructor(
    readonly operation: string,
    readonly reason: OciFailureReason,
    message: string,
    readonly statusCode: number | null,
    readonly serviceCode: string | null,
    readonly opcRequestId: string | null,
    readonly attempts: number,
    /**
     * True when OCI may have applied the last attempt although no success answer arrived (a
     * timeout, a connection lost after the request was sent, a 5xx) and the operation is not safe
     * to repeat (with-retry.ts NOT_SAFE_TO_REPEAT): the retry layer did not re-send it, and the
     * caller must find out what happened before sending it again.
     */
    readonly outcomeUnknown = false,
  ) {
    super("OCI_UNAVAILABLE", `${operation}: ${message}`);
    this.name = "OciCallError";
  }
}
