import * as common from "oci-common";
import { AuditClient, type models } from "oci-audit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimClock } from "../../src/sim/sim-clock.js";
import type { Simulator } from "../../src/sim/start-simulator.js";
import { EXAMPLE, useSimulator } from "../helpers/sim.js";

const START = "2026-07-10T10:00:00.000Z";
/** The SDK forwards strings unchanged; a Date would be sent in local time (OCI-NOTES §1.6). */
const at = (iso: string) => iso as unknown as Date;
const noBreaker = { circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }) };
const SUB_ID = "ocid1.compartment.oc1..aaaaaaaasubcompartmentofsecurityforauditlisteventstests01";

function auditClientFor(sim: Simulator, provider: common.AuthenticationDetailsProvider): AuditClient {
  const client = new AuditClient({ authenticationDetailsProvider: provider }, noBreaker);
  client.endpoint = sim.endpoints.audit;
  return client;
}

const ids = (events: readonly models.AuditEvent[]) => events.map((e) => e.data!.request!.id);

describe("Audit ListEvents through AuditClient", () => {
  const suite = useSimulator({
    clock: createSimClock({ start: START }),
    maxClockSkewMs: Infinity,
    changeSeed: (seed) => {
      seed.compartments.push({ id: SUB_ID, name: "security-dev", parentId: EXAMPLE.securityId, timeCreated: "2025-12-01T00:00:00.000Z" } as never);
    },
  });
  let audit: AuditClient;
  beforeAll(() => {
    audit = auditClientFor(suite().sim, suite().provider);
  });
  afterAll(() => audit?.close());

  it("lists the events of one compartment, typed as the SDK returns them", async () => {
    const { sim, clients } = suite();
    sim.clock.set(START);
    const { opcRequestId } = await clients.vault.getVault({ vaultId: EXAMPLE.vaultId });
    sim.clock.advance(60_000);
    const response = await audit.listEvents({ compartmentId: EXAMPLE.securityId, startTime: at("2026-07-10T10:00:00Z"), endTime: at("2026-07-10T10:01:00Z") });
    const event = response.items.find((e) => e.data!.request!.id === opcRequestId)!;
    expect(event).toMatchObject({
      eventType: "com.oraclecloud.KeyManagementService.GetVault", cloudEventsVersion: "0.1", eventTypeVersion: "2.0",
      source: "KeyManagementService", contentType: "application/json", eventTime: START,
    });
    expect(typeof event.eventTime).toBe("string");
    expect(event.data).toMatchObject({
      eventName: "GetVault", compartmentId: EXAMPLE.securityId, compartmentName: "security", resourceId: EXAMPLE.vaultId,
      identity: { principalName: "keyproof-rotator", principalId: EXAMPLE.user.id, authType: "natv" },
      response: { status: "200" },
    });
    expect(response.opcNextPage).toBeUndefined();
    expect(response.opcRequestId).toMatch(/\S/);
  });

  it("is compartment-scoped: neither the parent nor a subcompartment sees the other's events", async () => {
    const { sim } = suite();
    sim.clock.set("2026-07-10T11:00:00.000Z");
    const sub = await audit.listEvents({ compartmentId: SUB_ID, startTime: at("2026-07-10T10:00:00Z"), endTime: at("2026-07-10T11:00:00Z") });
    sim.clock.advance(60_000);
    const window = { startTime: at("2026-07-10T11:00:00Z"), endTime: at("2026-07-10T11:01:00Z") };
    const inSub = await audit.listEvents({ compartmentId: SUB_ID, ...window });
    const inParent = await audit.listEvents({ compartmentId: EXAMPLE.securityId, ...window });
    const inTenancy = await audit.listEvents({ compartmentId: EXAMPLE.tenancyId, ...window });
    expect(ids(inSub.items)).toEqual([sub.opcRequestId]);
    expect(inSub.items[0]).toMatchObject({ eventType: "com.oraclecloud.Audit.ListEvents", data: { compartmentName: "security-dev", response: { payload: {} } } });
    expect(ids(inParent.items)).not.toContain(sub.opcRequestId);
    expect(ids(inTenancy.items)).not.toContain(sub.opcRequestId);
    await expect(audit.listEvents({ compartmentId: "ocid1.compartment.oc1..aaaaaaaanosuchcompartment", ...window }))
      .rejects.toMatchObject({ statusCode: 404, serviceCode: "NotAuthorizedOrNotFound" });
  });

  it("filters on processing time: an event at 10:00 with a 12-minute delay is in [10:12, 10:13), not in [10:00, 10:05)", async () => {
    const { sim, clients } = suite();
    sim.clock.set("2026-07-11T10:00:00.000Z");
    sim.audit.deliveryDelayMs = 12 * 60_000;
    try {
      const { opcRequestId } = await clients.vault.getVault({ vaultId: EXAMPLE.vaultId });
      const list = async (start: string, end: string) =>
        ids((await audit.listEvents({ compartmentId: EXAMPLE.securityId, startTime: at(start), endTime: at(end) })).items);
      sim.clock.set("2026-07-11T10:05:00.000Z");
      expect(await list("2026-07-11T10:00:00Z", "2026-07-11T10:30:00Z")).not.toContain(opcRequestId); // not processed yet
      sim.clock.set("2026-07-11T10:20:00.000Z");
      expect(await list("2026-07-11T10:00:00Z", "2026-07-11T10:05:00Z")).not.toContain(opcRequestId);
      expect(await list("2026-07-11T10:12:00Z", "2026-07-11T10:13:00Z")).toContain(opcRequestId); // start inclusive
      expect(await list("2026-07-11T10:11:00Z", "2026-07-11T10:12:00Z")).not.toContain(opcRequestId); // end exclusive
    } finally {
      sim.audit.deliveryDelayMs = 0;
    }
  });

  it("cuts seconds and milliseconds of the bounds to the minute, as OCI's minute granularity does", async () => {
    const { sim, clients } = suite();
    sim.clock.set("2026-07-12T10:12:00.000Z");
    const { opcRequestId } = await clients.vault.getVault({ vaultId: EXAMPLE.vaultId });
    sim.clock.set("2026-07-12T10:30:00.000Z");
    const list = async (start: string, end: string) =>
      ids((await audit.listEvents({ compartmentId: EXAMPLE.securityId, startTime: at(start), endTime: at(end) })).items);
    expect(await list("2026-07-12T10:12:59.999Z", "2026-07-12T10:13:00Z")).toContain(opcRequestId);
    expect(await list("2026-07-12T10:00:00Z", "2026-07-12T10:12:45Z")).not.toContain(opcRequestId);
  });

  it("answers 400 InvalidParameter to the SDK's un-padded hour (B01) and to an inverted window", async () => {
    const window = { compartmentId: EXAMPLE.securityId, endTime: at("2026-07-12T10:00:00Z") };
    await expect(audit.listEvents({ ...window, startTime: at("2024-08-28T2:15:34Z") }))
      .rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter", message: expect.stringContaining("startTime") });
    await expect(audit.listEvents({ ...window, startTime: at("2026-07-12T11:00:00Z") }))
      .rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter", message: expect.stringContaining("endTime") });
  });

  it("reads and updates the retention period within 90..365 days", async () => {
    const { sim } = suite();
    const { configuration } = await audit.getConfiguration({ compartmentId: EXAMPLE.tenancyId });
    expect(configuration).toEqual({ retentionPeriodDays: 365 });
    const updated = await audit.updateConfiguration({ compartmentId: EXAMPLE.tenancyId, updateConfigurationDetails: { retentionPeriodDays: 120 } });
    expect(updated.opcWorkRequestId).toMatch(/^ocid1\.auditworkrequest\.oc1\.iad\./);
    expect((await audit.getConfiguration({ compartmentId: EXAMPLE.tenancyId })).configuration.retentionPeriodDays).toBe(120);
    expect(sim.state.audit.retentionPeriodDays).toBe(120);
    for (const days of [89, 366]) {
      await expect(audit.updateConfiguration({ compartmentId: EXAMPLE.tenancyId, updateConfigurationDetails: { retentionPeriodDays: days } }))
        .rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    }
    await expect(audit.getConfiguration({ compartmentId: EXAMPLE.securityId })).rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    await audit.updateConfiguration({ compartmentId: EXAMPLE.tenancyId, updateConfigurationDetails: { retentionPeriodDays: 365 } });
  });
});

describe("Audit ListEvents with the SDK's malformed dates accepted (lenientQueryDates)", () => {
  const suite = useSimulator({ clock: createSimClock({ start: "2024-08-28T08:30:00.000Z" }), maxClockSkewMs: Infinity, lenientQueryDates: true });

  it("reads an un-padded hour as written, in UTC", async () => {
    const { sim, clients, provider } = suite();
    sim.clock.set("2024-08-28T02:15:00.000Z");
    const { opcRequestId } = await clients.vault.getVault({ vaultId: EXAMPLE.vaultId });
    sim.clock.set("2024-08-28T08:30:00.000Z");
    const audit = auditClientFor(sim, provider);
    try {
      const { items } = await audit.listEvents({ compartmentId: EXAMPLE.securityId, startTime: at("2024-08-28T2:15:34Z"), endTime: at("2024-08-28T2:16:00Z") });
      expect(ids(items)).toEqual([opcRequestId]);
    } finally {
      audit.close();
    }
  });
});
