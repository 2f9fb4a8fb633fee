/**
 * Per-tenancy write throttling (KMS management: 10 writes per second, OCI-NOTES §5 item 6). Measured
 * on the wall clock, not the simulator clock: a throughput limit is about how fast calls really
 * arrive, and a frozen simulator clock would otherwise count a whole test as one second.
 */
export class WriteThrottle {
  private readonly recent = new Map<string, number[]>();

  /** Records a write; false when `perSecond` writes already happened in the last second. */
  admit(scope: string, perSecond: number, wallMs = performance.now()): boolean {
    const times = (this.recent.get(scope) ?? []).filter((t) => wallMs - t < 1_000);
    if (times.length >= perSecond) {
      this.recent.set(scope, times);
      return false;
    }
    times.push(wallMs);
    this.recent.set(scope, times);
    return true;
  }
}
