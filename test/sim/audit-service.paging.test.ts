import * as common from "oci-common";
import { AuditClient, type models } from "oci-audit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEvent } from "../../src/sim/audit/audit-event.js";
import { setAuditPaging } from "../../src/sim/audit/audit-paging.js";
import { createSimClock } from "../../src/sim/sim-clock.js";
import type { Simulator } from "../../src/sim/start-simulator.js";
import { EXAMPLE, useSimulator } from "../helpers/sim.js";

const at = (iso: string) => iso as unknown as Date;
const BULK_ID = "ocid1.compartment.oc1..aaaaaaaabulkauditcompartmentforlisteventspagingtests000001";
const DAY = { startTime: at("2026-07-01T00:00:00Z"), endTime: at("2026-07-02T00:00:00Z") };

/** `count` copies of a real recorded event in `compartmentId`, one every `spacingMs` from 2026-07-01T00:00Z. */
function appendCopies(sim: Simulator, template: AuditEvent, compartmentId: string, count: number, spacingMs: number): string[] {
  const base = Date.parse("2026-07-01T00:00:00.000Z");
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const eventId = `${compartmentId.slice(-8)}-${String(i).padStart(6, "0")}`;
    sim.audit.append({ ...template, eventId, eventTime: new Date(base + i * spacingMs).toISOString(), data: { ...template.data, compartmentId } });
    out.push(eventId);
  }
  return out;
}

describe("Audit ListEvents pagination", () => {
  const suite = useSimulator({
    clock: createSimClock({ start: "2026-07-01T00:00:00.000Z" }),
    maxClockSkewMs: Infinity,
    changeSeed: (seed) => {
      seed.compartments.push({ id: BULK_ID, name: "bulk-audit", timeCreated: "2025-12-01T00:00:00.000Z" } as never);
    },
  });
  let audit: AuditClient;
  let template: AuditEvent;
  beforeAll(async () => {
    const { sim, provider, clients } = suite();
    audit = new AuditClient({ authenticationDetailsProvider: provider }, { circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }) });
    audit.endpoint = sim.endpoints.audit;
    await clients.vault.getVault({ vaultId: EXAMPLE.vaultId });
    template = sim.audit.events().at(-1)!;
    sim.clock.set("2026-07-03T00:00:00.000Z");
  });
  afterAll(() => audit?.close());

  it("pages through listEventsRecordIterator in processing order, every event once", async () => {
    const { sim } = suite();
    setAuditPaging(sim.state, { listEventsPageSize: 3 });
    const expected = appendCopies(sim, template, EXAMPLE.backupProdId, 10, 60_000);
    const seen: string[] = [];
    for await (const event of audit.listEventsRecordIterator({ compartmentId: EXAMPLE.backupProdId, ...DAY })) seen.push(event.eventId!);
    expect(seen).toEqual(expected);
    const calls = sim.calls.filter((c) => c.operation === "ListEvents");
    expect(calls).toHaveLength(4);
    expect(calls.slice(1).every((c) => /[?&]page=[A-Za-z0-9_-]+(&|$)/.test(c.path))).toBe(true);
  });

  it("serves a 47,000-event day as pages of 20,000, 20,000 and 7,000 (B04), the token absent only on the last", { timeout: 60_000 }, async () => {
    const { sim } = suite();
    setAuditPaging(sim.state, { listEventsPageSize: 20_000 });
    appendCopies(sim, template, BULK_ID, 47_000, 1_800);
    const sizes: number[] = [];
    const unique = new Set<string>();
    for await (const page of audit.listEventsResponseIterator({ compartmentId: BULK_ID, ...DAY })) {
      sizes.push(page.items.length);
      for (const e of page.items) unique.add(e.eventId!);
      expect(page.opcNextPage === undefined).toBe(sizes.length === 3);
    }
    expect(sizes).toEqual([20_000, 20_000, 7_000]);
    expect(unique.size).toBe(47_000);
    setAuditPaging(sim.state, { listEventsPageSize: 1000 });
  });

  it("rejects a page token replayed with another window", async () => {
    const { sim } = suite();
    setAuditPaging(sim.state, { listEventsPageSize: 3 });
    const first = await audit.listEvents({ compartmentId: EXAMPLE.backupProdId, ...DAY });
    await expect(audit.listEvents({ compartmentId: EXAMPLE.backupProdId, startTime: at("2026-07-01T00:01:00Z"), endTime: DAY.endTime, page: first.opcNextPage! }))
      .rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
  });

  it("can keep answering the same next-page token forever (B07), which the SDK's iterator follows without end", async () => {
    const { sim } = suite();
    setAuditPaging(sim.state, { listEventsPageSize: 3 });
    sim.faults.set("ListEvents", { pagination: "same-token" });
    try {
      const first = await audit.listEvents({ compartmentId: EXAMPLE.backupProdId, ...DAY });
      const second = await audit.listEvents({ compartmentId: EXAMPLE.backupProdId, ...DAY, page: first.opcNextPage! });
      const third = await audit.listEvents({ compartmentId: EXAMPLE.backupProdId, ...DAY, page: second.opcNextPage! });
      expect(second.opcNextPage).toBe(first.opcNextPage);
      expect(third.opcNextPage).toBe(first.opcNextPage);
      expect(third.items.map((e) => e.eventId)).toEqual(second.items.map((e) => e.eventId));
      const seen: string[] = [];
      for await (const event of audit.listEventsRecordIterator({ compartmentId: EXAMPLE.backupProdId, ...DAY })) {
        seen.push(event.eventId!);
        if (seen.length === 30) break; // 10 events exist: the SDK alone never stops
      }
      expect(new Set(seen).size).toBe(6);
    } finally {
      sim.faults.clear("ListEvents");
    }
  });

  it("can answer new tokens whose page repeats the previous first event (B07)", async () => {
    const { sim } = suite();
    setAuditPaging(sim.state, { listEventsPageSize: 3 });
    sim.faults.set("ListEvents", { pagination: "repeat-first-item" });
    try {
      const pages: { token: string | undefined; first: string | undefined }[] = [];
      let page: string | undefined;
      for (let i = 0; i < 4; i++) {
        const r = await audit.listEvents({ compartmentId: EXAMPLE.backupProdId, ...DAY, ...(page ? { page } : {}) });
        pages.push({ token: r.opcNextPage, first: (r.items[0] as models.AuditEvent | undefined)?.eventId });
        page = r.opcNextPage;
      }
      expect(new Set(pages.map((p) => p.token)).size).toBe(4);
      expect(pages[2]!.first).toBe(pages[1]!.first);
      expect(pages[3]!.first).toBe(pages[1]!.first);
    } finally {
      sim.faults.clear("ListEvents");
    }
  });
});
