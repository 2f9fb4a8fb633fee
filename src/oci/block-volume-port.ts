/**
 * BlockVolumePort: a volume's or boot volume's key (GetVolumeKmsKey / GetBootVolumeKmsKey) and the
 * move to another key (UpdateVolumeKmsKey / UpdateBootVolumeKmsKey, OCI-NOTES §2.5). The update's
 * 200 is not proof (DESIGN §3 rule 5): the engine reads back with getKmsKey.
 */
import type { BlockstorageClient } from "oci-core";
import { toOciWrite } from "./kms-management-port.js";
import { listAllPages } from "./list-all-pages.js";
import type { BlockVolumePort, OciVolumeBackup } from "./oci-ports.js";
import { ociInstant } from "./oci-time.js";
import { tagsOf } from "./to-oci-models.js";
import type { OciCaller } from "./with-retry.js";

type BackupModel = {
  id: string; displayName: string; compartmentId: string; lifecycleState?: string; timeCreated?: unknown;
  kmsKeyId?: string; expirationTime?: unknown; freeformTags?: Record<string, string>; definedTags?: Record<string, Record<string, unknown>>;
};

function toOciVolumeBackup(kind: OciVolumeBackup["kind"], b: BackupModel, sourceId: string | undefined): OciVolumeBackup {
  return {
    kind, id: b.id, displayName: b.displayName, compartmentId: b.compartmentId, lifecycleState: b.lifecycleState ?? null,
    timeCreated: ociInstant(b.timeCreated), kmsKeyId: b.kmsKeyId || null, sourceId: sourceId ?? null,
    expirationTime: ociInstant(b.expirationTime), ...tagsOf(b),
  };
}

/** @param pageLimit `limit` per list page (undefined: OCI's default). */
export function createBlockVolumePort(client: BlockstorageClient, call: OciCaller, pageLimit?: number): BlockVolumePort {
  return {
    async getKmsKey(kind, id) {
      if (kind === "volume") return (await call("GetVolumeKmsKey", () => client.getVolumeKmsKey({ volumeId: id }))).value.volumeKmsKey.kmsKeyId || null;
      return (await call("GetBootVolumeKmsKey", () => client.getBootVolumeKmsKey({ bootVolumeId: id }))).value.bootVolumeKmsKey.kmsKeyId || null;
    },
    async updateKmsKey(kind, id, kmsKeyId) {
      if (kind === "volume") {
        const outcome = await call("UpdateVolumeKmsKey", () => client.updateVolumeKmsKey({ volumeId: id, updateVolumeKmsKeyDetails: { kmsKeyId } }));
        return toOciWrite(outcome, outcome.value.volumeKmsKey.kmsKeyId || null);
      }
      const outcome = await call("UpdateBootVolumeKmsKey", () => client.updateBootVolumeKmsKey({ bootVolumeId: id, updateBootVolumeKmsKeyDetails: { kmsKeyId } }));
      return toOciWrite(outcome, outcome.value.bootVolumeKmsKey.kmsKeyId || null);
    },
    async listVolumeBackups(compartmentId) {
      const volumeBackups = await listAllPages(
        "ListVolumeBackups",
        async (page) => {
          const { value } = await call("ListVolumeBackups", () => client.listVolumeBackups({ compartmentId, page, limit: pageLimit }));
          return { items: value.items, nextPage: value.opcNextPage };
        },
        { idOf: (b) => b.id },
      );
      const bootVolumeBackups = await listAllPages(
        "ListBootVolumeBackups",
        async (page) => {
          const { value } = await call("ListBootVolumeBackups", () => client.listBootVolumeBackups({ compartmentId, page, limit: pageLimit }));
          return { items: value.items, nextPage: value.opcNextPage };
        },
        { idOf: (b) => b.id },
      );
      return [
        ...volumeBackups.map((b) => toOciVolumeBackup("volumebackup", b, b.volumeId)),
        ...bootVolumeBackups.map((b) => toOciVolumeBackup("bootvolumebackup", b, b.bootVolumeId)),
      ];
    },
  };
}
