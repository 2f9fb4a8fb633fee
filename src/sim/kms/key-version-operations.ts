/**
 * KMS management operations on key versions (OCI-NOTES §2.2): CreateKeyVersion (rotation),
 * ListKeyVersions, GetKeyVersion, ScheduleKeyVersionDeletion, CancelKeyVersionDeletion. The current
 * version cannot be scheduled for deletion; nothing but CancelKeyDeletion works on a key that is
 * PENDING_DELETION.
 */
import { checkIfMatch, etagOf } from "../http/etag.js";
import { paginate, sortForList } from "../http/paginate.js";
import type { OpContext, OpResult, SimOperation } from "../sim-service.js";
import { incorrectState } from "../sim-error.js";
import type { KeyRecord, KeyVersionRecord, VaultRecord } from "../state/sim-state.js";
import { addKeyVersion } from "./add-key-version.js";
import { keyOfRequest } from "./key-operations.js";
import { keyVersionJson, keyVersionSummaryJson } from "./kms-models.js";
import { bodyObject, deletionTime, requireKeyState, requireVersionState } from "./kms-rules.js";
import { requireWritable, versionOf } from "./vault-access.js";

interface VersionRequest {
  vault: VaultRecord;
  key: KeyRecord;
  version: KeyVersionRecord;
}

function versionOfRequest(ctx: OpContext): VersionRequest {
  const { vault, key } = keyOfRequest(ctx);
  const version = versionOf(ctx.state, key, ctx.params.keyVersionId);
  Object.assign(ctx.audit, { resourceId: version.id, resourceName: null });
  return { vault, key, version };
}

function answer(ctx: OpContext, r: VersionRequest, state?: string): OpResult {
  return { body: keyVersionJson(ctx.runtime, r.version, r.key, r.vault, state), headers: { etag: etagOf(r.version) } };
}

function createKeyVersion(ctx: OpContext): OpResult {
  const { vault, key } = keyOfRequest(ctx);
  requireWritable(vault);
  requireKeyState(key, ["ENABLED"], "CreateKeyVersion");
  const version = addKeyVersion(ctx.state, key, ctx.now.toISOString(), false);
  Object.assign(ctx.audit, { resourceId: version.id, resourceName: null });
  ctx.audit.stateChange = { previous: {}, current: keyVersionSummaryJson(version, vault, "ENABLING") };
  return answer(ctx, { vault, key, version }, "ENABLING");
}

function versionDeletion(name: "ScheduleKeyVersionDeletion" | "CancelKeyVersionDeletion"): SimOperation {
  const schedule = name === "ScheduleKeyVersionDeletion";
  return {
    name, method: "POST", write: true,
    path: `/20180608/keys/:keyId/keyVersions/:keyVersionId/actions/${schedule ? "scheduleDeletion" : "cancelDeletion"}`,
    handle(ctx) {
      const r = versionOfRequest(ctx);
      requireWritable(r.vault);
      requireKeyState(r.key, ["ENABLED", "DISABLED"], name);
      checkIfMatch(ctx.headers.get("if-match"), r.version);
      const previous = { lifecycleState: r.version.lifecycleState, timeOfDeletion: r.version.timeOfDeletion };
      if (schedule) {
        requireVersionState(r.version, ["ENABLED", "DISABLED"], name);
        if (r.key.currentKeyVersion === r.version.id) {
          throw incorrectState(`Key version ${r.version.id} is the current version of key ${r.key.id} and cannot be deleted`);
        }
        r.version.timeOfDeletion = deletionTime(bodyObject(ctx.body, false), ctx.now.getTime());
        r.version.lifecycleState = "PENDING_DELETION";
      } else {
        requireVersionState(r.version, ["PENDING_DELETION"], name);
        r.version.timeOfDeletion = null;
        r.version.lifecycleState = "ENABLED";
      }
      const transitional = schedule ? "SCHEDULING_DELETION" : "CANCELLING_DELETION";
      ctx.audit.stateChange = { previous, current: { lifecycleState: transitional, timeOfDeletion: r.version.timeOfDeletion } };
      return answer(ctx, r, transitional);
    },
  };
}

export const KEY_VERSION_OPERATIONS: readonly SimOperation[] = [
  { name: "CreateKeyVersion", method: "POST", path: "/20180608/keys/:keyId/keyVersions", write: true, handle: createKeyVersion },
  {
    name: "ListKeyVersions", method: "GET", path: "/20180608/keys/:keyId/keyVersions", write: false,
    handle(ctx) {
      const { vault, key } = keyOfRequest(ctx);
      const versions = [...ctx.state.keyVersions.values()].filter((v) => v.keyId === key.id);
      const page = paginate(ctx, sortForList(ctx, versions, (v) => v.id));
      return { body: page.items.map((v) => keyVersionSummaryJson(v, vault)), headers: page.headers };
    },
  },
  {
    name: "GetKeyVersion", method: "GET", path: "/20180608/keys/:keyId/keyVersions/:keyVersionId", write: false,
    handle: (ctx) => answer(ctx, versionOfRequest(ctx)),
  },
  versionDeletion("ScheduleKeyVersionDeletion"),
  versionDeletion("CancelKeyVersionDeletion"),
];
