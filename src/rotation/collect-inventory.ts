/**
 * Reads the rotation inventory from OCI through {@link OciPorts} (issue 4 item 1, DESIGN §3): the
 * scope's compartments, their vaults, the tagged resources, the keys in scope with every version,
 * key lineages and the findings. Replica vaults' keys are kept apart as read-only copies (B13).
 */
import pMap from "p-map";
import { OciCallError, type OciKey, type OciPorts, type OciResource, type OciVault } from "../oci/oci-ports.js";
import { parseTagSelector } from "../oci/parse-tag-selector.js";
import { requireInstant } from "../time/instant.js";
import { carriesTag } from "./carries-tag.js";
import type { Finding, Inventory, InventoryKey } from "./inventory.js";
import { findInventoryFindings, keyNotReadableFinding, sortFindings, type FindingsPolicy } from "./inventory-findings.js";
import { buildKeyLineages, predecessorKeyIdOf } from "./key-lineages.js";

export interface CollectInventoryInput {
  /** config.scope: the tag selector text and the compartment roots ([] = the whole tenancy). */
  scope: { tag: string; compartments: readonly string[] };
  /** When the inventory is read (an instant): `observedAt`, and the instant findings are judged at. */
  now: string;
  /** OCI reads in flight at once (default 8); the retry layer in the ports handles throttling. */
  concurrency?: number;
  /** config.policy: auto-rotating keys are also judged against the policy's cryptoperiod. */
  policy?: FindingsPolicy;
}

/** A key as listed through one vault's endpoint. */
interface Seen {
  key: OciKey;
  vault: OciVault;
}

/** Vaults without a usable management endpoint. */
const GONE_VAULT_STATES = new Set(["CREATING", "DELETING", "DELETED"]);
/** Resources that can no longer be re-keyed. */
const GONE_RESOURCE_STATES = new Set(["TERMINATING", "TERMINATED", "DELETED"]);

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Collects the inventory. Keys in scope: keys a tagged resource uses, keys carrying the scope tag,
 * and every key of their lineages (`predecessor` tags, both directions). Keys are read with GetKey
 * (through `listKeys`, since ListKeys lacks the current version) and ListKeyVersions. A key seen
 * through a replica vault (key or vault `isPrimary` false) is a read-only copy: listed in
 * `replicaCopies` when its primary is seen, else kept in `keys` (the plan skips it, B13).
 * Resources outside the scope compartments or terminated are left out.
 *
 * Failures: a key that cannot be read (GetKey in every vault of the scope answers 404, or the
 * read fails after the retry layer) or whose versions cannot be listed is a KEY_NOT_READABLE
 * finding and the rest carries on.
 * @throws OciCallError when the scope itself cannot be listed (compartments, vaults, tagged
 *   resources, a vault's keys): an inventory missing part of its scope would silently hide keys
 *   (DESIGN §3 rule 7). ValidationError for a malformed scope tag, TypeError for a bad `now`.
 */
export async function collectInventory(ports: OciPorts, input: CollectInventoryInput): Promise<Inventory> {
  const selector = parseTagSelector(input.scope.tag);
  const observedAt = requireInstant(input.now, "now").iso;
  const concurrency = input.concurrency ?? 8;
  const map = <T, R>(items: Iterable<T>, fn: (item: T) => Promise<R>) => pMap(items, fn, { concurrency });

  const roots = input.scope.compartments.length > 0 ? [...input.scope.compartments] : [ports.tenancyId];
  const compartments = [...new Set((await map(roots, (root) => ports.listCompartmentSubtree(root))).flat())];
  const inScope = new Set(compartments);
  const [vaultLists, tagged] = await Promise.all([
    map(compartments, (c) => ports.listVaults(c)),
    ports.findTaggedResources(selector),
  ]);
  const vaults = uniqueBy(vaultLists.flat(), (v) => v.id)
    .filter((v) => !GONE_VAULT_STATES.has(v.lifecycleState))
    // ListVaults is regional: a primary vault it lists lives in the ports' region when its
    // endpoint does not say (B13 names the primary's region). A replica's region stays unknown.
    .map((v) => (v.region === null && v.isPrimary ? { ...v, region: ports.region } : v))
    .sort((a, b) => byText(a.displayName, b.displayName) || byText(a.id, b.id));
  const resources = uniqueBy(tagged, (r) => r.id)
    .filter((r) => inScope.has(r.compartmentId) && !GONE_RESOURCE_STATES.has(r.lifecycleState ?? ""))
    .sort((a, b) => byText(a.kind, b.kind) || byText(a.displayName, b.displayName) || byText(a.id, b.id));

  // Every key of every scope compartment, through every vault (primary and replica).
  const pairs = vaults.flatMap((vault) => compartments.map((compartmentId) => ({ vault, compartmentId })));
  const listed: Seen[] = (await map(pairs, async ({ vault, compartmentId }) =>
    (await ports.kms(vault).listKeys(compartmentId)).map((key) => ({ key, vault })))).flat();
  const book = new KeyBook(ports, vaults);
  for (const seen of listed) book.add(seen);

  // Seeds: keys used by tagged resources, keys carrying the tag; then whole lineages.
  const findings: Finding[] = [];
  const wanted = new Set<string>();
  const usersOf = new Map<string, OciResource[]>();
  for (const r of resources) {
    if (r.kmsKeyId === null) continue;
    wanted.add(r.kmsKeyId);
    usersOf.set(r.kmsKeyId, [...(usersOf.get(r.kmsKeyId) ?? []), r]);
  }
  // A deleted key that still carries the tag is history, not scope (unless something uses it).
  for (const seen of book.all()) if (seen.key.lifecycleState !== "DELETED" && carriesTag(seen.key, selector)) wanted.add(seen.key.id);

  const keys = new Map<string, Seen>();
  const unreadable = new Map<string, string>();
  let pending = new Set(wanted);
  while (pending.size > 0) {
    const found = await map(pending, async (id) => ({ id, seen: await book.resolve(id) }));
    pending = new Set();
    const queue = (id: string) => {
      if (!keys.has(id) && !unreadable.has(id)) pending.add(id);
    };
    for (const { id, seen } of found) {
      if ("why" in seen) {
        unreadable.set(id, seen.why);
        continue;
      }
      keys.set(id, seen);
      const predecessor = predecessorKeyIdOf(seen.key);
      if (predecessor) queue(predecessor);
    }
    // Successors of keys in scope: listed keys naming one of them as predecessor.
    for (const seen of book.all()) {
      const predecessor = predecessorKeyIdOf(seen.key);
      if (predecessor && keys.has(predecessor)) queue(seen.key.id);
    }
  }
  for (const [id, why] of unreadable) {
    const users = usersOf.get(id) ?? [];
    if (users.length === 0) findings.push(keyNotReadableFinding(id, null, why));
    for (const r of users) findings.push(keyNotReadableFinding(id, r, why));
  }

  const inventoryKeys = await map(
    [...keys.values()].sort((a, b) => byText(a.key.displayName, b.key.displayName) || byText(a.key.id, b.key.id)),
    async ({ key, vault }): Promise<InventoryKey> => {
      try {
        const versions = await ports.kms(vault).listKeyVersions(key.id);
        return { key, vault, versions: [...versions].sort((a, b) => byText(a.timeCreated, b.timeCreated) || byText(a.id, b.id)) };
      } catch (err) {
        findings.push(keyNotReadableFinding(key.id, null, `ListKeyVersions: ${describeFailure(err)}`));
        return { key, vault, versions: [] };
      }
    },
  );
  const replicaCopies = inventoryKeys.flatMap((ik) => book.replicasOf(ik.key.id).map((copy): InventoryKey => ({ ...copy, versions: [] })));

  const facts = {
    observedAt,
    vaults,
    keys: inventoryKeys,
    resources,
    lineages: buildKeyLineages(inventoryKeys.map((k) => k.key)),
    ...(replicaCopies.length > 0 ? { replicaCopies } : {}),
  };
  return { ...facts, findings: sortFindings([...findings, ...findInventoryFindings(facts, observedAt, input.policy)]) };
}

function isPrimaryCopy(seen: Seen): boolean {
  return seen.key.isPrimary && seen.vault.isPrimary;
}

function uniqueBy<T>(items: T[], id: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(id(item))) seen.set(id(item), item);
  return [...seen.values()];
}

