/**
 * Generates examples/audit-export/: the example tenancy's audit history in the two envelopes an
 * importer meets (examples/README.md lists every scenario and its expected timeline facts).
 *
 *   npx tsx examples/make-audit-export.ts            # rewrites examples/audit-export/
 *
 * Deterministic: ids come from labels (no randomness), and node's gzip writes mtime 0, so a
 * re-run gives byte-identical files on the same Node/zlib build.
 */
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";
import { toListEventsItem, toLoggingRecord } from "./audit-export-gen/envelopes.js";
import { STORY, type StoryEvent } from "./audit-export-gen/scenario.js";
import { SERVICE_CONNECTOR } from "./audit-export-gen/tenancy.js";

/** Where the committed export lives. */
export const AUDIT_EXPORT_DIR = join(dirname(fileURLToPath(import.meta.url)), "audit-export");

/** The ListEvents history file (CloudEvents 0.1 items, one JSON array). */
export const LISTEVENTS_FILE = "listevents/auditEvents_20260101T000000Z_20260701T000000Z.json";

/** Folder of the Service Connector objects (`<prefix>/<connector OCID>/`). */
export const CONNECTOR_DIR = `service-connector/audit/${SERVICE_CONNECTOR}`;

const SIX_HOURS = 6 * 3600_000;

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:]/g, "").replace(/\.\d{3}Z$/, "Z");
}

/** `<start>_<end>` of the 6-hour batch window holding `iso`. */
function windowName(iso: string): string {
  const start = Math.floor(Date.parse(iso) / SIX_HOURS) * SIX_HOURS;
  return `${stamp(start)}_${stamp(start + SIX_HOURS)}`;
}

function jsonLines(records: readonly unknown[]): Buffer {
  return Buffer.from(records.map((r) => `${JSON.stringify(r)}\n`).join(""), "utf8");
}

/** Every file of the export, by path relative to {@link AUDIT_EXPORT_DIR}. */
export function buildAuditExport(story: readonly StoryEvent[] = STORY): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const history = story.filter((e) => e.sink === "listevents").map((e) => toListEventsItem(e.call));
  files.set(LISTEVENTS_FILE, Buffer.from(`${JSON.stringify(history, null, 2)}\n`, "utf8"));

  // Object `.0` holds a window's records; `.1` holds what Service Connector delivered again.
  const windows = new Map<string, { first: unknown[]; again: unknown[] }>();
  for (const e of story.filter((s) => s.sink === "connector")) {
    const name = windowName(e.call.time);
    const w = windows.get(name) ?? { first: [], again: [] };
    const record = toLoggingRecord(e.call);
    w.first.push(record);
    if (e.redelivered) w.again.push(record);
    windows.set(name, w);
  }
  for (const [name, w] of windows) {
    files.set(`${CONNECTOR_DIR}/${name}.0.log.gz`, gzipSync(jsonLines(w.first)));
    if (w.again.length > 0) files.set(`${CONNECTOR_DIR}/${name}.1.log.gz`, gzipSync(jsonLines(w.again)));
  }
  return files;
}

/** Replaces `dir` with a fresh copy of the export. */
export function writeAuditExport(dir: string = AUDIT_EXPORT_DIR): string[] {
  rmSync(dir, { recursive: true, force: true });
  const written: string[] = [];
  for (const [rel, content] of buildAuditExport()) {
    const path = join(dir, rel);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    written.push(rel);
  }
  return written.sort();
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const rel of writeAuditExport()) console.log(`wrote examples/audit-export/${rel}`);
}
