/**
 * Timers longer than Node allows (cases B25). `setTimeout` takes at most 2^31 − 1 ms (about 24.8
 * days); a longer delay emits a TimeoutOverflowWarning and fires after 1 ms instead
 * (Node docs, `setTimeout`: "When delay is larger than 2147483647 or less than 1, the delay will
 * be set to 1"; openclaw/openclaw#11486). A 30-day re-check of a key set with a bare `setTimeout`
 * would therefore run at once.
 *
 * {@link setLongTimeout} chains chunks of at most {@link MAX_TIMEOUT_MS}. At each chunk boundary
 * it measures what is left both ways: by counting the chunks already waited (Node's monotonic
 * timers) and against the injected clock's due instant. It fires at whichever comes first, so a
 * machine that slept through part of the delay (monotonic time stopped, wall clock moved) fires
 * at its due instant or at the next chunk boundary after it, and a frozen test clock still fires
 * after the full delay. (The `long-timeout` package chunks too, but knows no clock.)
 */
import { systemClock, type Clock, formatInstant } from "../time/instant.js";

/** The largest delay Node's `setTimeout` accepts: 2^31 − 1 ms (24 d 20 h 31 min 23.647 s). */
export const MAX_TIMEOUT_MS = 2 ** 31 - 1;

export interface LongTimeout {
  /** When the callback is due: the clock's time at scheduling + delay (UTC ISO). */
  readonly dueAt: string;
  /** Stops the timer; the callback will not run. Safe to call more than once, or after it ran. */
  cancel(): void;
  /** Like `Timeout.unref()`: the pending timer does not keep the process alive. Returns itself. */
  unref(): LongTimeout;
}

/**
 * Runs `fn` once after `delayMs` milliseconds, for any delay up to Number.MAX_SAFE_INTEGER.
 * @param clock the clock the due instant is computed on (default the system clock).
 * @throws RangeError when `delayMs` is negative, not finite or above Number.MAX_SAFE_INTEGER.
 */
export function setLongTimeout(fn: () => void, delayMs: number, clock: Clock = systemClock): LongTimeout {
  if (!Number.isFinite(delayMs) || delayMs < 0 || delayMs > Number.MAX_SAFE_INTEGER) {
    throw new RangeError(`setLongTimeout: delayMs must be a finite number of milliseconds from 0 to ${Number.MAX_SAFE_INTEGER}, got ${delayMs}`);
  }
  const dueMs = clock.now().getTime() + delayMs;
  let countdown = delayMs;
  let handle: NodeJS.Timeout | undefined;
  let done = false;
  let unrefed = false;

  const arm = (): void => {
    const left = Math.max(0, Math.min(countdown, dueMs - clock.now().getTime()));
    const chunk = Math.min(left, MAX_TIMEOUT_MS);
    handle = setTimeout(() => {
      if (done) return;
      countdown = left - chunk;
      if (chunk === left) {
        done = true;
        fn();
        return;
      }
      arm();
    }, chunk);
    if (unrefed) handle.unref();
  };
  arm();

  const timer: LongTimeout = {
    dueAt: formatInstant(dueMs),
    cancel() {
      done = true;
      if (handle) clearTimeout(handle);
    },
    unref() {
      unrefed = true;
      handle?.unref();
      return timer;
    },
  };
  return timer;
}
