import { describe, expect, it } from "vitest";
import { JITTER_MARGIN, createKmsWritePacer } from "../../src/oci/kms-write-pacer.js";

describe("the KMS write pacer (OCI: 10 management writes per second per tenancy)", () => {
  const WINDOW_MS = 1_000 * (1 + JITTER_MARGIN);

  it("lets `perSecond` writes start at once and never more than that in any window of 1 s plus the jitter margin", async () => {
    const pace = createKmsWritePacer(4)!;
    const t0 = performance.now();
    const starts = (await Promise.all(Array.from({ length: 7 }, async () => {
      await pace();
      return performance.now() - t0;
    }))).sort((a, b) => a - b);
    expect(starts.slice(0, 4).every((t) => t < 100)).toBe(true);
    expect(starts[4]!).toBeGreaterThanOrEqual(WINDOW_MS - 2);
    // Sliding window: the 5th start is a whole window after the 1st, the 6th after the 2nd, ...
    for (let i = 4; i < starts.length; i++) expect(starts[i]! - starts[i - 4]!).toBeGreaterThanOrEqual(WINDOW_MS - 2);
  });

  it("is off for null and refuses a rate that is not positive", () => {
    expect(createKmsWritePacer(null)).toBeUndefined();
    expect(() => createKmsWritePacer(0)).toThrow(TypeError);
    expect(() => createKmsWritePacer(Number.NaN)).toThrow(/kmsWritesPerSecond must be a positive number/);
  });
});
