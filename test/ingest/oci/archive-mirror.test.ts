/**
 * The archive mirror (issue 5 item 6) against the simulator with the real SDK clients: monthly
 * objects read back with GetObject and compared line by line with the store, on SQLite and
 * PostgreSQL; late events, adoption of an object already written, and OCI failures.
 */
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { gunzipSync } from "node:zlib";
import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Config } from "../../../src/app/config.js";
import { silentLogger } from "../../../src/app/logger.js";
import { importAuditFiles } from "../../../src/ingest/import-audit-files.js";
import type { IngestDeps } from "../../../src/ingest/oci/ingest-deps.js";
import { archiveObjectName, buildMonthArchive, mirrorArchive } from "../../../src/ingest/oci/mirror-archive.js";
import type { OciPorts } from "../../../src/oci/oci-ports.js";
import { listArchiveUploads } from "../../../src/store/archive-uploads.js";
import { nextChainSha256, unwrapAuditRecord } from "../../../src/store/audit-event-row.js";
import { listAllAuditEvents, type StoredAuditEvent } from "../../../src/store/audit-events.js";
import { canonicalSha256 } from "../../../src/store/canonical-json.js";
import type { Store } from "../../../src/store/create-db.js";
import { insertImportRun } from "../../../src/store/import-runs.js";
import { createTestStore, TEST_DIALECTS, type TestStore } from "../../helpers/db.js";
import { portsFor } from "../../helpers/oci-ports.js";
import { REPO_ROOT } from "../../helpers/run-cli.js";
import { EXAMPLE, useSimulator } from "../../helpers/sim.js";

const NAMESPACE = "idr2kxq7vbmn";
const BUCKET = "keyproof-archive";
const NOW = "2026-11-29T12:00:00.000Z";
const EXAMPLES_DIR = path.join(REPO_ROOT, "examples/audit-export");
const SAMPLES_DIR = path.resolve(REPO_ROOT, "../shared/oci-samples");
const LISTEVENTS_SAMPLE = path.join(SAMPLES_DIR, "audit-api-listevents-item_computeapi-getinstance_oci-docs.json");

interface ArchiveLine {
  seq: number;
  eventId: string;
  contentSha256: string;
  chainSha256: string;
  storedAt: string;
  record: unknown;
  rawJson?: string;
}

function depsFor(store: Store, ports: OciPorts, runId: number, prefix: string): IngestDeps {
  const config = Config.parse({ ingest: { archiveBucket: { bucket: BUCKET, prefix } } });
  return { store, ports, logger: silentLogger(), now: () => NOW, importRunId: runId, config };
}

async function newRun(store: Store): Promise<number> {
  return insertImportRun(store.db, { source: "bucket", startedAt: NOW, filesTotal: 0 });
}

/** Imports one ListEvents-form event with this id and event time (as `ingest --file` would). */
async function importEvent(t: TestStore, eventId: string, eventTime: string): Promise<void> {
  const record = JSON.parse(await readFile(LISTEVENTS_SAMPLE, "utf8")) as Record<string, unknown>;
  Object.assign(record, { eventId, eventTime });
  const file = path.join(t.dir, `${eventId}.json`);
  await writeFile(file, JSON.stringify(record, null, 2));
  const r = await importAuditFiles({ store: t.store, clock: { now: () => new Date(NOW) }, logger: silentLogger() }, { paths: [file] });
  expect(r.totals.stored).toBe(1);
}

async function allEvents(store: Store): Promise<StoredAuditEvent[]> {
  const out: StoredAuditEvent[] = [];
  for await (const e of listAllAuditEvents(store.db)) out.push(e);
  return out;
}

/** Month → the highest seq of its events, computed from the rows (not by the code under test). */
function monthsOf(events: readonly StoredAuditEvent[], before: string): Map<string, number> {
  const months = new Map<string, number>();
  for (const e of events) if (e.eventTime < before) months.set(e.eventTime.slice(0, 7), Math.max(months.get(e.eventTime.slice(0, 7)) ?? 0, e.seq));
  return new Map([...months].sort());
}

