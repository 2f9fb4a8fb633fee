import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OciPorts } from "../../src/oci/oci-ports.js";
import { EXAMPLE, exampleSeed, useSimulator } from "../helpers/sim.js";
import { portsFor } from "../helpers/oci-ports.js";

const NAMESPACE = "idr2kxq7vbmn";
const MINUTE = 60_000;

describe("ingestion ports against the simulator (real SDK clients)", () => {
  const suite = useSimulator({ maxClockSkewMs: Infinity });
  let ports: OciPorts;
  beforeAll(() => {
    ports = portsFor(suite().sim);
  });
  afterAll(() => ports.close());

  it("ListEvents: one compartment, processing-time window in whole minutes, raw records and the request id", async () => {
    await ports.listVaults(EXAMPLE.securityId);
    const now = suite().sim.clock.now().getTime();
    const start = Math.floor(now / MINUTE) * MINUTE - 5 * MINUTE;
    const end = Math.floor(now / MINUTE) * MINUTE + 2 * MINUTE;
    const page = await ports.audit.listEventsPage(EXAMPLE.securityId, start, end);
    const names = page.items.map((e) => (e.data as { eventName: string }).eventName);
    expect(names).toContain("ListVaults");
    expect(page.items[0]!.cloudEventsVersion).toBe("0.1");
    expect(typeof page.items[0]!.eventTime).toBe("string");
    expect(page.nextPage).toBeNull();
    expect(page.opcRequestId).toMatch(/\S/);
    const call = suite().sim.calls.filter((c) => c.operation === "ListEvents").at(-1)!;
    expect(call.path).toContain(`startTime=${new Date(start).toISOString().replace(".000Z", "Z")}`);
  });

  it("GetConfiguration: the tenancy's audit retention", async () => {
    const retention = await ports.audit.getRetentionPeriodDays();
    expect(retention.value).toBe(exampleSeed().audit!.retentionPeriodDays);
  });

  it("SearchLogs: results[].data in the {datetime, logContent} form, limit honoured", async () => {
    await ports.listVaults(EXAMPLE.securityId);
    const now = suite().sim.clock.now().getTime();
    const query = `search "${EXAMPLE.tenancyId}/_Audit_Include_Subcompartment" | where data.eventName = 'ListVaults'`;
    const page = await ports.loggingSearch.searchLogsPage(query, now - 3_600_000, now + MINUTE, undefined, 1);
    expect(page.items).toHaveLength(1);
    expect(page.nextPage).not.toBeNull();
    const data = page.items[0]!;
    expect(typeof data.datetime).toBe("number");
    expect((data.logContent as { specversion: string }).specversion).toBe("1.0");
    const second = await ports.loggingSearch.searchLogsPage(query, now - 3_600_000, now + MINUTE, page.nextPage!, 1);
    expect((second.items[0]!.logContent as { id: string }).id).not.toBe((data.logContent as { id: string }).id);
  });

  it("Object Storage: namespace, put, list with etag/size, get, retention rules", async () => {
    expect(await ports.objectStorage.getNamespace()).toBe(NAMESPACE);
    const body = Buffer.from('{"hello":"world"}\n');
    const put = await ports.objectStorage.putObject(NAMESPACE, "db-backups", "exports/a.json", body, "application/json");
    expect(put.value.etag).toMatch(/\S/);
    const listed = await ports.objectStorage.listObjects(NAMESPACE, "db-backups", "exports/");
    expect(listed.objects).toEqual([expect.objectContaining({ name: "exports/a.json", etag: put.value.etag, sizeBytes: body.length })]);
    expect(listed.nextStartWith).toBeNull();
    const got = await ports.objectStorage.getObject(NAMESPACE, "db-backups", "exports/a.json");
    const chunks: Buffer[] = [];
    for await (const c of got.body) chunks.push(Buffer.from(c as Uint8Array));
    expect(Buffer.concat(chunks).toString()).toBe(body.toString());
    expect(got.etag).toBe(put.value.etag);
    const rules = await ports.objectStorage.listRetentionRules(NAMESPACE, "db-backups");
    expect(rules).toEqual([expect.objectContaining({ displayName: "keep-7-years", duration: { timeAmount: 7, timeUnit: "YEARS" }, timeRuleLocked: null })]);
  });

  it("Block Volume: volume backups of a compartment with their keys", async () => {
    const seed = exampleSeed();
    const backups = await ports.blockVolume.listVolumeBackups(EXAMPLE.backupProdId);
    const expected = seed.volumeBackups!.filter((b) => b.compartmentId === EXAMPLE.backupProdId);
    expect(backups.map((b) => b.id).sort()).toEqual(expected.map((b) => b.id).sort());
    expect(backups.every((b) => b.kind === "volumebackup" && b.kmsKeyId === (expected.find((e) => e.id === b.id)!.kmsKeyId ?? null))).toBe(true);
  });
});
