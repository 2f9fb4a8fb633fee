/**
 * A separate process that runs the rotation use case once, as the scheduler would, on the clock
 * the test gives it: `KEYPROOF_TEST_NOW` (ISO) is the instant the process starts at, and its clock
 * then follows the wall clock (a frozen clock would never end a bounded wait). Everything else
 * comes from the environment like the CLI (KEYPROOF_DATABASE, KEYPROOF_OCI_ENDPOINT,
 * OCI_CONFIG_FILE, OCI_CLI_PROFILE, KEYPROOF_CONFIG, KEYPROOF_TEST_CRASH_AFTER). Prints the run
 * result (without the inventory) as one JSON line on stdout.
 *
 *   node --import tsx test/rotation/rotate-child.script.ts
 */
import { createDeps } from "../../src/app/create-deps.js";
import { createOciPortsFromConfig } from "../../src/oci/create-oci-ports.js";
import { crashHookFromEnv } from "../../src/rotation/crash-hook.js";
import { rotateResultToJson } from "../../src/rotation/format-rotate-result.js";
import { rotate } from "../../src/rotation/rotate.js";
import { requireInstant, systemClock, type Clock } from "../../src/time/instant.js";

const start = process.env.KEYPROOF_TEST_NOW ? requireInstant(process.env.KEYPROOF_TEST_NOW, "KEYPROOF_TEST_NOW").epochMs : null;
const wallAtStart = Date.now();
const clock: Clock = start === null ? systemClock : { now: () => new Date(start + (Date.now() - wallAtStart)) };

const deps = await createDeps({ env: process.env, clock });
const oci = await createOciPortsFromConfig(deps.config);
try {
  const afterStep = crashHookFromEnv(process.env);
  const result = await rotate({ ...deps, oci, ...(afterStep ? { afterStep } : {}) }, { trigger: "schedule" });
  process.stdout.write(`${JSON.stringify(rotateResultToJson(result))}\n`);
} finally {
  oci.close();
  await deps.store.close();
}
