/**
 * The one retry layer of keyproof (DESIGN §7, cases.md B03 and B09). The SDK's own retries and
 * circuit breaker are off in every client (see create-oci-clients.ts), so each SDK call made here
 * is exactly one HTTP request, and this loop alone decides what happens next:
 * - retried: 429, 500/502/503/504, network errors (reset, refused), per-attempt timeouts, and
 *   409 IncorrectState (the SDK's DefaultRetryCondition, oci-common/lib/retrier.js, plus any 429
 *   and timeouts);
 * - never retried: 400, 404, 409 Conflict and other 4xx, errors raised before anything was sent;
 * - 401: the auth provider is refreshed once and the call retried once at once (an expired
 *   resource-principal token, oracle/oci-python-sdk#388); a second 401 is final, reason "authentication".
 * Backoff is exponential with full jitter (delay = random × min(maxDelayMs, baseDelayMs × 2^(n-1))),
 * never shorter than the server's Retry-After (seconds or HTTP date). Attempts are bounded by
 * `maxAttempts` (the one refresh retry comes on top) and all of them, sleeps included, by
 * `maxTotalMs`: a wait that would end past the budget is not started. Each attempt is aborted after
 * `timeoutMs` (or what is left of the budget), so a hung connection ends as a "timeout".
 *
 * Writes that take no `opc-retry-token` and must not happen twice ({@link NOT_SAFE_TO_REPEAT}) are
 * never re-sent after an attempt whose outcome is unknown: a timeout, a network error after the
 * request may have been sent (anything but a refused or unresolved connection), or a 5xx (OCI or a
 * proxy may have applied it before failing). Such a failure is thrown at once as an OciCallError
 * with `outcomeUnknown` = true, and the caller finds out what happened before sending again
 * (execute-key-version.ts: ListWorkRequests; execute-successor-key.ts: the read-back). Failures
 * that prove nothing was applied (429, 409 IncorrectState, 401, a refused connection) are retried
 * as usual.
 *
 * A call may be paced ({@link CallOptions.pace}: the KMS write limiter, kms-write-pacer.ts): every
 * attempt, retries included, first waits for its turn. That wait is our own queueing, not OCI
 * being unavailable, so it is outside the attempt's timeout and does not count against `maxTotalMs`.
 */
import * as common from "oci-common";
import { OciCallError, type OciFailureReason } from "./oci-ports.js";
import { runAttempt, type AttemptObservation } from "./observed-http-client.js";

/** Bounds of the retry loop (config.rotation.retry). All values in milliseconds except maxAttempts. */
export interface RetryPolicy {
  /** Attempts per call including the first. */
  maxAttempts: number;
  /** First backoff; doubles per retry (full jitter). */
  baseDelayMs: number;
  /** Cap of one backoff (a longer Retry-After is still honoured). */
  maxDelayMs: number;
  /** Cap of the whole call, all attempts and waits included. */
  maxTotalMs: number;
  /** One HTTP attempt is aborted after this long. */
  timeoutMs: number;
}

/** What the loop needs from the outside world; tests inject a fake one so retries are instant. */
export interface RetryRuntime {
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1). */
  random(): number;
  /** Epoch ms, for the time budget and Retry-After dates. */
  nowMs(): number;
}

export const systemRetryRuntime: RetryRuntime = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
  nowMs: Date.now,
};

/** Credentials that can be re-read (create-auth-provider.ts). */
export interface Refreshable {
  refresh(): Promise<void>;
}

/** One failed attempt that will be followed by another. */
export interface RetryEvent {
  operation: string;
  /** The attempt that failed (1 = first). */
  attempt: number;
  reason: OciFailureReason;
  statusCode: number | null;
  opcRequestId: string | null;
  /** The wait before the next attempt, ms (0 after a credential refresh). */
  delayMs: number;
}

export interface RetryOptions {
  policy: RetryPolicy;
  runtime?: RetryRuntime;
  /** Refreshed once on a 401; without it a 401 is final at once. */
  auth?: Refreshable | null;
  onRetry?: (event: RetryEvent) => void;
}

