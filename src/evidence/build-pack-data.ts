/**
 * Gathers everything a monthly pack shows from the store, in one pass over the period's events
 * (DESIGN §2 "pack data (one pass)"). Pure apart from the reads; the clock gives generatedAt.
 */
import type { Kysely } from "kysely";
import { listAuditEventsInPeriod, type StoredAuditEvent } from "../store/audit-events.js";
import { findImportRunsForPeriod, findMaxSeq, findPeriodActivity, findPeriodStats, type Period } from "../store/period-events.js";
import { findImportFiles } from "../store/import-runs.js";
import type { Database } from "../store/schema.js";
import { buildTimelines, isTimelineInput } from "../timeline/build-timelines.js";
import { timelineEventFromStored, type TimelineEvent } from "../timeline/timeline-event.js";
import { monthPeriod } from "../time/instant.js";
import { evaluateControls } from "./controls.js";
import { DEFAULT_LOOKBACK_MINUTES, readPackCoverage } from "./read-pack-coverage.js";
import type { PackData, PackEventRow, PackSource } from "./pack-data.js";

export interface BuildPackDataInput {
  /** "YYYY-MM". */
  month: string;
  /** ISO UTC instant the pack is generated at (from the injected clock). */
  generatedAt: string;
  toolVersion: string;
  policy: PackData["policy"];
  /** ingest.lookbackMinutes: how far past the period end ListEvents must be collected (default {@link DEFAULT_LOOKBACK_MINUTES}). */
  lookbackMinutes?: number;
}

/** Rows per activity table in the pack (the Events sheet of evidence.xlsx has every event). */
export const ACTIVITY_ROWS = 40;

/** Maps a stored event to the events-table row of the pack. */
export function packEventRowFrom(e: StoredAuditEvent): PackEventRow {
  return {
    seq: e.seq,
    eventId: e.eventId,
    eventTime: e.eventTime,
    ingestedTime: e.ingestedTime,
    eventType: e.eventType,
    eventName: e.eventName,
    compartmentId: e.compartmentId,
    compartmentName: e.compartmentName,
    resourceId: e.resourceId,
    resourceName: e.resourceName,
    principalId: e.principalId,
    principalName: e.principalName,
    requestId: e.requestId,
    responseStatus: e.responseStatus,
    envelope: e.envelope,
    contentSha256: e.contentSha256,
    conflict: e.conflictOfSeq !== null,
  };
}

/** Timelines correlate over every stored event from this instant on (i.e. all of them). */
const HISTORY_START = "1970-01-01T00:00:00.000Z";

/**
 * Builds the PackData of `input.month` and a PackSource whose `events()` re-streams the period's
 * events from the store for each renderer.
 * @throws TypeError when the month is not YYYY-MM.
 */
export async function buildPackSource(db: Kysely<Database>, input: BuildPackDataInput): Promise<PackSource & { period: Period }> {
  // One snapshot bound for every read of this pack, so counts, sheets and raw events agree even
  // while an import commits.
  const period: Period = { ...monthPeriod(input.month), maxSeq: await findMaxSeq(db) };
  const [stats, runs, activity] = await Promise.all([
    findPeriodStats(db, period),
    findImportRunsForPeriod(db, period),
    findPeriodActivity(db, period, ACTIVITY_ROWS),
  ]);
  const { auditCoverage, coverage } = await readPackCoverage(db, {
    period,
    generatedAt: input.generatedAt,
    lookbackMinutes: input.lookbackMinutes ?? DEFAULT_LOOKBACK_MINUTES,
    importRunIds: runs.map((r) => r.id),
    events: stats.events,
  });

  // Timelines correlate over the whole history before the period's end (a bucket's key may have
  // been set months earlier) and keep the entries inside the period. Only events that classify
  // as a timeline action, or prove one (read-backs), are kept in memory.
  const relevant: TimelineEvent[] = [];
  for await (const stored of listAuditEventsInPeriod(db, { start: HISTORY_START, end: period.end, maxSeq: period.maxSeq })) {
    const event = timelineEventFromStored(stored);
    if (isTimelineInput(event)) relevant.push(event);
  }
  const { keys, resources } = buildTimelines(relevant, {
    from: period.start,
    to: period.end,
    readBackWithinHours: input.policy.rekeyWithinHours,
  });

  const data: PackData = {
    month: input.month,
    period: { start: period.start, end: period.end },
    generatedAt: input.generatedAt,
    toolVersion: input.toolVersion,
    policy: input.policy,
    tenancies: stats.tenancies,
    counts: {
      events: stats.events,
      eventTypes: stats.eventTypes,
      keyTimelines: keys.length,
      resourceTimelines: resources.length,
      timelineEntries: [...keys, ...resources].reduce((n, t) => n + t.entries.length, 0),
      conflicts: stats.conflicts,
    },
    activity: {
      eventTypes: activity.eventTypes.top,
      principals: activity.principals.top,
      compartments: activity.compartments.top,
      distinct: {
        eventTypes: activity.eventTypes.distinct,
        principals: activity.principals.distinct,
        compartments: activity.compartments.distinct,
      },
    },
    verdicts: evaluateControls(coverage),
    keyTimelines: keys,
    resourceTimelines: resources,
    coverage: Object.values(coverage),
    auditCoverage,
    imports: runs.map((r) => ({
      runId: r.id,
      source: r.source,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      status: r.status,
      recordsRead: r.records_read,
      recordsStored: r.records_stored,
      duplicates: r.duplicates,
      conflicts: r.conflicts,
      rejected: r.rejected,
    })),
    importFiles: [],
  };
  const importFiles = [];
  for (const run of runs) {
    for (const f of await findImportFiles(db, run.id)) {
      importFiles.push({
        runId: run.id,
        path: f.path,
        sha256: f.sha256,
        bytes: f.size_bytes,
        status: f.status,
        recordsRead: f.records_read,
        recordsStored: f.records_stored,
        rejected: f.rejected,
        error: f.error,
      });
    }
  }
  data.importFiles = importFiles;
  return {
    period,
    data,
    async *events() {
      for await (const stored of listAuditEventsInPeriod(db, period)) yield packEventRowFrom(stored);
    },
  };
}
