/**
 * The main job end to end on real input: the public OCI samples (and our example export) go in
 * through the file importer, a monthly pack comes out, and every file is read back: PDF text,
 * XLSX cells, the raw events, and the manifest hashes against the files on disk.
 */
import { createHash } from "node:crypto";
import { readFile, readdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import ExcelJS from "exceljs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/app/config.js";
import { silentLogger } from "../../src/app/logger.js";
import { buildPackSource } from "../../src/evidence/build-pack-data.js";
import { generatePack, type GeneratePackResult } from "../../src/evidence/generate-pack.js";
import { redactAuditRecord } from "../../src/evidence/redact-audit-record.js";
import { importAuditFiles } from "../../src/ingest/import-audit-files.js";
import { fixedClock } from "../../src/time/instant.js";
import { createTestStore, type TestStore } from "../helpers/db.js";
import { extractPdfText, squash } from "../helpers/extract-pdf-text.js";
import { REPO_ROOT, SAMPLES_DIR } from "../helpers/run-cli.js";
import * as F from "../fixtures/audit-export-facts.js";

const GENERATED_AT = "2026-11-01T06:00:00.000Z";

/** Every audit sample (SOURCES.md is prose, which the importer rightly rejects). */
async function samplePaths(): Promise<string[]> {
  return (await readdir(SAMPLES_DIR)).filter((f) => /\.jsonl?$/.test(f)).map((f) => path.join(SAMPLES_DIR, f));
}

let t: TestStore;
beforeEach(async () => {
  t = await createTestStore("sqlite");
});
afterEach(async () => {
  await t.cleanup();
});

function deps() {
  return { store: t.store, clock: fixedClock(GENERATED_AT), logger: silentLogger(), config: { ...loadConfig({}), reportsDir: path.join(t.dir, "reports") } };
}

async function sheetRows(file: string, name: string): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.getWorksheet(name);
  if (!ws) throw new Error(`no sheet ${name}`);
  const rows: string[][] = [];
  ws.eachRow((row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell) => {
      cells.push(cell.value instanceof Date ? cell.value.toISOString() : cell.text);
    });
    rows.push(cells);
  });
  return rows;
}

async function expectManifestMatchesDisk(pack: GeneratePackResult): Promise<void> {
  const onDisk = (await readdir(pack.dir)).sort();
  expect(onDisk).toEqual(["events.jsonl.gz", "evidence.xlsx", "manifest.json", "summary.pdf"]);
  const manifest = JSON.parse(await readFile(path.join(pack.dir, "manifest.json"), "utf8"));
  expect(manifest).toEqual(JSON.parse(JSON.stringify(pack.manifest)));
  for (const file of manifest.files as { path: string; sha256: string; bytes: number }[]) {
    const bytes = await readFile(path.join(pack.dir, file.path));
    expect(createHash("sha256").update(bytes).digest("hex"), file.path).toBe(file.sha256);
    expect(bytes.length, file.path).toBe(file.bytes);
  }
  const manifestBytes = await readFile(path.join(pack.dir, "manifest.json"));
  expect(createHash("sha256").update(manifestBytes).digest("hex")).toBe(pack.manifestSha256);
}

