/**
 * Crash safety of `keyproof ingest` (issue 5 acceptance, DESIGN §4 "a crash at any point loses
 * nothing and duplicates nothing on restart"): real `keyproof ingest` processes against one
 * simulator running in this test process, holding a tenancy of 14 compartments and 12,000 audit
 * events over the last 20 hours. One store gets an uninterrupted run; another gets runs killed with
 * SIGKILL at seeded random moments, then a run to the end. The two stores must hold the same
 * events, each once, with an intact hash chain and a coverage ledger without gaps.
 */
import { stderrProblems } from "../../helpers/child-stderr.js";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimClock } from "../../../src/sim/sim-clock.js";
import { startSimulator, type Simulator } from "../../../src/sim/start-simulator.js";
import { verifyAuditEventChain } from "../../../src/store/audit-event-chain.js";
import { listCheckpoints } from "../../../src/store/ingest-ledger.js";
import { createTestStore, type TestStore } from "../../helpers/db.js";
import { REPO_ROOT } from "../../helpers/run-cli.js";
import { EXAMPLE, EXAMPLE_KEY_FILE, exampleSeed } from "../../helpers/sim.js";
import { appendAuditEvents, ledgerRows, seededRandom, uncoveredRanges } from "./audit-event-factory.js";

const CLI = path.join(REPO_ROOT, "src/cli/main.ts");
const EXTRA_COMPARTMENTS = 10;
const EVENTS_PER_COMPARTMENT = 1_000;
const HOUR = 3_600_000;

interface Child {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * `keyproof ingest` in a child process. With `killAtCall`, it is killed with SIGKILL as soon as the
 * simulator has answered that many ListEvents calls of this run (polled every 5 ms, so the kill
 * lands while the child fetches, normalises or commits the next window): a point in the work, not
 * in wall time, which start-up speed on a loaded machine would shift.
 */
function ingest(sim: Simulator, env: Record<string, string>, killAtCall?: number): Promise<Child> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CLI, "ingest"], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    const since = sim.calls.length;
    const killer = killAtCall === undefined ? null : setInterval(() => {
      let calls = 0;
      for (let i = since; i < sim.calls.length; i++) if (sim.calls[i]!.operation === "ListEvents") calls++;
      if (calls >= killAtCall) child.kill("SIGKILL");
    }, 5);
    const guard = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.on("error", reject);
    child.on("close", (status, signal) => {
      if (killer) clearInterval(killer);
      clearTimeout(guard);
      resolve({ status, signal, stdout, stderr });
    });
  });
}

const listEventsCalls = (sim: Simulator, since: number) => sim.calls.slice(since).filter((c) => c.operation === "ListEvents").length;

async function storedSet(store: TestStore): Promise<{ keys: string[]; rows: number }> {
  const rows = await store.store.db.selectFrom("audit_event").select(["event_id", "content_sha256"]).orderBy("event_id").execute();
  return { keys: rows.map((r) => `${r.event_id} ${r.content_sha256}`), rows: rows.length };
}