/**
 * OCI writes without an `opc-retry-token` (OCI-NOTES §1.5) that must not be applied twice, so an
 * attempt whose outcome is unknown is never re-sent blindly (see the file comment):
 * - ReencryptBucket: a second call starts a second re-encryption of every object (a second
 *   work request), and nothing on OCI's side dedupes it (OCI-NOTES §2.6).
 * - UpdateVolumeKmsKey / UpdateBootVolumeKmsKey: "If you specify the same OCID as the previous
 *   key's OCID, the Block Volume service will use it to regenerate a volume encryption key"
 *   (oci-core UpdateVolumeKmsKeyDetails, OCI-NOTES §2.5): a repeat after one that applied is a
 *   second re-key of the volume, which the read-back (it only shows the key id) cannot reveal.
 * CreateKeyVersion and CreateKey carry a retry token (OCI replays the first answer), and reads
 * are safe: they are retried as usual.
 */
export const NOT_SAFE_TO_REPEAT: ReadonlySet<string> = new Set(["ReencryptBucket", "UpdateVolumeKmsKey", "UpdateBootVolumeKmsKey"]);

/** Options of one call. */
export interface CallOptions {
  /** Resolves when the next attempt may be sent (a rate limiter); awaited before every attempt. */
  pace?: () => Promise<void>;
  /**
   * Whether an attempt whose outcome is unknown may be sent again; default: false for the
   * operations in {@link NOT_SAFE_TO_REPEAT}, true for every other.
   */
  repeatable?: boolean;
}

export interface RetryOutcome<T> {
  value: T;
  /** HTTP attempts made, 1 = first try. */
  attempts: number;
  /** `opc-request-id` answered to the attempt that succeeded. */
  opcRequestId: string | null;
  /** `opc-work-request-id` answered to the attempt that succeeded (asynchronous operations). */
  workRequestId: string | null;
}

interface Failure {
  reason: OciFailureReason;
  retryable: boolean;
  /** OCI may have applied the attempt (timeout, connection lost after sending, 5xx). */
  outcomeUnknown: boolean;
  statusCode: number | null;
  serviceCode: string | null;
  opcRequestId: string | null;
  message: string;
  /** The server's Retry-After, ms from now. */
  retryAfterMs: number | null;
}

const RETRIED_5XX = new Set([500, 502, 503, 504]);

/**
 * Network error codes (the `cause.code` of Node's fetch error) that mean the request never left:
 * the connection was refused, could not be opened in time, or the host did not resolve.
 */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH", "UND_ERR_CONNECT_TIMEOUT"]);

/** Retry-After as ms from `nowMs`: delta-seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, nowMs: number): number | null {
  if (!value) return null;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(0, at - nowMs) : null;
}

/** Longest text of OCI's own error message kept in an OciCallError (it reaches the ledger, PDF and XLSX). */
export const MAX_OCI_MESSAGE_CHARS = 300;

/**
 * `text` with control characters as spaces, cut to at most `max` characters (UTF-16 code units,
 * never splitting a surrogate pair), the cut marked with a final "…".
 */
