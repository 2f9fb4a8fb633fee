/**
 * Waits for ReencryptBucket work requests (OCI-NOTES §2.6), bounded: every
 * `config.rotation.workRequestPollMs` each unfinished request is read with GetWorkRequest, until all
 * reached a terminal status or `workRequestMaxWaitMs` passed on the injected clock. What is still
 * running then is reported "in-progress" with its percentage, id and start time (B17): only a
 * succeeded work request counts as done (DESIGN §3 rule 5), and the next run polls it again
 * instead of re-encrypting the bucket a second time.
 *
 * A work request submitted a moment ago (`firstPollAt`) is first read one poll interval later: a
 * re-encryption is never done at once, so a read right after the 202 would only say ACCEPTED. One
 * found from an earlier run is read at once (it may have ended long ago). In the last round (the
 * wait is over) every open request is read, so each gets at least one reading. The reads of one
 * round run `config.rotation.resourceConcurrency` at a time.
 *
 * Object Storage's terminal success status is COMPLETED (oci-objectstorage WorkRequest model:
 * ACCEPTED, IN_PROGRESS, FAILED, COMPLETED, CANCELING, CANCELED); DESIGN §3 calls it SUCCEEDED,
 * which is accepted too. Each request gives one `GetWorkRequest` step with its final reading.
 */
import pMap from "p-map";
import type { OciWorkRequest } from "../oci/oci-ports.js";
import { OciCallError } from "../oci/oci-ports.js";
import { formatInstant } from "../time/instant.js";
import { keepLease, recordDecision, toRunError, type KeyWork } from "./rotation-step.js";
import type { RunError, RunStep } from "./rotation-run-result.js";

const SUCCESS = new Set(["COMPLETED", "SUCCEEDED"]);
const FAILURE = new Set(["FAILED", "CANCELED"]);

export interface WorkRequestWatch {
  resourceId: string;
  workRequestId: string;
  /** Not read before this instant (epoch ms of the clock) unless the wait is over; absent = read at once. */
  firstPollAt?: number;
}

export interface WorkRequestResult {
  resourceId: string;
  workRequestId: string;
  /** succeeded: COMPLETED; failed: FAILED or CANCELED; in-progress: still running (or unreadable) when the wait ended. */
  status: "succeeded" | "failed" | "in-progress";
  /** The last reading, null when no GetWorkRequest answered. */
  workRequest: OciWorkRequest | null;
  polls: number;
  error: RunError | null;
  step: RunStep;
}

/** Polls every watched work request to a terminal status or the time bound; never throws for OCI failures. */
export async function pollWorkRequests(work: KeyWork, watches: readonly WorkRequestWatch[]): Promise<WorkRequestResult[]> {
  const { clock, config, sleep, oci } = work.deps;
  const deadline = clock.now().getTime() + config.rotation.workRequestMaxWaitMs;
  const state = new Map(watches.map((w) => [w.workRequestId, { watch: w, last: null as OciWorkRequest | null, polls: 0, error: null as RunError | null, done: false }]));
  type Entry = typeof state extends Map<string, infer E> ? E : never;
  const poll = async (entry: Entry) => {
    entry.polls += 1;
    try {
      entry.last = await oci.objectStorage.getWorkRequest(entry.watch.workRequestId);
      entry.error = null;
      entry.done = SUCCESS.has(entry.last.status) || FAILURE.has(entry.last.status);
    } catch (error) {
      // A status read that fails after the retry layer says nothing about the re-encryption
      // itself: keep waiting, and report it in progress (not failed) if it never answers.
      if (!(error instanceof OciCallError)) throw error;
      entry.error = toRunError("GetWorkRequest", error);
    }
  };
  for (;;) {
    const nowMs = clock.now().getTime();
    const over = nowMs >= deadline;
    const due = [...state.values()].filter((e) => !e.done && (over || (e.watch.firstPollAt ?? 0) <= nowMs));
    await pMap(due, poll, { concurrency: config.rotation.resourceConcurrency });
    if (over || [...state.values()].every((e) => e.done)) break;
    // Keep the lease between rounds: a long wait must not let it lapse.
    await keepLease(work);
    await sleep(Math.max(0, Math.min(config.rotation.workRequestPollMs, deadline - clock.now().getTime())));
  }
  const results: WorkRequestResult[] = [];
  for (const { watch, last, polls, error } of state.values()) {
    const status = last && SUCCESS.has(last.status) ? "succeeded" : last && FAILURE.has(last.status) ? "failed" : "in-progress";
    const failure: RunError | null =
      status === "failed"
        ? {
            operation: "GetWorkRequest", reason: null, statusCode: null, serviceCode: null, opcRequestId: null, attempts: polls,
            message: `work request ${watch.workRequestId} ended ${last!.status} at ${last!.percentComplete ?? "?"}%${last!.errors.length ? `: ${last!.errors.join("; ")}` : ""}`,
          }
        : error;
    const step = await recordDecision(work, "GetWorkRequest", {
      status: status === "in-progress" ? "in-progress" : status,
      resourceId: watch.resourceId,
      detail: {
        workRequestId: watch.workRequestId, polls, workRequestStatus: last?.status ?? null, percentComplete: last?.percentComplete ?? null,
        timeAccepted: last?.timeAccepted ?? null, timeStarted: last?.timeStarted ?? null, timeFinished: last?.timeFinished ?? null,
        errors: last?.errors ?? [], waitedUntil: formatInstant(clock.now().getTime()),
      },
      error: failure,
      attempts: polls,
      workRequestId: watch.workRequestId,
    });
    results.push({ resourceId: watch.resourceId, workRequestId: watch.workRequestId, status, workRequest: last, polls, error: failure, step });
  }
  return results;
}
