/**
 * BlockVolumePort: a volume's or boot volume's key (GetVolumeKmsKey / GetBootVolumeKmsKey) and the
 * move to another key (UpdateVolumeKmsKey / UpdateBootVolumeKmsKey, OCI-NOTES §2.5). The update's
 * 200 is not proof (DESIGN §3 rule 5): the engine reads back with getKmsKey.
 */
import type { BlockstorageClient } from "oci-core";
import { toOciWrite } from "./kms-management-port.js";
import type { BlockVolumePort } from "./oci-ports.js";
import type { OciCaller } from "./with-retry.js";

export function createBlockVolumePort(client: BlockstorageClient, call: OciCaller): BlockVolumePort {
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
  };
}