describe("keyproof ingest survives SIGKILL at any point", () => {
  let sim: Simulator;
  const stores: TestStore[] = [];
  let compartments: string[] = [];
  let expectedIds: string[] = [];

  beforeAll(async () => {
    const seed = exampleSeed();
    for (let i = 0; i < EXTRA_COMPARTMENTS; i++) {
      seed.compartments.push({
        id: `ocid1.compartment.oc1..aaaaaaaacrashtest${String(i).padStart(2, "0")}${"x".repeat(37)}`,
        name: `backup-team-${i}`, parentId: EXAMPLE.backupProdId, timeCreated: "2025-11-01T00:00:00Z",
      });
    }
    // The simulator clock follows the wall clock: the children compute their windows from theirs.
    sim = await startSimulator({ seed, clock: createSimClock({ ticking: true }), writeLimits: { "kms-mgmt": null }, maxClockSkewMs: Number.POSITIVE_INFINITY });
    compartments = [seed.tenancy.id, ...seed.compartments.map((c) => c.id)];
    const now = Date.now();
    for (const compartmentId of compartments.slice(0, 2 + EXTRA_COMPARTMENTS)) {
      expectedIds.push(...appendAuditEvents(sim, { compartmentId, count: EVENTS_PER_COMPARTMENT, fromMs: now - 20 * HOUR, toMs: now - 5 * 60_000 }));
    }
    expectedIds = expectedIds.sort();
  });
  afterAll(async () => {
    for (const s of stores) await s.cleanup();
    await sim?.close();
  });

  async function world(): Promise<{ store: TestStore; env: Record<string, string> }> {
    const store = await createTestStore("sqlite");
    stores.push(store);
    const user = [...sim.state.users.values()][0]!;
    const ociConfig = path.join(store.dir, "oci-config");
    const profile = `user=${user.id}\nfingerprint=${user.fingerprint}\ntenancy=${sim.state.tenancy.id}\nregion=us-ashburn-1\nkey_file=${EXAMPLE_KEY_FILE}\n`;
    writeFileSync(ociConfig, `[DEFAULT]\n${profile}\n[KEYPROOF_SIM]\n${profile}`);
    const config = path.join(store.dir, "keyproof.json");
    // Small windows (many commits) so that kills land between and inside transactions.
    writeFileSync(config, JSON.stringify({
      ingest: { audit: "list-events", backfillDays: 1, maxWindowMinutes: 60, maxWindowEvents: 400, snapshots: false },
      rotation: { retry: { maxAttempts: 3, baseDelayMs: 50, maxDelayMs: 200, maxTotalMs: 20_000, timeoutMs: 10_000 } },
    }));
    return {
      store,
      env: {
        KEYPROOF_DATABASE: path.join(store.dir, "store.sqlite"), KEYPROOF_CONFIG: config, KEYPROOF_OCI_ENDPOINT: sim.url,
        OCI_CONFIG_FILE: ociConfig, OCI_CLI_PROFILE: "KEYPROOF_SIM", KEYPROOF_LOG_LEVEL: "warn", DATABASE_URL: "",
      },
    };
  }

  it("runs killed at random points, then a rerun, store exactly what one uninterrupted run stores: no duplicate, no gap", { timeout: 240_000 }, async () => {
    const reference = await world();
    const before = sim.calls.length;
    const whole = await ingest(sim, reference.env);
    const callsPerRun = listEventsCalls(sim, before);
    expect(stderrProblems(whole.stderr)).toEqual([]);
    expect(whole.status).toBe(0);
    expect(whole.stdout).toMatch(/^ingest run 1 succeeded/);
    const expected = await storedSet(reference.store);
    expect(expected.rows).toBe(expectedIds.length);
    expect([...new Set(expected.keys.map((k) => k.split(" ")[0]))]).toEqual(expectedIds);

    const crashed = await world();
    const random = seededRandom(5);
    const kills: number[] = [];
    for (let i = 0; i < 4; i++) {
      // Each rerun resumes from the checkpoints, so it makes fewer calls: kill early in what is left.
      const at = 2 + Math.floor(random() * (callsPerRun / 6));
      const run = await ingest(sim, crashed.env, at);
      if (run.signal === "SIGKILL") kills.push(at);
      else expect(run.status).toBe(0);
    }
    expect(kills.length, `runs killed after ListEvents call ${kills.join(", ")} of ${callsPerRun}`).toBeGreaterThanOrEqual(2);
    const partial = await storedSet(crashed.store);
    expect(partial.rows).toBeGreaterThan(0);
    expect(partial.rows).toBeLessThan(expected.rows);

    const final = await ingest(sim, crashed.env);
    expect(stderrProblems(final.stderr)).toEqual([]);
    expect(final.status).toBe(0);
    const got = await storedSet(crashed.store);
    expect(got.rows).toBe(expected.rows);
    expect(got.keys).toEqual(expected.keys);
    expect(await verifyAuditEventChain(crashed.store.store.db)).toMatchObject({ ok: true, rows: expected.rows });

    // No gap: per compartment, the collected windows cover everything from the first run's start to the checkpoint.
    const ledger = await ledgerRows(crashed.store.store, "audit-list-events");
    const checkpoints = await listCheckpoints(crashed.store.store.db);
    expect(checkpoints.map((c) => c.scopeId).sort()).toEqual([...compartments].sort());
    for (const c of checkpoints) {
      const windows = ledger.filter((w) => w.scopeId === c.scopeId);
      const from = windows.map((w) => w.windowStart).sort()[0]!;
      expect(uncoveredRanges(windows, from, c.collectedTo)).toEqual([]);
      expect(windows.every((w) => w.status === "collected")).toBe(true);
    }
  });
});
