/**
 * The export bucket (issue 5 item 3) against the simulator with the real SDK clients: the example
 * exports and the real OCI samples are uploaded with PutObject and imported through the same
 * importer as `keyproof ingest --file`, on SQLite and PostgreSQL.
 */
import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { Config } from "../../../src/app/config.js";
import { silentLogger } from "../../../src/app/logger.js";
import { importAuditFiles } from "../../../src/ingest/import-audit-files.js";
import { downloadSizeMismatch, importExportBucket, nextListingStart, type ExportBucketResult } from "../../../src/ingest/oci/import-export-bucket.js";
import type { IngestDeps } from "../../../src/ingest/oci/ingest-deps.js";
import type { OciPorts } from "../../../src/oci/oci-ports.js";
import { listAllAuditEvents } from "../../../src/store/audit-events.js";
import { verifyAuditEventChain } from "../../../src/store/audit-event-chain.js";
import type { Store } from "../../../src/store/create-db.js";
import { insertExportObject, listExportObjects } from "../../../src/store/export-objects.js";
import { bucketObjects } from "../../../src/sim/objectstorage/object-storage-state.js";
import { findImportFiles, insertImportRun } from "../../../src/store/import-runs.js";
import { createTestStore, TEST_DIALECTS, type TestStore } from "../../helpers/db.js";
import { portsFor } from "../../helpers/oci-ports.js";
import { REPO_ROOT } from "../../helpers/run-cli.js";
import { EXAMPLE, useSimulator } from "../../helpers/sim.js";
import { operationHooks } from "../../oci/sim-operation-hooks.js";

const NAMESPACE = "idr2kxq7vbmn";
const BUCKET = "audit-exports";
const EXAMPLES_DIR = path.join(REPO_ROOT, "examples/audit-export");
const SAMPLES_DIR = path.resolve(REPO_ROOT, "../shared/oci-samples");

async function walk(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await walk(full)));
    else out.push(full);
  }
  return out;
}

/** Every local input file and the object name it is uploaded as (under `prefix`). */
async function exportFiles(prefix: string): Promise<{ file: string; name: string }[]> {
  const examples = (await walk(EXAMPLES_DIR)).map((file) => ({ file, name: `${prefix}example/${path.relative(EXAMPLES_DIR, file)}` }));
  const samples = (await walk(SAMPLES_DIR)).map((file) => ({ file, name: `${prefix}samples/${path.basename(file)}` }));
  return [...examples, ...samples];
}

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

function depsFor(store: Store, ports: OciPorts, runId: number, prefix: string, now = "2026-11-29T12:00:00.000Z"): IngestDeps {
  const config = Config.parse({ ingest: { exportBucket: { bucket: BUCKET, prefix } } });
  return { store, ports, logger: silentLogger(), now: () => now, importRunId: runId, config };
}

async function newRun(store: Store): Promise<number> {
  return insertImportRun(store.db, { source: "bucket", startedAt: "2026-11-29T12:00:00.000Z", filesTotal: 0 });
}

/** (event id, content hash) of every stored row, sorted: the archive's content whatever the order of reading. */
async function storedContent(store: Store): Promise<string[]> {
  const out: string[] = [];
  for await (const e of listAllAuditEvents(store.db)) out.push(`${e.eventId} ${e.contentSha256}`);
  return out.sort();
}

const bucketSeed = (name: string, n: number) => ({
  name, id: `ocid1.bucket.oc1.iad.aaaaaaaa${String(n).repeat(52).slice(0, 52)}`, compartmentId: EXAMPLE.backupProdId,
  kmsKeyId: null, timeCreated: "2025-11-20T15:05:44.300Z",
});

