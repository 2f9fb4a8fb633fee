import { describe, expect, it } from "vitest";
import {
  DAY_MS, floorMinute, initialWindowMs, MINUTE_MS, nextWindowMs, planIngestRange, splitPointMs,
} from "../../../src/ingest/oci/audit-windows.js";
import { isRelevantAuditEvent, relevantLoggingFilter } from "../../../src/ingest/oci/relevant-event-names.js";
import { parseLogQuery } from "../../../src/sim/query/logging-search-query.js";
import { auditSearchQuery } from "../../../src/ingest/oci/ingest-logging-search.js";

const T = Date.parse("2026-11-29T12:00:00.000Z");
const LIMITS = { maxWindowMinutes: 1440, maxWindowEvents: 5000 };

describe("planIngestRange", () => {
  it("reads backfillDays back to the current minute on the first run", () => {
    const range = planIngestRange({ nowMs: T + 42_123, checkpointToMs: null, firstCollectedMs: null, lookbackMinutes: 30, backfillDays: 90, oldestAvailableMs: null });
    expect(range).toEqual({ fromMs: T - 90 * DAY_MS, toMs: T });
  });

  it("re-reads the look-back before the checkpoint", () => {
    const range = planIngestRange({ nowMs: T + 5 * MINUTE_MS + 7_000, checkpointToMs: T, firstCollectedMs: T - DAY_MS, lookbackMinutes: 30, backfillDays: 0, oldestAvailableMs: null });
    expect(range).toEqual({ fromMs: T - 30 * MINUTE_MS, toMs: T + 5 * MINUTE_MS });
  });

  it("never reaches back before the first run's start", () => {
    const range = planIngestRange({ nowMs: T + 20 * MINUTE_MS, checkpointToMs: T + 10 * MINUTE_MS, firstCollectedMs: T, lookbackMinutes: 30, backfillDays: 0, oldestAvailableMs: null });
    expect(range).toEqual({ fromMs: T, toMs: T + 20 * MINUTE_MS });
  });

  it("never asks for minutes OCI no longer keeps: a stale checkpoint jumps to the retention horizon (rounded up to the minute)", () => {
    const horizon = T - 90 * DAY_MS + 12_345;
    const stale = planIngestRange({ nowMs: T, checkpointToMs: T - 200 * DAY_MS, firstCollectedMs: T - 300 * DAY_MS, lookbackMinutes: 30, backfillDays: 0, oldestAvailableMs: horizon });
    expect(stale).toEqual({ fromMs: T - 90 * DAY_MS + MINUTE_MS, toMs: T });
    const first = planIngestRange({ nowMs: T, checkpointToMs: null, firstCollectedMs: null, lookbackMinutes: 30, backfillDays: 365, oldestAvailableMs: horizon });
    expect(first?.fromMs).toBe(T - 90 * DAY_MS + MINUTE_MS);
    const fresh = planIngestRange({ nowMs: T, checkpointToMs: T - 10 * MINUTE_MS, firstCollectedMs: T - DAY_MS, lookbackMinutes: 30, backfillDays: 0, oldestAvailableMs: horizon });
    expect(fresh?.fromMs).toBe(T - 40 * MINUTE_MS);
  });

  it("has nothing to do when from is not before the current minute", () => {
    expect(planIngestRange({ nowMs: T + 59_999, checkpointToMs: T, firstCollectedMs: T, lookbackMinutes: 0, backfillDays: 0, oldestAvailableMs: null })).toBeNull();
    expect(planIngestRange({ nowMs: T + 59_999, checkpointToMs: T, firstCollectedMs: T, lookbackMinutes: 1, backfillDays: 0, oldestAvailableMs: null })).toBeNull();
  });
});

