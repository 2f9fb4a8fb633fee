/**
 * Volume key lineages (DESIGN §3): a successor key names its predecessor in a `predecessor` tag
 * (freeform, or a defined tag key `predecessor` in any namespace; the same tag the rotation engine
 * writes and `src/timeline/extract-ids.ts` reads), and the chain predecessor → successor is one
 * lineage. A key no other key links to is a lineage of one.
 */
import type { OciKey } from "../oci/oci-ports.js";
import type { KeyLineage } from "./inventory.js";
import { isDeletionState } from "./key-lifecycle.js";

type TaggedKey = Pick<OciKey, "id" | "freeformTags" | "definedTags">;

/**
 * The key OCID named by `key`'s `predecessor` tag (tag key compared case-insensitively; freeform
 * first, then defined tags), or null when there is none or the value is not a key OCID
 * (`ocid1.key.`). A key naming itself has no predecessor.
 */
export function predecessorKeyIdOf(key: TaggedKey): string | null {
  const candidates: unknown[] = [];
  for (const [k, v] of Object.entries(key.freeformTags ?? {})) if (k.toLowerCase() === "predecessor") candidates.push(v);
  for (const tags of Object.values(key.definedTags ?? {})) {
    for (const [k, v] of Object.entries(tags ?? {})) if (k.toLowerCase() === "predecessor") candidates.push(v);
  }
  for (const value of candidates) {
    if (typeof value === "string" && value.trim().startsWith("ocid1.key.") && value.trim() !== key.id) return value.trim();
  }
  return null;
}

/** Compares creation time (canonical UTC ISO text sorts as time), then id, for a stable order. */
function byCreation(a: OciKey, b: OciKey): number {
  return a.timeCreated < b.timeCreated ? -1 : a.timeCreated > b.timeCreated ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/**
 * Groups `keys` into lineages: the connected groups of the predecessor links among them (a link
 * to a key not in `keys` is ignored). `keyIds` runs oldest → newest: every predecessor before its
 * successors, ties (forks, cycles from hand-edited tags) broken by timeCreated then id. The head
 * (last) is the newest key without a successor that is not being deleted (rule 8), or the newest
 * key without a successor when all are. Lineages are ordered by their first key.
 */
export function buildKeyLineages(keys: readonly OciKey[]): KeyLineage[] {
  const byId = new Map(keys.map((k) => [k.id, k]));
  const successors = new Map<string, string[]>();
  const predecessorOf = new Map<string, string>();
  for (const key of byId.values()) {
    const pred = predecessorKeyIdOf(key);
    if (pred && byId.has(pred)) {
      predecessorOf.set(key.id, pred);
      successors.set(pred, [...(successors.get(pred) ?? []), key.id]);
    }
  }
  const seen = new Set<string>();
  const lineages: KeyLineage[] = [];
  for (const start of [...byId.values()].sort(byCreation)) {
    if (seen.has(start.id)) continue;
    // The connected group of `start` (links in both directions).
    const group: OciKey[] = [];
    const stack = [start.id];
    seen.add(start.id);
    while (stack.length > 0) {
      const id = stack.pop()!;
      group.push(byId.get(id)!);
      for (const next of [predecessorOf.get(id), ...(successors.get(id) ?? [])]) {
        if (next && !seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    lineages.push(orderLineage(group, predecessorOf, successors));
  }
  return lineages.sort((a, b) => byCreation(byId.get(a.keyIds[0]!)!, byId.get(b.keyIds[0]!)!));
}

/** Topological order (Kahn) with creation-time priority; keys left in a cycle follow by creation time. */
function orderLineage(group: OciKey[], predecessorOf: Map<string, string>, successors: Map<string, string[]>): KeyLineage {
  const inGroup = new Set(group.map((k) => k.id));
  const pending = new Map(group.map((k) => [k.id, predecessorOf.has(k.id) ? 1 : 0]));
  const ready = group.filter((k) => pending.get(k.id) === 0);
  const order: OciKey[] = [];
  const byIdInGroup = new Map(group.map((k) => [k.id, k]));
  while (ready.length > 0) {
    ready.sort(byCreation);
    const key = ready.shift()!;
    order.push(key);
    pending.delete(key.id);
    for (const next of successors.get(key.id) ?? []) {
      if (!inGroup.has(next) || !pending.has(next)) continue;
      pending.set(next, 0);
      ready.push(byIdInGroup.get(next)!);
    }
  }
  order.push(...[...pending.keys()].map((id) => byIdInGroup.get(id)!).sort(byCreation));
  // The head: the newest sink (no successor in the group) not being deleted, else the newest sink.
  // Moving a sink to the end keeps every predecessor before its successors.
  const sinks = order.filter((k) => !(successors.get(k.id) ?? []).some((s) => inGroup.has(s)));
  const candidates = sinks.length > 0 ? sinks : order;
  const live = candidates.filter((k) => !isDeletionState(k.lifecycleState));
  const head = (live.length > 0 ? live : candidates).sort(byCreation).at(-1)!;
  const keyIds = [...order.filter((k) => k.id !== head.id).map((k) => k.id), head.id];
  return { headKeyId: head.id, keyIds };
}
