/**
 * Realistic PackData for renderer tests, with overridable defaults (STYLE §14).
 *
 * The default pack is October 2026 in one tenancy: two bucket keys (one rotated manually, one by
 * auto-rotation with a version deletion scheduled and cancelled), a volume key lineage
 * (predecessor → successor), two buckets, a volume and a boot volume, six control verdicts
 * (every verdict value, NO_EVIDENCE with reasons), coverage items of every status and three import
 * runs. Ids are deterministic fake OCIDs / UUIDs, so files built from it are reproducible.
 */
import { summarizeCoverage } from "../../src/evidence/coverage-from-ledger.js";
import type { ControlVerdict, CoverageItem, ImportSummary, PackAuditCoverage, PackCoverageWindow, PackData, PackEventRow, PackSource } from "../../src/evidence/pack-data.js";
import type { Timeline, TimelineEntry } from "../../src/timeline/timeline.js";
import { ID, buildLineageTimelines, buildPrimaryTimelines, fakeOcid } from "./pack-data-timelines.js";

export { ID, buildLargeKeyTimelines, fakeOcid, fakeUuid } from "./pack-data-timelines.js";

/** cases.md B30: names that must survive into the PDF and XLSX exactly, plus one emoji. */
export const B30_NAMES = {
  german: "Schlüssel-Prod-ÄÖÜ",
  japanese: "鍵-本番-東京",
  russian: "ключ-прод",
  turkish: "İstanbul-ı",
  emoji: "🔑",
} as const;

export const MONTH = "2026-10";
export const PERIOD = { start: "2026-10-01T00:00:00.000Z", end: "2026-11-01T00:00:00.000Z" } as const;
export const GENERATED_AT = "2026-11-01T02:00:00.000Z";

/** A succeeded CreateKeyVersion on the first bucket key; override any field. */
export function buildTimelineEntry(overrides: Partial<TimelineEntry> = {}): TimelineEntry {
  return {
    time: "2026-10-03T08:15:42.123Z",
    action: "key.version-created",
    actor: "oracleidentitycloudservice/ops.engineer@example.com",
    outcome: "succeeded",
    responseStatus: "200",
    keyId: ID.bucketKeyProd,
    previousKeyId: null,
    resourceId: null,
    keyVersionId: fakeOcid("keyversion", "bucket-key-prod-v7"),
    workRequestId: null,
    timeOfDeletion: null,
    verifiedBy: null,
    detail: null,
    eventId: "0f6d3b52-8a51-4b8e-9d4e-1c2b3a4d5e6f",
    eventType: "com.oraclecloud.kms.keymanagement.createkeyversion",
    requestId: "A1B2C3D4E5F6478899AABBCCDDEEFF00/0123456789ABCDEF0123456789ABCDEF",
    ...overrides,
  };
}

/** A key timeline with one entry; override any field. */
export function buildTimeline(overrides: Partial<Timeline> = {}): Timeline {
  return {
    subjectKind: "key",
    subjectId: ID.bucketKeyProd,
    displayName: "backup-bucket-key-prod",
    compartmentId: ID.compartmentBackups,
    compartmentName: "Backups-Prod",
    predecessorKeyId: null,
    successorKeyIds: [],
    entries: [buildTimelineEntry()],
    ...overrides,
  };
}

export function buildControlVerdict(overrides: Partial<ControlVerdict> = {}): ControlVerdict {
  return {
    controlId: "CIS OCI 4.16",
    title: "Ensure customer created Customer Managed Key (CMK) is rotated at least annually (3.16 in v1.x)",
    requirement: "Every in-scope key is ENABLED and its current key version is younger than rotationIntervalDays (rules 1–2).",
    verdict: "COMPLIANT",
    reason: "All 4 in-scope keys have a current key version younger than 90 days at 2026-11-01T00:00:00.000Z.",
    ...overrides,
  };
}

export function buildCoverageItem(overrides: Partial<CoverageItem> = {}): CoverageItem {
  return { evidence: "Audit events", status: "collected", detail: "Audit ListEvents for every in-scope compartment, every minute of the period.", ...overrides };
}

