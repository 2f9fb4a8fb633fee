import { readFileSync } from "node:fs";
import path from "node:path";
import * as common from "oci-common";
import { LogSearchClient, type requests, type responses } from "oci-loggingsearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditEvent } from "../../src/sim/audit/audit-event.js";
import { createSimClock } from "../../src/sim/sim-clock.js";
import type { Simulator } from "../../src/sim/start-simulator.js";
import { SAMPLES_DIR } from "../helpers/run-cli.js";
import { EXAMPLE, useSimulator } from "../helpers/sim.js";

const SUB_ID = "ocid1.compartment.oc1..aaaaaaaasubcompartmentofsecurityforloggingsearchtests00001";
const BULK_ID = "ocid1.compartment.oc1..aaaaaaaabulkcompartmentforloggingsearchpagingtests00000001";
const sample = JSON.parse(readFileSync(path.join(SAMPLES_DIR, "audit-v2-serviceconnector-functions-batch_audit-listevents_newrelic.json"), "utf8"))[0];
const keys = (o: object) => Object.keys(o).sort();
const JULY = { timeStart: new Date("2026-07-01T00:00:00.000Z"), timeEnd: new Date("2026-08-01T00:00:00.000Z") };

/** `count` copies of a recorded event as `eventName` in `compartmentId`, one a minute from 2026-07-02T00:00Z. */
function appendCopies(sim: Simulator, template: AuditEvent, compartmentId: string, eventName: string, count: number): void {
  const base = Date.parse("2026-07-02T00:00:00.000Z");
  for (let i = 0; i < count; i++) {
    sim.audit.append({
      ...template, eventId: `${eventName}-${i}`, eventType: `com.oraclecloud.KeyManagementService.${eventName}`,
      eventTime: new Date(base + i * 60_000).toISOString(), data: { ...template.data, compartmentId, eventName },
    });
  }
}

