import { describe, expect, it } from "vitest";
import { buildKeyLineages, lineageLinks, predecessorKeyIdOf } from "../../src/rotation/key-lineages.js";
import { buildKey, buildSuccessor, buildVault } from "../helpers/inventory-factory.js";

const K1 = "ocid1.key.oc1.iad.ejsppeqvaafyi.k1";

describe("predecessorKeyIdOf", () => {
  const tagged = (freeformTags: Record<string, string>, definedTags: Record<string, Record<string, unknown>> = {}) =>
    ({ id: "ocid1.key.oc1.iad.x.self", freeformTags, definedTags });

  it("reads the freeform tag `predecessor` (any case) naming a key OCID", () => {
    expect(predecessorKeyIdOf(tagged({ predecessor: K1 }))).toBe(K1);
    expect(predecessorKeyIdOf(tagged({ Predecessor: ` ${K1} ` }))).toBe(K1);
  });

  it("reads a defined tag key `predecessor` in any namespace", () => {
    expect(predecessorKeyIdOf(tagged({}, { Security: { PREDECESSOR: K1 } }))).toBe(K1);
  });

  it("ignores values that are not key OCIDs, the key itself, and other tags", () => {
    expect(predecessorKeyIdOf(tagged({ predecessor: "backup-volumes-2026-04" }))).toBeNull();
    expect(predecessorKeyIdOf(tagged({ predecessor: "ocid1.vault.oc1.iad.x" }))).toBeNull();
    expect(predecessorKeyIdOf(tagged({ predecessor: "ocid1.key.oc1.iad.x.self" }))).toBeNull();
    expect(predecessorKeyIdOf(tagged({ "backup-encryption": "enabled" }))).toBeNull();
  });
});

