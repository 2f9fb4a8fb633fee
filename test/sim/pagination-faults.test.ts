import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { ObjectStorageClient } from "oci-objectstorage";
import { EXAMPLE, useSimulator } from "../helpers/sim.js";
import { objectStorageClient } from "./objectstorage-client.js";

describe("Non-advancing paginators as a fault rule of any list call (cases B07)", () => {
  const suite = useSimulator();
  let os: ObjectStorageClient;
  let ns: string;
  beforeAll(async () => {
    os = objectStorageClient(suite());
    ns = (await os.getNamespace({})).value;
  });
  afterAll(() => os?.close());
  afterEach(() => suite().sim.faults.clear());

  it("answers ListKeys pages normally until the rule is set, then repeats the asked token and its page forever", async () => {
    const { sim, clients } = suite();
    const request = { compartmentId: EXAMPLE.securityId, limit: 1 };
    const normal = [await clients.management.listKeys(request)];
    while (normal.at(-1)!.opcNextPage) normal.push(await clients.management.listKeys({ ...request, page: normal.at(-1)!.opcNextPage! }));
    expect(normal.map((r) => r.items[0]!.id)).toHaveLength(3);

    sim.faults.set("ListKeys", { pagination: "same-token" });
    const first = await clients.management.listKeys(request);
    const second = await clients.management.listKeys({ ...request, page: first.opcNextPage! });
    const third = await clients.management.listKeys({ ...request, page: second.opcNextPage! });
    const fourth = await clients.management.listKeys({ ...request, page: third.opcNextPage! });
    expect(first.items[0]!.id).toBe(normal[0]!.items[0]!.id);
    expect([second.opcNextPage, third.opcNextPage, fourth.opcNextPage]).toEqual([first.opcNextPage, first.opcNextPage, first.opcNextPage]);
    expect([third.items[0]!.id, fourth.items[0]!.id]).toEqual([second.items[0]!.id, second.items[0]!.id]);
    expect(sim.faults.injected.filter((f) => f.operation === "ListKeys").map((f) => f.kind)).toEqual([
      "pagination-same-token", "pagination-same-token", "pagination-same-token",
    ]);
  });

  it("answers ListKeys with new tokens whose page repeats the previous page's first key when the rule says repeat-first-item", async () => {
    const { sim, clients } = suite();
    sim.faults.set("ListKeys", { pagination: "repeat-first-item" });
    const request = { compartmentId: EXAMPLE.securityId, limit: 1 };
    const pages = [await clients.management.listKeys(request)];
    for (let i = 0; i < 4; i++) pages.push(await clients.management.listKeys({ ...request, page: pages.at(-1)!.opcNextPage! }));
    expect(new Set(pages.map((p) => p.opcNextPage)).size).toBe(5);
    expect(pages.slice(2).map((p) => p.items[0]!.id)).toEqual([pages[1]!.items[0]!.id, pages[1]!.items[0]!.id, pages[1]!.items[0]!.id]);
  });

  it("makes the SDK's own ListBuckets iterator loop over the same page until the caller stops it", async () => {
    const { sim } = suite();
    sim.faults.set("ListBuckets", { pagination: "same-token" });
    const seen: string[] = [];
    for await (const bucket of os.listBucketsRecordIterator({ namespaceName: ns, compartmentId: EXAMPLE.backupProdId, limit: 1 })) {
      seen.push(bucket.name);
      if (seen.length === 10) break; // three buckets exist: the SDK alone never stops
    }
    expect(seen).toHaveLength(10);
    expect(new Set(seen).size).toBe(2);
  });

  it("answers ListBuckets normally again once the rule is cleared, every bucket once", async () => {
    const { sim } = suite();
    sim.faults.set("ListBuckets", { pagination: "repeat-first-item" });
    const stuck = await os.listBuckets({ namespaceName: ns, compartmentId: EXAMPLE.backupProdId, limit: 1 });
    const again = await os.listBuckets({ namespaceName: ns, compartmentId: EXAMPLE.backupProdId, limit: 1, page: stuck.opcNextPage! });
    const repeat = await os.listBuckets({ namespaceName: ns, compartmentId: EXAMPLE.backupProdId, limit: 1, page: again.opcNextPage! });
    expect(repeat.items[0]!.name).toBe(again.items[0]!.name);
    expect(repeat.opcNextPage).not.toBe(again.opcNextPage);
    sim.faults.clear("ListBuckets");
    const names: string[] = [];
    let page: string | undefined;
    do {
      const r = await os.listBuckets({ namespaceName: ns, compartmentId: EXAMPLE.backupProdId, limit: 1, ...(page ? { page } : {}) });
      names.push(...r.items.map((b) => b.name));
      page = r.opcNextPage;
    } while (page);
    expect(names.sort()).toEqual(["app-backups", "db-backups", "web-assets"]);
  });

  it("rejects a pagination rule it does not know with a TypeError", () => {
    expect(() => suite().sim.faults.set("ListVaults", { pagination: "sideways" as never })).toThrow(/pagination must be one of same-token, repeat-first-item/);
  });
});
