/**
 * `ingest.events`: "relevant" keeps the key, volume, bucket, read-back and audit-configuration
 * events and drops reads no timeline uses (counted as read); "all" keeps everything.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestListEvents } from "../../../src/ingest/oci/ingest-list-events.js";
import type { OciPorts } from "../../../src/oci/oci-ports.js";
import { createSimClock } from "../../../src/sim/sim-clock.js";
import { useTestStore } from "../../helpers/db.js";
import { portsFor } from "../../helpers/oci-ports.js";
import { EXAMPLE, useSimulator } from "../../helpers/sim.js";
import { ledgerRows, simAuditEvent, testIngestDeps } from "./audit-event-factory.js";

const NOW = "2026-11-29T12:00:00.000Z";
const T = Date.parse(NOW);
const MINUTE = 60_000;

const KEPT = [
  ["CreateKeyVersion", "KeyManagementService"],
  ["ScheduleKeyVersionDeletion", "KeyManagementService"],
  ["UpdateVolumeKmsKey", "BlockVolumes"],
  ["GetVolumeKmsKey", "BlockVolumes"],
  ["UpdateBucket", "ObjectStorage"],
  ["ReencryptBucket", "ObjectStorage"],
  ["UpdateConfiguration", "Audit"],
] as const;
const DROPPED = [["GetKey", "KeyManagementService"], ["ListBuckets", "ObjectStorage"]] as const;

describe("Audit ListEvents: relevance filter", () => {
  const suite = useSimulator({ clock: createSimClock({ start: NOW }), maxClockSkewMs: Infinity });
  const testStore = useTestStore("sqlite");
  let ports: OciPorts;
  beforeAll(async () => {
    const { sim } = suite();
    ports = portsFor(sim);
    [...KEPT, ...DROPPED].forEach(([name, source], i) => sim.audit.append(simAuditEvent(sim, EXAMPLE.securityId, T - 50 * MINUTE + i * 1000, name, source)));
    // Real calls through the SDK: audited by the simulator as ListVaults / GetNamespace events.
    sim.clock.set(new Date(T - 40 * MINUTE).toISOString());
    await ports.listVaults(EXAMPLE.securityId);
    await ports.objectStorage.getNamespace();
    sim.clock.set(NOW);
  });
  afterAll(() => ports.close());

  const storedNames = async () =>
    (await testStore().store.db.selectFrom("audit_event").select("event_name").execute()).map((r) => r.event_name).sort();

  it('"relevant" stores key, volume, bucket and audit-configuration events and drops ListVaults, GetNamespace and other reads, counting them as read', async () => {
    const { store } = testStore();
    const { sim } = suite();
    const result = await ingestListEvents(await testIngestDeps(store, ports, sim, { backfillDays: 1 }));
    expect(await storedNames()).toEqual(KEPT.map(([n]) => n.toLowerCase()).sort());
    const windows = await ledgerRows(store, "audit-list-events");
    expect(windows.map((w) => w.scopeId).sort()).toEqual([EXAMPLE.tenancyId, EXAMPLE.securityId, EXAMPLE.backupProdId].sort());
    const read = sim.audit.query({ processedTo: new Date(T) });
    expect(read.map((r) => r.event.data.eventName)).toEqual(expect.arrayContaining(["ListVaults", "GetNamespace", "GetKey"]));
    expect(windows.every((w) => w.status === "collected")).toBe(true);
    expect(windows.reduce((n, w) => n + w.eventsRead, 0)).toBe(read.length);
    expect(windows.reduce((n, w) => n + w.eventsStored, 0)).toBe(KEPT.length);
    expect(result).toMatchObject({ eventsRead: read.length, eventsStored: KEPT.length });
  });

  it('"all" stores every event of the compartment', async () => {
    const { store } = testStore();
    const { sim } = suite();
    const result = await ingestListEvents(await testIngestDeps(store, ports, sim, { backfillDays: 1, events: "all" }));
    const read = sim.audit.query({ processedTo: new Date(T) });
    expect(result.eventsStored).toBe(read.length);
    expect(await storedNames()).toEqual(expect.arrayContaining(["listvaults", "getnamespace", "getkey", "listbuckets", "createkeyversion"]));
  });
});

describe("Audit ListEvents: an answer with records that are not audit records", () => {
  const suite = useSimulator({ clock: createSimClock({ start: NOW }), maxClockSkewMs: Infinity });
  const testStore = useTestStore("sqlite");
  let ports: OciPorts;
  beforeAll(() => {
    const { sim } = suite();
    ports = portsFor(sim);
    sim.audit.append(simAuditEvent(sim, EXAMPLE.securityId, T - 50 * MINUTE, "CreateKeyVersion", "KeyManagementService"));
    // A record without its id: keyproof cannot store it (no identity for exactly-once).
    const broken = simAuditEvent(sim, EXAMPLE.securityId, T - 49 * MINUTE, "UpdateBucket", "ObjectStorage") as unknown as Record<string, unknown>;
    delete broken.eventId;
    sim.audit.append(broken as never);
  });
  afterAll(() => ports.close());

  it("keeps the good events but records the window as failed (malformed-answer), never as completely collected", async () => {
    const { store } = testStore();
    const { sim } = suite();
    const result = await ingestListEvents(await testIngestDeps(store, ports, sim, { backfillDays: 1 }));
    expect(result.eventsStored).toBe(1);
    expect(result.windowsFailed).toBe(1);
    expect(result.failures).toEqual([expect.objectContaining({ scopeId: EXAMPLE.securityId, reason: "malformed-answer" })]);
    const security = (await ledgerRows(store, "audit-list-events")).filter((w) => w.scopeId === EXAMPLE.securityId);
    expect(security.map((w) => [w.status, w.reason])).toEqual([["failed", "malformed-answer"]]);
    expect(security[0]!.detail).toMatch(/1 record\(s\) that are not audit records skipped/);
  });
});
