/**
 * The simulator's clock. Every time the simulator stamps (resource times, audit events, retry-token
 * expiry, signature skew, auto-rotation, deletion windows) comes from here, never from `Date.now()`,
 * so a test can move a tenancy through a year of rotations in seconds.
 */

/** A clock tests can move. `now()` is frozen between moves unless the clock was created `ticking`. */
export interface SimClock {
  now(): Date;
  /** Moves the clock forward (or back, with a negative value) by `ms`. */
  advance(ms: number): void;
  /** Jumps to an ISO-8601 instant. */
  set(iso: string): void;
  /** Called after every `advance`/`set` (the simulator runs due auto-rotations and deletions). */
  onChange(listener: () => void): () => void;
}

export interface SimClockOptions {
  /** Start instant (ISO-8601); default: the wall clock at creation. */
  start?: string;
  /** Follow the wall clock from `start` on (for `keyproof sim`); default false (frozen). */
  ticking?: boolean;
}

function parseIso(iso: string): number {
  const ms = Date.parse(iso);
  if (!Number.isFinite(ms)) throw new TypeError(`SimClock: not an ISO-8601 instant: ${JSON.stringify(iso)}`);
  return ms;
}

/** Creates a {@link SimClock}; frozen at `start` (default: now) unless `ticking`. */
export function createSimClock(options: SimClockOptions = {}): SimClock {
  let base = options.start === undefined ? Date.now() : parseIso(options.start);
  let wallAtBase = Date.now();
  const listeners = new Set<() => void>();
  const current = (): number => (options.ticking ? base + (Date.now() - wallAtBase) : base);
  const moved = (ms: number): void => {
    base = ms;
    wallAtBase = Date.now();
    for (const listener of listeners) listener();
  };
  return {
    now: () => new Date(current()),
    advance: (ms) => moved(current() + ms),
    set: (iso) => moved(parseIso(iso)),
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/** OCI's timestamp form: ISO-8601 UTC with milliseconds and `Z`. */
export function ociTime(ms: number | Date): string {
  return new Date(typeof ms === "number" ? ms : ms.getTime()).toISOString();
}

export const DAY_MS = 86_400_000;