describe("window lengths", () => {
  it("starts from the stored length in whole minutes, capped by maxWindowMinutes", () => {
    expect(initialWindowMs(null, LIMITS)).toBe(1440 * MINUTE_MS);
    expect(initialWindowMs(90 * MINUTE_MS + 12_345, LIMITS)).toBe(90 * MINUTE_MS);
    expect(initialWindowMs(10, LIMITS)).toBe(MINUTE_MS);
    expect(initialWindowMs(30 * DAY_MS, LIMITS)).toBe(1440 * MINUTE_MS);
  });

  it("splits at the whole minute in the middle, never a one-minute window", () => {
    expect(splitPointMs(T, T + DAY_MS)).toBe(T + 12 * 60 * MINUTE_MS);
    expect(splitPointMs(T, T + 3 * MINUTE_MS)).toBe(T + MINUTE_MS);
    expect(splitPointMs(T, T + 2 * MINUTE_MS)).toBe(T + MINUTE_MS);
    expect(() => splitPointMs(T, T + MINUTE_MS)).toThrow(RangeError);
    expect(() => splitPointMs(T + 1, T + 5 * MINUTE_MS)).toThrow(RangeError);
  });

  it("halving from a day always lands on whole minutes and partitions the window", () => {
    let start = T;
    const end = T + DAY_MS;
    const cuts: number[] = [];
    // Split the first half repeatedly down to one minute, as a burst at the window's start would.
    let windowEnd = end;
    while (windowEnd - start > MINUTE_MS) {
      windowEnd = splitPointMs(start, windowEnd);
      cuts.push(windowEnd);
    }
    expect(cuts.every((c) => c % MINUTE_MS === 0 && c > start && c < end)).toBe(true);
    expect(cuts.at(-1)).toBe(T + MINUTE_MS);
    start = cuts.at(-1)!;
    expect(floorMinute(start)).toBe(start);
  });

  it("doubles after a window with fewer than a quarter of maxWindowEvents, up to the maximum", () => {
    expect(nextWindowMs(60 * MINUTE_MS, 1249, LIMITS)).toBe(120 * MINUTE_MS);
    expect(nextWindowMs(60 * MINUTE_MS, 1250, LIMITS)).toBe(60 * MINUTE_MS);
    expect(nextWindowMs(1000 * MINUTE_MS, 0, LIMITS)).toBe(1440 * MINUTE_MS);
  });
});

describe("relevant events", () => {
  it("keeps key, volume, bucket, read-back and audit-configuration events whatever their case", () => {
    for (const [name, type] of [
      ["CreateKeyVersion", "com.oraclecloud.KeyManagementService.CreateKeyVersion"],
      ["ScheduleKeyDeletion", "com.oraclecloud.KeyManagementService.ScheduleKeyDeletion"],
      ["UpdateVolumeKmsKey", "com.oraclecloud.BlockVolumes.UpdateVolumeKmsKey"],
      ["GetBootVolumeKmsKey", "com.oraclecloud.BlockVolumes.GetBootVolumeKmsKey"],
      ["updatebucket", "com.oraclecloud.objectstorage.updatebucket"],
      ["ReencryptBucket", "com.oraclecloud.objectstorage.reencryptbucket.end"],
      ["UpdateConfiguration", "com.oraclecloud.Audit.UpdateConfiguration"],
      ["", "com.oraclecloud.keymanagementservice.autokeyrotate.end"],
    ] as const) {
      expect(isRelevantAuditEvent(name, type), name || type).toBe(true);
    }
  });

  it("drops reads no timeline uses", () => {
    for (const name of ["ListVaults", "GetNamespace", "GetKey", "ListEvents", "GetConfiguration", "ListKeyVersions"]) {
      expect(isRelevantAuditEvent(name, `com.oraclecloud.X.${name}`), name).toBe(false);
    }
  });

  it("the Logging Search queries parse in the simulator's query language", () => {
    const root = "ocid1.tenancy.oc1..aaaaaaaaexample";
    const relevant = parseLogQuery(auditSearchQuery(root, "relevant"));
    expect(relevant.sources).toEqual([expect.objectContaining({ compartmentId: root, logGroup: "_Audit", includeSubcompartments: true })]);
    expect(relevant.filter?.kind).toBe("or");
    expect(relevant.sort).toEqual({ field: "datetime", order: "asc" });
    expect(parseLogQuery(auditSearchQuery(root, "all")).filter).toBeNull();
    expect(relevantLoggingFilter()).toContain("data.eventName = 'createkeyversion'");
  });
});