export function clipMessage(text: string, max = MAX_OCI_MESSAGE_CHARS): string {
  const clean = text.replace(/[\u0000-\u001f\u007f]/g, " ");
  if (clean.length <= max) return clean;
  let end = max - 1;
  const last = clean.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${clean.slice(0, end)}…`;
}

function describeNetworkError(error: unknown): string {
  const e = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const code = e?.cause?.code ?? e?.cause?.message;
  return `${e?.message ?? String(error)}${code ? ` (${code})` : ""}`;
}

function classify(error: unknown, seen: AttemptObservation, timedOut: boolean, timeoutMs: number, nowMs: number): Failure {
  const base = { statusCode: null, serviceCode: null, opcRequestId: null, retryAfterMs: null, outcomeUnknown: false };
  // Timed out after the request was handed to fetch: OCI may be applying it right now.
  if (timedOut) return { ...base, reason: "timeout", retryable: true, outcomeUnknown: seen.requests > 0, message: `no answer within ${timeoutMs} ms` };
  const oci = error as Partial<common.OciError> | null;
  const status = typeof oci?.statusCode === "number" && oci.statusCode > 0 ? oci.statusCode : seen.status;
  if (status !== null && status >= 300) {
    const serviceCode = oci?.serviceCode ?? null;
    const opcRequestId = oci?.opcRequestId ?? seen.headers?.get("opc-request-id") ?? null;
    const at = { ...base, statusCode: status, serviceCode, opcRequestId, message: `${status} ${serviceCode ?? ""}: ${clipMessage(oci?.message ?? "")}`.replace(" :", ":") };
    if (status === 429) return { ...at, reason: "throttled", retryable: true, retryAfterMs: parseRetryAfter(seen.headers?.get("retry-after"), nowMs) };
    if (status === 401) return { ...at, reason: "authentication", retryable: false };
    if (status === 404) return { ...at, reason: "not-authorized-or-not-found", retryable: false };
    if (status === 409) return { ...at, reason: "conflict", retryable: serviceCode === "IncorrectState" };
    if (status === 412) return { ...at, reason: "conflict", retryable: false };
    if (status >= 500) return { ...at, reason: "server-error", retryable: RETRIED_5XX.has(status), outcomeUnknown: true };
    return { ...at, reason: "invalid-request", retryable: false };
  }
  if (status !== null && seen.networkError === undefined) {
    // OCI answered 2xx and the SDK failed on the answer: the body broke off (a network error, with
    // its socket code), or it is not the JSON the SDK expects (SyntaxError, TypeError). Only the
    // error's name is kept: a JSON parser's message quotes the answer's bytes.
    const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
    const opcRequestId = seen.headers?.get("opc-request-id") ?? null;
    if (typeof cause?.code === "string") {
      return { ...base, opcRequestId, reason: "network", retryable: true, outcomeUnknown: true, message: `${status} answer broke off: ${describeNetworkError(error)}` };
    }
    const name = (error as { name?: unknown } | null)?.name;
    return {
      ...base, statusCode: status, opcRequestId, reason: "malformed-answer", retryable: false, outcomeUnknown: true,
      message: `${status} answer that is not the JSON expected (${typeof name === "string" ? name : "unreadable"})`,
    };
  }
  if (seen.networkError !== undefined) {
    const code = (seen.networkError as { cause?: { code?: string } } | null)?.cause?.code;
    return { ...base, reason: "network", retryable: true, outcomeUnknown: !(code && NOT_SENT_CODES.has(code)), message: describeNetworkError(seen.networkError) };
  }
  const message = (error as { message?: string } | null)?.message ?? String(error);
  // Signing failed (a token or key file that cannot be read): nothing was sent.
  if (seen.signingError !== undefined) return { ...base, reason: "authentication", retryable: false, message: `request could not be signed: ${message}` };
  return { ...base, reason: "invalid-request", retryable: false, message: `not sent: ${message}` };
}

async function attemptOnce<T>(call: () => Promise<T>, timeoutMs: number, nowMs: () => number) {
  const controller = new AbortController();
  const seen: AttemptObservation = { signal: controller.signal, status: null, headers: null, networkError: undefined, requests: 0 };
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
      reject(new Error("attempt timed out"));
    }, timeoutMs);
  });
  const pending = runAttempt(seen, call);
  // Whichever loses the race must not surface as an unhandled rejection.
  pending.catch(() => undefined);
  timeout.catch(() => undefined);
  try {
    return { ok: true as const, value: await Promise.race([pending, timeout]), seen };
  } catch (error) {
    return { ok: false as const, failure: classify(error, seen, timedOut, timeoutMs, nowMs()), seen };
  } finally {
    clearTimeout(timer);
  }
}

function callError(operation: string, failure: Failure, attempts: number, suffix = "", outcomeUnknown = false): OciCallError {
  const tries = attempts > 1 ? ` (after ${attempts} attempts${suffix})` : suffix ? ` (${suffix.replace(/^, /, "")})` : "";
  return new OciCallError(operation, failure.reason, `${failure.message}${tries}`, failure.statusCode, failure.serviceCode, failure.opcRequestId, attempts, outcomeUnknown);
}

/**
 * Runs `call` (one SDK call: one HTTP request) under the retry rules above.
 * @param operation OCI operation name for errors and events (`CreateKeyVersion`).
 * @returns the value with the attempt count and the ids answered to the good attempt.
 * @throws OciCallError when the call fails for good (reason: throttled, authentication,
 *   not-authorized-or-not-found, conflict, invalid-request, server-error, network, timeout, or
 *   malformed-answer: a 2xx the SDK could not read, not retried); OCI's own error message is
 *   kept to {@link MAX_OCI_MESSAGE_CHARS} characters;
 *   with `outcomeUnknown` = true, at once, when a call that is not repeatable
 *   ({@link CallOptions.repeatable}) may have been applied.
 */
export async function withRetry<T extends object | null>(
  operation: string,
  call: () => Promise<T>,
  options: RetryOptions,
  callOptions: CallOptions = {},
): Promise<RetryOutcome<T>> {
  const rt = options.runtime ?? systemRetryRuntime;
  const { policy } = options;
  const started = rt.nowMs();
  // Time spent waiting for the pacer: excluded from the budget (see the file comment).
  let paced = 0;
  const elapsed = () => rt.nowMs() - started - paced;
  let attempts = 0;
  let retries = 0;
  let refreshed = false;
  const repeatable = callOptions.repeatable ?? !NOT_SAFE_TO_REPEAT.has(operation);
  for (;;) {
    attempts += 1;
    if (callOptions.pace) {
      const before = rt.nowMs();
      await callOptions.pace();
      paced += rt.nowMs() - before;
    }
    const left = policy.maxTotalMs - elapsed();
    const timeoutMs = Math.max(1, Math.min(policy.timeoutMs, left));
    const result = await attemptOnce(call, timeoutMs, () => rt.nowMs());
    if (result.ok) {
      const headers = result.seen.headers;
      const sdkId = (result.value as { opcRequestId?: unknown } | null)?.opcRequestId;
      return {
        value: result.value, attempts,
        opcRequestId: headers?.get("opc-request-id") ?? (typeof sdkId === "string" ? sdkId : null),
        workRequestId: headers?.get("opc-work-request-id") ?? null,
      };
    }
    const failure = result.failure;
    if (failure.statusCode === 401) {
      if (refreshed || !options.auth) throw callError(operation, failure, attempts, refreshed ? ", credentials refreshed once" : "");
      refreshed = true;
      try {
        await options.auth.refresh();
      } catch (error) {
        const why = (error as { message?: string } | null)?.message ?? String(error);
        throw new OciCallError(operation, "authentication", `401 after which the credentials could not be refreshed: ${why}`, 401, failure.serviceCode, failure.opcRequestId, attempts);
      }
      options.onRetry?.({ operation, attempt: attempts, reason: failure.reason, statusCode: 401, opcRequestId: failure.opcRequestId, delayMs: 0 });
      continue;
    }
    if (!failure.retryable) throw callError(operation, failure, attempts, "", !repeatable && failure.outcomeUnknown);
    // Not re-sent: OCI may have applied it, and a second one would be a second change.
    if (!repeatable && failure.outcomeUnknown) throw callError(operation, failure, attempts, ", outcome unknown: not sent again", true);
    if (attempts - (refreshed ? 1 : 0) >= policy.maxAttempts) throw callError(operation, failure, attempts);
    retries += 1;
    const backoff = rt.random() * Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retries - 1));
    const delayMs = Math.round(Math.max(backoff, failure.retryAfterMs ?? 0));
    if (elapsed() + delayMs >= policy.maxTotalMs) {
      throw callError(operation, failure, attempts, `, next wait of ${delayMs} ms would pass the ${policy.maxTotalMs} ms budget`);
    }
    options.onRetry?.({ operation, attempt: attempts, reason: failure.reason, statusCode: failure.statusCode, opcRequestId: failure.opcRequestId, delayMs });
    await rt.sleep(delayMs);
  }
}

/**
 * The error for a 2xx answer that the SDK read but that lacks what keyproof needs (ListEvents
 * without an array of events, SearchLogs without `searchResponse`): reason "malformed-answer",
 * with the ids of the answer. `what` says what was expected, e.g. "an array of audit events".
 */
export function malformedAnswerError(operation: string, what: string, outcome: RetryOutcome<unknown>): OciCallError {
  return new OciCallError(operation, "malformed-answer", `2xx answer without ${what}`, null, null, outcome.opcRequestId, outcome.attempts);
}

/** {@link withRetry} with the options bound: how every port method calls OCI. */
export type OciCaller = <T extends object | null>(operation: string, call: () => Promise<T>, callOptions?: CallOptions) => Promise<RetryOutcome<T>>;

export function createOciCaller(options: RetryOptions): OciCaller {
  return (operation, call, callOptions) => withRetry(operation, call, options, callOptions);
}