/** A failure in words for a finding: the port's reason and status, never a request body or secret. */
function describeFailure(err: unknown): string {
  if (err instanceof OciCallError) return `${err.reason}${err.statusCode ? ` (HTTP ${err.statusCode}${err.serviceCode ? ` ${err.serviceCode}` : ""})` : ""}`;
  return err instanceof Error ? err.name : "unknown error";
}

/**
 * The keys seen so far, by id: the primary copy (key and vault primary) when seen, else a replica
 * copy; keys nobody listed are looked up with GetKey through each vault of the scope in turn
 * (primaries first), since only the vault holding a key can read it.
 */
class KeyBook {
  private readonly primaries = new Map<string, Seen>();
  private readonly replicas = new Map<string, Seen[]>();

  constructor(private readonly ports: OciPorts, private readonly vaults: OciVault[]) {}

  add(seen: Seen): void {
    if (isPrimaryCopy(seen)) {
      if (!this.primaries.has(seen.key.id)) this.primaries.set(seen.key.id, seen);
    } else if (!(this.replicas.get(seen.key.id) ?? []).some((s) => s.vault.id === seen.vault.id)) {
      this.replicas.set(seen.key.id, [...(this.replicas.get(seen.key.id) ?? []), seen]);
    }
  }

  /** One entry per key id: its primary copy, or its first replica copy when no primary was seen. */
  all(): Seen[] {
    const out = [...this.primaries.values()];
    for (const [id, copies] of this.replicas) if (!this.primaries.has(id)) out.push(copies[0]!);
    return out;
  }

  replicasOf(keyId: string): Seen[] {
    return this.primaries.has(keyId) ? [...(this.replicas.get(keyId) ?? [])] : (this.replicas.get(keyId) ?? []).slice(1);
  }

  /** The key `id` as seen, or read with GetKey; `{why}` when no vault of the scope can read it. */
  async resolve(id: string): Promise<Seen | { why: string }> {
    const known = this.primaries.get(id) ?? this.replicas.get(id)?.[0];
    if (known) return known;
    const failures: string[] = [];
    for (const vault of [...this.vaults].sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary))) {
      try {
        const seen = { key: await this.ports.kms(vault).getKey(id), vault };
        this.add(seen);
        return this.primaries.get(id) ?? seen;
      } catch (err) {
        if (err instanceof OciCallError && err.reason === "not-authorized-or-not-found") continue;
        failures.push(`GetKey through vault "${vault.displayName}": ${describeFailure(err)}`);
      }
    }
    if (failures.length > 0) return { why: failures.join("; ") };
    if (this.vaults.length === 0) return { why: "GetKey: no vault in the scope compartments" };
    return { why: `GetKey: not found in any vault of the scope (${this.vaults.length} vault${this.vaults.length === 1 ? "" : "s"} tried; NotAuthorizedOrNotFound)` };
  }
}
