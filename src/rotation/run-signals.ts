/**
 * Optional signals of the rotation engine (issue 4 §6): a Notifications message for every run with
 * a failure and a monthly summary (`config.signals.topicId`), and Monitoring metrics for every run
 * (`config.signals.metricsCompartmentId`, namespace `keyproof`).
 *
 * A signal is a side channel: one that fails to send is logged, recorded as a step of the run
 * (`rotation_step`, `key_id` '' = run level) and returned, and never fails the rotation. These
 * functions do not throw.
 */
import type { Kysely } from "kysely";
import type { Config } from "../app/config.js";
import type { Logger } from "../app/logger.js";
import { OciCallError, type SignalsPort } from "../oci/oci-ports.js";
import type { Database } from "../store/schema.js";
import { insertRotationStep } from "../store/rotation-records.js";
import { formatInstant, type Clock } from "../time/instant.js";
import { buildMonthlySummary, buildMonthlySummaryMessage, type MonthlySummary } from "./build-monthly-summary.js";
import { buildRunMessage, formatOciError, runNeedsAlert, type AlertableRun } from "./build-run-message.js";
import { batchMetrics, buildRunMetrics } from "./build-run-metrics.js";
import type { RotationRunResult } from "./rotation-run-result.js";

export interface SignalDeps {
  signals: SignalsPort;
  config: Pick<Config, "signals">;
  clock: Clock;
  logger: Logger;
  /** When set, each send is recorded as a `rotation_step` of the run (operation PublishMessage / PostMetricData). */
  db?: Kysely<Database>;
}

export interface SignalOutcome {
  operation: "PublishMessage" | "PostMetricData";
  /** `partial`: some metric batches or metric objects were refused. */
  status: "sent" | "partial" | "failed" | "skipped";
  /** Why skipped or failed (no secrets). */
  detail: string | null;
  /** `opc-request-id` of each successful call. */
  opcRequestIds: string[];
  /** Calls made (one per message, one per metric batch). */
  calls: number;
  /** Metrics only: metric objects sent, and refused (failed batches + failedMetricsCount). */
  metricsSent?: number;
  metricsFailed?: number;
}

function describeFailure(error: unknown): { text: string; opcRequestId: string | null; attempts: number } {
  if (error instanceof OciCallError) {
    return { text: formatOciError(error), opcRequestId: error.opcRequestId, attempts: error.attempts };
  }
  return { text: error instanceof Error ? error.message : String(error), opcRequestId: null, attempts: 1 };
}

async function record(
  deps: SignalDeps,
  runId: number | null,
  step: { operation: string; target: string; status: "succeeded" | "failed"; attempts: number; opcRequestId: string | null; detail: Record<string, unknown>; error: string | null; startedAt: string },
): Promise<void> {
  if (!deps.db || runId === null) return;
  try {
    await insertRotationStep(deps.db, {
      runId, keyId: "", slot: null, resourceId: step.target, operation: step.operation, status: step.status, attempts: step.attempts,
      opcRequestId: step.opcRequestId, workRequestId: null, detail: step.detail, error: step.error,
      startedAt: step.startedAt, finishedAt: formatInstant(deps.clock.now().getTime()),
    });
  } catch (error) {
    deps.logger.warn({ runId, operation: step.operation, err: error instanceof Error ? error.message : String(error) }, "could not record a signal step");
  }
}

async function publish(deps: SignalDeps, runId: number | null, message: { title: string; body: string; truncated: boolean }, kind: string): Promise<SignalOutcome> {
  const topicId = deps.config.signals.topicId;
  if (!topicId) return { operation: "PublishMessage", status: "skipped", detail: "signals.topicId is not configured", opcRequestIds: [], calls: 0 };
  const startedAt = formatInstant(deps.clock.now().getTime());
  const detail = { kind, title: message.title, bytes: Buffer.byteLength(message.title) + Buffer.byteLength(message.body), truncated: message.truncated };
  try {
    const sent = await deps.signals.publishMessage(topicId, message.title, message.body);
    await record(deps, runId, { operation: "PublishMessage", target: topicId, status: "succeeded", attempts: sent.attempts, opcRequestId: sent.opcRequestId, detail: { ...detail, messageId: sent.value.messageId }, error: null, startedAt });
    deps.logger.info({ runId, kind, topicId, messageId: sent.value.messageId, truncated: message.truncated }, "notification sent");
    return { operation: "PublishMessage", status: "sent", detail: message.truncated ? "body truncated to 64 KB" : null, opcRequestIds: sent.opcRequestId ? [sent.opcRequestId] : [], calls: 1 };
  } catch (error) {
    const failure = describeFailure(error);
    deps.logger.warn({ runId, kind, topicId, opcRequestId: failure.opcRequestId, err: failure.text }, "notification not sent; the rotation result stands");
    await record(deps, runId, { operation: "PublishMessage", target: topicId, status: "failed", attempts: failure.attempts, opcRequestId: failure.opcRequestId, detail, error: failure.text, startedAt });
    return { operation: "PublishMessage", status: "failed", detail: failure.text, opcRequestIds: [], calls: 1 };
  }
}

