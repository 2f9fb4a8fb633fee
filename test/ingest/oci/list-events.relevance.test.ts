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
