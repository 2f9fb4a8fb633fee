/**
 * The command table: each command validates its arguments, calls one use case and prints the
 * result (STYLE §4). Commands that arrive with later issues say so and exit 6.
 *
 * Each command imports its use case when it runs (dynamic import), so `keyproof sim` does not pay
 * for pdfkit, exceljs and the store, and `--help` stays fast.
 */
import path from "node:path";
import { Option, type Command } from "commander";
import type { CreateDepsOptions } from "../app/create-deps.js";
import type { Deps } from "../app/deps.js";
import { loadConfig } from "../app/config.js";
import { AppError, ValidationError } from "../app/errors.js";
import { formatInstant } from "../time/instant.js";
import { projectRoot } from "../app/project-root.js";

interface GlobalOptions {
  config?: string;
  database?: string;
  reportsDir?: string;
}

/** Env overlay from global flags, so flags win over env and config file, validated by the same schema. */
function depsOptions(program: Command): CreateDepsOptions {
  const opts = program.opts<GlobalOptions>();
  const env = { ...process.env };
  if (opts.database) env.KEYPROOF_DATABASE = opts.database;
  if (opts.reportsDir) env.KEYPROOF_REPORTS_DIR = opts.reportsDir;
  if (opts.database) delete env.DATABASE_URL;
  return { config: loadConfig(env, opts.config) };
}

async function withDeps<T>(program: Command, fn: (deps: Deps) => Promise<T>): Promise<T> {
  const { createDeps } = await import("../app/create-deps.js");
  const deps = await createDeps(depsOptions(program));
  try {
    return await fn(deps);
  } finally {
    await deps.store.close();
  }
}

/**
 * Exit codes of `keyproof rotate` by run status. Partial and failed runs get codes of their own,
 * above the AppError codes (1–7, errors.ts), so a scheduler or script can tell "the run completed
 * but not everything was rotated" from "the command could not run".
 */
export const ROTATE_EXIT_CODES = { succeeded: 0, skipped: 0, partial: 8, failed: 9 } as const;

/** Exit codes of `keyproof ingest` from OCI, by run status (as for rotate). */
export const INGEST_EXIT_CODES = { succeeded: 0, partial: 8, failed: 9 } as const;

/** Steps of `keyproof ingest --only` (run-ingest.ts IngestStep). */
const INGEST_STEPS = ["audit", "export-bucket", "snapshot", "archive"] as const;
type IngestStepName = (typeof INGEST_STEPS)[number];

/** `keyproof ingest --file PATH...`: the file importer, exit 3 when something was rejected. */
async function ingestFiles(program: Command, paths: string[]): Promise<void> {
  const [{ importAuditFiles }, { createProgressReporter }] = await Promise.all([
    import("../ingest/import-audit-files.js"),
    import("./progress.js"),
  ]);
  await withDeps(program, async (deps) => {
    const progress = createProgressReporter(deps.logger, "bytes");
    const result = await importAuditFiles(deps, {
      paths,
      onProgress: (p) => progress.update(p.bytesRead, p.bytesTotal, path.basename(p.path)),
    }).finally(() => progress.stop());
    for (const error of result.errors.slice(0, 50)) process.stderr.write(`${error}\n`);
    if (result.errors.length > 50) process.stderr.write(`... and ${result.errors.length - 50} more (see import run ${result.runId})\n`);
    process.stdout.write(`${result.summaryLine}\n`);
    if (result.status !== "succeeded") process.exitCode = 3;
  });
}

/** The previous UTC month of `now`, as YYYY-MM (the month a scheduled pack covers). */
export function previousMonth(now: Date): string {
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return formatInstant(d.getTime()).slice(0, 7);
}

