/**
 * Input validation of one PostMetricData metric object, with the limits OCI documents on
 * `MetricDataDetails` and `postMetricData` (oci-monitoring 2.139.1 typings): namespace, name and
 * resourceGroup character sets, reserved `oci_`/`oracle_` namespace prefixes, 1..20 dimensions
 * with non-empty keys (printable ASCII, no spaces, ≤ 256) and values (≤ 512), metadata ≤ 256 per
 * key and value, at least one datapoint with a finite value, a positive count, and a timestamp
 * less than 2 hours in the past and 10 minutes in the future.
 */

/** A metric object as the wire carries it (times as text). */
export interface MetricDataInput {
  namespace?: unknown;
  resourceGroup?: unknown;
  compartmentId?: unknown;
  name?: unknown;
  dimensions?: unknown;
  metadata?: unknown;
  datapoints?: unknown;
}

export const MAX_DIMENSIONS = 20;
const NAMESPACE = /^[A-Za-z][A-Za-z0-9_]*$/;
const NAME = /^[A-Za-z][A-Za-z0-9._$-]*$/;
const RESOURCE_GROUP = /^[A-Za-z][A-Za-z0-9._$-]*$/;
const DIMENSION_KEY = /^[\x21-\x7e]{1,256}$/;
const HOUR_MS = 3_600_000;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function checkDatapoint(p: unknown, nowMs: number): string | null {
  if (!isRecord(p)) return "each datapoint must be an object";
  const ms = typeof p["timestamp"] === "string" ? Date.parse(p["timestamp"]) : Number.NaN;
  if (!Number.isFinite(ms)) return "datapoint timestamp must be an RFC 3339 date-time";
  if (ms < nowMs - 2 * HOUR_MS) return "datapoint timestamp is more than 2 hours in the past";
  if (ms > nowMs + 10 * 60_000) return "datapoint timestamp is more than 10 minutes in the future";
  if (typeof p["value"] !== "number" || !Number.isFinite(p["value"])) return "datapoint value must be a finite number";
  const count = p["count"];
  if (count !== undefined && count !== null && (typeof count !== "number" || !(count > 0))) return "datapoint count must be greater than zero";
  return null;
}

/**
 * Why OCI would refuse this metric object, or null when it passes. `knownCompartment` says
 * whether the compartment exists in the tenancy.
 */
export function metricDataError(m: MetricDataInput, nowMs: number, knownCompartment: (id: string) => boolean): string | null {
  if (typeof m.namespace !== "string" || !NAMESPACE.test(m.namespace)) {
    return "namespace must start with a letter and contain only letters, digits and underscores";
  }
  if (/^(oci_|oracle_)/i.test(m.namespace)) return `namespace ${m.namespace} uses a reserved prefix (oci_, oracle_)`;
  if (typeof m.name !== "string" || !NAME.test(m.name)) {
    return "name must start with a letter and contain only letters, digits, dots, underscores, hyphens and dollar signs";
  }
  if (m.resourceGroup !== undefined && m.resourceGroup !== null && (typeof m.resourceGroup !== "string" || !RESOURCE_GROUP.test(m.resourceGroup))) {
    return "resourceGroup must start with a letter and contain only letters, digits, periods, underscores, hyphens and dollar signs";
  }
  if (typeof m.compartmentId !== "string" || !knownCompartment(m.compartmentId)) return `compartment ${String(m.compartmentId)} not found`;
  if (!isRecord(m.dimensions)) return "dimensions are required";
  const dims = Object.entries(m.dimensions);
  if (dims.length < 1 || dims.length > MAX_DIMENSIONS) return `a metric needs 1 to ${MAX_DIMENSIONS} dimensions, got ${dims.length}`;
  for (const [k, v] of dims) {
    if (!DIMENSION_KEY.test(k)) return `dimension key ${JSON.stringify(k)} must be 1-256 printable ASCII characters without spaces`;
    if (typeof v !== "string" || v.length === 0 || v.length > 512) return `dimension ${k} must have a non-empty value of at most 512 characters`;
  }
  if (m.metadata !== undefined && m.metadata !== null) {
    if (!isRecord(m.metadata)) return "metadata must be a map of strings";
    for (const [k, v] of Object.entries(m.metadata)) {
      if (k.length > 256 || typeof v !== "string" || v.length > 256) return `metadata ${k} must be a string key and value of at most 256 characters`;
    }
  }
  if (!Array.isArray(m.datapoints) || m.datapoints.length === 0) return "at least one datapoint is required";
  for (const p of m.datapoints) {
    const error = checkDatapoint(p, nowMs);
    if (error) return error;
  }
  return null;
}

/** The identity of a metric stream: namespace, name, compartment, resource group and dimensions. */
export function metricStreamKey(m: MetricDataInput): string {
  const dims = isRecord(m.dimensions) ? Object.entries(m.dimensions).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)) : [];
  return JSON.stringify([m.namespace, m.name, m.compartmentId, m.resourceGroup ?? null, dims]);
}
