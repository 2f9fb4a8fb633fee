/**
 * Acceptance (issue 3): the events the simulator emits for a scripted scenario, fetched back through
 * the real SDK clients (Audit ListEvents and Logging SearchLogs), import through keyproof's real
 * importer with zero rejects, and every record has exactly the key paths of the real samples'
 * envelopes (CloudEvents 0.1 for ListEvents, 1.0 for SearchLogs).
 */
import { readFileSync } from "node:fs";
import { writeFile } from "node:fs/promises";
import path from "node:path";
import * as common from "oci-common";
import { AuditClient, type models as auditModels } from "oci-audit";
import { LogSearchClient } from "oci-loggingsearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/app/logger.js";
import { importAuditFiles } from "../../src/ingest/import-audit-files.js";
import { createSimClock, DAY_MS } from "../../src/sim/sim-clock.js";
import { fixedClock } from "../../src/time/instant.js";
import { createTestStore, type TestStore } from "../helpers/db.js";
import { SAMPLES_DIR } from "../helpers/run-cli.js";
import { EXAMPLE, useSimulator } from "../helpers/sim.js";

const START = "2026-07-10T10:00:00.000Z";
const readSample = (file: string) => JSON.parse(readFileSync(path.join(SAMPLES_DIR, file), "utf8"));
const SAMPLE_V01 = readSample("audit-api-listevents-item_computeapi-getinstance_oci-docs.json");
const SAMPLE_V10 = readSample("audit-v2-serviceconnector-functions-batch_audit-listevents_newrelic.json")[0];

/** Maps whose keys vary per call (headers, parameters, tags, payloads): their own path counts, their keys do not. */
const FREE_FORM = new Set([
  "data.freeformTags", "data.definedTags", "data.additionalDetails", "data.request.parameters", "data.request.headers",
  "data.response.headers", "data.response.payload", "data.stateChange.previous", "data.stateChange.current",
]);

/** Every key path of a record's envelope, in dot notation. */
function keyPaths(value: unknown, prefix = ""): Set<string> {
  const out = new Set<string>();
  if (value === null || typeof value !== "object" || Array.isArray(value) || FREE_FORM.has(prefix)) return out;
  for (const [k, v] of Object.entries(value)) {
    const p = prefix ? `${prefix}.${k}` : k;
    out.add(p);
    for (const inner of keyPaths(v, p)) out.add(inner);
  }
  return out;
}
const sorted = (s: Set<string>) => [...s].sort();

describe("events emitted by the simulator import through keyproof's importer", () => {
  const suite = useSimulator({ clock: createSimClock({ start: START }), maxClockSkewMs: Infinity });
  const noBreaker = () => ({ circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }) });
  let audit: AuditClient;
  let search: LogSearchClient;
  let listed: auditModels.AuditEvent[] = [];
  let logged: Record<string, unknown>[] = [];
  let t: TestStore;

  beforeAll(async () => {
    const { sim, clients, provider } = suite();
    audit = new AuditClient({ authenticationDetailsProvider: provider }, noBreaker());
    audit.endpoint = sim.endpoints.audit;
    search = new LogSearchClient({ authenticationDetailsProvider: provider }, noBreaker());
    search.endpoint = sim.endpoints.logging;
    t = await createTestStore("sqlite");

    // The scenario: a key's life through its rotation and a cancelled version deletion, plus a failed call.
    const m = clients.management;
    const { key } = await m.createKey({
      createKeyDetails: {
        compartmentId: EXAMPLE.securityId, displayName: "scenario-key", keyShape: { algorithm: "AES" as never, length: 32 },
        protectionMode: "HSM" as never, freeformTags: { "backup-encryption": "enabled" },
      },
    });
    const first = key.currentKeyVersion;
    await m.createKeyVersion({ keyId: key.id });
    await m.scheduleKeyVersionDeletion({
      keyId: key.id, keyVersionId: first, scheduleKeyVersionDeletionDetails: { timeOfDeletion: new Date(Date.parse(START) + 14 * DAY_MS) },
    });
    await m.cancelKeyVersionDeletion({ keyId: key.id, keyVersionId: first });
    await m.updateKey({ keyId: key.id, updateKeyDetails: { displayName: "scenario-key-renamed" } });
    await m.listKeyVersions({ keyId: key.id });
    await m.getKey({ keyId: "ocid1.key.oc1.iad.ejsppeqvaafyi.abuwcljsnosuchkeyforscenario" }).catch(() => undefined);
    sim.clock.advance(2 * 60_000);

    const window = { startTime: "2026-07-10T10:00:00Z" as unknown as Date, endTime: "2026-07-10T10:01:00Z" as unknown as Date };
    // ListEvents is compartment-scoped (the failed GetKey names no key, so it lands in the tenancy): iterate compartments.
    for (const compartmentId of [EXAMPLE.tenancyId, EXAMPLE.securityId, EXAMPLE.backupProdId]) {
      for await (const event of audit.listEventsRecordIterator({ compartmentId, ...window })) listed.push(event);
    }
    const { searchResponse } = await search.searchLogs({
      searchLogsDetails: {
        timeStart: new Date(START), timeEnd: new Date("2026-07-10T10:01:00.000Z"),
        searchQuery: `search "${EXAMPLE.tenancyId}/_Audit_Include_Subcompartment" | sort by datetime asc`,
      },
      limit: 1000,
    });
    logged = searchResponse.results!.map((r) => r.data.logContent);
  });
  afterAll(async () => {
    audit?.close();
    search?.close();
    await t?.cleanup();
  });

  it("fetches the same scenario events through ListEvents and SearchLogs", () => {
    const names = listed.map((e) => e.data!.eventName);
    for (const op of ["CreateKey", "CreateKeyVersion", "ScheduleKeyVersionDeletion", "CancelKeyVersionDeletion", "UpdateKey", "ListKeyVersions", "GetKey"]) {
      expect(names).toContain(op);
    }
    expect(listed.some((e) => e.data!.response!.status === "404")).toBe(true);
    expect(new Set(logged.map((r) => r["id"]))).toEqual(new Set(listed.map((e) => e.eventId)));
  });

  it("gives every ListEvents item exactly the key paths of the real ListEvents sample", () => {
    const expected = sorted(keyPaths(SAMPLE_V01));
    for (const event of listed) expect(sorted(keyPaths(event)), `${event.eventType}`).toEqual(expected);
  });

  it("gives every SearchLogs record exactly the key paths of the real CloudEvents 1.0 sample", () => {
    const expected = sorted(keyPaths(SAMPLE_V10));
    for (const record of logged) expect(sorted(keyPaths(record)), `${record["type"]}`).toEqual(expected);
  });

  it("imports both envelopes with importAuditFiles with zero rejects", async () => {
    const listEventsFile = path.join(t.dir, "auditEvents_20260710T1000Z_20260710T1001Z.json");
    const searchLogsFile = path.join(t.dir, "searchlogs_20260710T1000Z.jsonl");
    await writeFile(listEventsFile, JSON.stringify(listed, null, 2));
    await writeFile(searchLogsFile, `${logged.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const result = await importAuditFiles(
      { store: t.store, clock: fixedClock("2026-07-10T11:00:00.000Z"), logger: silentLogger() },
      { paths: [listEventsFile, searchLogsFile] },
    );
    expect(result.errors).toEqual([]);
    expect(result.status).toBe("succeeded");
    expect(result.totals).toMatchObject({ read: listed.length + logged.length, rejected: 0, filesRejected: 0 });
    expect(result.files.map((f) => f.status)).toEqual(["committed", "committed"]);
    expect(result.files[0]!.stored).toBe(listed.length);
  });
});
