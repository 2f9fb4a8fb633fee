/**
 * The rotation part of `npm run demo`: the example tenancy in the OCI simulator (in this process),
 * `keyproof rotate --dry-run`, a real rotation, and a second run that finds nothing due (exactly
 * once). It signs in the way a user does: an OCI config file profile in the workspace and
 * `oci.endpointOverride` pointing at the simulator. The simulator clock is frozen at start; the
 * engine's waits (work-request polls) move it, so re-encryptions finish without real waiting.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";
import { loadConfig, type Config } from "../app/config.js";
import type { Deps } from "../app/deps.js";
import { projectRoot } from "../app/project-root.js";
import { createOciPortsFromConfig } from "../oci/create-oci-ports.js";
import type { OciPorts } from "../oci/oci-ports.js";
import { formatPlanTable } from "../rotation/format-plan.js";
import { formatRotateResult } from "../rotation/format-rotate-result.js";
import { rotate } from "../rotation/rotate.js";
import { createSimClock, type SimClock } from "../sim/sim-clock.js";
import { loadTenancySeed } from "../sim/seed/parse-tenancy-seed.js";
import { startSimulator } from "../sim/start-simulator.js";

/** What the demo's rotation did, for its callers and tests. */
export interface DemoRotation {
  firstStatus: string;
  secondStatus: string;
  /** Keys the first run rotated (new version or successor key). */
  rotatedKeys: number;
}

/** What the demo's next step gets while the simulator still runs: its config, ports and clock. */
export interface DemoSimSession {
  config: Config;
  oci: OciPorts;
  clock: SimClock;
}

/**
 * Runs the rotation demo with `deps`' store (config.database) and prints through `say`; then
 * `afterRotation` (the ingestion step) against the same simulator before it stops.
 */
export async function runDemoRotation(
  deps: Deps, workspace: string, say: (line: string) => void, afterRotation?: (session: DemoSimSession) => Promise<void>,
): Promise<DemoRotation> {
  const examples = path.join(projectRoot(), "examples", "tenancy");
  const keyFile = path.join(examples, "TEST-ONLY-keyproof-rotator-private-key.pem");
  const clock = createSimClock({ start: deps.clock.now().toISOString() });
  const sim = await startSimulator({ seed: await loadTenancySeed(path.join(examples, "example-tenancy.json")), clock, maxClockSkewMs: Infinity });
  try {
    const user = [...sim.state.users.values()][0]!;
    const ociConfig = path.join(workspace, "oci-config");
    await writeFile(ociConfig, [
      "[KEYPROOF_SIM]", `user=${user.id}`, `fingerprint=${user.fingerprint}`, `tenancy=${sim.state.tenancy.id}`,
      `region=${sim.state.tenancy.region}`, `key_file=${keyFile}`, "",
    ].join("\n"));
    const config = loadConfig({
      KEYPROOF_DATABASE: deps.config.database, KEYPROOF_LOG_LEVEL: deps.config.logLevel,
      OCI_CONFIG_FILE: ociConfig, OCI_CLI_PROFILE: "KEYPROOF_SIM", KEYPROOF_OCI_ENDPOINT: sim.url,
      // The simulator's history starts today: one day back is all there is to collect.
      KEYPROOF_INGEST_BACKFILL_DAYS: "1",
    });
    say(`   simulator ${sim.url}, tenancy ${sim.state.tenancy.name}, signed in with profile [KEYPROOF_SIM] of ${path.relative(process.cwd(), ociConfig) || ociConfig}`);
    const oci = await createOciPortsFromConfig(config);
    try {
      const rotateDeps = {
        ...deps, config, oci, clock: { now: () => clock.now() },
        sleep: async (ms: number) => clock.advance(ms),
      };
      const dry = await rotate(rotateDeps, { dryRun: true, trigger: "cli" });
      if (dry.plan && dry.inventory) for (const line of formatPlanTable(dry.plan, dry.inventory).trimEnd().split("\n")) say(`   ${line}`);
      say("   rotating:");
      const first = await rotate(rotateDeps, { trigger: "cli" });
      for (const line of formatRotateResult(first).trimEnd().split("\n")) say(`   ${line}`);
      say("   and again (exactly once: nothing is due any more):");
      const second = await rotate(rotateDeps, { trigger: "cli" });
      for (const line of formatRotateResult(second).trimEnd().split("\n")) say(`   ${line}`);
      const rotatedKeys = first.keys.filter((k) => k.newKeyVersionId !== null || k.successorKeyId !== null).length;
      await afterRotation?.({ config, oci, clock });
      return { firstStatus: first.status, secondStatus: second.status, rotatedKeys };
    } finally {
      oci.close();
    }
  } finally {
    await sim.close();
  }
}
