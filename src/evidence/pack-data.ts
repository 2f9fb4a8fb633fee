/**
 * The data of one monthly evidence pack, gathered in one pass over the store and handed to every
 * renderer (PDF, XLSX, JSONL). Renderers are pure functions of this plus the event iterator: given
 * the same PackData they produce byte-identical files.
 */
import type { CoverageWindow } from "../store/ingest-ledger.js";
import type { Timeline } from "../timeline/timeline.js";
import type { CoverageTotals, ScopeCoverage } from "./coverage-from-ledger.js";

/** DESIGN §3 verdict values. NO_EVIDENCE always carries a reason (rule 7). */
export type Verdict = "COMPLIANT" | "NON_COMPLIANT" | "NO_EVIDENCE" | "NOT_APPLICABLE";

export interface ControlVerdict {
  /** e.g. "CIS OCI 4.16". */
  controlId: string;
  /** Control title as published. */
  title: string;
  /** What keyproof checks for it. */
  requirement: string;
  verdict: Verdict;
  /** Why this verdict: for NO_EVIDENCE, which evidence is missing. */
  reason: string;
}

export interface CoverageItem {
  /** The kind of evidence, e.g. "Audit events (files)", "Key state snapshots". */
  evidence: string;
  status: "collected" | "partial" | "not-collected";
  detail: string;
}

export interface ImportSummary {
  runId: number;
  source: string;
  startedAt: string;
  finishedAt: string | null;
  status: string;
  recordsRead: number;
  recordsStored: number;
  duplicates: number;
  conflicts: number;
  rejected: number;
}

/** One input file of an import run that brought events of the period (file provenance). */
export interface ImportFileSummary {
  runId: number;
  /** Path as given to `keyproof ingest` (untrusted text). */
  path: string;
  /** SHA-256 of the file's bytes as read; null when it could not be read. */
  sha256: string | null;
  bytes: number;
  /** "committed" | "rejected". */
  status: string;
  recordsRead: number;
  recordsStored: number;
  rejected: number;
  error: string | null;
}

/** One coverage-ledger row overlapping the period, as recorded (reason and detail are untrusted text). */
export type PackCoverageWindow = CoverageWindow;

/**
 * Coverage of the period's audit events by the coverage ledger (DESIGN §3 rule 7): per scope, the
 * required interval and its collected, failed and never-collected minutes, with every gap.
 */
export interface PackAuditCoverage {
  /**
   * True when the ledger knows at least one ListEvents / Logging Search scope. False: events came
   * from files (or nowhere) and completeness of the period cannot be established.
   */
  ledger: boolean;
  /** Minutes past the period end a ListEvents scope must cover (processing time, ingest.lookbackMinutes). */
  lookbackMinutes: number;
  /** One per required scope, ordered by source, region, scope. */
  scopes: ScopeCoverage[];
  totals: CoverageTotals;
  /** Every ledger row recorded by generation time that overlaps a required interval, by source, region, scope, start, id. */
  windows: PackCoverageWindow[];
}

/** One row of the events table in the pack (a subset of the stored columns; untrusted text). */
export interface PackEventRow {
  seq: number;
  eventId: string;
  eventTime: string;
  ingestedTime: string | null;
  eventType: string;
  eventName: string;
  compartmentId: string | null;
  compartmentName: string | null;
  resourceId: string | null;
  resourceName: string | null;
  principalId: string | null;
  principalName: string | null;
  requestId: string | null;
  responseStatus: string | null;
  envelope: string;
  contentSha256: string;
  /** True when another stored record has the same event id and different content. */
  conflict: boolean;
}

/** One row of an activity table: who or what, and how many events of the period. */
export interface ActivityRow {
  /** Display text: event type, principal name or compartment name (untrusted text). */
  name: string;
  /** The OCID behind the name (principal or compartment); null for event types or when unknown. */
  id: string | null;
  count: number;
}

/**
 * What happened in the period, by event type, principal and compartment: the top rows by count
 * (ties by name) and how many distinct values there were in all.
 */
export interface PackActivity {
  eventTypes: ActivityRow[];
  principals: ActivityRow[];
  compartments: ActivityRow[];
  distinct: { eventTypes: number; principals: number; compartments: number };
}

/** The policy the pack was evaluated under (config, DESIGN §3), printed so an auditor knows the thresholds. */
export interface PackPolicy {
  /** Cryptoperiod of a key version, days. */
  rotationIntervalDays: number;
  /** Re-key deadline after a rotation, hours. */
  rekeyWithinHours: number;
  /** Retention of superseded key versions, days. */
  retentionDays: number;
  /** Scope tag selector, e.g. "backup-encryption=enabled". */
  scopeTag: string;
}

export interface PackData {
  /** "YYYY-MM". */
  month: string;
  /** Reporting period in UTC: start inclusive, end exclusive. */
  period: { start: string; end: string };
  /** When the pack was generated (injected clock), ISO UTC. */
  generatedAt: string;
  toolVersion: string;
  policy: PackPolicy;
  /** Tenancy OCIDs seen in the period's events (sorted). */
  tenancies: string[];
  counts: {
    events: number;
    eventTypes: number;
    keyTimelines: number;
    resourceTimelines: number;
    timelineEntries: number;
    conflicts: number;
  };
  activity: PackActivity;
  verdicts: ControlVerdict[];
  keyTimelines: Timeline[];
  resourceTimelines: Timeline[];
  coverage: CoverageItem[];
  /** The coverage ledger's account of the audit events (the "Audit events" coverage item is derived from it). */
  auditCoverage: PackAuditCoverage;
  imports: ImportSummary[];
  /** Every input file of those import runs, in run then file order. */
  importFiles: ImportFileSummary[];
}

/** What a renderer gets: the pack data plus a fresh iterator over the period's events, in seq order. */
export interface PackSource {
  data: PackData;
  events(): AsyncIterable<PackEventRow>;
}