describe("export bucket import (simulator, real SDK clients)", () => {
  // What the simulator does not do on its own (a short body, an object replaced mid-run) is done by a hook.
  const hooks = operationHooks();
  const suite = useSimulator({
    services: hooks.services,
    maxClockSkewMs: Infinity,
    changeSeed: (seed) => {
      (seed as { buckets: unknown[] }).buckets.push(bucketSeed(BUCKET, 7));
    },
  });
  let ports: OciPorts;
  let reference: TestStore;
  let referenceConflicts: number;
  beforeAll(async () => {
    ports = portsFor(suite().sim);
    // What `keyproof ingest --file` stores for the same files: the oracle for the bucket import.
    reference = await createTestStore("sqlite");
    referenceConflicts = (await importAuditFiles(
      { store: reference.store, clock: { now: () => new Date("2026-11-29T12:00:00.000Z") }, logger: silentLogger() },
      { paths: [EXAMPLES_DIR, SAMPLES_DIR] },
    )).totals.conflicts;
  });
  afterAll(async () => {
    ports?.close();
    await reference?.cleanup();
  });

  const gets = (from: number) => suite().sim.calls.slice(from).filter((c) => c.operation === "GetObject");

  afterEach(() => hooks.after.clear());

  describe.each(TEST_DIALECTS)("on %s", (dialect) => {
    const prefix = `exports-${dialect}/`;
    let t: TestStore;
    let files: { file: string; name: string }[];
    let first: ExportBucketResult;
    let firstRun: number;
    beforeAll(async () => {
      t = await createTestStore(dialect);
      files = await exportFiles(prefix);
      for (const f of files) await ports.objectStorage.putObject(NAMESPACE, BUCKET, f.name, await readFile(f.file), "application/octet-stream");
    });
    afterAll(async () => {
      await t?.cleanup();
    });

    it("imports every object once, storing exactly what `ingest --file` stores for the same files", async () => {
      firstRun = await newRun(t.store);
      first = await importExportBucket(depsFor(t.store, ports, firstRun, prefix));
      const sources = files.find((f) => f.name.endsWith("/SOURCES.md"))!;
      expect(first).toMatchObject({
        scope: `${NAMESPACE}/${BUCKET}/${prefix}`, listing: "complete",
        listed: files.length, imported: files.length - 1, skipped: 0, rejected: 1, failed: 0, recordsRejected: 0,
      });
      // The samples hold one id with two contents (kept as a conflict row), as `ingest --file` finds.
      expect([first.conflicts, referenceConflicts]).toEqual([1, 1]);
      expect(await storedContent(t.store)).toEqual(await storedContent(reference.store));
      expect(first.eventsStored).toBe((await storedContent(reference.store)).length);
      expect(first.eventsRead).toBe(first.eventsStored + first.duplicates);
      expect((await verifyAuditEventChain(t.store.db)).ok).toBe(true);
      expect(first.errors).toEqual([
        expect.stringMatching(new RegExp(`^oci://${NAMESPACE}/${BUCKET}/${sources.name.replace(/\./g, "\\.")}: expected JSON audit data`)),
      ]);

      // import_file: the object's URI, the SHA-256 of its bytes, one row per object.
      const rows = await findImportFiles(t.store.db, firstRun);
      expect(rows.map((r) => r.path).sort()).toEqual(files.map((f) => `oci://${NAMESPACE}/${BUCKET}/${f.name}`).sort());
      for (const f of files) {
        const row = rows.find((r) => r.path === `oci://${NAMESPACE}/${BUCKET}/${f.name}`)!;
        const bytes = await readFile(f.file);
        // As for `ingest --file`: the hash of a rejected file is not kept (it was not read to its end).
        expect([row.status, row.sha256, Number(row.size_bytes)], f.name).toEqual(
          f === sources ? ["rejected", null, bytes.length] : ["committed", sha256(bytes), bytes.length],
        );
      }

      // export_object: one row per object with the listed etag; the rejected one with its error.
      const listed = await ports.objectStorage.listObjects(NAMESPACE, BUCKET, prefix);
      const recorded = await listExportObjects(t.store.db, NAMESPACE, BUCKET);
      expect(recorded.map((r) => [r.objectName, r.etag, r.sizeBytes, r.timeModified])).toEqual(
        listed.objects.map((o) => [o.name, o.etag, o.sizeBytes, o.timeModified]),
      );
      expect(recorded.every((r) => r.importRunId === firstRun && r.importedAt === "2026-11-29T12:00:00.000Z")).toBe(true);
      const rejected = recorded.filter((r) => r.status === "rejected");
      expect(rejected.map((r) => r.objectName)).toEqual([sources.name]);
      expect(rejected[0]!.error).toBe(rows.find((r) => r.status === "rejected")!.error);
      expect(rejected[0]!.error).not.toContain("keyproof-export-");
    });

    it("a rerun lists the bucket and reads nothing", async () => {
      const before = await storedContent(t.store);
      const callsBefore = suite().sim.calls.length;
      const run = await newRun(t.store);
      const again = await importExportBucket(depsFor(t.store, ports, run, prefix));
      expect(again).toMatchObject({ listing: "complete", listed: files.length, skipped: files.length, imported: 0, rejected: 0, failed: 0, eventsRead: 0 });
      expect(gets(callsBefore)).toEqual([]);
      expect(await findImportFiles(t.store.db, run)).toEqual([]);
      expect(await storedContent(t.store)).toEqual(before);
    });

    it("a changed object (same name, new etag) is read again: its events are duplicates, both versions recorded", async () => {
      const target = files.find((f) => f.name.endsWith(".log.gz"))!;
      const bytes = await readFile(target.file);
      const oldEtag = (await listExportObjects(t.store.db, NAMESPACE, BUCKET)).find((r) => r.objectName === target.name)!.etag;
      suite().sim.clock.advance(60_000); // the simulator's etag covers the write time, as OCI's changes on every write
      const put = await ports.objectStorage.putObject(NAMESPACE, BUCKET, target.name, bytes, "application/gzip");
      expect(put.value.etag).not.toBe(oldEtag);
      const firstResult = (await findImportFiles(t.store.db, firstRun)).find((r) => r.path.endsWith(target.name))!;

      const before = await storedContent(t.store);
      const callsBefore = suite().sim.calls.length;
      const run = await newRun(t.store);
      const again = await importExportBucket(depsFor(t.store, ports, run, prefix, "2026-11-29T13:00:00.000Z"));
      expect(again).toMatchObject({
        listed: files.length, imported: 1, skipped: files.length - 1, eventsRead: firstResult.records_read, eventsStored: 0,
        duplicates: firstResult.records_read,
      });
      expect(gets(callsBefore).map((c) => decodeURIComponent(c.path))).toEqual([expect.stringContaining(`/o/${target.name}`)]);
      expect(await storedContent(t.store)).toEqual(before);
      const versions = (await listExportObjects(t.store.db, NAMESPACE, BUCKET)).filter((r) => r.objectName === target.name);
      expect(versions.map((v) => [v.etag, v.status, v.importRunId]).sort()).toEqual(
        [[oldEtag, "committed", firstRun], [put.value.etag, "committed", run]].sort(),
      );
    });

    it("a truncated gzip is rejected with its reason and not read again; the objects beside it are imported", async () => {
      const gz = await readFile(files.find((f) => f.name.endsWith(".log.gz"))!.file);
      const truncated = `${prefix}broken/0-truncated.log.gz`;
      const good = `${prefix}broken/1-good.json`;
      await ports.objectStorage.putObject(NAMESPACE, BUCKET, truncated, gz.subarray(0, Math.floor(gz.length / 2)), "application/gzip");
      const event = (await readFile(path.join(SAMPLES_DIR, "audit-api-listevents-item_computeapi-getinstance_oci-docs.json"), "utf8"))
        .replace('"<unique_ID>"', '"export-bucket-test-event"');
      await ports.objectStorage.putObject(NAMESPACE, BUCKET, good, Buffer.from(event), "application/json");

      const run = await newRun(t.store);
      const r = await importExportBucket(depsFor(t.store, ports, run, prefix));
      expect(r).toMatchObject({ listed: files.length + 2, imported: 1, rejected: 1, failed: 0, eventsStored: 1 });
      const uri = `oci://${NAMESPACE}/${BUCKET}/${truncated}`;
      expect(r.errors).toEqual([`${uri}: expected complete gzip data, got truncated or corrupt gzip (unexpected end of file); nothing from this file was stored`]);
      const rows = await listExportObjects(t.store.db, NAMESPACE, BUCKET);
      expect(rows.find((x) => x.objectName === truncated)).toMatchObject({ status: "rejected", error: r.errors[0], importRunId: run });
      expect(rows.find((x) => x.objectName === good)).toMatchObject({ status: "committed", error: null, importRunId: run });

      const callsBefore = suite().sim.calls.length;
      const next = await importExportBucket(depsFor(t.store, ports, await newRun(t.store), prefix));
      expect(next).toMatchObject({ listed: files.length + 2, skipped: files.length + 2, imported: 0, rejected: 0 });
      expect(gets(callsBefore)).toEqual([]);
    });

    it("a GetObject that keeps failing is counted with its reason, gets no record, and is read on the next run", async () => {
      const name = `${prefix}later/event.json`;
      const event = (await readFile(path.join(SAMPLES_DIR, "audit-api-listevents-item_computeapi-getinstance_oci-docs.json"), "utf8"))
        .replace('"<unique_ID>"', '"export-bucket-retried-event"');
      await ports.objectStorage.putObject(NAMESPACE, BUCKET, name, Buffer.from(event), "application/json");
      const { sim } = suite();
      sim.faults.set("GetObject", { kind: "internal-error" });
      let failed: ExportBucketResult;
      try {
        failed = await importExportBucket(depsFor(t.store, ports, await newRun(t.store), prefix));
      } finally {
        sim.faults.clear("GetObject");
      }
      expect(failed).toMatchObject({ listing: "complete", imported: 0, failed: 1, rejected: 0, eventsRead: 0 });
      expect(failed.errors).toEqual([expect.stringMatching(new RegExp(`^oci://${NAMESPACE}/${BUCKET}/${name}: not read, tried again next run: GetObject: 500 InternalServerError.*\\(server-error, opc-request-id \\S+, 6 attempts\\)$`))]);
      expect((await listExportObjects(t.store.db, NAMESPACE, BUCKET)).some((r) => r.objectName === name)).toBe(false);

      const retried = await importExportBucket(depsFor(t.store, ports, await newRun(t.store), prefix));
      expect(retried).toMatchObject({ imported: 1, failed: 0, eventsStored: 1 });
      expect((await listExportObjects(t.store.db, NAMESPACE, BUCKET)).find((r) => r.objectName === name)?.status).toBe("committed");
    });
  });

  describe.each(TEST_DIALECTS)("short or changed downloads on %s", (dialect) => {
    let t: TestStore;
    beforeAll(async () => {
      t = await createTestStore(dialect);
    });
    afterAll(async () => {
      await t?.cleanup();
    });
    const eventBytes = async (id: string) => Buffer.from(
      (await readFile(path.join(SAMPLES_DIR, "audit-api-listevents-item_computeapi-getinstance_oci-docs.json"), "utf8")).replace('"<unique_ID>"', `"${id}"`),
    );
    const storedIds = async () => (await storedContent(t.store)).map((line) => line.split(" ")[0]);

    it("a body that ends short (a clean end, no stream error) is counted as failed with both sizes, gets no record, and is read whole next run", async () => {
      const prefix = `short-${dialect}/`;
      const name = `${prefix}event.json`;
      const bytes = await eventBytes(`export-bucket-short-${dialect}`);
      await ports.objectStorage.putObject(NAMESPACE, BUCKET, name, bytes, "application/json");
      const cut = 100;
      // Same status and headers (ETag), the first 100 bytes only: content-length 100, listed size the whole object.
      hooks.after.set("GetObject", (ctx, result) =>
        ctx.params.objectName === name ? { ...result, raw: { bytes: result.raw!.bytes.subarray(0, cut), contentType: result.raw!.contentType } } : result);
      const run = await newRun(t.store);
      const short = await importExportBucket(depsFor(t.store, ports, run, prefix));
      expect(short).toMatchObject({ listing: "complete", listed: 1, imported: 0, rejected: 0, failed: 1, eventsRead: 0 });
      expect(short.errors).toEqual([
        `oci://${NAMESPACE}/${BUCKET}/${name}: not read, tried again next run: the download has ${cut} bytes but ListObjects listed ${bytes.length} ` +
          `(content-length ${cut}); the object is short or changed since it was listed`,
      ]);
      expect(await listExportObjects(t.store.db, NAMESPACE, BUCKET)).toEqual([]);
      expect(await findImportFiles(t.store.db, run)).toEqual([]);
      expect(await storedIds()).toEqual([]);

      hooks.after.clear();
      const next = await importExportBucket(depsFor(t.store, ports, await newRun(t.store), prefix));
      expect(next).toMatchObject({ listed: 1, imported: 1, failed: 0, eventsStored: 1 });
      expect((await listExportObjects(t.store.db, NAMESPACE, BUCKET)).map((r) => [r.objectName, r.status, r.sizeBytes])).toEqual([[name, "committed", bytes.length]]);
      expect(await storedIds()).toEqual([`export-bucket-short-${dialect}`]);
    });

    it("an object replaced between ListObjects and GetObject is counted as failed and read next run under its new etag", async () => {
      const prefix = `replaced-${dialect}/`;
      const name = `${prefix}event.json`;
      const first = await eventBytes(`export-bucket-replaced-a-${dialect}`);
      const second = Buffer.concat([await eventBytes(`export-bucket-replaced-b-${dialect}`), Buffer.from("\n")]);
      await ports.objectStorage.putObject(NAMESPACE, BUCKET, name, first, "application/json");
      let replaced = false;
      hooks.after.set("ListObjects", (ctx, result) => {
        if (!replaced && ctx.query.get("prefix") === prefix) {
          replaced = true;
          const stored = bucketObjects(ctx.state, BUCKET)[name]!;
          bucketObjects(ctx.state, BUCKET)[name] = { ...stored, bytes: new Uint8Array(second), etag: `${stored.etag}-replaced` };
        }
        return result;
      });
      const r = await importExportBucket(depsFor(t.store, ports, await newRun(t.store), prefix));
      expect(r).toMatchObject({ listed: 1, imported: 0, failed: 1 });
      expect(r.errors).toEqual([expect.stringContaining(`${name}: not read, tried again next run: the download has ${second.length} bytes but ListObjects listed ${first.length} (content-length ${second.length})`)]);
      const recordsOf = async () => (await listExportObjects(t.store.db, NAMESPACE, BUCKET)).filter((row) => row.objectName === name);
      expect(await recordsOf()).toEqual([]);
      const storedBefore = await storedIds();

      const next = await importExportBucket(depsFor(t.store, ports, await newRun(t.store), prefix));
      expect(next).toMatchObject({ listed: 1, imported: 1, failed: 0, eventsStored: 1 });
      expect((await recordsOf()).map((row) => [row.objectName, row.etag.endsWith("-replaced"), row.sizeBytes])).toEqual([[name, true, second.length]]);
      expect(await storedIds()).toEqual([...storedBefore, `export-bucket-replaced-b-${dialect}`].sort());
    });
  });

  it("an object's record commits in its events' transaction: a failing export_object insert keeps nothing of it", async () => {
    const t = await createTestStore("sqlite");
    try {
      const prefix = "atomic/";
      const event = (await readFile(path.join(SAMPLES_DIR, "audit-api-listevents-item_computeapi-getinstance_oci-docs.json"), "utf8"))
        .replace('"<unique_ID>"', '"export-bucket-atomic-event"');
      await ports.objectStorage.putObject(NAMESPACE, BUCKET, `${prefix}event.json`, Buffer.from(event), "application/json");
      // A store failure at the export_object insert, after the events and the import_file row were written.
      t.store.sqlite!.exec("CREATE TRIGGER export_object_fails BEFORE INSERT ON export_object BEGIN SELECT RAISE(ABORT, 'disk I/O error (test)'); END;");
      const run = await newRun(t.store);
      await expect(importExportBucket(depsFor(t.store, ports, run, prefix))).rejects.toThrow("disk I/O error (test)");
      expect(await storedContent(t.store)).toEqual([]);
      expect(await findImportFiles(t.store.db, run)).toEqual([]);
    } finally {
      await t.cleanup();
    }
  });

  it("follows ListObjects pages (1000 objects per page) through nextStartWith", async () => {
    const t = await createTestStore("sqlite");
    try {
      const prefix = "paged/";
      const names = Array.from({ length: 1001 }, (_, i) => `${prefix}${String(i).padStart(4, "0")}.json`);
      const event = (await readFile(path.join(SAMPLES_DIR, "audit-api-listevents-item_computeapi-getinstance_oci-docs.json"), "utf8"))
        .replace('"<unique_ID>"', '"export-bucket-paged-event"');
      // 1001 objects straight into the simulator's bucket (1001 PutObjects would only slow the test).
      const objects = bucketObjects(suite().sim.state, BUCKET);
      const at = suite().sim.clock.now().toISOString();
      for (const [i, name] of names.entries()) {
        const bytes = Buffer.from(i === 1000 ? event : "not audit data\n");
        objects[name] = { name, bytes, contentType: "application/json", md5: "", etag: `etag-${i}`, timeCreated: at, timeModified: at, kmsKeyVersionId: null };
      }
      // An earlier run read the first 999: only the last object of page 1 and the one on page 2 are new.
      const earlier = await newRun(t.store);
      for (const [i, name] of names.slice(0, 999).entries()) {
        await insertExportObject(t.store.db, {
          namespace: NAMESPACE, bucket: BUCKET, objectName: name, etag: `etag-${i}`, sizeBytes: 15, timeModified: at,
          importRunId: earlier, status: "rejected", error: "earlier", importedAt: "2026-11-28T00:00:00.000Z",
        });
      }
      const callsBefore = suite().sim.calls.length;
      const r = await importExportBucket(depsFor(t.store, ports, await newRun(t.store), prefix));
      expect(r).toMatchObject({ listing: "complete", listed: 1001, skipped: 999, rejected: 1, imported: 1, eventsStored: 1, failed: 0 });
      const calls = suite().sim.calls.slice(callsBefore);
      const lists = calls.filter((c) => c.operation === "ListObjects");
      expect(lists).toHaveLength(2);
      expect(lists[0]!.path).not.toContain("start=");
      expect(lists[1]!.path).toContain(`start=${names[1000]}`);
      expect(gets(callsBefore).map((c) => decodeURIComponent(c.path).split("/o/")[1])).toEqual([names[999], names[1000]]);
    } finally {
      await t.cleanup();
    }
  });
});