export function buildImportSummary(overrides: Partial<ImportSummary> = {}): ImportSummary {
  return {
    runId: 41,
    source: "audit",
    startedAt: "2026-10-31T23:00:00.000Z",
    finishedAt: "2026-10-31T23:04:12.512Z",
    status: "completed",
    recordsRead: 1_204,
    recordsStored: 1_198,
    duplicates: 6,
    conflicts: 0,
    rejected: 0,
    ...overrides,
  };
}

/** The six default verdicts: one of each value, and two NO_EVIDENCE with reasons. */
export function defaultVerdicts(): ControlVerdict[] {
  return [
    buildControlVerdict(),
    buildControlVerdict({
      controlId: "PCI DSS v4.0.1 3.7.4",
      title: "Cryptographic key changes at the end of the defined cryptoperiod (3.6.4 in v3.2.1)",
      requirement: "Each rotation happened on time (rule 3) and every in-scope resource was re-keyed within rekeyWithinHours (rules 4–5).",
      verdict: "NON_COMPLIANT",
      reason: "Bucket /n/frnj6sfkc1ep/b/backups-archive was not re-keyed within 24 hours of rotation on 2026-10-12T04:00:00.000Z.",
    }),
    buildControlVerdict({
      controlId: "PCI DSS v4.0.1 10.5.1",
      title: "Retain audit log history for at least 12 months",
      requirement: "Audit events for the period are archived in keyproof's store and the OCI audit retention setting is known.",
      verdict: "NO_EVIDENCE",
      reason: "Not collected: Audit retention configuration (GetConfiguration) and archive retention rules (401 NotAuthenticated).",
    }),
    buildControlVerdict({
      controlId: "SOC 2 CC6.1",
      title: "Logical access security: protects encryption keys",
      requirement: "Key lifecycle changes are attributable (actor, time, request id) and superseded versions are retained (rule 6).",
      verdict: "NO_EVIDENCE",
      reason: "Not collected: Audit events for 2026-10-17T00:00:00.000Z to 2026-10-18T00:00:00.000Z (ListEvents throttled, 429 after 8 retries).",
    }),
    buildControlVerdict({
      controlId: "ISO/IEC 27001:2022 A.8.24",
      title: "Use of cryptography: key management including cryptoperiods",
      requirement: "Cryptoperiods are enforced per key and per resource (rules 2 and 4).",
      verdict: "COMPLIANT",
      reason: "Every in-scope key and resource is inside its cryptoperiod at the end of the period.",
    }),
    buildControlVerdict({
      controlId: "NIST SP 800-57 Part 1 Rev. 5",
      title: "Cryptoperiods and retention of superseded keys",
      requirement: "Superseded key versions (and predecessor keys of volume lineages) stay usable for retentionDays (rule 6).",
      verdict: "NOT_APPLICABLE",
      reason: "No key version was superseded before this period.",
    }),
  ];
}

export function defaultCoverage(): CoverageItem[] {
  return [
    buildCoverageItem(),
    buildCoverageItem({ evidence: "Key and key-version state snapshots", status: "collected", detail: "Snapshot at 2026-10-31T23:55:00.000Z: 4 keys, 19 key versions." }),
    buildCoverageItem({ evidence: "Tagged resource snapshots (volumes, boot volumes, buckets) with kmsKeyId", status: "partial", detail: "Compartment Backups-Tokyo: ListBuckets throttled (429); 3 of 4 compartments captured." }),
    buildCoverageItem({ evidence: "Audit retention configuration (GetConfiguration) and archive retention rules", status: "not-collected", detail: "401 NotAuthenticated: the keyproof principal lacks AUDIT_CONFIGURATION_READ." }),
    buildCoverageItem({ evidence: "Work request final status for ReencryptBucket", status: "collected", detail: "2 work requests tracked to SUCCEEDED." }),
  ];
}

export function defaultImports(): ImportSummary[] {
  return [
    buildImportSummary({ runId: 38, source: "audit", startedAt: "2026-10-10T23:00:00.000Z", finishedAt: "2026-10-10T23:02:40.001Z", recordsRead: 812, recordsStored: 812, duplicates: 0 }),
    buildImportSummary({ runId: 39, source: "logging", startedAt: "2026-10-20T23:00:00.000Z", finishedAt: "2026-10-20T23:03:05.337Z", recordsRead: 640, recordsStored: 601, duplicates: 39 }),
    buildImportSummary({
      runId: 41,
      source: "file examples/audit-export-2026-10.jsonl.gz",
      status: "completed_with_rejects",
      rejected: 2,
      conflicts: 1,
    }),
  ];
}