export function registerCommands(program: Command): void {
  program
    .command("migrate")
    .description("create or upgrade the store schema (SQLite file or PostgreSQL)")
    .action(async () => {
      const { migrateToLatest } = await import("../store/migrate.js");
      await withDeps(program, async (deps) => {
        const result = await migrateToLatest(deps.store.db);
        const applied = result.results?.filter((r) => r.status === "Success").map((r) => r.migrationName) ?? [];
        process.stdout.write(applied.length ? `applied: ${applied.join(", ")}\n` : "store is up to date\n");
      });
    });

  program
    .command("ingest")
    .description(
      "collect audit events, export-bucket objects and a state snapshot from OCI, exactly once (or import files with --file); " +
        `exit ${INGEST_EXIT_CODES.succeeded} when every step succeeded, ${INGEST_EXIT_CODES.partial} when partial, ${INGEST_EXIT_CODES.failed} when failed`,
    )
    .option("--file <paths...>", "import audit export files or folders instead (JSON, JSON Lines, gzip or not)")
    .addOption(new Option("--only <steps...>", "run only these steps (default: every configured one)").choices([...INGEST_STEPS]))
    .addOption(new Option("--source <source>", "one source only (DESIGN §1): file (with --file), audit (ListEvents), logging (Logging Search), bucket (export bucket)").choices(["file", "audit", "logging", "bucket"]))
    .option("--json", "print the run result as JSON")
    .action(async (opts: { file?: string[]; only?: string[]; source?: string; json?: boolean }) => {
      if (opts.source && opts.only) throw new ValidationError("ingest: use --source or --only, not both");
      if (opts.source === "file" && !opts.file?.length) throw new ValidationError("ingest: --source file needs --file PATH...");
      if (opts.file?.length) {
        if (opts.only || (opts.source && opts.source !== "file")) throw new ValidationError("ingest: --only and --source audit|logging|bucket apply to ingestion from OCI, not to --file");
        await ingestFiles(program, opts.file);
        return;
      }
      const [{ runIngest }, { createOciPortsFromConfig }, { formatIngestResult }] = await Promise.all([
        import("../ingest/oci/run-ingest.js"),
        import("../oci/create-oci-ports.js"),
        import("../ingest/oci/format-ingest-result.js"),
      ]);
      const steps: IngestStepName[] | undefined = opts.source === "bucket" ? ["export-bucket"] : opts.source ? ["audit"] : (opts.only as IngestStepName[] | undefined);
      await withDeps(program, async (rawDeps) => {
        // --source audit|logging picks the audit API for this run, whatever ingest.audit says.
        const audit = opts.source === "audit" ? ("list-events" as const) : opts.source === "logging" ? ("logging-search" as const) : null;
        const deps = audit ? { ...rawDeps, config: { ...rawDeps.config, ingest: { ...rawDeps.config.ingest, audit } } } : rawDeps;
        const ports = await createOciPortsFromConfig(deps.config, {
          onRetry: (e) => deps.logger.warn({ operation: e.operation, attempt: e.attempt, reason: e.reason, statusCode: e.statusCode, opcRequestId: e.opcRequestId, delayMs: e.delayMs }, "OCI call retried"),
        });
        try {
          const result = await runIngest(
            { store: deps.store, ports, logger: deps.logger, now: () => deps.clock.now().toISOString(), config: deps.config },
            steps ? { steps } : {},
          );
          process.stdout.write(opts.json ? `${JSON.stringify(result, null, 2)}\n` : formatIngestResult(result));
          process.exitCode = INGEST_EXIT_CODES[result.status];
        } finally {
          ports.close();
        }
      });
    });

  program
    .command("report")
    .description("build the monthly evidence pack into <reportsDir>/YYYY-MM/")
    .option("--month <YYYY-MM>", "month to report (UTC); default: the previous month")
    .action(async (opts: { month?: string }) => {
      const { generatePack } = await import("../evidence/generate-pack.js");
      await withDeps(program, async (deps) => {
        const month = opts.month ?? previousMonth(deps.clock.now());
        const result = await generatePack(deps, { month });
        process.stdout.write(
          `pack ${result.month} written to ${result.dir}\n` +
            `  events ${result.data.counts.events}, key timelines ${result.data.counts.keyTimelines}, resource timelines ${result.data.counts.resourceTimelines}\n` +
            `  manifest sha256 ${result.manifestSha256}\n`,
        );
      });
    });

  program
    .command("demo")
    .description("import the example audit export and build its evidence pack, end to end")
    .option("--workspace <dir>", "folder for the demo's store and packs (wiped first)", ".keyproof-demo")
    .action(async (opts: { workspace: string }) => {
      const { runDemo } = await import("./demo.js");
      await runDemo({ workspace: path.resolve(opts.workspace), out: process.stdout });
    });

  program
    .command("sim")
    .description("run the local OCI simulator (KMS, Identity, ...) seeded from a tenancy JSON file")
    .option("--port <port>", "port on 127.0.0.1 (0 = any free port)", "9000")
    .option("--tenancy <file>", "tenancy seed JSON (default: examples/tenancy/example-tenancy.json)")
    .option("--key-file <file>", "private key of the first seeded user, for the printed profile")
    .option("--time <iso>", "start the simulator clock at this instant (it then follows the wall clock)")
    .option("--audit-delay-ms <ms>", "audit delivery delay", "0")
    .action(async (opts: { port: string; tenancy?: string; keyFile?: string; time?: string; auditDelayMs: string }) => {
      const example = path.join(projectRoot(), "examples/tenancy");
      const tenancy = path.resolve(opts.tenancy ?? path.join(example, "example-tenancy.json"));
      const keyFile = opts.keyFile ? path.resolve(opts.keyFile) : opts.tenancy ? undefined : path.join(example, "TEST-ONLY-keyproof-rotator-private-key.pem");
      const port = Number(opts.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new ValidationError(`sim: --port must be 0..65535, got ${opts.port}`);
      const [{ describeSimulator }, { SeedError, loadTenancySeed }, { createSimClock }, { startSimulator }] = await Promise.all([
        import("../sim/describe-simulator.js"),
        import("../sim/seed/parse-tenancy-seed.js"),
        import("../sim/sim-clock.js"),
        import("../sim/start-simulator.js"),
      ]);
      let seed;
      try {
        seed = await loadTenancySeed(tenancy);
      } catch (error) {
        if (error instanceof SeedError) throw new ValidationError(error.message.split("\n")[0]!, error.details);
        throw error;
      }
      const sim = await startSimulator({
        seed, port, clock: createSimClock({ ticking: true, ...(opts.time ? { start: opts.time } : {}) }),
        auditDeliveryDelayMs: Number(opts.auditDelayMs),
        // With --time the clock may be far from the wall clock the SDKs sign with.
        ...(opts.time ? { maxClockSkewMs: Number.POSITIVE_INFINITY } : {}),
      });
      process.stdout.write(describeSimulator({ sim, ...(keyFile ? { keyFile } : {}) }));
      await new Promise<void>((resolve) => {
        process.once("SIGINT", resolve);
        process.once("SIGTERM", resolve);
      });
      await sim.close();
    });

  program
    .command("iam-policy")
    .description("print least-privilege OCI IAM policy statements for the rotator and a read-only auditor group")
    .option("--dynamic-group <name>", "dynamic group of the rotator", "keyproof-rotator")
    .option("--auditor-group <name>", "group of read-only auditors", "keyproof-auditors")
    .option("--topic-compartment <ocid>", "compartment of signals.topicId (default: the scope compartments)")
    .option("--json", "print the statements, the operations each allows and their sources as JSON")
    .action(async (opts: { dynamicGroup: string; auditorGroup: string; topicCompartment?: string; json?: boolean }) => {
      const { buildIamPolicy, formatIamPolicy } = await import("../rotation/iam-policy.js");
      // Config only (scope, signals, auth mode): no store is opened.
      const { config } = depsOptions(program);
      const policy = buildIamPolicy(config!, {
        dynamicGroup: opts.dynamicGroup, auditorGroup: opts.auditorGroup,
        ...(opts.topicCompartment ? { topicCompartmentId: opts.topicCompartment } : {}),
      });
      process.stdout.write(opts.json ? `${JSON.stringify(policy, null, 2)}\n` : formatIamPolicy(policy));
    });

  program
    .command("rotate")
    .description(
      "rotate every due key and re-key its resources, exactly once per key and slot; " +
        `exit ${ROTATE_EXIT_CODES.succeeded} when the run succeeded or had nothing to do, ${ROTATE_EXIT_CODES.partial} when partial, ${ROTATE_EXIT_CODES.failed} when failed`,
    )
    .option("--dry-run", "print the plan (key, vault, strategy, age, due date, action, resources) and send nothing to OCI")
    .option("--json", "print the plan (dry run) or the run result as JSON")
    .option("--key <ocid>", "only this key (or the lineage that contains it)")
    .option("--concurrency <n>", "keys worked on at the same time, each under its own lease (default 32)")
    .action(async (opts: { dryRun?: boolean; json?: boolean; key?: string; concurrency?: string }) => {
      const concurrency = opts.concurrency === undefined ? undefined : Number(opts.concurrency);
      if (concurrency !== undefined && (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256)) {
        throw new ValidationError(`rotate: --concurrency must be an integer 1..256, got ${opts.concurrency}`);
      }
      const [{ rotate }, { createOciPortsFromConfig }, { crashHookFromEnv }, format, plan, { createProgressReporter }] = await Promise.all([
        import("../rotation/rotate.js"),
        import("../oci/create-oci-ports.js"),
        import("../rotation/crash-hook.js"),
        import("../rotation/format-rotate-result.js"),
        import("../rotation/format-plan.js"),
        import("./progress.js"),
      ]);
      // Test-only: SIGKILL after a given step (KEYPROOF_TEST_CRASH_AFTER), to prove a rerun resumes.
      const afterStep = crashHookFromEnv(process.env);
      await withDeps(program, async (deps) => {
        const oci = await createOciPortsFromConfig(deps.config, {
          onRetry: (e) => deps.logger.warn({ operation: e.operation, attempt: e.attempt, reason: e.reason, statusCode: e.statusCode, opcRequestId: e.opcRequestId, delayMs: e.delayMs }, "OCI call retried"),
        });
        // Keys finished so far: a bar on a terminal, a log line every 10 s otherwise (DESIGN §7).
        const progress = opts.dryRun ? null : createProgressReporter(deps.logger, "keys");
        const onKeyDone = progress ? (o: { keyName: string; status: string }, done: number, total: number) => progress.update(done, total, `${o.keyName}: ${o.status}`) : undefined;
        try {
          const result = await rotate({ ...deps, oci, ...(afterStep ? { afterStep } : {}), ...(onKeyDone ? { onKeyDone } : {}) }, { dryRun: opts.dryRun ?? false, keyId: opts.key ?? null, trigger: "cli", ...(concurrency !== undefined ? { concurrency } : {}) });
          if (opts.dryRun && result.plan && result.inventory) {
            process.stdout.write(opts.json ? `${JSON.stringify(plan.planToJson(result.plan, result.inventory), null, 2)}\n` : plan.formatPlanTable(result.plan, result.inventory));
            if (!opts.json) process.stdout.write(`dry run: nothing was sent to OCI (run ${result.runId})\n`);
          } else {
            process.stdout.write(opts.json ? `${JSON.stringify(format.rotateResultToJson(result), null, 2)}\n` : format.formatRotateResult(result));
          }
          process.exitCode = ROTATE_EXIT_CODES[result.status];
        } finally {
          progress?.stop();
          oci.close();
        }
      });
    });

  const later: Record<string, string> = {
    verify: "the signing and verification issue",
    serve: "the HTTP API and scheduler issue",
  };
  for (const [name, issue] of Object.entries(later)) {
    program
      .command(name)
      .description(`(not yet available: arrives with ${issue})`)
      .allowUnknownOption()
      .allowExcessArguments()
      .action(() => {
        throw new AppError("PRECONDITION_FAILED", `${name} is not yet available in this version; it arrives with ${issue}`);
      });
  }
}
