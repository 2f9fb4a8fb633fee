/**
 * KMS management operations on keys (OCI-NOTES §2.2): CreateKey, GetKey, ListKeys, UpdateKey,
 * EnableKey, DisableKey, ScheduleKeyDeletion, CancelKeyDeletion. Actions answer OCI's transitional
 * state (CREATING, ENABLING, SCHEDULING_DELETION, ...) and the stored key moves to the final state
 * at once, so the next GetKey shows ENABLED / PENDING_DELETION.
 */
import { checkIfMatch, etagOf } from "../http/etag.js";
import { paginate, sortForList } from "../http/paginate.js";
import { enumQuery, requiredQuery } from "../http/query-params.js";
import type { OpContext, OpResult, SimOperation } from "../sim-service.js";
import { incorrectState, invalid, missing, notFound } from "../sim-error.js";
import type { KeyRecord, VaultRecord } from "../state/sim-state.js";
import { keyJson, keySummaryJson } from "./kms-models.js";
import { autoRotationFrom, bodyObject, deletionTime, parseKeyShape, requireKeyState } from "./kms-rules.js";
import { keyThrough, primaryOf, requestVault, requireWritable } from "./vault-access.js";

/** The request's vault and key; fills the audit resource fields. */
export function keyOfRequest(ctx: OpContext): { vault: VaultRecord; key: KeyRecord } {
  const vault = requestVault(ctx);
  const key = keyThrough(ctx.state, vault, ctx.params.keyId);
  Object.assign(ctx.audit, {
    compartmentId: key.compartmentId, resourceId: key.id, resourceName: key.displayName,
    freeformTags: key.freeformTags, definedTags: key.definedTags,
  });
  return { vault, key };
}

function answer(ctx: OpContext, key: KeyRecord, vault: VaultRecord, state?: string): OpResult {
  return { body: keyJson(ctx.state, key, vault, state), headers: { etag: etagOf(key) } };
}

function tags(value: unknown, name: string): Record<string, never> | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value !== "object" || Array.isArray(value)) throw invalid(name, "expected an object");
  return value as Record<string, never>;
}

function createKey(ctx: OpContext): OpResult {
  const vault = requestVault(ctx);
  const b = bodyObject(ctx.body, true);
  // Attributed before any check, so a refused CreateKey is audited in the compartment it targeted.
  ctx.audit.compartmentId = typeof b.compartmentId === "string" && b.compartmentId ? b.compartmentId : vault.compartmentId;
  requireWritable(vault);
  if (typeof b.compartmentId !== "string" || !b.compartmentId) throw missing("compartmentId");
  if (typeof b.displayName !== "string" || !b.displayName) throw missing("displayName");
  const keyShape = parseKeyShape(b.keyShape);
  const protectionMode = (b.protectionMode ?? "HSM") as KeyRecord["protectionMode"];
  if (protectionMode !== "HSM" && protectionMode !== "SOFTWARE") {
    throw invalid("protectionMode", protectionMode === "EXTERNAL" ? "EXTERNAL keys need an external vault" : "expected HSM or SOFTWARE");
  }
  if (b.compartmentId !== ctx.state.tenancy.id && !ctx.state.compartments.has(b.compartmentId)) throw notFound("Compartment", b.compartmentId);
  ctx.audit.compartmentId = b.compartmentId;
  if (vault.lifecycleState !== "ACTIVE") throw incorrectState(`Vault ${vault.id} is ${vault.lifecycleState}`);
  const now = ctx.now.getTime();
  const auto = autoRotationFrom(b.isAutoRotationEnabled, b.autoKeyRotationDetails, vault, null, now);
  const id = ctx.state.ids.next("key", vault.endpointId);
  const versionId = ctx.state.ids.next("keyversion", vault.endpointId);
  const timeCreated = ctx.now.toISOString();
  const key: KeyRecord = {
    id, vaultId: vault.id, compartmentId: b.compartmentId, displayName: b.displayName, keyShape, protectionMode,
    lifecycleState: "ENABLED", timeCreated, timeOfDeletion: null, currentKeyVersion: versionId,
    isAutoRotationEnabled: auto?.isAutoRotationEnabled ?? false, autoKeyRotationDetails: auto?.autoKeyRotationDetails ?? null,
    freeformTags: tags(b.freeformTags, "freeformTags") ?? {}, definedTags: tags(b.definedTags, "definedTags") ?? {},
  };
  ctx.state.keys.set(id, key);
  ctx.state.keyVersions.set(versionId, {
    id: versionId, keyId: id, vaultId: vault.id, compartmentId: key.compartmentId, timeCreated,
    lifecycleState: "ENABLED", timeOfDeletion: null, origin: "INTERNAL", isAutoRotated: false,
  });
  Object.assign(ctx.audit, { resourceId: id, resourceName: key.displayName, freeformTags: key.freeformTags, definedTags: key.definedTags });
  ctx.audit.stateChange = { previous: {}, current: keyJson(ctx.state, key, vault, "CREATING") };
  return answer(ctx, key, vault, "CREATING");
}

