/**
 * The KMS rules the simulator enforces (OCI-NOTES §2.2, §5 items 10–11): key shapes, deletion
 * windows of 7–30 days (default 30), auto-rotation only in VIRTUAL_PRIVATE vaults with 60–365 day
 * intervals, and what PENDING_DELETION (or any non-ENABLED state) forbids.
 */
import { DAY_MS } from "../sim-clock.js";
import { incorrectState, invalid, missing } from "../sim-error.js";
import type { AutoRotationRecord, KeyRecord, KeyVersionRecord, VaultRecord } from "../state/sim-state.js";

const LENGTHS: Record<string, readonly number[]> = { AES: [16, 24, 32], RSA: [256, 384, 512], ECDSA: [32, 48, 66] };
const CURVE_LENGTH: Record<string, number> = { NIST_P256: 32, NIST_P384: 48, NIST_P521: 66 };

/** A JSON object body (400 when it is something else). */
export function bodyObject(body: unknown, required: boolean): Record<string, unknown> {
  if (body === undefined && !required) return {};
  if (body === null || typeof body !== "object" || Array.isArray(body)) throw invalid("request body", "expected a JSON object");
  return body as Record<string, unknown>;
}

/** Validates CreateKey's keyShape. */
export function parseKeyShape(value: unknown): KeyRecord["keyShape"] {
  if (value === undefined || value === null) throw missing("keyShape");
  const s = value as Record<string, unknown>;
  const algorithm = s.algorithm;
  if (algorithm !== "AES" && algorithm !== "RSA" && algorithm !== "ECDSA") throw invalid("keyShape.algorithm", "expected AES, RSA or ECDSA");
  const length = s.length;
  if (typeof length !== "number" || !LENGTHS[algorithm]!.includes(length)) {
    throw invalid("keyShape.length", `${algorithm} keys are ${LENGTHS[algorithm]!.join(", ")} bytes long, got ${String(length)}`);
  }
  if (algorithm !== "ECDSA") {
    if (s.curveId !== undefined && s.curveId !== null) throw invalid("keyShape.curveId", "only ECDSA keys have a curve");
    return { algorithm, length };
  }
  const curveId = (s.curveId as string | undefined) ?? Object.keys(CURVE_LENGTH).find((c) => CURVE_LENGTH[c] === length)!;
  if (CURVE_LENGTH[curveId] !== length) throw invalid("keyShape.curveId", `${String(s.curveId)} does not match length ${length}`);
  return { algorithm, length, curveId };
}

/** `timeOfDeletion` of a Schedule*Deletion body: 7–30 days after now, default 30 days. */
export function deletionTime(body: Record<string, unknown>, nowMs: number): string {
  const raw = body.timeOfDeletion;
  if (raw === undefined || raw === null) return new Date(nowMs + 30 * DAY_MS).toISOString();
  const ms = typeof raw === "string" ? Date.parse(raw) : NaN;
  if (!Number.isFinite(ms)) throw invalid("timeOfDeletion", `expected an RFC 3339 date-time, got ${JSON.stringify(raw)}`);
  if (ms < nowMs + 7 * DAY_MS || ms > nowMs + 30 * DAY_MS) {
    throw invalid("timeOfDeletion", "must be between 7 and 30 days from now");
  }
  return new Date(ms).toISOString();
}

const midnight = (ms: number): number => Math.floor(ms / DAY_MS) * DAY_MS;

/**
 * Auto-rotation settings from a CreateKey/UpdateKey body. Only VIRTUAL_PRIVATE vaults, interval
 * 60–365 days; the schedule start is a date (time of day ignored, today by default). A future start
 * is the first rotation; otherwise the first rotation is one interval after the start.
 */
export function autoRotationFrom(
  enabled: unknown, details: unknown, vault: VaultRecord, previous: AutoRotationRecord | null, nowMs: number,
): { isAutoRotationEnabled: boolean; autoKeyRotationDetails: AutoRotationRecord | null } | null {
  if (enabled === undefined && details === undefined) return null;
  if (enabled !== undefined && typeof enabled !== "boolean") throw invalid("isAutoRotationEnabled", "expected a boolean");
  const on = enabled ?? true;
  if (!on) return { isAutoRotationEnabled: false, autoKeyRotationDetails: previous };
  if (vault.vaultType !== "VIRTUAL_PRIVATE") {
    throw invalid("isAutoRotationEnabled", "auto key rotation is only available for keys in a virtual private vault");
  }
  const d = (details ?? {}) as Record<string, unknown>;
  const interval = d.rotationIntervalInDays ?? previous?.rotationIntervalInDays;
  if (interval === undefined) throw missing("autoKeyRotationDetails.rotationIntervalInDays");
  if (typeof interval !== "number" || !Number.isInteger(interval) || interval < 60 || interval > 365) {
    throw invalid("autoKeyRotationDetails.rotationIntervalInDays", `must be from 60 to 365 days, got ${String(interval)}`);
  }
  const startRaw = d.timeOfScheduleStart;
  const startMs = startRaw === undefined || startRaw === null ? midnight(nowMs) : midnight(Date.parse(String(startRaw)));
  if (!Number.isFinite(startMs)) throw invalid("autoKeyRotationDetails.timeOfScheduleStart", "expected a date");
  const next = startMs > nowMs ? startMs : startMs + interval * DAY_MS;
  return {
    isAutoRotationEnabled: true,
    autoKeyRotationDetails: {
      rotationIntervalInDays: interval,
      timeOfScheduleStart: new Date(startMs).toISOString(),
      timeOfNextRotation: new Date(next).toISOString(),
      timeOfLastRotation: previous?.timeOfLastRotation ?? null,
      lastRotationStatus: previous?.lastRotationStatus ?? null,
      lastRotationMessage: previous?.lastRotationMessage ?? null,
    },
  };
}

/** 409 IncorrectState unless the key is in one of `states`. */
export function requireKeyState(key: KeyRecord, states: readonly string[], action: string): void {
  if (!states.includes(key.lifecycleState)) {
    throw incorrectState(`Key ${key.id} is ${key.lifecycleState}; ${action} needs it ${states.join(" or ")}`);
  }
}

/** 409 IncorrectState unless the version is in one of `states`. */
export function requireVersionState(version: KeyVersionRecord, states: readonly string[], action: string): void {
  if (!states.includes(version.lifecycleState)) {
    throw incorrectState(`Key version ${version.id} is ${version.lifecycleState}; ${action} needs it ${states.join(" or ")}`);
  }
}