describe("generatePack from the public OCI samples", () => {
  it("builds the 2021-02 pack whose PDF, XLSX, raw events and manifest carry the sample values", async () => {
    const imported = await importAuditFiles({ store: t.store, clock: fixedClock(GENERATED_AT), logger: silentLogger() }, { paths: await samplePaths() });
    expect(imported.status).toBe("succeeded");
    // The two Oracle docs samples both carry the placeholder id "<unique_ID>": kept, flagged as a conflict.
    expect(imported.totals).toMatchObject({ read: 207, stored: 207, duplicates: 0, conflicts: 1, rejected: 0 });

    const pack = await generatePack(deps(), { month: "2021-02" });
    // The four eugsim1 JSON Lines exports: 15 + 56 + 66 + 62 records, all on 2021-02-11.
    expect(pack.data.counts.events).toBe(199);
    expect(pack.manifest.counts.rawEvents).toBe(199);
    expect(pack.manifest.period).toEqual({ start: "2021-02-01T00:00:00.000Z", end: "2021-03-01T00:00:00.000Z" });
    // batch3 has 4 records of the logging service principal whose tenancy is another one.
    expect(pack.data.tenancies).toEqual(["ocid1.tenancy.oc1..aaaaaaaaexampletenancy1", "ocid1.tenancy.oc1..aaaaaaaaexampletenancy3"]);
    // No state snapshots from files: never COMPLIANT (DESIGN §3 rule 7).
    expect(pack.data.verdicts.map((v) => v.verdict)).toEqual(Array(6).fill("NO_EVIDENCE"));
    expect(pack.data.coverage.find((c) => c.evidence === "Key and key-version state snapshots")?.status).toBe("not-collected");
    await expectManifestMatchesDisk(pack);

    const pdf = await extractPdfText(path.join(pack.dir, "summary.pdf"));
    const text = squash(pdf.pages.join("\n"));
    for (const expected of [
      "2021-02-01T00:00:00.000Z to 2021-03-01T00:00:00.000Z (UTC, end exclusive)",
      "ocid1.tenancy.oc1..aaaaaaaaexampletenancy1",
      "Audit events in the period 199",
      "com.oraclecloud.OracleResourceManager.CreateStack",
      "example.user@example.com",
      "LoggingAnalytics",
      "ocid1.compartment.oc1..aaaaaaaaexamplecompartment1",
      "NO_EVIDENCE",
      "Not collected: Key and key-version state snapshots",
    ]) {
      expect(text, expected).toContain(squash(expected));
    }

    const events = await sheetRows(path.join(pack.dir, "evidence.xlsx"), "Events");
    const header = events[0]!;
    const row = events.find((r) => r.includes("2e951ebc-4463-4d0f-96ab-10adb06cf2d6"));
    expect(row, "first record of batch1 in the Events sheet").toBeDefined();
    const cell = (name: string) => row![header.indexOf(name)];
    expect(cell("Event time (UTC)")).toBe("2021-02-11T16:09:02.562Z");
    expect(cell("Ingested time (UTC)")).toBe("2021-02-11T16:09:05.695Z");
    expect(cell("Event type")).toBe("com.oraclecloud.OracleResourceManager.CreateStack");
    expect(cell("Principal name")).toBe("example.user@example.com");
    expect(cell("Compartment name")).toBe("LoggingAnalytics");
    expect(cell("Compartment id")).toBe("ocid1.compartment.oc1..aaaaaaaaexamplecompartment1");
    expect(cell("Request id")).toBe("csid1d6a131d4fcf80ebdd31af8ce32b/6f822cc3677d4eff9d4797cacc3d0196/91144B8FF154758AA4B2CE172523AA57");
    expect(cell("Response status")).toBe("200");
    expect(events.length - 1).toBe(199);

    // events.jsonl.gz holds the records as read from the export, one per line, credentials redacted.
    const lines = gunzipSync(await readFile(path.join(pack.dir, "events.jsonl.gz"))).toString("utf8").trimEnd().split("\n");
    expect(lines).toHaveLength(199);
    expect(lines.join("\n")).not.toContain("ST$");
    const batch1First = (await readFile(path.join(SAMPLES_DIR, "audit-v2-jsonl-batch1-15rec_resourcemanager-createstack-statechange_logging-begin_fed-user_eugsim1-logging-analytics.jsonl"), "utf8")).split("\n")[0]!;
    expect(lines.map((l) => JSON.parse(l))).toContainEqual(redactAuditRecord(JSON.parse(batch1First)));
  });

  it("reads one snapshot of the archive: events imported while a pack is being built are not in it", async () => {
    const logDeps = { store: t.store, clock: fixedClock(GENERATED_AT), logger: silentLogger() };
    const [batch1, batch2] = (await samplePaths()).filter((p) => /batch[12]-/.test(p));
    await importAuditFiles(logDeps, { paths: [batch1!] });
    const policy = { rotationIntervalDays: 90, rekeyWithinHours: 24, retentionDays: 2555, scopeTag: "backup-encryption=enabled" };
    const source = await buildPackSource(t.store.db, { month: "2021-02", generatedAt: GENERATED_AT, toolVersion: "test", policy });
    await importAuditFiles(logDeps, { paths: [batch2!] }); // 56 more events of 2021-02 arrive
    const ids: string[] = [];
    for await (const e of source.events()) ids.push(e.eventId);
    expect(source.data.counts.events).toBe(15);
    expect(ids).toHaveLength(15);
    expect(source.period.maxSeq).toBe(15);
  });

  it("builds a pack for each other sample month with that month's record", async () => {
    await importAuditFiles({ store: t.store, clock: fixedClock(GENERATED_AT), logger: silentLogger() }, { paths: await samplePaths() });
    const pack = await generatePack(deps(), { month: "2025-07" });
    expect(pack.data.counts.events).toBe(1);
    const events = await sheetRows(path.join(pack.dir, "evidence.xlsx"), "Events");
    const header = events[0]!;
    expect(events[1]![header.indexOf("Event id")]).toBe("93e7a143-650b-4632-8a53-a464f45ee3c5");
    expect(events[1]![header.indexOf("Event time (UTC)")]).toBe("2025-07-22T08:35:57.533Z");
    expect(events[1]![header.indexOf("Principal name")]).toBe("Example User");
    const text = squash((await extractPdfText(path.join(pack.dir, "summary.pdf"))).pages.join("\n"));
    expect(text).toContain(squash("com.oraclecloud.Audit.ListEvents 1"));
    expect(text).toContain("sandbox-beyond-cust-1");
  });

  it("reports a month without events as a coverage gap, never as 'no activity'", async () => {
    const pack = await generatePack(deps(), { month: "2024-02" });
    expect(pack.manifest.period).toEqual({ start: "2024-02-01T00:00:00.000Z", end: "2024-03-01T00:00:00.000Z" });
    expect(pack.data.counts.events).toBe(0);
    const audit = pack.data.coverage.find((c) => c.evidence === "Audit events")!;
    expect(audit.status).toBe("not-collected");
    expect(audit.detail).toContain("coverage gap");
    expect(pack.data.verdicts.every((v) => v.verdict === "NO_EVIDENCE" && v.reason.length > 0)).toBe(true);
    await expectManifestMatchesDisk(pack);
  });

  it("refuses to rewrite an issued pack and leaves no staging folder behind", async () => {
    await generatePack(deps(), { month: "2024-02" });
    await expect(generatePack(deps(), { month: "2024-02" })).rejects.toThrow(/already exists/);
    expect(await readdir(path.join(t.dir, "reports"))).toEqual(["2024-02"]);
  });

  it("refuses a month that has not ended yet, since an issued pack can never be replaced", async () => {
    await expect(generatePack(deps(), { month: "2026-11" })).rejects.toThrow(
      "month 2026-11 has not ended yet (it ends 2026-12-01T00:00:00.000Z UTC); its pack can be issued from then on",
    );
    // The clock is 2026-11-01T06:00Z: October has ended and can be issued.
    await expect(generatePack(deps(), { month: "2026-10" })).resolves.toMatchObject({ month: "2026-10" });
  });

  it("records the policy in effect in the manifest", async () => {
    const pack = await generatePack(deps(), { month: "2024-02" });
    expect(pack.manifest.policy).toEqual({ rotationIntervalDays: 90, rekeyWithinHours: 24, retentionDays: 2555, scopeTag: "backup-encryption=enabled" });
  });

  it("names reportsDir when the packs folder cannot be created", async () => {
    const file = path.join(t.dir, "not-a-folder");
    await writeFile(file, "x");
    const bad = { ...deps(), config: { ...deps().config, reportsDir: path.join(file, "reports") } };
    await expect(generatePack(bad, { month: "2024-02" })).rejects.toThrow(/^reportsDir: cannot create a folder in .*not-a-folder\/reports \(ENOTDIR\)$/);
  });

  it("rejects a month that is not YYYY-MM before touching the disk", async () => {
    await expect(generatePack(deps(), { month: "../../etc" })).rejects.toThrow('month: expected YYYY-MM, got "../../etc"');
  });
});

