/**
 * Every real sample in ../shared/oci-samples/ (CI copies shared/ next to the clone), imported and
 * checked value by value against fields read by hand from the files.
 */
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import canonicalizeModule from "canonicalize";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { silentLogger } from "../../src/app/logger.js";
import { importAuditFiles, type ImportResult } from "../../src/ingest/import-audit-files.js";
import { findAuditEventsByEventId, type StoredAuditEvent } from "../../src/store/audit-events.js";
import { verifyAuditEventChain } from "../../src/store/audit-event-chain.js";
import { fixedClock } from "../../src/time/instant.js";
import { createTestStore, TEST_DIALECTS, type TestStore } from "../helpers/db.js";
import { SAMPLE_EXPECTATIONS } from "./sample-expectations.js";

const canonicalize = canonicalizeModule as unknown as (v: unknown) => string;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const samplesDir = path.resolve(repoRoot, "../shared/oci-samples");

async function sampleFiles(): Promise<string[]> {
  return (await readdir(samplesDir)).filter((f) => f !== "SOURCES.md").sort();
}

function stored(events: StoredAuditEvent[], envelope?: string): StoredAuditEvent {
  const match = events.filter((e) => envelope === undefined || e.envelope === envelope);
  expect(match).toHaveLength(1);
  return match[0] as StoredAuditEvent;
}

describe.each(TEST_DIALECTS)("importing the real OCI samples (%s)", (dialect) => {
  let t: TestStore;
  let result: ImportResult;
  const clock = fixedClock("2026-11-29T12:00:00.000Z");

  beforeAll(async () => {
    t = await createTestStore(dialect);
    result = await importAuditFiles({ store: t.store, clock, logger: silentLogger() }, { paths: [samplesDir] });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("has expectations for every sample file, so a new sample cannot go unchecked", async () => {
    expect(Object.keys(SAMPLE_EXPECTATIONS).sort()).toEqual(await sampleFiles());
  });

  it("stores every record of every sample file, and rejects SOURCES.md as not audit data", async () => {
    const byName = new Map(result.files.map((f) => [path.basename(f.path), f]));
    for (const [file, exp] of Object.entries(SAMPLE_EXPECTATIONS)) {
      const r = byName.get(file);
      expect(r, file).toMatchObject({ status: "committed", read: exp.count, stored: exp.count, duplicates: 0, rejected: 0, error: null });
    }
    const sources = byName.get("SOURCES.md");
    expect(sources?.status).toBe("rejected");
    expect(sources?.error).toBe(
      `${path.join(samplesDir, "SOURCES.md")}: expected JSON audit data (a JSON array, a JSON object or JSON Lines), ` +
        `got text that is not JSON (a first line of 38 bytes); nothing from this file was stored`,
    );
    // 1 + 15 + 56 + 66 + 62 + 1 + 2 + 1 + 1 + 1 + 1; batch1 has 15 records on 14 newlines (no final newline).
    expect(result.totals).toEqual({ read: 207, stored: 207, duplicates: 0, conflicts: 1, rejected: 0, files: 12, filesRejected: 1 });
    expect(result.summaryLine).toBe("read 207, stored 207, duplicates 0, conflicts 1, rejected 0 (12 files, 1 rejected)");
    expect(result.status).toBe("partial");
  });

  for (const [file, exp] of Object.entries(SAMPLE_EXPECTATIONS)) {
    it(`normalises ${file.split("_")[0]}… value by value`, async () => {
      const text = await readFile(path.join(samplesDir, file), "utf8");
      for (const check of exp.checks) {
        const row = stored(await findAuditEventsByEventId(t.store.db, check.fields.eventId), check.fields.envelope);
        expect(row).toMatchObject(check.fields);
        expect(row.importRunId).toBe(result.runId);
        expect(row.storedAt).toBe("2026-11-29T12:00:00.000Z");
        // The record as read is kept (wrapper included), and its content hash is SHA-256 of the
        // RFC 8785 form of the audit record itself (logContent of a wrapper).
        const raw: unknown = JSON.parse(row.rawJson);
        expect(raw).toEqual(check.raw(text));
        const record = typeof raw === "object" && raw !== null && "logContent" in raw ? (raw as { logContent: unknown }).logContent : raw;
        expect(row.contentSha256).toBe(createHash("sha256").update(canonicalize(record)).digest("hex"));
      }
    });
  }

  it("flags the Vault log's placeholder id <unique_ID> as a conflict with the docs sample stored before it", async () => {
    const rows = await findAuditEventsByEventId(t.store.db, "<unique_ID>");
    expect(rows.map((r) => r.envelope)).toEqual(["audit-listevents", "service-log"]);
    expect(rows[0]?.conflictOfSeq).toBeNull();
    expect(rows[1]?.conflictOfSeq).toBe(rows[0]?.seq);
  });

  it("keeps an unbroken hash chain over all stored samples", async () => {
    expect(await verifyAuditEventChain(t.store.db)).toMatchObject({ ok: true, rows: 207 });
  });

  it("stores nothing new when the same samples are imported again, gzipped in Service Connector's object layout", async () => {
    const exportDir = path.join(t.dir, "bucket-export");
    const dir = path.join(exportDir, "ocid1.serviceconnector.oc1.eu-frankfurt-1.example");
    await mkdir(dir, { recursive: true });
    const files = await sampleFiles();
    for (const [i, file] of files.entries()) {
      const bytes = await readFile(path.join(samplesDir, file));
      await writeFile(path.join(dir, `20210211T160000Z_20210211T170000Z.${i}.log.gz`), gzipSync(bytes));
    }
    const again = await importAuditFiles({ store: t.store, clock, logger: silentLogger() }, { paths: [exportDir] });
    expect(again.totals).toMatchObject({ read: 207, stored: 0, duplicates: 207, conflicts: 0, rejected: 0, filesRejected: 0 });
    expect(again.status).toBe("succeeded");
  });
});
