/**
 * Object Storage namespace and bucket operations (OCI-NOTES §2.6): GetNamespace, GetBucket,
 * ListBuckets and UpdateBucket (POST, `kmsKeyId: ""` = back to the Oracle-managed key, if-match
 * against the bucket's `ETag`).
 */
import { assignableKey } from "../blockstorage/assignable-key.js";
import { paginate } from "../http/paginate.js";
import { requiredQuery } from "../http/query-params.js";
import { bodyObject } from "../kms/kms-rules.js";
import type { SimOperation } from "../sim-service.js";
import { SimError, invalid } from "../sim-error.js";
import { bucketEtag, bucketJson, bucketParam, bucketSummaryJson, checkEtag, checkNamespace, requestedFields } from "./bucket-json.js";

type Tags = Record<string, string>;
type DefinedTags = Record<string, Record<string, unknown>>;

function tagsOf<T>(value: unknown, name: string): T {
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw invalid(name, "expected a JSON object");
  return value as T;
}

export const BUCKET_OPERATIONS: readonly SimOperation[] = [
  {
    name: "GetNamespace", method: "GET", path: "/n", write: false,
    handle(ctx) {
      ctx.audit.compartmentId = ctx.query.get("compartmentId") || ctx.state.tenancy.id;
      return { body: ctx.state.tenancy.namespace };
    },
  },
  {
    name: "GetBucket", method: "GET", path: "/n/:namespaceName/b/:bucketName", write: false,
    handle(ctx) {
      const bucket = bucketParam(ctx);
      const etag = bucketEtag(bucket);
      if (ctx.headers.get("if-none-match") === etag) return { status: 304, headers: { ETag: etag } };
      checkEtag(ctx.headers.get("if-match"), etag);
      return { body: bucketJson(ctx.state, bucket, requestedFields(ctx.query)), headers: { ETag: etag } };
    },
  },
  {
    name: "ListBuckets", method: "GET", path: "/n/:namespaceName/b", write: false,
    handle(ctx) {
      checkNamespace(ctx);
      const compartmentId = requiredQuery(ctx.query, "compartmentId");
      ctx.audit.compartmentId = compartmentId;
      const withTags = requestedFields(ctx.query).has("tags");
      const buckets = [...ctx.state.buckets.values()].filter((b) => b.compartmentId === compartmentId).sort((a, b) => (a.name < b.name ? -1 : 1));
      const page = paginate(ctx, buckets, { defaultLimit: 25, maxLimit: 1000 });
      const body = page.items.map((b) => {
        const summary = bucketSummaryJson(ctx.state, b);
        // OCI returns the tags of a BucketSummary only when asked with fields=tags.
        return withTags ? summary : { ...summary, freeformTags: undefined, definedTags: undefined };
      });
      return { body, headers: page.headers };
    },
  },
  {
    name: "UpdateBucket", method: "POST", path: "/n/:namespaceName/b/:bucketName", write: true,
    handle(ctx) {
      const bucket = bucketParam(ctx);
      checkEtag(ctx.headers.get("if-match"), bucketEtag(bucket));
      const body = bodyObject(ctx.body, true);
      if (body.name !== undefined && body.name !== bucket.name) throw invalid("name", "renaming a bucket is not supported by the simulator");
      if (body.namespace !== undefined && body.namespace !== ctx.state.tenancy.namespace) throw invalid("namespace", "does not match the path");
      if (body.versioning === "Enabled" && bucket.versioning !== "Enabled" && bucket.retentionRules.length > 0) {
        // Checked before any change: a refused update changes nothing.
        throw new SimError("Conflict", `The bucket ${bucket.name} has retention rules; versioning cannot be enabled on it`);
      }
      const previous = { kmsKeyId: bucket.kmsKeyId, freeformTags: bucket.freeformTags };
      if (body.kmsKeyId !== undefined) {
        // "" removes the key: the bucket goes back to an Oracle-managed master encryption key.
        bucket.kmsKeyId = body.kmsKeyId === "" || body.kmsKeyId === null ? null : assignableKey(ctx.state, body.kmsKeyId, "Object Storage").id;
      }
      if (body.freeformTags !== undefined) bucket.freeformTags = tagsOf<Tags>(body.freeformTags, "freeformTags");
      if (body.definedTags !== undefined) bucket.definedTags = tagsOf<DefinedTags>(body.definedTags, "definedTags");
      if (body.versioning !== undefined) {
        if (body.versioning !== "Enabled" && body.versioning !== "Suspended") throw invalid("versioning", "expected Enabled or Suspended");
        bucket.versioning = body.versioning;
      }
      if (body.compartmentId !== undefined && body.compartmentId !== bucket.compartmentId) {
        const target = String(body.compartmentId);
        if (target !== ctx.state.tenancy.id && !ctx.state.compartments.has(target)) throw invalid("compartmentId", `unknown compartment ${target}`);
        bucket.compartmentId = target;
      }
      Object.assign(ctx.audit, {
        freeformTags: bucket.freeformTags, definedTags: bucket.definedTags,
        stateChange: { previous, current: { kmsKeyId: bucket.kmsKeyId, freeformTags: bucket.freeformTags } },
      });
      return { body: bucketJson(ctx.state, bucket), headers: { ETag: bucketEtag(bucket) } };
    },
  },
];
