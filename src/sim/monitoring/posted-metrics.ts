/**
 * The metric objects PostMetricData accepted, kept in the simulator state (plain data, so the
 * "not applied" fault rolls them back) for tests to read as `sim.metrics`.
 */
import type { SimState } from "../state/sim-state.js";

/** One accepted metric object, as posted, with when the simulator received it. */
export interface PostedMetric {
  namespace: string;
  name: string;
  compartmentId: string;
  resourceGroup: string | null;
  dimensions: Record<string, string>;
  metadata: Record<string, string> | null;
  datapoints: { timestamp: string; value: number; count: number }[];
  /** Simulator time of the PostMetricData call (ISO). */
  receivedAt: string;
}

const KEY = "monitoring";

/** Every metric object accepted so far, in arrival order. */
export function postedMetrics(state: SimState): readonly PostedMetric[] {
  return (state.extensions[KEY] as PostedMetric[] | undefined) ?? [];
}

export function appendPostedMetrics(state: SimState, metrics: readonly PostedMetric[]): void {
  state.extensions[KEY] = [...postedMetrics(state), ...metrics];
}