describe("Logging SearchLogs through LogSearchClient", () => {
  const suite = useSimulator({
    clock: createSimClock({ start: "2026-07-01T00:00:00.000Z" }),
    maxClockSkewMs: Infinity,
    changeSeed: (seed) => {
      seed.compartments.push(
        { id: SUB_ID, name: "security-dev", parentId: EXAMPLE.securityId, timeCreated: "2025-12-01T00:00:00.000Z" } as never,
        { id: BULK_ID, name: "bulk-logs", timeCreated: "2025-12-01T00:00:00.000Z" } as never,
      );
    },
  });
  let search: LogSearchClient;
  let template: AuditEvent;
  let getVaultRequestId: string;
  const searchLogs = (searchQuery: string, extra: Partial<requests.SearchLogsRequest> = {}) =>
    search.searchLogs({ searchLogsDetails: { ...JULY, searchQuery, isReturnFieldInfo: false }, ...extra });
  beforeAll(async () => {
    const { sim, provider, clients } = suite();
    search = new LogSearchClient({ authenticationDetailsProvider: provider }, { circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }) });
    search.endpoint = sim.endpoints.logging;
    sim.clock.set("2026-07-01T08:00:00.000Z");
    getVaultRequestId = (await clients.vault.getVault({ vaultId: EXAMPLE.vaultId })).opcRequestId;
    template = sim.audit.events().at(-1)!;
    appendCopies(sim, template, SUB_ID, "SubcompartmentCall", 2);
    appendCopies(sim, template, EXAMPLE.securityId, "SecurityCall", 1);
    sim.clock.set("2026-07-20T00:00:00.000Z");
  });
  afterAll(() => search?.close());

  it("returns _Audit records in CloudEvents 1.0 form with exactly the real record's layout", async () => {
    const { sim } = suite();
    const { searchResponse, opcNextPage } = await searchLogs(`search "${EXAMPLE.securityId}/_Audit" | where data.request.id = '${getVaultRequestId}' and data.eventName = 'GetVault'`);
    const [result] = searchResponse.results!;
    expect(searchResponse.results).toHaveLength(1);
    const { datetime, logContent, regionId } = result!.data;
    expect(keys(result!.data)).toEqual(["datetime", "logContent", "regionId"]);
    expect(regionId).toBe("us-ashburn-1");
    expect(datetime).toBe(Date.parse("2026-07-01T08:00:00.000Z"));
    expect(keys(logContent)).toEqual(keys(sample));
    expect(keys(logContent.oracle)).toEqual(keys(sample.oracle));
    expect(keys(logContent.data)).toEqual(keys(sample.data));
    expect(logContent).toMatchObject({
      specversion: "1.0", dataschema: "2.0", type: "com.oraclecloud.KeyManagementService.GetVault", time: "2026-07-01T08:00:00.000Z",
      source: "backup-vault", id: template.eventId,
      oracle: { compartmentid: EXAMPLE.securityId, loggroupid: "_Audit", tenantid: EXAMPLE.tenancyId, ingestedtime: "2026-07-01T08:00:00.000Z" },
      data: { eventName: "GetVault", message: "backup-vault GetVault succeeded", identity: template.data.identity },
    });
    expect(searchResponse.summary).toEqual({ resultCount: 1 });
    expect(searchResponse.fields).toBeUndefined();
    expect(opcNextPage).toBeUndefined();
    expect(sim.calls.at(-1)).toMatchObject({ operation: "SearchLogs", status: 200 });
  });

  it("reads one compartment for _Audit and its subtree for _Audit_Include_Subcompartment", async () => {
    const names = async (group: string) =>
      (await searchLogs(`search "${EXAMPLE.securityId}/${group}" | where data.eventName = 'SubcompartmentCall' or data.eventName = 'SecurityCall'`))
        .searchResponse.results!.map((r) => r.data.logContent.data.eventName);
    expect(await names("_Audit")).toEqual(["SecurityCall"]);
    expect((await names("_Audit_Include_Subcompartment")).sort()).toEqual(["SecurityCall", "SubcompartmentCall", "SubcompartmentCall"]);
  });

  it("sorts newest first unless the query says sort by datetime asc, and returns field info on request", async () => {
    const query = `search "${SUB_ID}/_Audit" | where type = 'com.oraclecloud.KeyManagementService.SubcompartmentCall'`;
    const desc = (await searchLogs(query)).searchResponse.results!.map((r) => r.data.logContent.id);
    const asc = (await searchLogs(`${query} | sort by datetime asc`)).searchResponse.results!.map((r) => r.data.logContent.id);
    expect(desc).toEqual(["SubcompartmentCall-1", "SubcompartmentCall-0"]);
    expect(asc).toEqual(["SubcompartmentCall-0", "SubcompartmentCall-1"]);
    const withFields = await search.searchLogs({ searchLogsDetails: { ...JULY, searchQuery: query, isReturnFieldInfo: true } });
    expect(withFields.searchResponse.fields).toEqual(expect.arrayContaining([
      { fieldName: "type", fieldType: "STRING" }, { fieldName: "data.eventName", fieldType: "STRING" },
    ]));
    expect(withFields.searchResponse.summary).toEqual({ resultCount: 2, fieldCount: withFields.searchResponse.fields!.length });
  });

  it("filters on the event time, start inclusive and end exclusive, and hides records not yet ingested", async () => {
    const { sim, clients } = suite();
    const query = `search "${SUB_ID}/_Audit" | where data.eventName = 'SubcompartmentCall'`;
    const window = (timeStart: string, timeEnd: string) =>
      search.searchLogs({ searchLogsDetails: { timeStart: new Date(timeStart), timeEnd: new Date(timeEnd), searchQuery: query } });
    expect((await window("2026-07-02T00:00:00.000Z", "2026-07-02T00:01:00.000Z")).searchResponse.results!.map((r) => r.data.logContent.id)).toEqual(["SubcompartmentCall-0"]);
    sim.audit.deliveryDelayMs = 10 * 60_000;
    try {
      await clients.vault.getVault({ vaultId: EXAMPLE.vaultId, opcRequestId: "DELAYEDSEARCH" });
      const delayed = `search "${EXAMPLE.securityId}/_Audit" | where data.request.id = '${sim.calls.at(-1)!.requestId}'`;
      expect((await searchLogs(delayed)).searchResponse.results).toEqual([]);
      sim.clock.advance(10 * 60_000);
      expect((await searchLogs(delayed)).searchResponse.results).toHaveLength(1);
    } finally {
      sim.audit.deliveryDelayMs = 0;
    }
  });

  it("pages 2,345 matches as 1000, 1000 and 345 with a token on all but the last (B05)", async () => {
    const { sim } = suite();
    appendCopies(sim, template, BULK_ID, "BulkCall", 2_345);
    const request: requests.SearchLogsRequest = {
      searchLogsDetails: { ...JULY, searchQuery: `search "${BULK_ID}/_Audit" | where data.eventName = 'BulkCall'` }, limit: 1000,
    };
    const pages: responses.SearchLogsResponse[] = [];
    for await (const page of common.paginateResponses(request, (r: requests.SearchLogsRequest) => search.searchLogs(r))) pages.push(page);
    expect(pages.map((p) => p.searchResponse.results!.length)).toEqual([1000, 1000, 345]);
    expect(pages.map((p) => p.opcNextPage === undefined)).toEqual([false, false, true]);
    expect(pages[0]!.opcNextPage).toMatch(/^[A-Za-z0-9_-]+$/);
    const ids = new Set(pages.flatMap((p) => p.searchResponse.results!.map((r) => r.data.logContent.id)));
    expect(ids.size).toBe(2_345);
  });

  it("answers a last page of exactly 1000 results without a token", async () => {
    const { sim } = suite();
    appendCopies(sim, template, BULK_ID, "ExactlyAPage", 1_000);
    const r = await searchLogs(`search "${BULK_ID}/_Audit" | where data.eventName = 'ExactlyAPage'`, { limit: 1000 });
    expect(r.searchResponse.results).toHaveLength(1000);
    expect(r.opcNextPage).toBeUndefined();
  });

  it("can answer the same next-page token forever (B07)", async () => {
    const { sim } = suite();
    sim.faults.set("SearchLogs", { pagination: "same-token" });
    try {
      const q = `search "${BULK_ID}/_Audit" | where data.eventName = 'BulkCall'`;
      const first = await searchLogs(q, { limit: 1000 });
      const second = await searchLogs(q, { limit: 1000, page: first.opcNextPage! });
      const third = await searchLogs(q, { limit: 1000, page: second.opcNextPage! });
      expect([second.opcNextPage, third.opcNextPage]).toEqual([first.opcNextPage, first.opcNextPage]);
      expect(third.searchResponse.results![0]!.data.logContent.id).toBe(second.searchResponse.results![0]!.data.logContent.id);
    } finally {
      sim.faults.clear("SearchLogs");
    }
  });

  it("rejects a bad query with 400 InvalidParameter and the parser's message, and a limit above 1000", async () => {
    await expect(searchLogs(`search "${EXAMPLE.securityId}/_Audit" | where data.eventName = `))
      .rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter", message: expect.stringMatching(/at position \d+$/) });
    await expect(searchLogs(`search "${EXAMPLE.securityId}/_Audit" | summarize count()`))
      .rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter", message: expect.stringContaining("Unsupported command 'summarize'") });
    await expect(searchLogs(`search "${EXAMPLE.securityId}/_Audit"`, { limit: 1001 })).rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    await expect(searchLogs(`search "ocid1.compartment.oc1..aaaaaaaanosuchcompartment/_Audit"`)).rejects.toMatchObject({ statusCode: 404 });
  });
});
