/**
 * Reads the rotation inventory from OCI through {@link OciPorts} (issue 4 item 1, DESIGN §3): the
 * scope's compartments, the vaults, the tagged resources, the keys in scope with every version,
 * key lineages and the findings. Replica vaults' keys are kept apart as read-only copies (B13).
 */
import pMap from "p-map";
import { OciCallError, type OciKey, type OciKeySummary, type OciPorts, type OciResource, type OciVault, type UnreadableResource } from "../oci/oci-ports.js";
import { parseTagSelector } from "../oci/parse-tag-selector.js";
import { requireInstant } from "../time/instant.js";
import { carriesTag } from "./carries-tag.js";
import type { Finding, Inventory, InventoryKey } from "./inventory.js";
import { findInventoryFindings, keyNotReadableFinding, sortFindings, type FindingsPolicy } from "./inventory-findings.js";
import { isPrimaryCopy } from "./key-lifecycle.js";
import { buildKeyLineages, predecessorKeyIdOf } from "./key-lineages.js";
import { describeResource } from "./resource-kinds.js";
import { compareCodeUnits } from "../store/compare-code-units.js";

export interface CollectInventoryInput {
  /**
   * config.scope: the tag selector text, the compartment roots resources come from ([] = the whole
   * tenancy), and the compartment roots vaults are looked up in (`vaultCompartments`; [] or absent
   * = the whole tenancy subtree).
   */
  scope: { tag: string; compartments: readonly string[]; vaultCompartments?: readonly string[] };
  /** When the inventory is read (an instant): `observedAt`, and the instant findings are judged at. */
  now: string;
  /** OCI reads in flight at once (default 8); the retry layer in the ports handles throttling. */
  concurrency?: number;
  /** config.policy: auto-rotating keys are also judged against the policy's cryptoperiod. */
  policy?: FindingsPolicy;
}

/** A key as read (GetKey) through one vault's endpoint. */
interface Seen {
  key: OciKey;
  vault: OciVault;
}

/** A key as listed (ListKeys) through one vault's endpoint. */
interface Listing {
  summary: OciKeySummary;
  vault: OciVault;
}

/** Vaults without a usable management endpoint. */
const GONE_VAULT_STATES = new Set(["CREATING", "DELETING", "DELETED"]);
/** Resources that can no longer be re-keyed. */
const GONE_RESOURCE_STATES = new Set(["TERMINATING", "TERMINATED", "DELETED"]);


/**
 * Collects the inventory.
 *
 * Where things come from: resources from `scope.compartments` only (Resource Search results
 * elsewhere are never read). Vaults from `scope.vaultCompartments` (default: the whole tenancy)
 * and from `scope.compartments`, because the usual OCI / CIS landing zone keeps vaults in a
 * Security compartment apart from the backups; a vault there is used only to resolve keys: keys
 * a tagged in-scope resource uses, keys carrying the scope tag, and every key of their lineages
 * (`predecessor` tags, both directions). Keys are listed with ListKeys (every vault × every vault
 * compartment) and only those keys are read with GetKey (ListKeys lacks the current version),
 * then ListKeyVersions. A key seen through a replica vault (key or vault `isPrimary` false) is a
 * read-only copy: listed in `replicaCopies` when its primary is seen, else kept in `keys` (the
 * plan skips it, B13). Resources terminated are left out.
 *
 * Failures (DESIGN §3 rules 7 and 9: one bad read costs that one item, with a finding, never the run):
 * - a resource whose own read fails: RESOURCE_NOT_READABLE (medium for a 404, which is also what
 *   OCI answers for a resource deleted since the search; high otherwise), left out;
 * - a key that cannot be read (GetKey fails after the retry layer or answers without a field
 *   keyproof needs, or no vault looked up has it) or whose versions cannot be listed:
 *   KEY_NOT_READABLE, per resource using it;
 * - a replica copy that cannot be read: a low REPLICA_KEY finding saying so.
 * @throws OciCallError when a list that defines the scope fails (ListCompartments, ListVaults,
 *   SearchResources, ListKeys; GetVault of a listed vault): an inventory missing part of its scope
 *   would silently hide keys (rule 7). ValidationError for a malformed scope tag, TypeError for a bad `now`.
 */
