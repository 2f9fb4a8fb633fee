/**
 * Volume key lineages (DESIGN §3): a successor key names its predecessor in a `predecessor` tag
 * (freeform, or a defined tag key `predecessor` in any namespace; the same tag the rotation engine
 * writes and `src/timeline/extract-ids.ts` reads), and the chain predecessor → successor is one
 * lineage. A key no other key links to is a lineage of one.
 *
 * A link is accepted only when it could be one the engine made: the successor is "same shape,
 * protection mode" in "the same vault" as its predecessor (DESIGN §3 "How a rotation works";
 * `successorDetails` in execute-successor-key.ts). Any other link is a hand-edited or foreign tag:
 * following it would move volumes to a key of another vault or shape, so it is rejected (and
 * reported, inventory-findings.ts LINEAGE_LINK_REJECTED).
 */
import type { OciKey } from "../oci/oci-ports.js";
import type { KeyLineage } from "./inventory.js";
import { isDeletionState, isUsableKeyState } from "./key-lifecycle.js";

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

type ShapedKey = Pick<OciKey, "vaultId" | "algorithm" | "length" | "protectionMode">;

/**
 * What keeps `successor` from continuing `predecessor`'s lineage, in words (`vault A → B`,
 * `algorithm AES → RSA`, `length 32 → 16 bytes`, `protection mode HSM → SOFTWARE`); [] when the two
 * share vault, algorithm, length and protection mode.
 */
export function lineageLinkMismatches(successor: ShapedKey, predecessor: ShapedKey): string[] {
  const out: string[] = [];
  if (successor.vaultId !== predecessor.vaultId) out.push(`vault ${predecessor.vaultId} → ${successor.vaultId}`);
  if (successor.algorithm !== predecessor.algorithm) out.push(`algorithm ${predecessor.algorithm} → ${successor.algorithm}`);
  if (successor.length !== predecessor.length) out.push(`length ${predecessor.length} → ${successor.length} bytes`);
  if (successor.protectionMode !== predecessor.protectionMode) out.push(`protection mode ${predecessor.protectionMode} → ${successor.protectionMode}`);
  return out;
}

/** The predecessor links among a set of keys (a link to a key not in the set is ignored). */
export interface LineageLinks {
  /** Accepted links: successor id → predecessor id. */
  predecessorOf: Map<string, string>;
  /** Accepted links: predecessor id → successor ids, oldest first. */
  successorsOf: Map<string, string[]>;
  /** Links refused by {@link lineageLinkMismatches}, in key order. */
  rejected: Array<{ successorId: string; predecessorId: string; mismatches: string[] }>;
  /** Predecessors with two or more accepted successors (a double rotation), successors oldest first. */
  forks: Array<{ predecessorId: string; successorIds: string[] }>;
}

/** Compares creation time (canonical UTC ISO text sorts as time), then id, for a stable order. */
function byCreation(a: OciKey, b: OciKey): number {
  return a.timeCreated < b.timeCreated ? -1 : a.timeCreated > b.timeCreated ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Reads the predecessor links among `keys`, accepting only sound ones (see the file comment). */
export function lineageLinks(keys: readonly OciKey[]): LineageLinks {
  const byId = new Map(keys.map((k) => [k.id, k]));
  const links: LineageLinks = { predecessorOf: new Map(), successorsOf: new Map(), rejected: [], forks: [] };
  for (const key of [...byId.values()].sort(byCreation)) {
    const predId = predecessorKeyIdOf(key);
    const pred = predId ? byId.get(predId) : undefined;
    if (!pred) continue;
    const mismatches = lineageLinkMismatches(key, pred);
    if (mismatches.length > 0) {
      links.rejected.push({ successorId: key.id, predecessorId: pred.id, mismatches });
      continue;
    }
    links.predecessorOf.set(key.id, pred.id);
    links.successorsOf.set(pred.id, [...(links.successorsOf.get(pred.id) ?? []), key.id]);
  }
  for (const [predecessorId, successorIds] of links.successorsOf) {
    if (successorIds.length > 1) links.forks.push({ predecessorId, successorIds });
  }
  return links;
}

/**
 * Groups `keys` into lineages: the connected groups of the accepted predecessor links among them
 * ({@link lineageLinks}; a rejected link or one to a key not in `keys` joins nothing). `keyIds`
 * runs oldest → newest with the head last: every predecessor before its successors, ties (forks,
 * cycles from hand-edited tags) broken by timeCreated then id.
 *
 * The head (the key volumes should be on) is the newest key without a successor that is usable
 * (ENABLED, or on its way there: {@link isUsableKeyState}); else, when every such key is DISABLED
 * or being deleted, the newest usable key of the lineage (a disabled successor never takes the
 * volumes: its predecessor stays the head); else the newest key without a successor not being
 * deleted (rule 8), else the newest key without a successor. In a fork the head is therefore the
 * newest usable branch end. Lineages are ordered by their first key.
 */
export function buildKeyLineages(keys: readonly OciKey[]): KeyLineage[] {
  const byId = new Map(keys.map((k) => [k.id, k]));
  const { predecessorOf, successorsOf } = lineageLinks(keys);
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
      for (const next of [predecessorOf.get(id), ...(successorsOf.get(id) ?? [])]) {
        if (next && !seen.has(next)) {
          seen.add(next);
          stack.push(next);
        }
      }
    }
    lineages.push(orderLineage(group, predecessorOf, successorsOf));
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
  const sinks = order.filter((k) => !(successors.get(k.id) ?? []).some((s) => inGroup.has(s)));
  const ends = sinks.length > 0 ? sinks : order;
  const newest = (keys: OciKey[]) => [...keys].sort(byCreation).at(-1);
  const usable = (k: OciKey) => isUsableKeyState(k.lifecycleState);
  const head =
    newest(ends.filter(usable)) ??
    newest(order.filter(usable)) ??
    newest(ends.filter((k) => !isDeletionState(k.lifecycleState))) ??
    newest(ends)!;
  // The head goes last; a disabled or doomed successor passed over stays before it.
  const keyIds = [...order.filter((k) => k.id !== head.id).map((k) => k.id), head.id];
  return { headKeyId: head.id, keyIds };
}