describe("generatePack from the example export", () => {
  it("shows October 2026's rotation, re-encryptions, lineage and cancelled deletion with their evidence event ids", async () => {
    const imported = await importAuditFiles({ store: t.store, clock: fixedClock(GENERATED_AT), logger: silentLogger() }, { paths: [path.join(REPO_ROOT, "examples/audit-export")] });
    expect(imported.totals).toMatchObject({ read: 37, stored: 36, duplicates: 1, rejected: 0 });
    const pack = await generatePack(deps(), { month: "2026-10" });
    const kb = pack.data.keyTimelines.find((k) => k.subjectId === F.KB)!;
    expect(kb.entries.every((e) => e.time >= "2026-10-01T00:00:00.000Z" && e.time < "2026-11-01T00:00:00.000Z")).toBe(true);
    const versionCreated = kb.entries.filter((e) => e.action === "key.version-created");
    expect(versionCreated.map((e) => [e.time, e.keyVersionId])).toEqual([["2026-10-05T02:00:04.052Z", F.KB_V4]]);
    // Correlation over history: the buckets got KB in January, so October's re-encryptions still name it.
    const reencrypts = pack.data.resourceTimelines
      .filter((r) => r.subjectId === F.DB_BACKUPS || r.subjectId === F.APP_BACKUPS)
      .flatMap((r) => r.entries.filter((e) => e.action === "bucket.reencrypt-requested"));
    expect(reencrypts.map((e) => [e.outcome, e.keyId, e.workRequestId])).toEqual([
      ["accepted", F.KB, F.WR.app[2]],
      ["accepted", F.KB, F.WR.db[2]],
    ]);
    // Volume moves to K3: the 409 fails, the retry is proven by the GetVolumeKmsKey read-back after it.
    const volume = pack.data.resourceTimelines.find((r) => r.subjectId === F.VOLUME)!;
    expect(volume.entries.map((e) => [e.time, e.outcome, e.verifiedBy?.time ?? null])).toEqual([
      ["2026-10-06T02:00:12.419Z", "failed", null],
      ["2026-10-06T02:47:31.026Z", "succeeded", expect.stringMatching(/^2026-10-06T02:47:31\.\d{3}Z$/)],
    ]);
    // File provenance: the 11 export files with the SHA-256 of their bytes.
    expect(pack.data.importFiles).toHaveLength(11);
    const listEvents = pack.data.importFiles.find((f) => f.path.endsWith("auditEvents_20260101T000000Z_20260701T000000Z.json"))!;
    const bytes = await readFile(listEvents.path);
    expect(listEvents).toMatchObject({ status: "committed", bytes: bytes.length, sha256: createHash("sha256").update(bytes).digest("hex"), rejected: 0 });
    const k3 = pack.data.keyTimelines.find((k) => k.subjectId === F.K3)!;
    expect(k3.predecessorKeyId).toBe(F.K2);

    const text = squash((await extractPdfText(path.join(pack.dir, "summary.pdf"))).pages.join("\n"));
    for (const e of [...versionCreated, ...reencrypts]) expect(text).toContain(squash(e.eventId));
    expect(text).toContain(F.KB);
    const keyRows = await sheetRows(path.join(pack.dir, "evidence.xlsx"), "KeyTimeline");
    const kh = keyRows[0]!;
    const v4 = keyRows.find((r) => r[kh.indexOf("Key version id")] === F.KB_V4)!;
    expect(v4[kh.indexOf("Time (UTC)")]).toBe("2026-10-05T02:00:04.052Z");
    expect(v4[kh.indexOf("Event id")]).toBe(versionCreated[0]!.eventId);
    await expectManifestMatchesDisk(pack);
  });
});