describe("downloadSizeMismatch", () => {
  it("accepts a download as long as its content-length and its listed size", () => {
    expect(downloadSizeMismatch(1200, 1200, 1200)).toBeNull();
    expect(downloadSizeMismatch(1200, null, 1200)).toBeNull();
    expect(downloadSizeMismatch(0, 0, 0)).toBeNull();
  });

  it("names both sizes when the bytes written differ from the content-length or from the listed size", () => {
    expect(downloadSizeMismatch(700, 1200, 1200)).toBe("the download has 700 bytes but GetObject's content-length is 1200 (listed size 1200)");
    expect(downloadSizeMismatch(700, null, 1200)).toBe("the download has 700 bytes but ListObjects listed 1200 (no content-length); the object is short or changed since it was listed");
    expect(downloadSizeMismatch(700, 700, 1200)).toBe("the download has 700 bytes but ListObjects listed 1200 (content-length 700); the object is short or changed since it was listed");
    expect(downloadSizeMismatch(1300, 1300, 1200)).toMatch(/^the download has 1300 bytes but ListObjects listed 1200/);
  });
});

describe("nextListingStart (ListObjects pagination guard, cases.md B07)", () => {
  const page = (names: string[], next: string | null) => ({ objects: names.map((name) => ({ name })), nextStartWith: next });

  it("ends on a page without nextStartWith and moves on to it otherwise", () => {
    expect(nextListingStart(undefined, page(["a/1", "a/2"], null))).toBeNull();
    expect(nextListingStart(undefined, page(["a/1", "a/2"], "a/3"))).toBe("a/3");
    expect(nextListingStart("a/3", page(["a/3", "a/4"], "a/5"))).toBe("a/5");
  });

  it("stops a listing whose next start does not advance past the page", () => {
    expect(() => nextListingStart("a/3", page(["a/3", "a/4"], "a/3"))).toThrow('ListObjects: nextStartWith "a/3" does not advance past "a/4"');
    expect(() => nextListingStart("a/3", page([], "a/3"))).toThrow('nextStartWith "a/3" does not advance past "a/3"');
    expect(() => nextListingStart(undefined, page(["a/1", "a/2"], "a/2"))).toThrow("does not advance");
  });
});
