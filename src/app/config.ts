/**
 * keyproof configuration: one zod schema over environment variables and an optional JSON config
 * file (STYLE §9). Parsed once at start, deep-frozen, failing fast with every bad field named.
 *
 * Precedence: environment variable > config file (`KEYPROOF_CONFIG` or `--config`) > default.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { ValidationError } from "./errors.js";

const positiveInt = z.number().int().positive();

/** Policy defaults from DESIGN §3. */
export const PolicyConfig = z
  .object({
    /** Cryptoperiod of a key version, days (default 90; CIS OCI 4.16, PCI DSS 3.7.4). */
    rotationIntervalDays: positiveInt.max(3650).default(90),
    /** After a rotation, every in-scope resource must be re-keyed within this many hours (default 24). */
    rekeyWithinHours: positiveInt.max(24 * 90).default(24),
    /** How long a superseded key version must stay usable, days (default 2555 = 7 years). */
    retentionDays: positiveInt.max(36500).default(2555),
  })
  .strict();

/** Which keys and resources are in scope (DESIGN §3 "scope"). */
export const ScopeConfig = z
  .object({
    /** Tag selector `key=value` (freeform) or `namespace.key=value` (defined tag). */
    tag: z
      .string()
      .regex(/^[^=\s]+=[^=]*$/, "expected key=value or namespace.key=value")
      .default("backup-encryption=enabled"),
    /** Compartment OCIDs whose subtrees are in scope; empty = the whole tenancy. */
    compartments: z.array(z.string().regex(/^ocid1\.(compartment|tenancy)\./, "expected a compartment or tenancy OCID")).default([]),
    /**
     * Compartment OCIDs whose subtrees hold the vaults (besides `compartments`); empty = the whole
     * tenancy. The usual OCI / CIS landing zone keeps vaults in a Security compartment apart from
     * the backups. Vaults found here only resolve keys that in-scope resources use or that carry
     * the scope tag (and their lineages); resources still come from `compartments` only.
     */
    vaultCompartments: z.array(z.string().regex(/^ocid1\.(compartment|tenancy)\./, "expected a compartment or tenancy OCID")).default([]),
  })
  .strict();

/**
 * An OCI region id: two or more lower-case words and a number (`us-ashburn-1`, `us-gov-ashburn-1`,
 * `eu-dcc-milan-1`: oci-common's Region list has 16 ids with three words).
 */
export const REGION_ID = /^[a-z]+(-[a-z]+)+-\d+$/;

export const OciConfig = z
  .object({
    /** How keyproof authenticates to OCI (OCI SDK conventions). */
    authMode: z.enum(["config-file", "instance-principal", "resource-principal"]).default("config-file"),
    /** OCI config file and profile, for authMode config-file. */
    configFile: z.string().default("~/.oci/config"),
    profile: z.string().default("DEFAULT"),
    /** Home region id, e.g. us-ashburn-1. */
    region: z.string().regex(REGION_ID, "expected a region id such as us-ashburn-1").optional(),
    /** Tenancy OCID. */
    tenancy: z.string().regex(/^ocid1\.tenancy\./, "expected a tenancy OCID").optional(),
    /** Base URL of an OCI simulator (`keyproof sim`), replacing every real endpoint. */
    endpointOverride: z.string().url().optional(),
  })
  .strict();

/** Cron specs for the scheduler (5 or 6 fields), with the zone they are read in. */
export const ScheduleConfig = z
  .object({
    timeZone: z.string().default("UTC"),
    rotation: z.string().default("0 2 * * *"),
    ingestion: z.string().default("17 * * * *"),
    /** Monthly pack on the 1st of the next month (B24: never a day > 28). */
    report: z.string().default("0 6 1 * *"),
  })
  .strict();

