/**
 * Get/Update/Delete of a volume's or boot volume's Vault key (OCI-NOTES §2.5). Block Volume accepts
 * ENABLED AES keys only (assignable-key.ts) and supports single-version keys: a rotation is a move
 * to a successor key, and re-submitting the same key regenerates the volume key. Backups are not
 * touched: they keep the key they were made with. The volume must be AVAILABLE (409 IncorrectState).
 */
import { checkIfMatch, etagOf } from "../http/etag.js";
import { bodyObject } from "../kms/kms-rules.js";
import type { OpContext, SimOperation } from "../sim-service.js";
import { incorrectState } from "../sim-error.js";
import { assignableKey } from "./assignable-key.js";
import type { VolumeRecord } from "./block-json.js";
import { VOLUME_KINDS, recordParam } from "./volume-operations.js";

function volumeOf(ctx: OpContext, boot: boolean): VolumeRecord {
  return boot ? recordParam(ctx, VOLUME_KINDS.bootVolume, "bootVolumeId") : recordParam(ctx, VOLUME_KINDS.volume, "volumeId");
}

function change(ctx: OpContext, volume: VolumeRecord, kmsKeyId: string | null): void {
  checkIfMatch(ctx.headers.get("if-match"), volume);
  if (volume.lifecycleState !== "AVAILABLE") throw incorrectState(`The volume ${volume.id} is ${volume.lifecycleState}; its key can only change while AVAILABLE`);
  const previous = volume.kmsKeyId;
  volume.kmsKeyId = kmsKeyId;
  ctx.audit.stateChange = { previous: { kmsKeyId: previous }, current: { kmsKeyId } };
  ctx.audit.freeformTags = volume.freeformTags;
  ctx.audit.definedTags = volume.definedTags;
}

function kmsKeyOperations(boot: boolean): SimOperation[] {
  const noun = boot ? "BootVolume" : "Volume";
  const path = boot ? "/20160918/bootVolumes/:bootVolumeId/kmsKey" : "/20160918/volumes/:volumeId/kmsKey";
  return [
    {
      name: `Get${noun}KmsKey`, method: "GET", path, write: false,
      handle(ctx) {
        const volume = volumeOf(ctx, boot);
        return { body: { kmsKeyId: volume.kmsKeyId ?? undefined }, headers: { etag: etagOf(volume) } };
      },
    },
    {
      name: `Update${noun}KmsKey`, method: "PUT", path, write: true,
      handle(ctx) {
        const volume = volumeOf(ctx, boot);
        const key = assignableKey(ctx.state, bodyObject(ctx.body, true).kmsKeyId, "Block Volume");
        change(ctx, volume, key.id);
        return { body: { kmsKeyId: key.id }, headers: { etag: etagOf(volume) } };
      },
    },
    {
      name: `Delete${noun}KmsKey`, method: "DELETE", path, write: true,
      handle(ctx) {
        const volume = volumeOf(ctx, boot);
        // Back to an Oracle-managed key.
        change(ctx, volume, null);
        return { status: 200 };
      },
    },
  ];
}

export const KMS_KEY_OPERATIONS: readonly SimOperation[] = [...kmsKeyOperations(false), ...kmsKeyOperations(true)];
