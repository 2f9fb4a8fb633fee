/**
 * Block Volume (`BlockstorageClient` of oci-core, OCI-NOTES §2.5), served at `<url>/blockstorage`:
 * Get/List of volumes, boot volumes and their backups, and Get/Update/Delete of the Vault key of
 * volumes and boot volumes (AES keys only; backups keep the key they were made with).
 */
import { KMS_KEY_OPERATIONS } from "../blockstorage/kms-key-operations.js";
import { VOLUME_READ_OPERATIONS } from "../blockstorage/volume-operations.js";
import type { SimService } from "../sim-service.js";

export const blockstorageService: SimService = {
  name: "blockstorage",
  basePath: "/blockstorage",
  auditSource: "BlockVolumes",
  operations: [...VOLUME_READ_OPERATIONS, ...KMS_KEY_OPERATIONS],
};
