/**
 * Starts one measurement of the ingestion benchmark in a fresh process (bench/ingest-bench-worker.ts)
 * and waits for its answer; {@link timed} measures a span inside it. BENCH_WORKER_NODE_ARGS adds Node flags to the worker (e.g. `--cpu-prof`).
 */
import { fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import type { WorkerJob, WorkerResult } from "./ingest-bench-worker.js";

/** Runs `job` in a fresh worker process and waits for its one answer. */
export function runWorker(job: WorkerJob): Promise<WorkerResult> {
  const child = fork(fileURLToPath(new URL("./ingest-bench-worker.ts", import.meta.url)), {
    execArgv: ["--import", "tsx", ...(process.env.BENCH_WORKER_NODE_ARGS ?? "").split(" ").filter(Boolean)],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  return new Promise((resolve, reject) => {
    let answered = false;
    child.once("message", (message: WorkerResult | { type: "error"; message: string }) => {
      answered = true;
      if (message.type === "result") resolve(message);
      else reject(new Error(`ingest bench worker (${job.kind}) failed: ${message.message}`));
    });
    child.once("exit", (code) => {
      if (!answered) reject(new Error(`ingest bench worker (${job.kind}) exited (${code}) without an answer`));
    });
    child.send(job);
  });
}

/** Wall and CPU seconds of `fn`. */
export async function timed<T>(fn: () => Promise<T>): Promise<{ value: T; seconds: number; cpuSeconds: number }> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const value = await fn();
  const cpu = process.cpuUsage(cpu0);
  return { value, seconds: (performance.now() - t0) / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}