export async function collectInventory(ports: OciPorts, input: CollectInventoryInput): Promise<Inventory> {
  const selector = parseTagSelector(input.scope.tag);
  const observedAt = requireInstant(input.now, "now").iso;
  const concurrency = input.concurrency ?? 8;
  const map = <T, R>(items: Iterable<T>, fn: (item: T) => Promise<R>) => pMap(items, fn, { concurrency });

  const scopeRoots = input.scope.compartments.length > 0 ? [...input.scope.compartments] : [ports.tenancyId];
  const vaultRoots = input.scope.vaultCompartments?.length ? [...input.scope.vaultCompartments] : [ports.tenancyId];
  const roots = [...new Set([...scopeRoots, ...vaultRoots])];
  const subtrees = new Map(await map(roots, async (root) => [root, await ports.listCompartmentSubtree(root)] as const));
  const compartments = [...new Set(scopeRoots.flatMap((root) => subtrees.get(root)!))];
  const inScope = new Set(compartments);
  // Vaults in the scope compartments count too: a vault next to its backups is found as before.
  const vaultCompartments = [...new Set([...compartments, ...vaultRoots.flatMap((root) => subtrees.get(root)!)])];
  const [vaultLists, tagged] = await Promise.all([
    map(vaultCompartments, (c) => ports.listVaults(c)),
    ports.findTaggedResources(selector, { compartmentIds: compartments }),
  ]);
  const vaults = uniqueBy(vaultLists.flat(), (v) => v.id)
    .filter((v) => !GONE_VAULT_STATES.has(v.lifecycleState))
    // ListVaults is regional: a primary vault it lists lives in the ports' region when its
    // endpoint does not say (B13 names the primary's region). A replica's region stays unknown.
    .map((v) => (v.region === null && v.isPrimary ? { ...v, region: ports.region } : v))
    .sort((a, b) => compareCodeUnits(a.displayName, b.displayName) || compareCodeUnits(a.id, b.id));
  const resources = uniqueBy(tagged.resources, (r) => r.id)
    .filter((r) => inScope.has(r.compartmentId) && !GONE_RESOURCE_STATES.has(r.lifecycleState ?? ""))
    .sort((a, b) => compareCodeUnits(a.kind, b.kind) || compareCodeUnits(a.displayName, b.displayName) || compareCodeUnits(a.id, b.id));
  const findings: Finding[] = uniqueBy(tagged.unreadable, (r) => r.id).map(resourceNotReadableFinding);

  // Every key of every vault compartment, through every vault (primary and replica), as listed:
  // only the keys wanted below are read one by one.
  const pairs = vaults.flatMap((vault) => vaultCompartments.map((compartmentId) => ({ vault, compartmentId })));
  const listed: Listing[] = (await map(pairs, async ({ vault, compartmentId }) =>
    (await ports.kms(vault).listKeySummaries(compartmentId)).map((summary) => ({ summary, vault })))).flat();
  const book = new KeyBook(ports, vaults);
  for (const listing of listed) book.add(listing);

  // Seeds: keys used by tagged resources, keys carrying the tag; then whole lineages.
  const wanted = new Set<string>();
  const usersOf = new Map<string, OciResource[]>();
  for (const r of resources) {
    if (r.kmsKeyId === null) continue;
    wanted.add(r.kmsKeyId);
    usersOf.set(r.kmsKeyId, [...(usersOf.get(r.kmsKeyId) ?? []), r]);
  }
  // A deleted key that still carries the tag is history, not scope (unless something uses it).
  for (const s of book.summaries()) if (s.lifecycleState !== "DELETED" && carriesTag(s, selector)) wanted.add(s.id);

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
    for (const s of book.summaries()) {
      const predecessor = predecessorKeyIdOf(s);
      if (predecessor && keys.has(predecessor)) queue(s.id);
    }
  }
  for (const [id, why] of unreadable) {
    const users = usersOf.get(id) ?? [];
    if (users.length === 0) findings.push(keyNotReadableFinding(id, null, why));
    for (const r of users) findings.push(keyNotReadableFinding(id, r, why));
  }

  const sorted = [...keys.values()].sort((a, b) => compareCodeUnits(a.key.displayName, b.key.displayName) || compareCodeUnits(a.key.id, b.key.id));
  const inventoryKeys = await map(sorted, async ({ key, vault }): Promise<InventoryKey> => {
    try {
      const versions = await ports.kms(vault).listKeyVersions(key.id);
      return { key, vault, versions: [...versions].sort((a, b) => compareCodeUnits(a.timeCreated, b.timeCreated) || compareCodeUnits(a.id, b.id)) };
    } catch (err) {
      findings.push(keyNotReadableFinding(key.id, null, `ListKeyVersions: ${describeFailure(err)}`));
      return { key, vault, versions: [] };
    }
  });
  const copies = (await map(sorted, (seen) => book.replicaCopies(seen))).flat();
  const replicaCopies = copies.flatMap((c) => ("key" in c ? [{ ...c, versions: [] }] : []));
  for (const c of copies) if ("why" in c) findings.push(unreadableReplicaFinding(c.of, c.vault, c.why));

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

/** RESOURCE_NOT_READABLE: a tagged in-scope resource whose own read failed (left out of the run). */
function resourceNotReadableFinding(r: UnreadableResource): Finding {
  const failure = `${r.operation}: ${reasonWithStatus(r)}`;
  // OCI answers 404 NotAuthorizedOrNotFound alike for "deleted since the search" and "may not read".
  const notFound = r.statusCode === 404;
  const why = notFound ? "deleted since Resource Search listed it, or this principal may not read it" : "left out of this run";
  return {
    code: "RESOURCE_NOT_READABLE", severity: notFound ? "medium" : "high", keyId: null, resourceId: r.id,
    message: `${describeResource(r)} (${r.id}) could not be read (${failure}): ${why}; not re-keyed.`,
  };
}

