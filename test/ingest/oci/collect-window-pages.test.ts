import { describe, expect, it } from "vitest";
import { collectWindowPages } from "../../../src/ingest/oci/collect-window-pages.js";
import { PaginationStalledError } from "../../../src/oci/list-all-pages.js";
import type { RawPage } from "../../../src/oci/oci-ports.js";

const records = (from: number, n: number) => Array.from({ length: n }, (_, i) => ({ eventId: `e${from + i}` }));
const page = (items: Record<string, unknown>[], nextPage: string | null): RawPage => ({ items, nextPage, opcRequestId: "req", attempts: 1 });
const idOf = (r: Record<string, unknown>) => String(r.eventId);

describe("collectWindowPages", () => {
  it("B07 + B04: a stuck token with pages larger than half the bound is a stalled window at the 2nd call, not a window to split", async () => {
    const calls: (string | undefined)[] = [];
    const fetch = async (token: string | undefined) => {
      calls.push(token);
      return page(records(calls.length * 3000, 3000), "p2");
    };
    const read = collectWindowPages("ListEvents", fetch, { maxRecords: 5000, idOf });
    await expect(read).rejects.toBeInstanceOf(PaginationStalledError);
    await expect(read).rejects.toMatchObject({ reason: "pagination-stalled" });
    expect(calls).toEqual([undefined, "p2"]);
  });

  it("reports a window too large (without its records) once the bound is passed on an advancing paginator", async () => {
    let n = 0;
    const fetch = async () => page(records(n++ * 3000, 3000), `t${n}`);
    expect(await collectWindowPages("ListEvents", fetch, { maxRecords: 5000, idOf })).toEqual({ complete: false, pages: 2, recordsRead: 6000 });
  });

  it("B05: done only when no token; a full last page without a token is complete", async () => {
    const pages = [page(records(0, 1000), "t1"), page(records(1000, 1000), "t2"), page(records(2000, 1000), null)];
    let i = 0;
    const read = await collectWindowPages("SearchLogs", async () => pages[i++]!, { maxRecords: Infinity, idOf });
    expect(read).toMatchObject({ complete: true, pages: 3 });
    expect(read.complete && read.items.length).toBe(3000);
  });
});
