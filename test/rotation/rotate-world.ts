/**
 * Separate processes against one simulator: `keyproof rotate` (src/cli/main.ts) and the child
 * script (rotate-child.script.ts) spawned with tsx, on one SQLite file, with the simulator running
 * in the test process (its URL passed as KEYPROOF_OCI_ENDPOINT) on a clock that ticks with the
 * wall clock, so work requests finish while the children poll them.
 */
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { objectStorageState } from "../../src/sim/objectstorage/object-storage-state.js";
import { createSimClock } from "../../src/sim/sim-clock.js";
import { startSimulator, type Simulator } from "../../src/sim/start-simulator.js";
import { createTestStore, type TestStore } from "../helpers/db.js";
import { REPO_ROOT } from "../helpers/run-cli.js";
import { EXAMPLE_KEY_FILE, exampleSeed } from "../helpers/sim.js";

export interface ChildResult {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export function runChild(args: string[], env: Record<string, string>): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill("SIGKILL"), 60_000);
    child.on("error", reject);
    child.on("close", (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

const CLI = path.join(REPO_ROOT, "src/cli/main.ts");
const SCRIPT = path.join(REPO_ROOT, "test/rotation/rotate-child.script.ts");

export interface World {
  sim: Simulator;
  store: TestStore;
  env: Record<string, string>;
  cli(extra?: Record<string, string>, args?: string[]): Promise<ChildResult>;
  script(extra: Record<string, string>): Promise<ChildResult>;
  close(): Promise<void>;
}

/** A simulator (ticking from `start`), a migrated SQLite file, an OCI config profile and a keyproof config for the children. */
export async function world(start?: string, leaseTtlMs = 10_000): Promise<World> {
  const sim = await startSimulator({
    seed: exampleSeed(), clock: createSimClock({ ticking: true, ...(start ? { start } : {}) }),
    writeLimits: { "kms-mgmt": null }, maxClockSkewMs: Number.POSITIVE_INFINITY,
  });
  // Re-encryption in a few hundred ms of wall time.
  Object.assign(objectStorageState(sim.state).settings, { objectsPerMinute: 60_000_000, startDelayMs: 50, minimumDurationMs: 200 });
  const store = await createTestStore("sqlite");
  const user = [...sim.state.users.values()][0]!;
  const ociConfig = path.join(store.dir, "oci-config");
  const profile = `user=${user.id}\nfingerprint=${user.fingerprint}\ntenancy=${sim.state.tenancy.id}\nregion=us-ashburn-1\nkey_file=${EXAMPLE_KEY_FILE}\n`;
  // A [DEFAULT] section too: without one oci-common's config reader prints a notice on stdout.
  writeFileSync(ociConfig, `[DEFAULT]\n${profile}\n[KEYPROOF_SIM]\n${profile}`);
  const keyproofConfig = path.join(store.dir, "keyproof.json");
  writeFileSync(keyproofConfig, JSON.stringify({
    rotation: {
      workRequestPollMs: 100, workRequestMaxWaitMs: 20_000, leaseTtlMs,
      retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200, maxTotalMs: 20_000, timeoutMs: 10_000 },
    },
  }));
  const env = {
    KEYPROOF_DATABASE: path.join(store.dir, "store.sqlite"), KEYPROOF_CONFIG: keyproofConfig, KEYPROOF_OCI_ENDPOINT: sim.url,
    OCI_CONFIG_FILE: ociConfig, OCI_CLI_PROFILE: "KEYPROOF_SIM", KEYPROOF_LOG_LEVEL: "warn", DATABASE_URL: "",
  };
  return {
    sim, store, env,
    cli: (extra = {}, args = []) => runChild([CLI, "rotate", ...args], { ...env, ...extra }),
    script: (extra) => runChild([SCRIPT], { ...env, ...extra }),
    async close() {
      await sim.close();
      await store.cleanup();
    },
  };
}

/** Runs `fn` in a fresh world and closes it afterwards (tests below run concurrently). */
export async function inWorld(start: string | undefined, fn: (w: World) => Promise<void>, leaseTtlMs?: number): Promise<void> {
  const w = await world(start, leaseTtlMs);
  try {
    await fn(w);
  } finally {
    await w.close();
  }
}