async function bytesOf(body: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of body) chunks.push(Buffer.from(c as Uint8Array));
  return Buffer.concat(chunks);
}

const linesOf = (gz: Buffer): ArchiveLine[] =>
  gunzipSync(gz).toString("utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as ArchiveLine);

const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

describe("archive mirror (simulator, real SDK clients)", () => {
  const suite = useSimulator({
    maxClockSkewMs: Infinity,
    changeSeed: (seed) => {
      (seed as { buckets: unknown[] }).buckets.push({
        name: BUCKET, id: "ocid1.bucket.oc1.iad.aaaaaaaaarchivearchivearchivearchivearchivearchivearchive", compartmentId: EXAMPLE.securityId,
        kmsKeyId: null, timeCreated: "2025-11-20T15:05:44.300Z",
        retentionRules: [{
          id: "5d0c1a2b-0000-4000-8000-000000000007", displayName: "audit-archive-7y", duration: { timeAmount: 7, timeUnit: "YEARS" },
          timeRuleLocked: "2025-12-05T00:00:00.000Z", timeCreated: "2025-11-20T15:10:00.000Z",
        }],
      });
    },
  });
  let ports: OciPorts;
  beforeAll(() => {
    ports = portsFor(suite().sim);
  });
  afterAll(() => ports?.close());
  const callsOf = (op: string, from: number) => suite().sim.calls.slice(from).filter((c) => c.operation === op);

  describe.each(TEST_DIALECTS)("on %s", (dialect) => {
    const prefix = `archive-${dialect}/`;
    let t: TestStore;
    beforeAll(async () => {
      t = await createTestStore(dialect);
      await importAuditFiles({ store: t.store, clock: { now: () => new Date(NOW) }, logger: silentLogger() }, { paths: [EXAMPLES_DIR, SAMPLES_DIR] });
      // November 2026 has not ended at NOW: never archived yet.
      await importEvent(t, "archive-test-current-month", "2026-11-03T08:00:00.000Z");
    });
    afterAll(async () => {
      await t?.cleanup();
    });

    it("writes one object per ended month; every line equals the stored event; the chain restores from the objects", async () => {
      const events = await allEvents(t.store);
      const expected = monthsOf(events, "2026-11-01T00:00:00.000Z");
      expect(expected.size).toBeGreaterThan(5);
      const callsBefore = suite().sim.calls.length;
      const r = await mirrorArchive(depsFor(t.store, ports, await newRun(t.store), prefix));

      expect(r).toMatchObject({ scope: `${NAMESPACE}/${BUCKET}/${prefix}`, months: expected.size, upToDate: 0, failed: [], errors: [] });
      expect(r.retention).toMatchObject({ ok: true, reason: "locked", requiredDays: 2555, rule: { displayName: "audit-archive-7y", durationDays: 2555 } });
      expect(r.uploaded.map((u) => [u.month, u.objectName, u.maxSeq])).toEqual(
        [...expected].map(([month, maxSeq]) => [month, `${prefix}${month}/audit-events-${maxSeq}.jsonl.gz`, maxSeq]),
      );
      const listed = await ports.objectStorage.listObjects(NAMESPACE, BUCKET, prefix);
      expect(listed.objects.map((o) => o.name)).toEqual(r.uploaded.map((u) => u.objectName).sort());
      expect(await listArchiveUploads(t.store.db)).toEqual(r.uploaded);
      const puts = callsOf("PutObject", callsBefore);

      const restored: ArchiveLine[] = [];
      for (const upload of r.uploaded) {
        const got = await ports.objectStorage.getObject(NAMESPACE, BUCKET, upload.objectName);
        const bytes = await bytesOf(got.body);
        expect([sha256(bytes), bytes.length, got.etag], upload.month).toEqual([upload.sha256, upload.sizeBytes, upload.etag]);
        expect(listed.objects.find((o) => o.name === upload.objectName)!.etag).toBe(upload.etag);
        expect(puts.find((c) => decodeURIComponent(c.path).endsWith(`/o/${upload.objectName}`))!.requestId).toBe(upload.opcRequestId);
        // gzip header: no mtime, no file name (deterministic bytes).
        expect([...bytes.subarray(3, 8)]).toEqual([0, 0, 0, 0, 0]);

        const lines = linesOf(bytes);
        const stored = events.filter((e) => e.eventTime.slice(0, 7) === upload.month);
        expect(lines.length).toBe(upload.events);
        expect(lines.map((l) => l.seq)).toEqual(stored.map((e) => e.seq));
        for (const [i, line] of lines.entries()) {
          const e = stored[i]!;
          const record = JSON.parse(e.rawJson) as unknown;
          expect(line).toEqual({
            seq: e.seq, eventId: e.eventId, contentSha256: e.contentSha256, chainSha256: e.chainSha256, storedAt: e.storedAt, record,
            ...(JSON.stringify(record) === e.rawJson ? {} : { rawJson: e.rawJson }),
          });
          expect(canonicalSha256(unwrapAuditRecord(line.record))).toBe(line.contentSha256);
        }
        restored.push(...lines);

        // A second build from the store gives the same bytes.
        const again = await buildMonthArchive(t.store.db, upload.month, upload.maxSeq);
        expect(again.body.equals(bytes)).toBe(true);
      }

      // Every event but November's is archived, and the hash chain recomputes from the objects alone.
      restored.sort((a, b) => a.seq - b.seq);
      expect(restored.map((l) => l.seq)).toEqual(events.filter((e) => e.eventTime < "2026-11-01").map((e) => e.seq));
      let chain = "";
      for (const line of restored) {
        chain = nextChainSha256(chain, line.contentSha256, line.rawJson ?? JSON.stringify(line.record));
        expect(chain, `seq ${line.seq}`).toBe(line.chainSha256);
      }
      // Pretty-printed input keeps its text: at least one line carries rawJson.
      expect(restored.some((l) => l.rawJson !== undefined)).toBe(true);
    });

    it("a rerun writes nothing", async () => {
      const callsBefore = suite().sim.calls.length;
      const r = await mirrorArchive(depsFor(t.store, ports, await newRun(t.store), prefix));
      expect(r.uploaded).toEqual([]);
      expect(r.upToDate).toBe(r.months);
      expect(callsOf("PutObject", callsBefore)).toEqual([]);
    });

    it("a late event for an archived month gives a second object; the first is never rewritten", async () => {
      const before = await listArchiveUploads(t.store.db, { month: "2026-07" });
      expect(before).toHaveLength(1);
      const first = before[0]!;
      const firstBytes = await bytesOf((await ports.objectStorage.getObject(NAMESPACE, BUCKET, first.objectName)).body);

      await importEvent(t, "archive-test-late-event", "2026-07-15T10:00:00.000Z");
      const late = (await allEvents(t.store)).at(-1)!;
      expect(late.eventId).toBe("archive-test-late-event");
      const r = await mirrorArchive(depsFor(t.store, ports, await newRun(t.store), prefix));
      expect(r.uploaded.map((u) => [u.month, u.objectName, u.maxSeq, u.events])).toEqual([
        ["2026-07", archiveObjectName(prefix, "2026-07", late.seq), late.seq, first.events + 1],
      ]);
      const second = linesOf(await bytesOf((await ports.objectStorage.getObject(NAMESPACE, BUCKET, r.uploaded[0]!.objectName)).body));
      expect(second.at(-1)).toMatchObject({ seq: late.seq, eventId: "archive-test-late-event" });
      expect(second.slice(0, -1)).toEqual(linesOf(firstBytes));

      const stillFirst = await ports.objectStorage.getObject(NAMESPACE, BUCKET, first.objectName);
      expect(stillFirst.etag).toBe(first.etag);
      expect((await bytesOf(stillFirst.body)).equals(firstBytes)).toBe(true);
      expect((await listArchiveUploads(t.store.db, { month: "2026-07" })).map((u) => u.maxSeq)).toEqual([first.maxSeq, late.seq]);
    });
  });

  describe("objects already in the bucket and OCI failures (sqlite)", () => {
    let t: TestStore;
    beforeAll(async () => {
      t = await createTestStore("sqlite");
      await importEvent(t, "archive-test-august", "2026-08-10T10:00:00.000Z");
      await importEvent(t, "archive-test-september", "2026-09-10T10:00:00.000Z");
      await importEvent(t, "archive-test-october", "2026-10-10T10:00:00.000Z");
    });
    afterAll(async () => {
      await t?.cleanup();
    });

    it("adopts an object already written with the same bytes, and never overwrites one with other bytes", async () => {
      const prefix = "taken/";
      const august = await buildMonthArchive(t.store.db, "2026-08", 1);
      // A run that wrote August and stopped before recording it; someone else's bytes at September's name.
      const adopted = await ports.objectStorage.putObject(NAMESPACE, BUCKET, archiveObjectName(prefix, "2026-08", 1), august.body, "application/gzip");
      const foreign = Buffer.from("someone else's object");
      await ports.objectStorage.putObject(NAMESPACE, BUCKET, archiveObjectName(prefix, "2026-09", 2), foreign, "application/octet-stream");

      const callsBefore = suite().sim.calls.length;
      const r = await mirrorArchive(depsFor(t.store, ports, await newRun(t.store), prefix));
      expect(r.uploaded.map((u) => [u.month, u.etag === adopted.value.etag, u.opcRequestId === null])).toEqual([
        ["2026-08", true, true],
        ["2026-10", false, false],
      ]);
      expect(r.failed).toEqual([{
        month: "2026-09", objectName: "taken/2026-09/audit-events-2.jsonl.gz", reason: "exists-different",
        message: `oci://${NAMESPACE}/${BUCKET}/taken/2026-09/audit-events-2.jsonl.gz: an object of that name holds other bytes; it is never overwritten (tried again next run)`,
      }]);
      expect(callsOf("PutObject", callsBefore).map((c) => decodeURIComponent(c.path).split("/o/")[1])).toEqual(["taken/2026-10/audit-events-3.jsonl.gz"]);
      const september = await ports.objectStorage.getObject(NAMESPACE, BUCKET, "taken/2026-09/audit-events-2.jsonl.gz");
      expect((await bytesOf(september.body)).equals(foreign)).toBe(true);
    });

    it("a failing PutObject leaves the month unrecorded with its reason, and the next run writes it", async () => {
      // Archives are tracked per bucket (any prefix): a store of its own, none of whose months is archived yet.
      const own = await createTestStore("sqlite");
      await importEvent(own, "archive-test-august", "2026-08-10T10:00:00.000Z");
      await importEvent(own, "archive-test-september", "2026-09-10T10:00:00.000Z");
      await importEvent(own, "archive-test-october", "2026-10-10T10:00:00.000Z");
      try {
        await failThenWrite(own);
      } finally {
        await own.cleanup();
      }
    });

    async function failThenWrite(t: TestStore): Promise<void> {
      const prefix = "flaky/";
      const { sim } = suite();
      sim.faults.set("PutObject", { kind: "internal-error" });
      let r: Awaited<ReturnType<typeof mirrorArchive>>;
      try {
        r = await mirrorArchive(depsFor(t.store, ports, await newRun(t.store), prefix));
      } finally {
        sim.faults.clear("PutObject");
      }
      expect(r.uploaded).toEqual([]);
      expect(r.failed.map((f) => [f.month, f.reason])).toEqual([["2026-08", "server-error"], ["2026-09", "server-error"], ["2026-10", "server-error"]]);
      expect(r.failed[0]!.message).toMatch(/^oci:\/\/idr2kxq7vbmn\/keyproof-archive\/flaky\/2026-08\/audit-events-1\.jsonl\.gz: not written, tried again next run: PutObject: 500 /);
      expect((await listArchiveUploads(t.store.db)).filter((u) => u.objectName.startsWith(prefix))).toEqual([]);

      const next = await mirrorArchive(depsFor(t.store, ports, await newRun(t.store), prefix));
      expect(next.uploaded.map((u) => u.objectName)).toEqual([
        "flaky/2026-08/audit-events-1.jsonl.gz", "flaky/2026-09/audit-events-2.jsonl.gz", "flaky/2026-10/audit-events-3.jsonl.gz",
      ]);
    }
  });
});
