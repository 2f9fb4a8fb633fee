import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    env: {
      // oci-common's circuit breaker keeps timers alive and hides failures in tests (OCI-NOTES §1.4).
      OCI_SDK_DEFAULT_CIRCUITBREAKER_ENABLED: "false",
    },
  },
});
