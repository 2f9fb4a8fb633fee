import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    // Vitest's default is one worker per CPU minus one: a single worker on CI's 2 cores. Most test
    // time waits on child processes, loopback HTTP and PostgreSQL, so two workers nearly halve it.
    maxWorkers: 2,
    env: {
      // oci-common's circuit breaker keeps timers alive and hides failures in tests (OCI-NOTES §1.4).
      OCI_SDK_DEFAULT_CIRCUITBREAKER_ENABLED: "false",
    },
  },
});