/** A replica copy of an in-scope key whose GetKey failed: context only, like every replica copy (B13). */
function unreadableReplicaFinding(of: OciKey, vault: OciVault, why: string): Finding {
  return {
    code: "REPLICA_KEY", severity: "low", keyId: of.id, resourceId: null,
    message: `Key "${of.displayName}" has a read-only copy in replica vault "${vault.displayName}" that could not be read (${why}): reported once under its primary and rotated only through the primary vault's management endpoint.`,
  };
}


function uniqueBy<T>(items: T[], id: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(id(item))) seen.set(id(item), item);
  return [...seen.values()];
}

/**
 * A failure in words for a finding: the port's reason and status, or for an answer keyproof could
 * not read (to-oci-models.ts: a missing time, a missing field) what was wrong; never a request
 * body or secret.
 */
/** `throttled (HTTP 429 TooManyRequests)`: the failure kind, then OCI's status and code when known. */
function reasonWithStatus(f: { reason: string; statusCode: number | null; serviceCode: string | null }): string {
  return `${f.reason}${f.statusCode ? ` (HTTP ${f.statusCode}${f.serviceCode ? ` ${f.serviceCode}` : ""})` : ""}`;
}

function describeFailure(err: unknown): string {
  if (err instanceof OciCallError) return reasonWithStatus(err);
  if (err instanceof TypeError) return `malformed answer: ${err.message}`;
  return err instanceof Error ? err.name : "unknown error";
}

const isNotFound = (err: unknown) => err instanceof OciCallError && err.reason === "not-authorized-or-not-found";
const primaryFirst = (vaults: OciVault[]) => [...vaults].sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary));

/**
 * The keys listed so far (ListKeys through each vault), and reads of the ones wanted with GetKey
 * through the vault that lists them (its primary vault when listed there); keys nobody listed are
 * looked up through each vault in turn (primaries first), since only the vault holding a key can
 * read it.
 */
class KeyBook {
  private readonly listings = new Map<string, Listing[]>();

  constructor(private readonly ports: OciPorts, private readonly vaults: OciVault[]) {}

  add(listing: Listing): void {
    const known = this.listings.get(listing.summary.id) ?? [];
    if (!known.some((l) => l.vault.id === listing.vault.id)) this.listings.set(listing.summary.id, [...known, listing]);
  }

  /** One summary per key id (as listed through its first vault, primaries first). */
  summaries(): OciKeySummary[] {
    return [...this.listings.values()].map((ls) => (ls.find((l) => l.vault.isPrimary) ?? ls[0]!).summary);
  }

  /** The key `id` read with GetKey; `{why}` when it cannot be read through any vault looked up. */
  async resolve(id: string): Promise<Seen | { why: string }> {
    const listedIn = (this.listings.get(id) ?? []).map((l) => l.vault);
    // A listed key is read where it is listed: its primary vault, else (only replicas list it) its replicas.
    const listedPrimaries = listedIn.filter((v) => v.isPrimary);
    const candidates = listedIn.length === 0 ? primaryFirst(this.vaults) : listedPrimaries.length > 0 ? listedPrimaries : listedIn;
    const failures: string[] = [];
    let replica: Seen | null = null;
    for (const vault of candidates) {
      try {
        const seen = { key: await this.ports.kms(vault).getKey(id), vault };
        if (isPrimaryCopy(seen)) return seen;
        replica ??= seen;
      } catch (err) {
        // Not listed: a 404 only says the key is not in this vault.
        if (listedIn.length === 0 && isNotFound(err)) continue;
        failures.push(`GetKey through vault "${vault.displayName}": ${describeFailure(err)}`);
      }
    }
    if (failures.length > 0) return { why: failures.join("; ") };
    if (replica) return replica;
    if (this.vaults.length === 0) return { why: "GetKey: no vault in the scope or vault compartments" };
    const tried = `${this.vaults.length} vault${this.vaults.length === 1 ? "" : "s"} tried`;
    return { why: `GetKey: not found in any vault of the scope or vault compartments (${tried}; NotAuthorizedOrNotFound)` };
  }

  /** The other copies of a key read through `seen.vault` (replica vaults that list it), each read with GetKey. */
  async replicaCopies(seen: Seen): Promise<Array<Seen | { of: OciKey; vault: OciVault; why: string }>> {
    const others = (this.listings.get(seen.key.id) ?? []).map((l) => l.vault).filter((v) => v.id !== seen.vault.id);
    return Promise.all(others.map(async (vault) => {
      try {
        return { key: await this.ports.kms(vault).getKey(seen.key.id), vault };
      } catch (err) {
        return { of: seen.key, vault, why: `GetKey: ${describeFailure(err)}` };
      }
    }));
  }
}
