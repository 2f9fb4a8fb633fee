/**
 * Bucket records → the JSON Object Storage answers (oci-objectstorage models Bucket and
 * BucketSummary, OCI-NOTES §2.6), and the lookups every bucket-scoped operation starts with.
 */
import { etagOf } from "../http/etag.js";
import type { OpContext } from "../sim-service.js";
import { SimError, notFound } from "../sim-error.js";
import type { SimState } from "../state/sim-state.js";
import { bucketObjects } from "./object-storage-state.js";

/** A bucket as the state holds it (seeded or updated). */
export type BucketRecord = SimState["buckets"] extends Map<string, infer B> ? B : never;

/** Average size assumed for the seeded objects the simulator does not hold bodies for. */
const VIRTUAL_OBJECT_BYTES = 1_048_576;

/** The bucket's etag; object writes do not change it (they change approximateCount only). */
export function bucketEtag(bucket: BucketRecord): string {
  const { approximateCount: _count, ...rest } = bucket;
  return etagOf(rest);
}

/** 412 NoEtagMatch when `if-match` is set and is not `etag` (quotes and W/ ignored). */
export function checkEtag(ifMatch: string | null, etag: string): void {
  if (!ifMatch || ifMatch === "*") return;
  if (ifMatch.replace(/^W\//, "").replace(/"/g, "") !== etag) {
    throw new SimError("NoEtagMatch", `The resource's etag ${etag} does not match if-match ${ifMatch}`);
  }
}

/** The path's namespace must be the tenancy's (404 otherwise, as OCI answers an unknown namespace). */
export function checkNamespace(ctx: OpContext): string {
  const ns = ctx.params.namespaceName ?? "";
  if (ns !== ctx.state.tenancy.namespace) throw notFound("Namespace", ns);
  return ns;
}

/** The bucket of the path (404 BucketNotFound-style answer when unknown); fills the audit details. */
export function bucketParam(ctx: OpContext): BucketRecord {
  checkNamespace(ctx);
  const name = ctx.params.bucketName ?? "";
  const bucket = ctx.state.buckets.get(name);
  if (!bucket) throw notFound("Bucket", name);
  Object.assign(ctx.audit, {
    compartmentId: bucket.compartmentId, resourceId: bucket.id, resourceName: bucket.name,
    freeformTags: bucket.freeformTags, definedTags: bucket.definedTags,
  });
  return bucket;
}

function createdBy(state: SimState): string {
  return [...state.users.values()][0]?.id ?? state.tenancy.id;
}

export function bucketSummaryJson(state: SimState, b: BucketRecord): Record<string, unknown> {
  return {
    namespace: state.tenancy.namespace, name: b.name, compartmentId: b.compartmentId, createdBy: createdBy(state),
    timeCreated: new Date(b.timeCreated).toISOString(), etag: bucketEtag(b), freeformTags: b.freeformTags, definedTags: b.definedTags,
  };
}

/** GetBucket/UpdateBucket body; `fields` adds approximateCount / approximateSize as OCI does on request. */
export function bucketJson(state: SimState, b: BucketRecord, fields: ReadonlySet<string> = new Set()): Record<string, unknown> {
  const stored = Object.values(bucketObjects(state, b.name));
  const storedBytes = stored.reduce((sum, o) => sum + o.bytes.length, 0);
  const virtual = Math.max(0, b.approximateCount - stored.length);
  return {
    ...bucketSummaryJson(state, b),
    metadata: {}, publicAccessType: "NoPublicAccess", storageTier: "Standard", objectEventsEnabled: false,
    kmsKeyId: b.kmsKeyId ?? undefined,
    objectLifecyclePolicyEtag: null,
    approximateCount: fields.has("approximateCount") ? b.approximateCount : undefined,
    approximateSize: fields.has("approximateSize") ? storedBytes + virtual * VIRTUAL_OBJECT_BYTES : undefined,
    replicationEnabled: false, isReadOnly: false, id: b.id, versioning: b.versioning, autoTiering: "Disabled",
  };
}

/** `fields` as the SDK sends it (repeated) or as the docs show it (comma-separated). */
export function requestedFields(query: URLSearchParams): Set<string> {
  return new Set(query.getAll("fields").flatMap((f) => f.split(",")).map((f) => f.trim()).filter(Boolean));
}