function listKeys(ctx: OpContext): OpResult {
  const vault = requestVault(ctx);
  const compartmentId = requiredQuery(ctx.query, "compartmentId");
  ctx.audit.compartmentId = compartmentId;
  const protectionMode = enumQuery(ctx.query, "protectionMode", ["HSM", "SOFTWARE", "EXTERNAL"]);
  const algorithm = enumQuery(ctx.query, "algorithm", ["AES", "RSA", "ECDSA"]);
  const length = ctx.query.get("length");
  const curveId = enumQuery(ctx.query, "curveId", ["NIST_P256", "NIST_P384", "NIST_P521"]);
  const primary = primaryOf(ctx.state, vault);
  const keys = [...ctx.state.keys.values()].filter((k) =>
    k.vaultId === primary.id && k.compartmentId === compartmentId
    && (!protectionMode || k.protectionMode === protectionMode) && (!algorithm || k.keyShape.algorithm === algorithm)
    && (!length || String(k.keyShape.length) === length) && (!curveId || k.keyShape.curveId === curveId));
  const page = paginate(ctx, sortForList(ctx, keys, (k) => k.displayName));
  return { body: page.items.map((k) => keySummaryJson(k, vault)), headers: page.headers };
}

function updateKey(ctx: OpContext): OpResult {
  const { vault, key } = keyOfRequest(ctx);
  requireWritable(vault);
  requireKeyState(key, ["ENABLED", "DISABLED"], "UpdateKey");
  checkIfMatch(ctx.headers.get("if-match"), key);
  const b = bodyObject(ctx.body, true);
  const previous = keyJson(ctx.state, key, vault);
  if (b.displayName !== undefined) {
    if (typeof b.displayName !== "string" || !b.displayName) throw invalid("displayName", "expected a non-empty string");
    key.displayName = b.displayName;
  }
  key.freeformTags = tags(b.freeformTags, "freeformTags") ?? key.freeformTags;
  key.definedTags = tags(b.definedTags, "definedTags") ?? key.definedTags;
  const auto = autoRotationFrom(b.isAutoRotationEnabled, b.autoKeyRotationDetails, vault, key.autoKeyRotationDetails, ctx.now.getTime());
  if (auto) {
    if (auto.isAutoRotationEnabled) requireKeyState(key, ["ENABLED"], "enabling auto-rotation");
    Object.assign(key, auto);
  }
  Object.assign(ctx.audit, { resourceName: key.displayName, freeformTags: key.freeformTags, definedTags: key.definedTags });
  ctx.audit.stateChange = { previous, current: keyJson(ctx.state, key, vault) };
  return answer(ctx, key, vault);
}

/** A key action that moves `from` states to `to`, answering the transitional state. */
function keyAction(name: string, path: string, from: readonly string[], transitional: string, to: string): SimOperation {
  return {
    name, method: "POST", path: `/20180608/keys/:keyId/actions/${path}`, write: true,
    handle(ctx) {
      const { vault, key } = keyOfRequest(ctx);
      requireWritable(vault);
      requireKeyState(key, from, name);
      checkIfMatch(ctx.headers.get("if-match"), key);
      const previous = { lifecycleState: key.lifecycleState, timeOfDeletion: key.timeOfDeletion };
      if (name === "ScheduleKeyDeletion") key.timeOfDeletion = deletionTime(bodyObject(ctx.body, false), ctx.now.getTime());
      if (name === "CancelKeyDeletion") key.timeOfDeletion = null;
      key.lifecycleState = to;
      ctx.audit.stateChange = { previous, current: { lifecycleState: transitional, timeOfDeletion: key.timeOfDeletion } };
      return answer(ctx, key, vault, transitional);
    },
  };
}

export const KEY_OPERATIONS: readonly SimOperation[] = [
  { name: "CreateKey", method: "POST", path: "/20180608/keys", write: true, handle: createKey },
  {
    name: "GetKey", method: "GET", path: "/20180608/keys/:keyId", write: false,
    handle(ctx) {
      const { vault, key } = keyOfRequest(ctx);
      return answer(ctx, key, vault);
    },
  },
  { name: "ListKeys", method: "GET", path: "/20180608/keys", write: false, handle: listKeys },
  { name: "UpdateKey", method: "PUT", path: "/20180608/keys/:keyId", write: true, handle: updateKey },
  keyAction("EnableKey", "enable", ["DISABLED"], "ENABLING", "ENABLED"),
  keyAction("DisableKey", "disable", ["ENABLED"], "DISABLING", "DISABLED"),
  keyAction("ScheduleKeyDeletion", "scheduleDeletion", ["ENABLED", "DISABLED"], "SCHEDULING_DELETION", "PENDING_DELETION"),
  keyAction("CancelKeyDeletion", "cancelDeletion", ["PENDING_DELETION"], "CANCELLING_DELETION", "ENABLED"),
];