/** The rotation engine (DESIGN §3 "How a rotation works", issue 4). */
export const RotationConfig = z
  .object({
    /** A key is due this many days before its cryptoperiod ends, so a daily job never lets it lapse (default 7; less than half of policy.rotationIntervalDays, checked on Config). */
    leadDays: z.number().int().min(0).max(365).default(7),
    /** A lease on a key expires after this many ms if its holder dies (default 15 min). */
    leaseTtlMs: positiveInt.default(15 * 60_000),
    /** How often a ReencryptBucket work request is polled, ms (default 5 s). */
    workRequestPollMs: positiveInt.default(5_000),
    /** How long one run waits for a work request before recording it as in progress, ms (default 10 min). */
    workRequestMaxWaitMs: positiveInt.default(10 * 60_000),
    /**
     * KMS management writes (CreateKeyVersion, CreateKey) sent per second, every attempt counted,
     * shared by all keys of a run: OCI throttles them at 10 per second per tenancy (OCI-NOTES §2.2,
     * §5 item 6), so pacing below that avoids 429 storms (default 10).
     */
    kmsWritesPerSecond: positiveInt.max(1000).default(10),
    /** Resources of one key re-keyed (ReencryptBucket, volume moves, work request polls) at the same time (default 8). */
    resourceConcurrency: positiveInt.max(64).default(8),
    /** OCI reads in flight while collecting the inventory (GetKey, ListKeyVersions, GetBucket, GetVolume, ...) (default 16). */
    readConcurrency: positiveInt.max(256).default(16),
    /** The one retry layer (OCI-NOTES §1.4; the SDK's own retries and circuit breaker are off). */
    retry: z
      .object({
        /** Attempts per call including the first (default 6). */
        maxAttempts: positiveInt.max(50).default(6),
        /** First backoff, ms; doubles per attempt, full jitter (default 500). */
        baseDelayMs: positiveInt.default(500),
        /** Cap of one backoff, ms (default 30 s). */
        maxDelayMs: positiveInt.default(30_000),
        /** Cap of all attempts of one call, ms (default 2 min). */
        maxTotalMs: positiveInt.default(120_000),
        /** One HTTP attempt times out after this many ms (default 60 s). */
        timeoutMs: positiveInt.default(60_000),
      })
      .strict()
      .default({ maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 30_000, maxTotalMs: 120_000, timeoutMs: 60_000 }),
  })
  .strict();

/** Optional OCI Notifications and Monitoring signals. */
export const SignalsConfig = z
  .object({
    /** ONS topic OCID: a message for every run with a failure and a monthly summary. */
    topicId: z.string().regex(/^ocid1\.onstopic\./, "expected an ONS topic OCID").optional(),
    /** Compartment for Monitoring PostMetricData (namespace keyproof); unset = no metrics. */
    metricsCompartmentId: z.string().regex(/^ocid1\.(compartment|tenancy)\./, "expected a compartment or tenancy OCID").optional(),
  })
  .strict();

const bucketRef = (defaultPrefix: string) =>
  z
    .object({
      /** Object Storage namespace; default: the tenancy's (GetNamespace). */
      namespace: z.string().min(1).optional(),
      bucket: z.string().regex(/^[A-Za-z0-9._-]{1,256}$/, "expected an Object Storage bucket name"),
      /** Object name prefix. */
      prefix: z.string().default(defaultPrefix),
    })
    .strict();

/** Ingestion from OCI (issue 5, DESIGN §4). */
export const IngestConfig = z
  .object({
    /**
     * Where audit events come from: Audit ListEvents per compartment (default), Logging Search over
     * `_Audit_Include_Subcompartment`, or none (export files and the export bucket only). Both read
     * the same events in different envelopes: use one.
     */
    audit: z.enum(["list-events", "logging-search", "none"]).default("list-events"),
    /** Compartments whose audit events are collected (subtrees); empty = scope.compartments and scope.vaultCompartments, or the whole tenancy. */
    compartments: z.array(z.string().regex(/^ocid1\.(compartment|tenancy)\./, "expected a compartment or tenancy OCID")).default([]),
    /**
     * Minutes re-read before the checkpoint on every run, and the delivery delay packs allow for:
     * OCI delivers audit events late ("usually within 15 minutes", OCI-NOTES §5 item 1), so at
     * least 15 (default 30).
     */
    lookbackMinutes: z.number().int().min(15, "must be at least 15: OCI delivers audit events up to 15 minutes late").max(24 * 60).default(30),
    /** Longest window asked for at once, minutes (default 1440 = one day). */
    maxWindowMinutes: positiveInt.max(14 * 24 * 60).default(24 * 60),
    /** A window with more events than this is halved, down to one minute (cases.md B04; default 5000). */
    maxWindowEvents: positiveInt.max(1_000_000).default(5_000),
    /** First run (no checkpoint): start this many days back; default the tenancy's Audit retention (GetConfiguration). */
    backfillDays: positiveInt.max(365).optional(),
    /** "relevant": only the key, volume, bucket and audit-configuration events keyproof reports on (default); "all": every event of the compartments. */
    events: z.enum(["relevant", "all"]).default("relevant"),
    /** Service Connector export bucket: objects under the prefix are imported once per etag. */
    exportBucket: bucketRef("").optional(),
    /** Archive mirror: monthly event archives written here; the bucket must have a locked retention rule ≥ policy.retentionDays. */
    archiveBucket: bucketRef("keyproof-archive/").optional(),
    /** Take state snapshots (vaults, keys, versions, resources, backups, retention settings) during ingest runs (default true). */
    snapshots: z.boolean().default(true),
    /**
     * A snapshot is taken by the first ingest run at least this many hours after the last one that
     * succeeded (default 24: one a day; 0 = every run). Ingestion runs hourly; a snapshot per run
     * would store every key version 24 times a day.
     */
    snapshotIntervalHours: z.number().int().min(0).max(24 * 31).default(24),
  })
  .strict();

