/**
 * The client-side limiter of KMS management writes (issue 4, bench target): OCI throttles them at
 * 10 requests per second per tenancy (the doc comment of every KMS write in oci-keymanagement's
 * client.d.ts; OCI-NOTES §2.2 and §5 item 6), and a run that works on many keys at once would
 * otherwise provoke a storm of 429s, each costing a Retry-After wait. One pacer is shared by every
 * KMS management client of an OciPorts (the limit is per tenancy, whatever the vault), and the
 * retry layer waits for it before every attempt (with-retry.ts CallOptions.pace), so retries are
 * paced too.
 *
 * p-throttle's strict mode: no more than `perSecond` attempts start in any window of the wall
 * clock (a sliding window, the way the limit is measured), without dropping any. The window is
 * 1,000 ms plus {@link JITTER_MARGIN}: OCI counts a request when it arrives, not when it was sent,
 * and two requests sent exactly a second apart can arrive less than a second apart (event-loop
 * lag on either side). Measured against the simulator's limit (bench/rotation-bench.ts, 300 keys):
 * with no margin 17% of the writes were answered 429 (each then waits its Retry-After and takes
 * another turn); with 5% none or almost none, for 5% less throughput.
 */
import pThrottle from "p-throttle";

/** The pacing window's margin over one second, as a fraction (see the file comment). */
export const JITTER_MARGIN = 0.05;

/** Resolves when the next KMS write may be sent. */
export type KmsWritePacer = () => Promise<void>;

/**
 * @param perSecond writes per second (config.rotation.kmsWritesPerSecond); null = no pacing.
 * @returns the pacer, or undefined when `perSecond` is null.
 * @throws TypeError when `perSecond` is not a positive number.
 */
export function createKmsWritePacer(perSecond: number | null): KmsWritePacer | undefined {
  if (perSecond === null) return undefined;
  if (!(Number.isFinite(perSecond) && perSecond > 0)) throw new TypeError(`kmsWritesPerSecond must be a positive number, got ${perSecond}`);
  // A fractional rate (0.5/s) is one write per 2 s: whole writes per a longer window.
  const limit = Math.max(1, Math.floor(perSecond));
  const interval = Math.round((limit / perSecond) * 1000 * (1 + JITTER_MARGIN));
  return pThrottle({ limit, interval, strict: true })(async () => undefined);
}