/** A ledger row of the default pack's compartment; override any field. */
export function buildCoverageWindow(overrides: Partial<PackCoverageWindow> = {}): PackCoverageWindow {
  return {
    id: 1,
    importRunId: 38,
    source: "audit-list-events",
    region: "us-ashburn-1",
    scopeId: ID.compartmentBackups,
    windowStart: PERIOD.start,
    windowEnd: "2026-10-17T00:00:00.000Z",
    status: "collected",
    reason: null,
    detail: null,
    pages: 12,
    eventsRead: 812,
    eventsStored: 812,
    duplicates: 0,
    opcRequestId: "A1B2C3D4E5F6478899AABBCCDDEEFF01",
    recordedAt: "2026-10-17T00:17:03.120Z",
    ...overrides,
  };
}

/**
 * Ledger coverage of the default pack: one ListEvents compartment (30 min look-back) collected
 * except 2026-10-17 (throttled, 1,440 min) and 2026-10-20T10:00–11:00 (unauthorised), with one
 * throttled window recovered by a later re-read.
 */
export function defaultAuditCoverage(windows: PackCoverageWindow[] = defaultCoverageWindows()): PackAuditCoverage {
  const required = [{ source: "audit-list-events", region: "us-ashburn-1", scopeId: ID.compartmentBackups, start: PERIOD.start, end: "2026-11-01T00:30:00.000Z" }];
  const summary = summarizeCoverage(windows, required);
  return { ledger: true, lookbackMinutes: 30, scopes: summary.scopes, totals: summary.totals, windows };
}

export function defaultCoverageWindows(): PackCoverageWindow[] {
  return [
    buildCoverageWindow(),
    buildCoverageWindow({
      id: 2, windowStart: "2026-10-17T00:00:00.000Z", windowEnd: "2026-10-18T00:00:00.000Z", status: "failed", reason: "throttled",
      detail: "ListEvents: 429 TooManyRequests after 6 attempts", pages: 0, eventsRead: 0, eventsStored: 0, recordedAt: "2026-10-18T00:17:00.000Z",
    }),
    buildCoverageWindow({ id: 3, windowStart: "2026-10-18T00:00:00.000Z", windowEnd: "2026-10-20T10:00:00.000Z", eventsRead: 97, eventsStored: 97, recordedAt: "2026-10-20T10:17:00.000Z" }),
    buildCoverageWindow({
      id: 4, windowStart: "2026-10-20T10:00:00.000Z", windowEnd: "2026-10-20T11:00:00.000Z", status: "failed", reason: "not-authorized-or-not-found",
      detail: "ListEvents: 404 NotAuthorizedOrNotFound", pages: 0, eventsRead: 0, eventsStored: 0, recordedAt: "2026-10-20T11:17:00.000Z",
    }),
    buildCoverageWindow({ id: 5, windowStart: "2026-10-20T11:00:00.000Z", windowEnd: "2026-10-25T00:00:00.000Z", status: "failed", reason: "throttled", detail: "ListEvents: 429", pages: 0, eventsRead: 0, eventsStored: 0, recordedAt: "2026-10-25T00:17:00.000Z" }),
    buildCoverageWindow({ id: 6, windowStart: "2026-10-20T11:00:00.000Z", windowEnd: "2026-11-01T00:30:00.000Z", eventsRead: 303, eventsStored: 290, duplicates: 13, recordedAt: "2026-11-01T00:47:00.000Z" }),
  ];
}

/** Counts consistent with the timelines (events = distinct evidence event ids). */
export function countsOf(keyTimelines: readonly Timeline[], resourceTimelines: readonly Timeline[], conflicts = 0): PackData["counts"] {
  const eventIds = new Set<string>();
  const eventTypes = new Set<string>();
  let entries = 0;
  for (const t of [...keyTimelines, ...resourceTimelines]) {
    for (const e of t.entries) {
      eventIds.add(e.eventId);
      eventTypes.add(e.eventType);
      entries += 1;
    }
  }
  return {
    events: eventIds.size,
    eventTypes: eventTypes.size,
    keyTimelines: keyTimelines.length,
    resourceTimelines: resourceTimelines.length,
    timelineEntries: entries,
    conflicts,
  };
}

