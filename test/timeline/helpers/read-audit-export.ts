/**
 * A deliberately tiny reader of examples/audit-export/ for the timeline tests, independent of the
 * importer in src/ingest: JSON array or JSON Lines, gzip or not, CloudEvents 0.1 or 1.0.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import type { TimelineEvent } from "../../../src/timeline/timeline-event.js";

export const AUDIT_EXPORT_DIR = fileURLToPath(new URL("../../../examples/audit-export/", import.meta.url));

type Json = Record<string, any>;

/** Every file under `dir`, relative, sorted. */
export function listFiles(dir: string = AUDIT_EXPORT_DIR): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const path = join(d, entry.name);
      if (entry.isDirectory()) walk(path);
      else out.push(relative(dir, path));
    }
  };
  walk(dir);
  return out.sort();
}

/** The records of one file, in file order. */
export function readRecords(relPath: string, dir: string = AUDIT_EXPORT_DIR): Json[] {
  let bytes = readFileSync(join(dir, relPath));
  if (relPath.endsWith(".gz")) bytes = gunzipSync(bytes);
  const text = bytes.toString("utf8").trim();
  if (text.startsWith("[")) return JSON.parse(text) as Json[];
  return text.split("\n").filter((l) => l.trim() !== "").map((l) => JSON.parse(l) as Json);
}

/** The minimal TimelineEvent of a record, as the importer would derive it. */
export function toTimelineEvent(record: Json): TimelineEvent {
  const data: Json = record.data ?? {};
  return {
    eventId: record.eventId ?? record.id ?? record.eventID,
    eventTime: record.eventTime ?? record.time,
    eventType: record.eventType ?? record.type,
    eventName: data.eventName ?? "",
    resourceId: data.resourceId ?? null,
    resourceName: data.resourceName ?? null,
    compartmentId: data.compartmentId ?? null,
    compartmentName: data.compartmentName ?? null,
    principalId: data.identity?.principalId ?? null,
    principalName: data.identity?.principalName ?? null,
    responseStatus: data.response?.status ?? null,
    requestId: data.request?.id ?? null,
    raw: record,
  };
}

/** Every record of the export as TimelineEvents, files in name order (duplicates kept). */
export function readAuditExportEvents(dir: string = AUDIT_EXPORT_DIR): TimelineEvent[] {
  return listFiles(dir).flatMap((f) => readRecords(f, dir).map(toTimelineEvent));
}
