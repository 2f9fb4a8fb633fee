/**
 * A test-only hook that kills the process with SIGKILL right after a given step is recorded, to
 * prove that a rerun after `kill -9` between any two steps still makes exactly one new version or
 * successor and re-keys every resource once (issue 4 §4). Off unless the environment variable
 * `KEYPROOF_TEST_CRASH_AFTER` is set; production configs never set it.
 *
 * Value: an operation name (`CreateKeyVersion`, `ReencryptBucket`, `UpdateVolumeKmsKey`,
 * `GetWorkRequest`, ...) for its first recorded step, or `Operation#N` for the N-th. The kill comes
 * right after the step's row is finished in the store, so the rerun sees that step's outcome.
 *
 * `<Operation>Answered` (`CreateKeyVersionAnswered`, `CreateKeyAnswered`, `ReencryptBucketAnswered`,
 * `UpdateVolumeKmsKeyAnswered`, `UpdateBootVolumeKmsKeyAnswered`; also with `#N`) is the other
 * crash point: the moment OCI answered that write and nothing of the answer is recorded yet (no
 * new version or successor id in the slot, no work request id on the re-key record, the step
 * still "running"; rotation-step.ts announceAnswer). It is "killed while the call was in
 * flight": the rerun must find out from OCI what the call did (GetKey, the predecessor tag,
 * ListWorkRequests, the volume read-back) instead of sending it a second time.
 */
import type { StepEvent } from "./rotation-step.js";

export const CRASH_AFTER_ENV = "KEYPROOF_TEST_CRASH_AFTER";

/** The hook for `env`, or undefined when the variable is not set. @throws TypeError on a malformed value. */
export function crashHookFromEnv(
  env: Record<string, string | undefined>,
  kill: () => void = () => process.kill(process.pid, "SIGKILL"),
): ((event: StepEvent) => void) | undefined {
  const value = env[CRASH_AFTER_ENV]?.trim();
  if (!value) return undefined;
  const m = /^([A-Za-z]+)(?:#([1-9]\d*))?$/.exec(value);
  if (!m) throw new TypeError(`${CRASH_AFTER_ENV}: expected Operation or Operation#N, got ${JSON.stringify(value)}`);
  const operation = m[1]!;
  const nth = Number(m[2] ?? 1);
  let seen = 0;
  return (event) => {
    if (event.operation !== operation) return;
    seen += 1;
    if (seen === nth) kill();
  };
}