/** Activity tables: a few event types, principals (one Unicode name) and compartments, with more distinct values than shown. */
export function defaultActivity(): PackData["activity"] {
  return {
    eventTypes: [
      { name: "com.oraclecloud.KeyManagementService.GetKey", id: null, count: 1204 },
      { name: "com.oraclecloud.objectstorage.reencryptbucket", id: null, count: 6 },
      { name: "com.oraclecloud.KeyManagementService.CreateKeyVersion", id: null, count: 2 },
    ],
    principals: [
      { name: "keyproof-rotator", id: "ocid1.dynamicgroup.oc1..aaaaaaaarotator", count: 1100 },
      { name: "jörg.müller@example.com", id: "ocid1.user.oc1..aaaaaaaajorg", count: 112 },
    ],
    compartments: [{ name: "Backups-Prod", id: ID.compartmentBackups, count: 1212 }],
    distinct: { eventTypes: 5, principals: 2, compartments: 1 },
  };
}

/** The default pack (see the file comment); `counts` follows the timelines unless overridden. */
export function buildPackData(overrides: Partial<PackData> = {}): PackData {
  const primary = buildPrimaryTimelines();
  const lineage = buildLineageTimelines();
  const keyTimelines = overrides.keyTimelines ?? [...primary.keys, ...lineage.keys];
  const resourceTimelines = overrides.resourceTimelines ?? [...primary.resources, ...lineage.resources];
  return {
    month: MONTH,
    period: { ...PERIOD },
    generatedAt: GENERATED_AT,
    toolVersion: "0.1.0",
    policy: { rotationIntervalDays: 90, rekeyWithinHours: 24, retentionDays: 2555, scopeTag: "backup-encryption=enabled" },
    tenancies: [ID.tenancy],
    verdicts: defaultVerdicts(),
    coverage: defaultCoverage(),
    auditCoverage: defaultAuditCoverage(),
    imports: defaultImports(),
    activity: defaultActivity(),
    importFiles: [
      { runId: 1, path: "/exports/2026-10/audit.jsonl.gz", sha256: "ab".repeat(32), bytes: 7247, status: "committed", recordsRead: 37, recordsStored: 36, rejected: 0, error: null },
    ],
    ...overrides,
    keyTimelines,
    resourceTimelines,
    counts: overrides.counts ?? countsOf(keyTimelines, resourceTimelines),
  };
}

/** One events-table row per timeline entry (distinct event ids), in time order. */
export function eventRowsOf(data: PackData): PackEventRow[] {
  const rows = new Map<string, PackEventRow>();
  for (const t of [...data.keyTimelines, ...data.resourceTimelines]) {
    for (const e of t.entries) {
      if (rows.has(e.eventId)) continue;
      rows.set(e.eventId, {
        seq: 0,
        eventId: e.eventId,
        eventTime: e.time,
        ingestedTime: data.generatedAt,
        eventType: e.eventType,
        eventName: e.eventType.split(".").pop() ?? e.eventType,
        compartmentId: t.compartmentId,
        compartmentName: t.compartmentName,
        resourceId: e.resourceId ?? t.subjectId,
        resourceName: t.displayName,
        principalId: null,
        principalName: e.actor,
        requestId: e.requestId,
        responseStatus: e.responseStatus,
        envelope: JSON.stringify({ eventId: e.eventId, eventTime: e.time, eventType: e.eventType }),
        contentSha256: "0".repeat(64),
        conflict: false,
      });
    }
  }
  const byTimeThenId = (a: PackEventRow, b: PackEventRow) =>
    a.eventTime < b.eventTime ? -1 : a.eventTime > b.eventTime ? 1 : a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0;
  return [...rows.values()].sort(byTimeThenId).map((r, i) => ({ ...r, seq: i + 1 }));
}

/** A PackSource over `data` whose `events()` yields `events` (default: {@link eventRowsOf}). */
export function packSourceOf(data: PackData = buildPackData(), events: readonly PackEventRow[] = eventRowsOf(data)): PackSource {
  return {
    data,
    async *events() {
      yield* events;
    },
  };
}