/**
 * Posts the run's metrics (buildRunMetrics) in batches of ≤ 50 streams, timestamped by the
 * clock; a failed batch does not stop the next one. Skipped when no metrics compartment is set.
 */
export async function sendRunMetrics(deps: SignalDeps, result: RotationRunResult): Promise<SignalOutcome> {
  const compartmentId = deps.config.signals.metricsCompartmentId;
  if (!compartmentId) return { operation: "PostMetricData", status: "skipped", detail: "signals.metricsCompartmentId is not configured", opcRequestIds: [], calls: 0 };
  if (result.dryRun) return { operation: "PostMetricData", status: "skipped", detail: "dry run", opcRequestIds: [], calls: 0 };
  const timestamp = formatInstant(deps.clock.now().getTime());
  const batches = batchMetrics(buildRunMetrics(result, { compartmentId, timestamp }));
  const outcome: SignalOutcome = { operation: "PostMetricData", status: "sent", detail: null, opcRequestIds: [], calls: 0, metricsSent: 0, metricsFailed: 0 };
  const errors: string[] = [];
  for (const [index, batch] of batches.entries()) {
    const startedAt = formatInstant(deps.clock.now().getTime());
    const detail = { batch: index + 1, of: batches.length, metrics: batch.length };
    outcome.calls += 1;
    try {
      const posted = await deps.signals.postMetricData(batch);
      const refused = posted.value.failedMetricsCount;
      if (posted.opcRequestId) outcome.opcRequestIds.push(posted.opcRequestId);
      outcome.metricsSent! += batch.length - refused;
      outcome.metricsFailed! += refused;
      if (refused) errors.push(`batch ${index + 1}: ${refused} metric object(s) refused`);
      await record(deps, result.runId, {
        operation: "PostMetricData", target: compartmentId, status: refused ? "failed" : "succeeded", attempts: posted.attempts,
        opcRequestId: posted.opcRequestId, detail: { ...detail, failedMetricsCount: refused }, error: refused ? `${refused} metric object(s) refused` : null, startedAt,
      });
    } catch (error) {
      const failure = describeFailure(error);
      outcome.metricsFailed! += batch.length;
      errors.push(`batch ${index + 1}: ${failure.text}`);
      deps.logger.warn({ runId: result.runId, batch: index + 1, opcRequestId: failure.opcRequestId, err: failure.text }, "metrics not posted; the rotation result stands");
      await record(deps, result.runId, { operation: "PostMetricData", target: compartmentId, status: "failed", attempts: failure.attempts, opcRequestId: failure.opcRequestId, detail, error: failure.text, startedAt });
    }
  }
  if (errors.length) {
    outcome.status = outcome.metricsSent ? "partial" : "failed";
    outcome.detail = errors.join("; ");
  }
  return outcome;
}

/**
 * Sends the signals of one finished run: the alert message when the run needs one (runNeedsAlert:
 * a failure, a critical or high finding, or an overdue key only skipped or verified, which needs
 * the plan on the result, as `rotate` returns it), then the metrics. Returns one outcome per
 * signal; never throws.
 */
export async function sendRunSignals(deps: SignalDeps, result: AlertableRun): Promise<SignalOutcome[]> {
  const message: SignalOutcome = runNeedsAlert(result)
    ? await publish(deps, result.runId, buildRunMessage(result), "run-failure")
    : { operation: "PublishMessage", status: "skipped", detail: result.dryRun ? "dry run" : "nothing to alert in the run", opcRequestIds: [], calls: 0 };
  const metrics = await sendRunMetrics(deps, result).catch((error: unknown): SignalOutcome => {
    // buildRunMetrics is pure and the port's failures are caught per batch; this is a last guard.
    deps.logger.error({ runId: result.runId, err: error instanceof Error ? error.message : String(error) }, "metrics signal crashed");
    return { operation: "PostMetricData", status: "failed", detail: error instanceof Error ? error.message : String(error), opcRequestIds: [], calls: 0 };
  });
  return [message, metrics];
}

/**
 * Publishes the monthly summary of `month` (`YYYY-MM`) built from `runs` (the caller loads them;
 * buildMonthlySummary keeps the month's). Never throws: a malformed month is a failed outcome.
 */
export async function sendMonthlySummary(
  deps: SignalDeps,
  input: { month: string; runs: readonly RotationRunResult[] },
): Promise<SignalOutcome & { summary: MonthlySummary | null }> {
  let summary: MonthlySummary;
  try {
    summary = buildMonthlySummary(input.month, input.runs);
  } catch (error) {
    return { operation: "PublishMessage", status: "failed", detail: error instanceof Error ? error.message : String(error), opcRequestIds: [], calls: 0, summary: null };
  }
  const outcome = await publish(deps, null, buildMonthlySummaryMessage(summary), "monthly-summary");
  return { ...outcome, summary };
}
