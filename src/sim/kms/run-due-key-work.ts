/**
 * KMS work driven by the simulator clock: scheduled deletions of keys and key versions complete at
 * their `timeOfDeletion`, and native auto-rotation creates a version (`isAutoRotated: true`) each
 * time the clock passes `timeOfNextRotation` (several, if the clock jumped several intervals),
 * recording the Events-service `autokeyrotate.begin`/`.end` pair linked by `eventGroupingId`.
 * A fault rule on the pseudo-operation `AutoKeyRotate` makes a rotation fail (`lastRotationStatus` FAILED).
 */
import { randomUUID } from "node:crypto";
import { buildAuditEvent } from "../audit/build-audit-event.js";
import { DAY_MS } from "../sim-clock.js";
import type { SimRuntime } from "../sim-service.js";
import type { KeyRecord } from "../state/sim-state.js";
import { addKeyVersion } from "./add-key-version.js";

export const AUTO_ROTATE = "AutoKeyRotate";
const TYPE = "com.oraclecloud.keymanagementservice.autokeyrotate";

function record(rt: SimRuntime, key: KeyRecord, phase: "begin" | "end", timeMs: number, grouping: string, outcome: { status: number; message: string | null; versionId?: string }): void {
  const ids = { client: grouping, full: `${grouping}/${phase}`, grouping };
  const event = buildAuditEvent(rt.state, {
    eventType: `${TYPE}.${phase}`, source: "KeyManagementService", eventName: AUTO_ROTATE,
    eventTimeMs: timeMs, responseTimeMs: timeMs + 1, ids, path: `/20180608/keys/${key.id}`, action: "POST",
    query: new URLSearchParams(), requestHeaders: [], status: outcome.status, responseHeaders: {}, message: outcome.message,
    details: {
      compartmentId: key.compartmentId, resourceId: key.id, resourceName: key.displayName,
      freeformTags: key.freeformTags, definedTags: key.definedTags,
      payload: { id: key.id, resourceName: key.displayName },
      stateChange: phase === "end" && outcome.versionId ? { previous: null, current: { currentKeyVersion: outcome.versionId } } : null,
      additionalDetails: { autoKeyRotationDetails: { ...key.autoKeyRotationDetails } },
    },
    principal: null, ipAddress: null, userAgent: null,
  });
  event.data.identity = { ...event.data.identity, principalName: "KeyManagementService", authType: "service" };
  rt.audit.append(event);
}

function rotate(rt: SimRuntime, key: KeyRecord, atMs: number, nowMs: number): void {
  const details = key.autoKeyRotationDetails!;
  // The rotation takes about a second, but never ends after the simulator's "now".
  const endMs = Math.min(atMs + 1_000, nowMs);
  const grouping = randomUUID().replace(/-/g, "").toUpperCase();
  record(rt, key, "begin", atMs, grouping, { status: 200, message: null });
  const fault = rt.faults.decide(AUTO_ROTATE, true);
  const at = new Date(atMs).toISOString();
  if (fault?.kind) {
    details.lastRotationStatus = "FAILED";
    details.lastRotationMessage = `Auto key rotation failed (injected fault: ${fault.kind})`;
    record(rt, key, "end", endMs, grouping, { status: 500, message: details.lastRotationMessage });
  } else {
    const version = addKeyVersion(rt.state, key, new Date(endMs).toISOString(), true);
    details.lastRotationStatus = "SUCCESS";
    details.lastRotationMessage = null;
    details.timeOfLastRotation = at;
    record(rt, key, "end", endMs, grouping, { status: 200, message: null, versionId: version.id });
  }
  details.timeOfNextRotation = new Date(atMs + details.rotationIntervalInDays * DAY_MS).toISOString();
}

/** Applies every deletion and auto-rotation due at the simulator's current time. */
export function runDueKeyWork(rt: SimRuntime): void {
  const now = rt.clock.now().getTime();
  const state = rt.state;
  for (const version of state.keyVersions.values()) {
    if (version.lifecycleState === "PENDING_DELETION" && version.timeOfDeletion && Date.parse(version.timeOfDeletion) <= now) {
      version.lifecycleState = "DELETED";
    }
  }
  for (const key of state.keys.values()) {
    if (key.lifecycleState === "PENDING_DELETION" && key.timeOfDeletion && Date.parse(key.timeOfDeletion) <= now) {
      key.lifecycleState = "DELETED";
      for (const version of state.keyVersions.values()) if (version.keyId === key.id) version.lifecycleState = "DELETED";
      continue;
    }
    const details = key.autoKeyRotationDetails;
    if (!key.isAutoRotationEnabled || !details?.timeOfNextRotation || key.lifecycleState !== "ENABLED") continue;
    const vault = state.vaults.get(key.vaultId);
    if (!vault || vault.vaultType !== "VIRTUAL_PRIVATE" || vault.lifecycleState !== "ACTIVE") continue;
    while (key.isAutoRotationEnabled && Date.parse(details.timeOfNextRotation!) <= now) rotate(rt, key, Date.parse(details.timeOfNextRotation!), now);
  }
}
