import { afterAll, describe, expect, it, vi } from "vitest";
import { isSdkRetryWarning } from "../../src/oci/mute-sdk-retry-warnings.js";
import { EXAMPLE, useSimulator } from "../helpers/sim.js";
import { portsFor } from "../helpers/oci-ports.js";

describe("oci-common's per-attempt console.warn lines", () => {
  // Installed before the ports wrap console.warn, so the spy is what the wrapper forwards to.
  const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
  afterAll(() => warn.mockRestore());
  const suite = useSimulator();

  it("recognises exactly the retrier's three messages", () => {
    expect(isSdkRetryWarning(["All retry attempts have exhausted. Total Attempts : 1. Last exception occurred : Error: x"])).toBe(true);
    expect(isSdkRetryWarning(["Request failed with Exception : x\nRetrying request -> Total Attempts : 1"])).toBe(true);
    expect(isSdkRetryWarning(["Request cannot be retried. Not Retrying. Exception occurred : x"])).toBe(true);
    expect(isSdkRetryWarning(["Deprecated: something else"])).toBe(false);
    expect(isSdkRetryWarning([{ message: "All retry attempts have exhausted" }])).toBe(false);
  });

  it("are dropped for a failing OCI call through the ports, other warnings still pass", async () => {
    const { sim } = suite();
    const ports = portsFor(sim, { retry: { maxAttempts: 2 } });
    try {
      sim.faults.set("GetVault", { kind: "internal-error" });
      await expect(ports.getVault(EXAMPLE.vaultId)).rejects.toMatchObject({ reason: "server-error", attempts: 2 });
      expect(sim.calls.filter((c) => c.operation === "GetVault").length).toBeGreaterThanOrEqual(2);
      expect(warn.mock.calls.filter((args) => isSdkRetryWarning(args))).toEqual([]);
      console.warn("a warning of our own");
      expect(warn).toHaveBeenCalledWith("a warning of our own");
    } finally {
      sim.faults.clear("GetVault");
      ports.close();
    }
  });
});