describe("buildKeyLineages", () => {
  const k1 = buildKey("vol-2026-04", { timeCreated: "2026-04-14T10:02:37.571Z" });
  const k2 = buildSuccessor("vol-2026-07", k1, "2026-07-10T02:00:11.208Z");
  const k3 = buildSuccessor("vol-2026-10", k2, "2026-10-06T02:00:09.733Z");
  const bucketKey = buildKey("objects", { timeCreated: "2026-01-12T09:14:21.441Z" });

  it("chains predecessor → successor oldest first with the newest as head; a bucket key is a lineage of one", () => {
    const lineages = buildKeyLineages([k3.key, bucketKey.key, k1.key, k2.key]);
    expect(lineages).toEqual([
      { headKeyId: bucketKey.key.id, keyIds: [bucketKey.key.id] },
      { headKeyId: k3.key.id, keyIds: [k1.key.id, k2.key.id, k3.key.id] },
    ]);
  });

  it("follows the tags, not creation times, for the order", () => {
    // A successor whose timeCreated is (wrongly) earlier still comes after its predecessor.
    const early = buildSuccessor("early-successor", k1, "2026-01-01T00:00:00.000Z");
    expect(buildKeyLineages([early.key, k1.key])).toEqual([{ headKeyId: early.key.id, keyIds: [k1.key.id, early.key.id] }]);
  });

  it("ignores a predecessor that is not among the keys", () => {
    expect(buildKeyLineages([k2.key])).toEqual([{ headKeyId: k2.key.id, keyIds: [k2.key.id] }]);
  });

  it("takes the newest branch of a fork as head", () => {
    const a = buildSuccessor("fork-a", k1, "2026-07-10T02:00:00.000Z");
    const b = buildSuccessor("fork-b", k1, "2026-07-11T02:00:00.000Z");
    expect(buildKeyLineages([b.key, a.key, k1.key])).toEqual([{ headKeyId: b.key.id, keyIds: [k1.key.id, a.key.id, b.key.id] }]);
  });

  it("passes over a DISABLED newest branch of a fork: the head is the newest ENABLED branch", () => {
    const a = buildSuccessor("fork-a", k1, "2026-07-10T02:00:00.000Z");
    const b = buildSuccessor("fork-b", k1, "2026-07-11T02:00:00.000Z", { lifecycleState: "DISABLED" });
    expect(buildKeyLineages([b.key, a.key, k1.key])).toEqual([{ headKeyId: a.key.id, keyIds: [k1.key.id, b.key.id, a.key.id] }]);
  });

  it("never heads a lineage with a DISABLED successor: its ENABLED predecessor stays the head", () => {
    const off = buildSuccessor("vol-2026-07", k1, "2026-07-10T02:00:11.208Z", { lifecycleState: "DISABLED" });
    expect(buildKeyLineages([k1.key, off.key])).toEqual([{ headKeyId: k1.key.id, keyIds: [off.key.id, k1.key.id] }]);
    // Nothing usable at all: the newest end, so the plan skips it with the KEY_DISABLED finding.
    const k1off = { ...k1.key, lifecycleState: "DISABLED" };
    expect(buildKeyLineages([k1off, off.key])).toEqual([{ headKeyId: off.key.id, keyIds: [k1.key.id, off.key.id] }]);
  });

  it("does not join keys whose link names another vault, algorithm, length or protection mode", () => {
    const otherVault = buildSuccessor("vol-other-vault", k1, "2026-07-10T02:00:11.208Z", { vault: buildVault({ displayName: "elsewhere" }) });
    const rsa = buildSuccessor("vol-rsa", k1, "2026-07-11T02:00:11.208Z", { algorithm: "RSA", length: 256 });
    const links = lineageLinks([k1.key, otherVault.key, rsa.key]);
    expect(links.rejected).toEqual([
      { successorId: otherVault.key.id, predecessorId: k1.key.id, mismatches: ["vault ocid1.vault.oc1.iad.backupvault → ocid1.vault.oc1.iad.elsewhere"] },
      { successorId: rsa.key.id, predecessorId: k1.key.id, mismatches: ["algorithm AES → RSA", "length 32 → 256 bytes"] },
    ]);
    expect(links.forks).toEqual([]);
    expect(buildKeyLineages([k1.key, otherVault.key, rsa.key]).map((l) => l.keyIds)).toEqual([[k1.key.id], [otherVault.key.id], [rsa.key.id]]);
  });

  it("reports a fork: two accepted successors of one key, oldest first", () => {
    const a = buildSuccessor("fork-a", k1, "2026-07-10T02:00:00.000Z");
    const b = buildSuccessor("fork-b", k1, "2026-07-11T02:00:00.000Z");
    expect(lineageLinks([b.key, k1.key, a.key, k2.key]).forks).toEqual([{ predecessorId: k1.key.id, successorIds: [a.key.id, k2.key.id, b.key.id] }]);
  });

  it("keeps a cycle from hand-edited tags as one lineage ordered by creation time", () => {
    const x = buildKey("x", { timeCreated: "2026-01-01T00:00:00.000Z", freeformTags: { predecessor: "ocid1.key.oc1.iad.y" } });
    const y = buildKey("y", { timeCreated: "2026-02-01T00:00:00.000Z", freeformTags: { predecessor: "ocid1.key.oc1.iad.x" } });
    expect(buildKeyLineages([y.key, x.key])).toEqual([{ headKeyId: y.key.id, keyIds: [x.key.id, y.key.id] }]);
  });

  it("prefers a head that is not being deleted among the newest keys without a successor", () => {
    const a = buildSuccessor("fork-a", k1, "2026-07-10T02:00:00.000Z");
    const doomed = buildSuccessor("fork-b", k1, "2026-07-11T02:00:00.000Z", { lifecycleState: "PENDING_DELETION" });
    expect(buildKeyLineages([k1.key, a.key, doomed.key])).toEqual([{ headKeyId: a.key.id, keyIds: [k1.key.id, doomed.key.id, a.key.id] }]);
  });
});
