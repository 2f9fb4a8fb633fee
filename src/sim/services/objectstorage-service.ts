/**
 * Object Storage (`ObjectStorageClient`, OCI-NOTES §2.6), served at `<url>/objectstorage` with
 * OCI's own paths (no version prefix): namespace, buckets, ReencryptBucket with work requests that
 * progress over the simulator clock, objects kept in memory, retention rules. Audit event types are
 * lower-case as Object Storage's are (`com.oraclecloud.objectstorage.updatebucket`); ReencryptBucket
 * is a long operation: `.begin` at the call, `.end` when its work request settles, one eventGroupingId.
 */
import { BUCKET_OPERATIONS } from "../objectstorage/bucket-operations.js";
import { OBJECT_OPERATIONS } from "../objectstorage/object-operations.js";
import { RETENTION_RULE_OPERATIONS } from "../objectstorage/retention-rule-operations.js";
import { REENCRYPT_BUCKET, WORK_REQUEST_OPERATIONS } from "../objectstorage/work-request-operations.js";
import { settleWorkRequests } from "../objectstorage/work-request-status.js";
import type { SimService } from "../sim-service.js";

export const objectStorageService: SimService = {
  name: "objectstorage",
  basePath: "/objectstorage",
  auditSource: "ObjectStorage",
  echoesClientRequestId: true,
  eventType: (operation) => `com.oraclecloud.objectstorage.${operation.toLowerCase()}${operation === REENCRYPT_BUCKET ? ".begin" : ""}`,
  operations: [...BUCKET_OPERATIONS, ...WORK_REQUEST_OPERATIONS, ...OBJECT_OPERATIONS, ...RETENTION_RULE_OPERATIONS],
  tick: settleWorkRequests,
};
