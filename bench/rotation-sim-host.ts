/**
 * The rotation benchmark's OCI (bench/rotation-bench.ts): the simulator in a process of its own,
 * driven over the IPC channel of `fork`. A real OCI runs elsewhere; in the engine's process the
 * simulator's own CPU (signature checks, audit records) would be charged to the engine on this
 * 2-core machine. Messages: `{type: "start", ...}` → `{type: "started", url, ...}`;
 * `{type: "report"}` → `{type: "report", report}` (rotation-sim-report.ts); `{type: "close"}`.
 *
 *   node --import tsx bench/rotation-sim-host.ts   (forked by rotation-bench.ts, not run by hand)
 */
import type { FaultConfig } from "../src/sim/faults/fault-injector.js";
import { objectStorageState, type ObjectStorageSettings } from "../src/sim/objectstorage/object-storage-state.js";
import { createSimClock } from "../src/sim/sim-clock.js";
import { startSimulator, type Simulator } from "../src/sim/start-simulator.js";
import { rotationSimReport } from "./rotation-sim-report.js";

export type HostRequest =
  | { type: "start"; seed: unknown; start: string; faults: FaultConfig; workRequests: Partial<ObjectStorageSettings> }
  | { type: "report"; asOf: string }
  | { type: "close" };

let sim: Simulator | null = null;

process.on("message", (message: HostRequest) => {
  void (async () => {
    if (message.type === "start") {
      // A ticking clock (from `start`, the wall clock's now) and OCI's KMS write limit (writeLimits default).
      sim = await startSimulator({ seed: message.seed, clock: createSimClock({ start: message.start, ticking: true }), faults: message.faults });
      Object.assign(objectStorageState(sim.state).settings, message.workRequests);
      const user = [...sim.state.users.values()][0]!;
      process.send!({ type: "started", url: sim.url, userId: user.id, fingerprint: user.fingerprint, tenancyId: sim.state.tenancy.id });
    } else if (message.type === "report") {
      process.send!({ type: "report", report: rotationSimReport(sim!, message.asOf, process.cpuUsage()) });
    } else {
      await sim?.close();
      process.exit(0);
    }
  })().catch((error: unknown) => {
    console.error("rotation-sim-host:", error);
    process.exit(1);
  });
});
