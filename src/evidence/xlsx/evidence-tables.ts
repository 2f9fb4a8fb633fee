/**
 * Column layouts of the evidence.xlsx tables after Summary, and the row shapes they read. Every
 * name, id, principal and detail is untrusted tenancy text and is declared `text`; times are
 * `instant` columns labelled "(UTC)".
 */
import type { CoverageGapInterval, ScopeCoverage } from "../coverage-from-ledger.js";
import type { ControlVerdict, CoverageItem, ImportFileSummary, ImportSummary, PackCoverageWindow, PackEventRow } from "../pack-data.js";
import type { Timeline, TimelineEntry } from "../../timeline/timeline.js";
import type { ColumnSpec, TableSpec } from "./write-table.js";

const ID = 44; // OCIDs run to ~90 characters; wide enough to tell them apart, the auditor can widen.
const NAME = 28;
const TIME = 24;

export const CONTROLS_TABLE: TableSpec<ControlVerdict> = {
  name: "Controls",
  columns: [
    { header: "Control id", width: 22, kind: "text", value: (r) => r.controlId },
    { header: "Title", width: 36, kind: "text", wrap: true, value: (r) => r.title },
    { header: "Requirement", width: 60, kind: "text", wrap: true, value: (r) => r.requirement },
    { header: "Verdict", width: 16, kind: "text", value: (r) => r.verdict },
    { header: "Reason", width: 60, kind: "text", wrap: true, value: (r) => r.reason },
  ],
};

export const COVERAGE_TABLE: TableSpec<CoverageItem> = {
  name: "Coverage",
  columns: [
    { header: "Evidence", width: 34, kind: "text", wrap: true, value: (r) => r.evidence },
    { header: "Status", width: 14, kind: "text", value: (r) => r.status },
    { header: "Detail", width: 80, kind: "text", wrap: true, value: (r) => r.detail },
  ],
};

const SCOPE_COLUMNS = [
  { header: "Source", width: 18, kind: "text", value: (r: { source: string }) => r.source },
  { header: "Region", width: 16, kind: "text", value: (r: { region: string }) => r.region },
  { header: "Scope id", width: ID, kind: "text", value: (r: { scopeId: string }) => r.scopeId },
] as const satisfies readonly ColumnSpec<{ source: string; region: string; scopeId: string }>[];

/** Coverage of each ledger scope over its required interval (minutes). */
export const COVERAGE_SCOPES_TABLE: TableSpec<ScopeCoverage> = {
  name: "CoverageScopes",
  columns: [
    ...SCOPE_COLUMNS,
    { header: "Required from (UTC)", width: TIME, kind: "instant", value: (r) => r.start },
    { header: "Required to, exclusive (UTC)", width: TIME, kind: "instant", value: (r) => r.end },
    { header: "Required minutes", width: 12, kind: "number", value: (r) => r.requiredMinutes },
    { header: "Collected minutes", width: 12, kind: "number", value: (r) => r.collectedMinutes },
    { header: "Failed minutes", width: 12, kind: "number", value: (r) => r.failedMinutes },
    { header: "Not collected minutes", width: 12, kind: "number", value: (r) => r.notCollectedMinutes },
    { header: "Failed windows", width: 10, kind: "number", value: (r) => r.failedWindows },
    { header: "Recovered windows", width: 10, kind: "number", value: (r) => r.recoveredWindows },
    { header: "Reasons", width: 40, kind: "text", value: (r) => r.reasons.join(", ") || null },
  ],
};

/** Every failed or never-collected interval of every scope (maximal intervals, minutes). */
export const COVERAGE_GAPS_TABLE: TableSpec<CoverageGapInterval> = {
  name: "CoverageGaps",
  columns: [
    ...SCOPE_COLUMNS,
    { header: "From (UTC)", width: TIME, kind: "instant", value: (r) => r.start },
    { header: "To, exclusive (UTC)", width: TIME, kind: "instant", value: (r) => r.end },
    { header: "Minutes", width: 10, kind: "number", value: (r) => r.minutes },
    { header: "Status", width: 14, kind: "text", value: (r) => r.status },
    { header: "Reasons", width: 30, kind: "text", value: (r) => r.reasons.join(", ") || null },
    { header: "Failed windows", width: 10, kind: "number", value: (r) => r.failedWindows },
    { header: "Last detail", width: 60, kind: "text", value: (r) => r.detail },
  ],
};

