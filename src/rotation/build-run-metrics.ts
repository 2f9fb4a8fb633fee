/**
 * The Monitoring metrics of a rotation run (issue 4 §6), in namespace `keyproof` (the SignalsPort
 * adds the namespace). Pure: the caller gives the compartment and the timestamp (from its clock).
 *
 * Run-level metrics carry one dimension, `job=rotation` (OCI requires at least one dimension per
 * metric; src/sim/README.md PostMetricData). The age metric carries `keyId` and `keyName`, one
 * stream per key, so an alarm can name the key that is getting old.
 */
import type { MetricDatum } from "../oci/oci-ports.js";
import { wholeDaysSince } from "./key-age.js";
import type { RotationRunResult } from "./rotation-run-result.js";

/** OCI Monitoring: at most 50 unique metric streams per PostMetricData call (`oci-monitoring` postMetricData doc comment). */
export const MAX_STREAMS_PER_POST = 50;

/** Metric names keyproof posts (OCI metric names: letters, digits, `.`, `_`, `-`, `$`). */
export const RUN_METRIC_NAMES = {
  /** Keys for which this run created the new key version or successor key. */
  rotationsSucceeded: "RotationsSucceeded",
  /** Keys whose own rotation step failed. */
  rotationsFailed: "RotationsFailed",
  /** Resources re-keyed and confirmed (work request succeeded / key read back). */
  rekeysSucceeded: "RekeysSucceeded",
  rekeysFailed: "RekeysFailed",
  /** Work requests still running when the run stopped waiting. */
  rekeysInProgress: "RekeysInProgress",
  /** Whole days (floor) since the key's current version was created, per key. */
  currentVersionAgeDays: "CurrentVersionAgeDays",
  /** finishedAt − startedAt, milliseconds. */
  runDurationMs: "RunDurationMs",
} as const;

/** finishedAt − startedAt of a run, milliseconds, never negative (0 when either is not an instant). */
export function runDurationMs(result: Pick<RotationRunResult, "startedAt" | "finishedAt">): number {
  const ms = Date.parse(result.finishedAt) - Date.parse(result.startedAt);
  return Number.isFinite(ms) ? Math.max(0, ms) : 0;
}

/**
 * One metric datum per stream for `result`, all stamped `timestamp` (UTC ISO, from the caller's
 * clock): the five run counters, RunDurationMs, and CurrentVersionAgeDays for each key whose
 * current version's creation time is known (once per key id, DESIGN §3 rule 1; whole days, floor,
 * the plan's arithmetic from key-age.ts). Dry runs give [].
 * @throws TypeError when `timestamp` is not an instant.
 */
export function buildRunMetrics(result: RotationRunResult, options: { compartmentId: string; timestamp: string }): MetricDatum[] {
  if (result.dryRun) return [];
  const { compartmentId, timestamp } = options;
  const run = (name: string, value: number): MetricDatum => ({ name, compartmentId, dimensions: { job: "rotation" }, timestamp, value });
  const resources = result.keys.flatMap((k) => k.resources);
  const metrics: MetricDatum[] = [
    run(RUN_METRIC_NAMES.rotationsSucceeded, result.keys.filter((k) => k.createdThisRun).length),
    run(RUN_METRIC_NAMES.rotationsFailed, result.keys.filter((k) => k.status === "failed").length),
    run(RUN_METRIC_NAMES.rekeysSucceeded, resources.filter((r) => r.status === "succeeded").length),
    run(RUN_METRIC_NAMES.rekeysFailed, resources.filter((r) => r.status === "failed").length),
    run(RUN_METRIC_NAMES.rekeysInProgress, resources.filter((r) => r.status === "in-progress").length),
    run(RUN_METRIC_NAMES.runDurationMs, runDurationMs(result)),
  ];
  const seen = new Set<string>();
  for (const key of result.keys) {
    const age = wholeDaysSince(key.currentVersionCreated, timestamp);
    if (age === null || seen.has(key.keyId)) continue;
    seen.add(key.keyId);
    metrics.push({
      name: RUN_METRIC_NAMES.currentVersionAgeDays, compartmentId, timestamp,
      // OCI dimension values are 1–512 characters.
      dimensions: { keyId: key.keyId, keyName: key.keyName.slice(0, 512) || key.keyId },
      value: age,
    });
  }
  return metrics;
}

/** Splits metric data into PostMetricData calls of at most `size` streams (default 50, OCI's limit). */
export function batchMetrics(metrics: readonly MetricDatum[], size = MAX_STREAMS_PER_POST): MetricDatum[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`batchMetrics: size must be a positive integer, got ${size}`);
  const batches: MetricDatum[][] = [];
  for (let i = 0; i < metrics.length; i += size) batches.push(metrics.slice(i, i + size));
  return batches;
}
