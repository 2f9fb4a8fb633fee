/**
 * KMS management (`KmsManagementClient`, OCI-NOTES §2.2), served per vault at
 * `<url>/kms-mgmt/<vaultPrefix>` (the vault's managementEndpoint). Writes are throttled at 10 per
 * second per tenancy, as OCI documents; auto-rotation and deletions run on the simulator clock.
 */
import { KEY_OPERATIONS } from "../kms/key-operations.js";
import { KEY_VERSION_OPERATIONS } from "../kms/key-version-operations.js";
import { AUTO_ROTATE, runDueKeyWork } from "../kms/run-due-key-work.js";
import type { SimService } from "../sim-service.js";

export const kmsManagementService: SimService = {
  name: "kms-mgmt",
  basePath: "/kms-mgmt/:vault",
  auditSource: "KeyManagementService",
  writesPerSecond: 10,
  operations: [...KEY_OPERATIONS, ...KEY_VERSION_OPERATIONS],
  backgroundOperations: [AUTO_ROTATE],
  tick: runDueKeyWork,
};
