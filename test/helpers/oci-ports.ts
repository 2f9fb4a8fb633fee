/**
 * OciPorts (the real SDK adapter, src/oci/create-oci-ports.ts) against a running simulator, signed
 * as the example tenancy's user, with retry timings for tests: the retry layer's sleeps are instant
 * and recorded (a fake clock moves by each sleep), per-attempt timeout 2 s. Use with useSimulator:
 *
 *   const suite = useSimulator();
 *   const ports = portsFor(suite().sim);      // ... ports.close() when done
 */
import { readFileSync } from "node:fs";
import * as common from "oci-common";
import { createOciPorts, type CreateOciPortsOptions } from "../../src/oci/create-oci-ports.js";
import type { OciPorts } from "../../src/oci/oci-ports.js";
import { SwappableAuthProvider } from "../../src/oci/swappable-auth-provider.js";
import type { RetryPolicy, RetryRuntime } from "../../src/oci/with-retry.js";
import type { Simulator } from "../../src/sim/start-simulator.js";
import { EXAMPLE, EXAMPLE_KEY_FILE, providerFor } from "./sim.js";

/** Test retry bounds: 6 attempts, 500 ms base / 30 s cap backoff (config defaults), 2 min budget, 2 s per attempt. */
export const TEST_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, maxTotalMs: 120_000, timeoutMs: 2_000 };

/** A retry runtime whose sleeps return at once and move its clock; `sleeps` lists every wait asked for (ms). */
export function instantRetryRuntime(options: { random?: () => number; startMs?: number } = {}): RetryRuntime & { sleeps: number[] } {
  let now = options.startMs ?? Date.parse("2026-11-30T12:00:00.000Z");
  const sleeps: number[] = [];
  return {
    sleeps,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
    random: options.random ?? (() => 0.5),
    nowMs: () => now,
  };
}

export interface PortsForOptions extends Partial<Omit<CreateOciPortsOptions, "auth" | "retry">> {
  retry?: Partial<RetryPolicy>;
  /** A seeded user (default the example user) and its private key PEM (default the example's TEST-ONLY key). */
  userId?: string;
  privateKeyPem?: string;
  /** Called when the retry layer refreshes the credentials after a 401. */
  onRefresh?: () => void;
}

/** OciPorts for `sim` (endpoint override = sim.url). The caller closes them. */
export function portsFor(sim: Simulator, options: PortsForOptions = {}): OciPorts & { retryRuntime: RetryRuntime } {
  const pem = options.privateKeyPem ?? readFileSync(EXAMPLE_KEY_FILE, "utf8");
  const provider = new SwappableAuthProvider(providerFor(sim, options.userId ?? EXAMPLE.user.id, pem), common.Region.US_ASHBURN_1);
  const retryRuntime = options.retryRuntime ?? instantRetryRuntime();
  const ports = createOciPorts({
    ...options,
    auth: {
      provider, tenancyId: sim.state.tenancy.id, region: "us-ashburn-1",
      refresh: async () => options.onRefresh?.(),
      close: () => undefined,
    },
    retry: { ...TEST_RETRY, ...options.retry },
    endpointOverride: sim.url,
    retryRuntime,
  });
  return Object.assign(ports, { retryRuntime });
}