/** Every coverage-ledger row overlapping the period, as recorded. */
export const COVERAGE_WINDOWS_TABLE: TableSpec<PackCoverageWindow> = {
  name: "CoverageWindows",
  columns: [
    { header: "Ledger id", width: 10, kind: "number", value: (r) => r.id },
    ...SCOPE_COLUMNS,
    { header: "Window start (UTC)", width: TIME, kind: "instant", value: (r) => r.windowStart },
    { header: "Window end, exclusive (UTC)", width: TIME, kind: "instant", value: (r) => r.windowEnd },
    { header: "Status", width: 12, kind: "text", value: (r) => r.status },
    { header: "Reason", width: 26, kind: "text", value: (r) => r.reason },
    { header: "Detail", width: 60, kind: "text", value: (r) => r.detail },
    { header: "Pages", width: 8, kind: "number", value: (r) => r.pages },
    { header: "Events read", width: 12, kind: "number", value: (r) => r.eventsRead },
    { header: "Events stored", width: 12, kind: "number", value: (r) => r.eventsStored },
    { header: "Duplicates", width: 12, kind: "number", value: (r) => r.duplicates },
    { header: "opc-request-id", width: 38, kind: "text", value: (r) => r.opcRequestId },
    { header: "Import run id", width: 10, kind: "number", value: (r) => r.importRunId },
    { header: "Recorded at (UTC)", width: TIME, kind: "instant", value: (r) => r.recordedAt },
  ],
};

/** Flattens the gaps of every scope, in scope then time order. */
export function* coverageGapRows(scopes: readonly ScopeCoverage[]): Generator<CoverageGapInterval> {
  for (const scope of scopes) yield* scope.gaps;
}

/** One timeline entry with the timeline it belongs to (a row of KeyTimeline / ResourceTimeline). */
export interface TimelineRow {
  timeline: Timeline;
  entry: TimelineEntry;
}

/** Flattens timelines into rows, in timeline order then entry order, without copying them. */
export function* timelineRows(timelines: readonly Timeline[]): Generator<TimelineRow> {
  for (const timeline of timelines) {
    for (const entry of timeline.entries) yield { timeline, entry };
  }
}

type TimelineColumn = ColumnSpec<TimelineRow>;

// Column groups of the two timeline sheets, in sheet order.
const SUBJECT_NAMES: TimelineColumn[] = [
  { header: "Display name", width: NAME, kind: "text", value: (r) => r.timeline.displayName },
  { header: "Compartment name", width: NAME, kind: "text", value: (r) => r.timeline.compartmentName },
  { header: "Compartment id", width: ID, kind: "text", value: (r) => r.timeline.compartmentId },
];

const LINEAGE: TimelineColumn[] = [
  { header: "Predecessor key id", width: ID, kind: "text", value: (r) => r.timeline.predecessorKeyId },
  // Several successors are rare; one comma-separated cell keeps the table flat ("contains" filters).
  { header: "Successor key ids", width: ID, kind: "text", value: (r) => r.timeline.successorKeyIds.join(", ") || null },
];

const WHEN_WHAT: TimelineColumn[] = [
  { header: "Time (UTC)", width: TIME, kind: "instant", value: (r) => r.entry.time },
  { header: "Action", width: 30, kind: "text", value: (r) => r.entry.action },
];

const PREVIOUS_KEY: TimelineColumn = {
  header: "Previous key id",
  width: ID,
  kind: "text",
  value: (r) => r.entry.previousKeyId,
};

const OUTCOME_AND_EVIDENCE: TimelineColumn[] = [
  { header: "Actor", width: NAME, kind: "text", value: (r) => r.entry.actor },
  { header: "Outcome", width: 12, kind: "text", value: (r) => r.entry.outcome },
  // The read-back that proves a volume / boot-volume KMS key update (DESIGN §3 rule 5); empty otherwise.
  { header: "Verified by event id", width: 38, kind: "text", value: (r) => r.entry.verifiedBy?.eventId ?? null },
  { header: "Verified at (UTC)", width: TIME, kind: "instant", value: (r) => r.entry.verifiedBy?.time ?? null },
  { header: "Response status", width: 10, kind: "text", value: (r) => r.entry.responseStatus },
  { header: "Key version id", width: ID, kind: "text", value: (r) => r.entry.keyVersionId },
  { header: "Work request id", width: ID, kind: "text", value: (r) => r.entry.workRequestId },
  { header: "Time of deletion (UTC)", width: TIME, kind: "instant", value: (r) => r.entry.timeOfDeletion },
  { header: "Detail", width: 60, kind: "text", value: (r) => r.entry.detail },
  { header: "Event id", width: 38, kind: "text", value: (r) => r.entry.eventId },
  { header: "Event type", width: 40, kind: "text", value: (r) => r.entry.eventType },
  { header: "Request id", width: 38, kind: "text", value: (r) => r.entry.requestId },
];