export const Config = z
  .object({
    /** SQLite file path or a postgres:// URL. */
    database: z.string().min(1).default("./data/keyproof.sqlite"),
    /** Folder evidence packs are written to. */
    reportsDir: z.string().min(1).default("./reports"),
    policy: PolicyConfig.default(PolicyConfig.parse({})),
    scope: ScopeConfig.default(ScopeConfig.parse({})),
    oci: OciConfig.default(OciConfig.parse({})),
    schedule: ScheduleConfig.default(ScheduleConfig.parse({})),
    rotation: RotationConfig.default(RotationConfig.parse({})),
    signals: SignalsConfig.default(SignalsConfig.parse({})),
    ingest: IngestConfig.default(IngestConfig.parse({})),
    logLevel: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  })
  .strict()
  .superRefine((config, ctx) => {
    // A key is due leadDays before its cryptoperiod ends (plan-rotation.ts): with a lead of half the
    // interval or more, a key rotated today would be due again within half an interval, and a lead
    // ≥ the interval makes every key due the moment it is rotated (rotation on every run).
    const { leadDays } = config.rotation;
    const { rotationIntervalDays } = config.policy;
    if (leadDays * 2 >= rotationIntervalDays) {
      ctx.addIssue({
        code: "custom",
        path: ["rotation", "leadDays"],
        message:
          `rotation.leadDays (${leadDays}) must be less than half of policy.rotationIntervalDays (${rotationIntervalDays}): ` +
          `use rotation.leadDays ≤ ${Math.max(0, Math.ceil(rotationIntervalDays / 2) - 1)} or a longer interval`,
      });
    }
  });

export type Config = z.infer<typeof Config>;

/**
 * Environment variables and the config path they fill, applied in this order (a later one wins):
 * the specific KEYPROOF_DATABASE therefore wins over the generic DATABASE_URL.
 */
