/**
 * The ListEvents part of the ingestion benchmark (bench/ingest-bench.ts): starts the simulator in a
 * process of its own (ingest-sim-host.ts) with the export file's records in its audit log over
 * {@link COMPARTMENTS} compartments, writes an OCI config file for its user, and measures
 * `ingestListEvents` from an empty store in a fresh worker process (ingest-list-events-run.ts).
 */
import { fork } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_LIST_EVENTS_PAGE_SIZE } from "../src/sim/audit/audit-paging.js";
import { base32Of } from "../src/sim/state/id-generator.js";
import { runWorker } from "./ingest-run-worker.js";
import type { WorkerResult } from "./ingest-bench-worker.js";
import type { IngestHostReport, IngestHostRequest, IngestHostStarted } from "./ingest-sim-host.js";

/** Compartments the records are spread over (ListEvents is compartment-scoped: one scope each). */
export const COMPARTMENTS = 4;
/** Events per ListEvents page (the simulator's default; OCI's real page size is not documented). */
export const PAGE_SIZE = DEFAULT_LIST_EVENTS_PAGE_SIZE;
/** First-run depth: the export's month and the days before `now` (the simulator keeps 90). */
const BACKFILL_DAYS = 35;

const ocid = (type: string, label: string) => `ocid1.${type}.oc1..aaaaaaaa${base32Of(`${type}:${label}`, 52)}`;

/** Whether H1's ingestListEvents exists yet (the benchmark skips the part otherwise). */
export async function listEventsAvailable(): Promise<boolean> {
  return existsSync(fileURLToPath(new URL("../src/ingest/oci/ingest-list-events.ts", import.meta.url)));
}

function ask<T>(child: ReturnType<typeof fork>, request: IngestHostRequest, answer: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (message: { type: string }) => {
      if (message.type !== answer) return;
      child.off("message", onMessage);
      child.off("exit", onExit);
      resolve(message as T);
    };
    const onExit = (code: number | null) => reject(new Error(`the simulator process exited (${code}) before answering ${request.type}`));
    child.on("message", onMessage);
    child.once("exit", onExit);
    child.send(request);
  });
}

/**
 * Measures one ingestion of `file`'s `events` records through ListEvents. `now` is the simulator's
 * (frozen) clock and the ingesting process's clock. Returns the worker's result with the simulator
 * side added to `detail`.
 * @throws Error when a window failed or a process died.
 */
export async function measureListEvents(options: { events: number; dir: string; now: string; file: string }): Promise<WorkerResult> {
  const dir = mkdtempSync(path.join(options.dir, "list-events-"));
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" },
  });
  const created = new Date(Date.parse(options.now) - 400 * 86_400_000).toISOString();
  const compartmentIds = Array.from({ length: COMPARTMENTS }, (_, i) => ocid("compartment", `ingest-bench-${i}`));
  const seed = {
    tenancy: { id: ocid("tenancy", "ingest-bench"), name: "ingest-bench", region: "us-ashburn-1", namespace: base32Of("ingest-bench-ns", 12) },
    compartments: compartmentIds.map((id, i) => ({ id, name: `backup-prod-${i}`, timeCreated: created })),
    users: [{ id: ocid("user", "keyproof-ingest"), name: "keyproof-ingest", publicKeyPem: publicKey }],
  };
  const host = fork(fileURLToPath(new URL("./ingest-sim-host.ts", import.meta.url)), {
    // BENCH_SIM_NODE_ARGS adds Node flags to the simulator process (e.g. `--cpu-prof`).
    execArgv: ["--import", "tsx", ...(process.env.BENCH_SIM_NODE_ARGS ?? "").split(" ").filter(Boolean)],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  try {
    const started = await ask<IngestHostStarted>(host, { type: "start", seed, now: options.now, file: options.file, compartmentIds, pageSize: PAGE_SIZE }, "started");
    if (started.events !== options.events) throw new Error(`simulator holds ${started.events} events, expected ${options.events}`);
    const keyFile = path.join(dir, "ingest.pem");
    writeFileSync(keyFile, privateKey, { mode: 0o600 });
    const ociConfigFile = path.join(dir, "oci-config");
    writeFileSync(ociConfigFile, `[DEFAULT]\nuser=${started.userId}\nfingerprint=${started.fingerprint}\ntenancy=${started.tenancyId}\nregion=us-ashburn-1\nkey_file=${keyFile}\n`);
    const result = await runWorker({
      kind: "list-events", dir, now: options.now, backfillDays: BACKFILL_DAYS,
      target: { url: started.url, userId: started.userId, fingerprint: started.fingerprint, tenancyId: started.tenancyId, ociConfigFile, compartmentIds },
    });
    const report = await ask<IngestHostReport>(host, { type: "report" }, "report");
    if (report.failedCalls > 0) throw new Error(`the simulator answered ${report.failedCalls} of ${report.listEventsCalls} ListEvents calls with an error`);
    if (result.events !== options.events) throw new Error(`ingestListEvents stored ${result.events} events, expected ${options.events}`);
    return {
      ...result,
      detail: `${result.detail}; simulator: ${report.listEventsCalls} ListEvents pages of ≤ ${PAGE_SIZE} records of ~${(started.meanEventBytes / 1024).toFixed(1)} KB, ${(report.cpuMs / 1000).toFixed(1)} s CPU (own process)`,
    };
  } finally {
    if (host.connected) host.send({ type: "close" } satisfies IngestHostRequest);
  }
}