/** Per-key history: the subject key, its lineage, and each entry with the key and resource it names. */
export const KEY_TIMELINE_TABLE: TableSpec<TimelineRow> = {
  name: "KeyTimeline",
  columns: [
    { header: "Key id", width: ID, kind: "text", value: (r) => r.timeline.subjectId },
    ...SUBJECT_NAMES,
    ...LINEAGE,
    ...WHEN_WHAT,
    { header: "Entry key id", width: ID, kind: "text", value: (r) => r.entry.keyId },
    PREVIOUS_KEY,
    { header: "Resource id", width: ID, kind: "text", value: (r) => r.entry.resourceId },
    ...OUTCOME_AND_EVIDENCE,
  ],
};

/** Per-resource history: each entry with the key the resource was put under and the key it left. */
export const RESOURCE_TIMELINE_TABLE: TableSpec<TimelineRow> = {
  name: "ResourceTimeline",
  columns: [
    { header: "Subject kind", width: 12, kind: "text", value: (r) => r.timeline.subjectKind },
    { header: "Resource id", width: ID, kind: "text", value: (r) => r.timeline.subjectId },
    ...SUBJECT_NAMES,
    ...WHEN_WHAT,
    { header: "Key id", width: ID, kind: "text", value: (r) => r.entry.keyId },
    PREVIOUS_KEY,
    ...OUTCOME_AND_EVIDENCE,
  ],
};

export const EVENTS_TABLE: TableSpec<PackEventRow> = {
  name: "Events",
  columns: [
    { header: "Seq", width: 10, kind: "number", value: (r) => r.seq },
    { header: "Event id", width: 38, kind: "text", value: (r) => r.eventId },
    { header: "Event time (UTC)", width: TIME, kind: "instant", value: (r) => r.eventTime },
    { header: "Ingested time (UTC)", width: TIME, kind: "instant", value: (r) => r.ingestedTime },
    { header: "Event type", width: 40, kind: "text", value: (r) => r.eventType },
    { header: "Event name", width: 26, kind: "text", value: (r) => r.eventName },
    { header: "Compartment name", width: NAME, kind: "text", value: (r) => r.compartmentName },
    { header: "Compartment id", width: ID, kind: "text", value: (r) => r.compartmentId },
    { header: "Resource name", width: NAME, kind: "text", value: (r) => r.resourceName },
    { header: "Resource id", width: ID, kind: "text", value: (r) => r.resourceId },
    { header: "Principal name", width: NAME, kind: "text", value: (r) => r.principalName },
    { header: "Principal id", width: ID, kind: "text", value: (r) => r.principalId },
    { header: "Request id", width: 38, kind: "text", value: (r) => r.requestId },
    { header: "Response status", width: 10, kind: "text", value: (r) => r.responseStatus },
    { header: "Envelope", width: 12, kind: "text", value: (r) => r.envelope },
    { header: "Content SHA-256", width: 24, kind: "text", value: (r) => r.contentSha256 },
    { header: "Conflict", width: 10, kind: "boolean", value: (r) => r.conflict },
  ],
};

export const IMPORTS_TABLE: TableSpec<ImportSummary> = {
  name: "Imports",
  columns: [
    { header: "Run id", width: 8, kind: "number", value: (r) => r.runId },
    { header: "Source", width: 40, kind: "text", value: (r) => r.source },
    { header: "Started (UTC)", width: TIME, kind: "instant", value: (r) => r.startedAt },
    { header: "Finished (UTC)", width: TIME, kind: "instant", value: (r) => r.finishedAt },
    { header: "Status", width: 12, kind: "text", value: (r) => r.status },
    { header: "Records read", width: 12, kind: "number", value: (r) => r.recordsRead },
    { header: "Records stored", width: 12, kind: "number", value: (r) => r.recordsStored },
    { header: "Duplicates", width: 12, kind: "number", value: (r) => r.duplicates },
    { header: "Conflicts", width: 12, kind: "number", value: (r) => r.conflicts },
    { header: "Rejected", width: 12, kind: "number", value: (r) => r.rejected },
  ],
};

export const IMPORT_FILES_TABLE: TableSpec<ImportFileSummary> = {
  name: "ImportFiles",
  columns: [
    { header: "Run id", width: 8, kind: "number", value: (r) => r.runId },
    { header: "File", width: 70, kind: "text", value: (r) => r.path },
    { header: "SHA-256 of the file", width: 66, kind: "text", value: (r) => r.sha256 },
    { header: "Bytes", width: 14, kind: "number", value: (r) => r.bytes },
    { header: "Status", width: 12, kind: "text", value: (r) => r.status },
    { header: "Records read", width: 12, kind: "number", value: (r) => r.recordsRead },
    { header: "Records stored", width: 12, kind: "number", value: (r) => r.recordsStored },
    { header: "Rejected", width: 12, kind: "number", value: (r) => r.rejected },
    { header: "Error", width: 60, kind: "text", value: (r) => r.error },
  ],
};
