import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTagSelector } from "../../src/oci/create-oci-ports.js";
import { listAllPages, PaginationStalledError } from "../../src/oci/list-all-pages.js";
import type { OciPorts } from "../../src/oci/oci-ports.js";
import { EXAMPLE, useSimulator } from "../helpers/sim.js";
import { portsFor } from "../helpers/oci-ports.js";

const TAG = parseTagSelector("backup-encryption=enabled");

describe("every list follows opc-next-page to the end, with the B07 guard (simulator, 2 items per page)", () => {
  const suite = useSimulator();
  let ports: OciPorts;
  beforeAll(() => {
    ports = portsFor(suite().sim, { pageLimit: 2 });
  });
  afterAll(() => ports.close());

  function opsSince(since: number) {
    return suite().sim.calls.slice(since).map((c) => c.operation);
  }
  const count = (ops: string[], op: string) => ops.filter((o) => o === op).length;

  it("reads every page of ListKeys, ListKeyVersions, ListVaults, ListCompartments and SearchResources", async () => {
    const { sim } = suite();
    const since = sim.calls.length;
    const vaults = await ports.listVaults(EXAMPLE.securityId);
    const kms = ports.kms(vaults.find((v) => v.isPrimary)!);
    const keys = await kms.listKeys(EXAMPLE.securityId);
    const versions = await kms.listKeyVersions(EXAMPLE.bucketKey.id);
    const compartments = await ports.listCompartmentSubtree(EXAMPLE.tenancyId);
    const resources = await ports.findTaggedResources(TAG);
    const ops = opsSince(since);
    expect(vaults).toHaveLength(2);
    expect(count(ops, "ListVaults")).toBe(1);
    expect(keys).toHaveLength(3);
    expect(count(ops, "ListKeys")).toBe(2);
    expect(versions.map((v) => v.id)).toEqual(EXAMPLE.bucketKey.versions.map((v) => v.id));
    expect(count(ops, "ListKeyVersions")).toBe(2);
    expect(compartments).toHaveLength(3);
    expect(count(ops, "ListCompartments")).toBe(1);
    expect([resources.resources.length, resources.unreadable]).toEqual([5, []]);
    expect(count(ops, "SearchResources")).toBe(3);
  });

  // same-token: page 2 answers the token it was asked with → caught on call 2.
  // repeat-first-item: page 2 is good but its token leads to a page starting with page 2's first item → caught on call 3.
  // Either way one call past the last good page (cases.md B07 allows at most 3).
  const expected = { "same-token": 2, "repeat-first-item": 3 };
  for (const mode of ["same-token", "repeat-first-item"] as const) {
    it(`B07 ListKeys (${mode}): stops one call after the last good page and says the list is incomplete; no GetKey`, async () => {
      const { sim } = suite();
      const kms = ports.kms(await ports.getVault(EXAMPLE.vaultId));
      sim.faults.set("ListKeys", { pagination: mode });
      const since = sim.calls.length;
      const error = await kms.listKeys(EXAMPLE.securityId).catch((e: unknown) => e);
      sim.faults.clear("ListKeys");
      expect(error).toBeInstanceOf(PaginationStalledError);
      expect(error).toMatchObject({ operation: "ListKeys", reason: "pagination-stalled", code: "OCI_UNAVAILABLE" });
      expect((error as Error).message).toMatch(/pagination did not advance.*incomplete/);
      const ops = opsSince(since);
      expect(ops).toEqual(Array(expected[mode]).fill("ListKeys"));
      expect(sim.faults.injected.at(-1)).toMatchObject({ operation: "ListKeys", kind: `pagination-${mode}` });
    });

    it(`B07 SearchResources (${mode}): the tagged-resource inventory fails instead of coming back partial`, async () => {
      const { sim } = suite();
      sim.faults.set("SearchResources", { pagination: mode });
      const since = sim.calls.length;
      const error = await ports.findTaggedResources(TAG).catch((e: unknown) => e);
      sim.faults.clear("SearchResources");
      expect(error).toMatchObject({ operation: "SearchResources", reason: "pagination-stalled" });
      // No Get* read started: nothing partial was handed on.
      expect(opsSince(since)).toEqual(Array(expected[mode]).fill("SearchResources"));
    });
  }
});

describe("listAllPages without a server", () => {
  const pages = (answers: Array<[string[], string | null]>) => {
    const asked: Array<string | undefined> = [];
    let i = 0;
    const fetchPage = async (page: string | undefined) => {
      asked.push(page);
      const [items, nextPage] = answers[Math.min(i++, answers.length - 1)]!;
      return { items, nextPage };
    };
    return { asked, fetchPage };
  };

  it("passes each token on and returns every item in page order", async () => {
    const p = pages([[["a", "b"], "t1"], [["c"], "t2"], [[], null]]);
    expect(await listAllPages("List", p.fetchPage)).toEqual(["a", "b", "c"]);
    expect(p.asked).toEqual([undefined, "t1", "t2"]);
  });

  it("stops when a token comes back that was answered before (a cycle t1 → t2 → t1)", async () => {
    const p = pages([[["a"], "t1"], [["b"], "t2"], [["c"], "t1"]]);
    await expect(listAllPages("List", p.fetchPage)).rejects.toBeInstanceOf(PaginationStalledError);
    expect(p.asked).toEqual([undefined, "t1", "t2"]);
  });

  it("stops at maxPages when the paginator advances forever", async () => {
    let n = 0;
    const fetchPage = async () => ({ items: [`item-${n}`], nextPage: `t${++n}` });
    await expect(listAllPages("List", fetchPage, { maxPages: 5 })).rejects.toMatchObject({ reason: "pagination-stalled", attempts: 5 });
    expect(n).toBe(5);
  });
});
