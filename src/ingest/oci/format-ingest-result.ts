/**
 * The text `keyproof ingest` prints for a run from OCI: one line per step, then the run's status.
 * Failed windows are listed (first 20) so that an operator sees which compartment and minutes are
 * missing and why, without opening the store.
 */
import type { IngestRunResult } from "./run-ingest.js";

const MAX_FAILURES_SHOWN = 20;

export function formatIngestResult(result: IngestRunResult): string {
  const lines = [`ingest run ${result.importRunId} ${result.status} (${result.startedAt} .. ${result.finishedAt} UTC)`];
  for (const step of result.steps) lines.push(`  ${step.step.padEnd(13)} ${step.status.padEnd(9)} ${step.summary}`);
  const failures = result.audit?.failures ?? [];
  for (const f of failures.slice(0, MAX_FAILURES_SHOWN)) {
    lines.push(`    not collected: ${f.scopeId} ${f.windowStart} .. ${f.windowEnd}: ${f.reason} (${f.detail})`);
  }
  if (failures.length > MAX_FAILURES_SHOWN) lines.push(`    ... and ${failures.length - MAX_FAILURES_SHOWN} more (coverage ledger, import run ${result.importRunId})`);
  return `${lines.join("\n")}\n`;
}
