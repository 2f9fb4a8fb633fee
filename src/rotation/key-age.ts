/**
 * Key age by DESIGN §3 rule 1: from the *current* key version's `timeCreated`, never from the key's
 * own `timeCreated`; a newer version that is not current does not count (cases B11). All
 * arithmetic is on UTC epoch milliseconds: a day is 86,400,000 ms, so DST changes and month ends
 * move nothing.
 */
import type { OciKeyVersion } from "../oci/oci-ports.js";
import { formatInstant, parseInstant, requireInstant } from "../time/instant.js";
import type { InventoryKey } from "./inventory.js";

export const DAY_MS = 86_400_000;

/** The key's current version (by `currentKeyVersionId`) from its version list, or null when absent. */
export function currentKeyVersionOf(ik: InventoryKey): OciKeyVersion | null {
  return ik.versions.find((v) => v.id === ik.key.currentKeyVersionId) ?? null;
}

/**
 * Whole days from `fromIso` to `asOfIso` (floor), never negative.
 * @throws TypeError when either is not an instant.
 */
export function wholeDaysBetween(fromIso: string, asOfIso: string): number {
  const ms = requireInstant(asOfIso, "asOf").epochMs - requireInstant(fromIso, "from").epochMs;
  return Math.max(0, Math.floor(ms / DAY_MS));
}

/**
 * `iso` plus `days` × 24 h, canonical UTC ISO.
 * @throws TypeError when `iso` is not an instant.
 */
export function addDays(iso: string, days: number): string {
  return formatInstant(requireInstant(iso, "instant").epochMs + days * DAY_MS);
}

/**
 * The key's oldest live version: the first of `ik.versions` (oldest first) whose state is not
 * DELETED and whose timeCreated is an instant; null when there is none. For a key used by Block
 * Volume this dates the key material the volumes got (they do not follow later versions).
 */
export function oldestLiveVersionOf(ik: InventoryKey): OciKeyVersion | null {
  let oldest: { version: OciKeyVersion; ms: number } | null = null;
  for (const version of ik.versions) {
    if (version.lifecycleState === "DELETED") continue;
    const created = parseInstant(version.timeCreated);
    if (created && (oldest === null || created.epochMs < oldest.ms)) oldest = { version, ms: created.epochMs };
  }
  return oldest?.version ?? null;
}

/**
 * Whole days (floor, never negative) from `fromIso` to `asOfIso`, or null when `fromIso` is null,
 * empty or not an instant (a metric or message then leaves the age out rather than inventing one).
 * @throws TypeError when `asOfIso` is not an instant.
 */
export function wholeDaysSince(fromIso: string | null | undefined, asOfIso: string): number | null {
  const from = parseInstant(fromIso);
  return from ? wholeDaysBetween(from.iso, asOfIso) : null;
}
