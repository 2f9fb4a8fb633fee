import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { MAX_TIMEOUT_MS, setLongTimeout } from "../../src/time/long-timeout.js";
import { fixedClock, systemClock } from "../../src/time/instant.js";

const DAY = 86_400_000;
const THIRTY_DAYS = 30 * DAY; // 2,592,000,000 ms (cases B25)
const START = "2026-03-01T00:00:00.000Z";

/** Collects the process warnings emitted while `fn` runs and one macrotask after it. */
async function warningsDuring(fn: () => void): Promise<Error[]> {
  const warnings: Error[] = [];
  const listener = (warning: Error) => warnings.push(warning);
  process.on("warning", listener);
  try {
    fn();
    // process.emitWarning delivers on a later tick.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off("warning", listener);
  }
  return warnings;
}

describe("setLongTimeout (cases B25)", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date(START) });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("fires a 30-day timer (2,592,000,000 ms) at +30 days, not within milliseconds and not a millisecond early", () => {
    expect(THIRTY_DAYS).toBe(2_592_000_000);
    expect(THIRTY_DAYS).toBeGreaterThan(MAX_TIMEOUT_MS);
    const fired = vi.fn();
    const timer = setLongTimeout(() => fired(new Date().toISOString()), THIRTY_DAYS);
    expect(timer.dueAt).toBe("2026-03-31T00:00:00.000Z");

    vi.advanceTimersByTime(10); // a bare setTimeout would have fired here (delay clamped to 1 ms)
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(MAX_TIMEOUT_MS); // past the first chunk (24.8 days)
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(THIRTY_DAYS - MAX_TIMEOUT_MS - 10 - 1); // 1 ms before due
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
    expect(fired).toHaveBeenCalledWith("2026-03-31T00:00:00.000Z");
    vi.advanceTimersByTime(60 * DAY);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it("never hands setTimeout more than 2^31 − 1 ms, even for a year", () => {
    const spy = vi.spyOn(globalThis, "setTimeout");
    const fired = vi.fn();
    setLongTimeout(fired, 365 * DAY);
    vi.advanceTimersByTime(365 * DAY);
    expect(fired).toHaveBeenCalledTimes(1);
    const delays = spy.mock.calls.map((call) => call[1] as number);
    expect(delays.length).toBe(Math.ceil((365 * DAY) / MAX_TIMEOUT_MS)); // 15 chunks
    expect(Math.max(...delays)).toBe(MAX_TIMEOUT_MS);
    expect(delays.reduce((a, b) => a + b, 0)).toBe(365 * DAY);
    spy.mockRestore();
  });

  it("does not fire after cancel, in the first chunk or a later one", () => {
    const first = vi.fn();
    setLongTimeout(first, THIRTY_DAYS).cancel();
    const later = vi.fn();
    const timer = setLongTimeout(later, THIRTY_DAYS);
    vi.advanceTimersByTime(MAX_TIMEOUT_MS + 1);
    timer.cancel();
    timer.cancel();
    vi.advanceTimersByTime(THIRTY_DAYS);
    expect(first).not.toHaveBeenCalled();
    expect(later).not.toHaveBeenCalled();
    expect(vi.getTimerCount()).toBe(0);
  });

  it("fires short delays like setTimeout, and a zero delay on a later tick, not synchronously", () => {
    const fired = vi.fn();
    setLongTimeout(fired, 0);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(0);
    expect(fired).toHaveBeenCalledTimes(1);
    const short = vi.fn();
    setLongTimeout(short, 1_500);
    vi.advanceTimersByTime(1_499);
    expect(short).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(short).toHaveBeenCalledTimes(1);
  });

  it("with a frozen injected clock, still fires after the full delay (counts the chunks it waited)", () => {
    const clock = fixedClock("2026-01-01T00:00:00.000Z");
    const fired = vi.fn();
    const timer = setLongTimeout(fired, THIRTY_DAYS, clock);
    expect(timer.dueAt).toBe("2026-01-31T00:00:00.000Z");
    vi.advanceTimersByTime(THIRTY_DAYS - 1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(fired).toHaveBeenCalledTimes(1);
  });

  it("when the clock jumped ahead (the host slept), fires at the first chunk boundary after the due instant", () => {
    const fired = vi.fn();
    setLongTimeout(fired, THIRTY_DAYS, systemClock);
    vi.setSystemTime(new Date(Date.parse(START) + 29 * DAY)); // wall clock moves, timers do not
    vi.advanceTimersByTime(MAX_TIMEOUT_MS - 1);
    expect(fired).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1); // first chunk ends: the clock says 29 + 24.8 days have passed
    vi.advanceTimersByTime(1); // the remaining 0 ms runs on the next timer tick (Node's 1 ms minimum)
    expect(fired).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("refuses a negative, infinite or NaN delay with a RangeError naming the value", () => {
    for (const bad of [-1, Number.POSITIVE_INFINITY, Number.NaN]) {
      expect(() => setLongTimeout(() => {}, bad)).toThrow(RangeError);
    }
    expect(() => setLongTimeout(() => {}, -5)).toThrow(/got -5/);
  });
});

describe("setLongTimeout and Node's TimeoutOverflowWarning (real timers)", () => {
  it("a bare setTimeout of 30 days emits TimeoutOverflowWarning (the listener sees it)", async () => {
    const warnings = await warningsDuring(() => clearTimeout(setTimeout(() => {}, THIRTY_DAYS)));
    expect(warnings.map((w) => w.name)).toContain("TimeoutOverflowWarning");
  });

  it("setLongTimeout of 30 days emits no warning", async () => {
    const warnings = await warningsDuring(() => setLongTimeout(() => {}, THIRTY_DAYS).unref().cancel());
    expect(warnings).toEqual([]);
  });
});