export const ENV_VARS: Record<string, { path: string[]; kind: "string" | "int" | "list" }> = {
  DATABASE_URL: { path: ["database"], kind: "string" },
  KEYPROOF_DATABASE: { path: ["database"], kind: "string" },
  KEYPROOF_REPORTS_DIR: { path: ["reportsDir"], kind: "string" },
  KEYPROOF_ROTATION_INTERVAL_DAYS: { path: ["policy", "rotationIntervalDays"], kind: "int" },
  KEYPROOF_REKEY_WITHIN_HOURS: { path: ["policy", "rekeyWithinHours"], kind: "int" },
  KEYPROOF_RETENTION_DAYS: { path: ["policy", "retentionDays"], kind: "int" },
  KEYPROOF_SCOPE_TAG: { path: ["scope", "tag"], kind: "string" },
  KEYPROOF_COMPARTMENTS: { path: ["scope", "compartments"], kind: "list" },
  KEYPROOF_VAULT_COMPARTMENTS: { path: ["scope", "vaultCompartments"], kind: "list" },
  KEYPROOF_OCI_AUTH: { path: ["oci", "authMode"], kind: "string" },
  OCI_CONFIG_FILE: { path: ["oci", "configFile"], kind: "string" },
  OCI_CLI_PROFILE: { path: ["oci", "profile"], kind: "string" },
  OCI_REGION: { path: ["oci", "region"], kind: "string" },
  OCI_TENANCY: { path: ["oci", "tenancy"], kind: "string" },
  KEYPROOF_OCI_ENDPOINT: { path: ["oci", "endpointOverride"], kind: "string" },
  KEYPROOF_SCHEDULE_TZ: { path: ["schedule", "timeZone"], kind: "string" },
  KEYPROOF_CRON_ROTATION: { path: ["schedule", "rotation"], kind: "string" },
  KEYPROOF_CRON_INGESTION: { path: ["schedule", "ingestion"], kind: "string" },
  KEYPROOF_CRON_REPORT: { path: ["schedule", "report"], kind: "string" },
  KEYPROOF_ROTATION_LEAD_DAYS: { path: ["rotation", "leadDays"], kind: "int" },
  KEYPROOF_ONS_TOPIC: { path: ["signals", "topicId"], kind: "string" },
  KEYPROOF_METRICS_COMPARTMENT: { path: ["signals", "metricsCompartmentId"], kind: "string" },
  KEYPROOF_INGEST_AUDIT: { path: ["ingest", "audit"], kind: "string" },
  KEYPROOF_INGEST_COMPARTMENTS: { path: ["ingest", "compartments"], kind: "list" },
  KEYPROOF_INGEST_LOOKBACK_MINUTES: { path: ["ingest", "lookbackMinutes"], kind: "int" },
  KEYPROOF_INGEST_BACKFILL_DAYS: { path: ["ingest", "backfillDays"], kind: "int" },
  KEYPROOF_LOG_LEVEL: { path: ["logLevel"], kind: "string" },
};

/** Reads a JSON config file; throws ValidationError naming the file and what is wrong. */
function readConfigFile(path: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ValidationError(`config file ${path}: cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  try {
    const value: unknown = JSON.parse(text);
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
      throw new ValidationError(`config file ${path}: expected a JSON object at the top level`);
    }
    return value as Record<string, unknown>;
  } catch (err) {
    if (err instanceof ValidationError) throw err;
    throw new ValidationError(`config file ${path}: not valid JSON (${(err as Error).message})`);
  }
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let node = target;
  for (const part of path.slice(0, -1)) {
    const next = node[part];
    if (typeof next !== "object" || next === null || Array.isArray(next)) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[path[path.length - 1]!] = value;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/**
 * Builds the configuration from `env` (e.g. `process.env`) and an optional JSON config file
 * (`configPath`, else `env.KEYPROOF_CONFIG`). Returns a deep-frozen Config.
 * @throws ValidationError listing every bad field as `path: problem (from SOURCE)`.
 */
export function loadConfig(env: Record<string, string | undefined>, configPath?: string): Config {
  const file = configPath ?? env.KEYPROOF_CONFIG;
  const input: Record<string, unknown> = file ? readConfigFile(file) : {};
  const sources = new Map<string, string>();
  const problems: string[] = [];
  for (const [name, spec] of Object.entries(ENV_VARS)) {
    const raw = env[name];
    if (raw === undefined || raw === "") continue;
    let value: unknown = raw;
    if (spec.kind === "int") {
      value = /^-?\d+$/.test(raw.trim()) ? Number(raw.trim()) : raw;
      if (typeof value !== "number") problems.push(`${spec.path.join(".")}: expected an integer, got ${JSON.stringify(raw)} (from ${name})`);
    } else if (spec.kind === "list") {
      value = raw.split(",").map((s) => s.trim()).filter(Boolean);
    }
    setPath(input, spec.path, value);
    sources.set(spec.path.join("."), name);
  }
  const parsed = Config.safeParse(input);
  if (!parsed.success || problems.length > 0) {
    for (const issue of parsed.error?.issues ?? []) {
      const field = issue.path.join(".") || "(root)";
      const prefix = issue.path.map(String);
      const from = [...sources.entries()].find(([p]) => field === p || field.startsWith(`${p}.`))?.[1];
      const origin = from ? ` (from ${from})` : file && prefix.length > 0 ? ` (from ${file})` : "";
      const line = `${field}: ${issue.message}${origin}`;
      if (!problems.some((p) => p.startsWith(`${field}:`))) problems.push(line);
    }
    throw new ValidationError(`invalid configuration: ${problems.length} problem(s)\n  ${problems.join("\n  ")}`, problems);
  }
  return deepFreeze(parsed.data);
}
