/**
 * Bucket retention rules (OCI-NOTES §2.6): List ({"items"}), Get, Create, Update, Delete.
 * OCI's rules as the simulator applies them: a rule without `duration` is indefinite retention;
 * `timeRuleLocked` needs a duration and must be at least 14 days ahead (the lock delay, during which
 * the rule can still be changed or deleted); once locked a rule can only have its duration
 * increased and cannot be deleted; a bucket with versioning Enabled cannot get new rules.
 */
import { randomUUID } from "node:crypto";
import { etagOf } from "../http/etag.js";
import { paginate } from "../http/paginate.js";
import { bodyObject } from "../kms/kms-rules.js";
import { DAY_MS } from "../sim-clock.js";
import type { OpContext, SimOperation } from "../sim-service.js";
import { SimError, invalid, notFound } from "../sim-error.js";
import { bucketParam, checkEtag, type BucketRecord } from "./bucket-json.js";
import { objectStorageState } from "./object-storage-state.js";

type RuleRecord = BucketRecord["retentionRules"][number];
type Duration = NonNullable<RuleRecord["duration"]>;

/** OCI's delay between setting `timeRuleLocked` and the earliest lock. */
export const RULE_LOCK_DELAY_MS = 14 * DAY_MS;

const durationDays = (d: Duration | undefined): number => (d ? d.timeAmount * (d.timeUnit === "YEARS" ? 365 : 1) : Infinity);
const isLocked = (rule: RuleRecord, nowMs: number): boolean => !!rule.timeRuleLocked && Date.parse(rule.timeRuleLocked) <= nowMs;

function ruleJson(ctx: OpContext, rule: RuleRecord): Record<string, unknown> {
  const timeModified = objectStorageState(ctx.state).ruleModified[rule.id] ?? new Date(rule.timeCreated).toISOString();
  return {
    id: rule.id, displayName: rule.displayName, duration: rule.duration, etag: etagOf({ ...rule, timeModified }),
    timeRuleLocked: rule.timeRuleLocked ? new Date(rule.timeRuleLocked).toISOString() : undefined,
    timeCreated: new Date(rule.timeCreated).toISOString(), timeModified,
  };
}

function parseDuration(value: unknown): Duration | undefined {
  if (value === undefined || value === null) return undefined;
  const d = value as Record<string, unknown>;
  if (typeof d.timeAmount !== "number" || !Number.isInteger(d.timeAmount) || d.timeAmount < 1) throw invalid("duration.timeAmount", "expected a positive integer");
  if (d.timeUnit !== "DAYS" && d.timeUnit !== "YEARS") throw invalid("duration.timeUnit", "expected DAYS or YEARS");
  return { timeAmount: d.timeAmount, timeUnit: d.timeUnit };
}

function parseLockTime(value: unknown, duration: Duration | undefined, nowMs: number): string | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === "string" ? Date.parse(value) : NaN;
  if (!Number.isFinite(ms)) throw invalid("timeRuleLocked", "expected an RFC 3339 date-time");
  if (!duration) throw invalid("timeRuleLocked", "a rule without a duration (indefinite retention) cannot be locked");
  if (ms < nowMs + RULE_LOCK_DELAY_MS) throw invalid("timeRuleLocked", "must be at least 14 days in the future (the retention rule lock delay)");
  return new Date(ms).toISOString();
}

function ruleParam(ctx: OpContext): { bucket: BucketRecord; rule: RuleRecord } {
  const bucket = bucketParam(ctx);
  const rule = bucket.retentionRules.find((r) => r.id === ctx.params.retentionRuleId);
  if (!rule) throw notFound("Retention rule", ctx.params.retentionRuleId ?? "");
  return { bucket, rule };
}

const ruleEtag = (ctx: OpContext, rule: RuleRecord) => ruleJson(ctx, rule).etag as string;

export const RETENTION_RULE_OPERATIONS: readonly SimOperation[] = [
  {
    name: "ListRetentionRules", method: "GET", path: "/n/:namespaceName/b/:bucketName/retentionRules", write: false,
    handle(ctx) {
      const bucket = bucketParam(ctx);
      const page = paginate(ctx, bucket.retentionRules, { defaultLimit: 100, maxLimit: 1000 });
      return { body: { items: page.items.map((r) => ruleJson(ctx, r)) }, headers: page.headers };
    },
  },
  {
    name: "GetRetentionRule", method: "GET", path: "/n/:namespaceName/b/:bucketName/retentionRules/:retentionRuleId", write: false,
    handle(ctx) {
      const { rule } = ruleParam(ctx);
      const body = ruleJson(ctx, rule);
      return { body, headers: { etag: body.etag as string } };
    },
  },
  {
    name: "CreateRetentionRule", method: "POST", path: "/n/:namespaceName/b/:bucketName/retentionRules", write: true,
    handle(ctx) {
      const bucket = bucketParam(ctx);
      if (bucket.versioning === "Enabled") throw new SimError("Conflict", `The bucket ${bucket.name} has versioning enabled; retention rules need versioning disabled or suspended`);
      const body = bodyObject(ctx.body, true);
      const duration = parseDuration(body.duration);
      const timeRuleLocked = parseLockTime(body.timeRuleLocked, duration, ctx.now.getTime());
      const now = ctx.now.toISOString();
      const rule: RuleRecord = {
        id: randomUUID(), displayName: typeof body.displayName === "string" && body.displayName ? body.displayName : `retention-rule-${now.slice(0, 16).replace(/[-:T]/g, "")}`,
        timeCreated: now, ...(duration ? { duration } : {}), ...(timeRuleLocked ? { timeRuleLocked } : {}),
      };
      bucket.retentionRules.push(rule);
      objectStorageState(ctx.state).ruleModified[rule.id] = now;
      ctx.audit.additionalDetails = { retentionRule: ruleJson(ctx, rule) };
      const json = ruleJson(ctx, rule);
      return { body: json, headers: { etag: json.etag as string } };
    },
  },
  {
    name: "UpdateRetentionRule", method: "PUT", path: "/n/:namespaceName/b/:bucketName/retentionRules/:retentionRuleId", write: true,
    handle(ctx) {
      const { rule } = ruleParam(ctx);
      checkEtag(ctx.headers.get("if-match"), ruleEtag(ctx, rule));
      const body = bodyObject(ctx.body, true);
      const nowMs = ctx.now.getTime();
      const duration = body.duration === undefined ? rule.duration : parseDuration(body.duration);
      if (isLocked(rule, nowMs)) {
        // A locked rule: only a longer duration is accepted.
        if (body.displayName !== undefined && body.displayName !== rule.displayName) throw invalid("displayName", "a locked retention rule can only have its duration increased");
        if (body.timeRuleLocked !== undefined && body.timeRuleLocked !== null && Date.parse(String(body.timeRuleLocked)) !== Date.parse(rule.timeRuleLocked!)) {
          throw invalid("timeRuleLocked", "a locked retention rule cannot change its lock time");
        }
        if (durationDays(duration) < durationDays(rule.duration)) throw invalid("duration", "a locked retention rule can only have its duration increased");
        if (duration) rule.duration = duration;
      } else {
        const lock = body.timeRuleLocked === undefined ? rule.timeRuleLocked : parseLockTime(body.timeRuleLocked, duration, nowMs);
        if (lock && !duration) throw invalid("duration", "a locked retention rule needs a duration");
        if (typeof body.displayName === "string" && body.displayName) rule.displayName = body.displayName;
        if (duration) rule.duration = duration;
        else delete rule.duration;
        if (lock) rule.timeRuleLocked = lock;
        else delete rule.timeRuleLocked;
      }
      objectStorageState(ctx.state).ruleModified[rule.id] = ctx.now.toISOString();
      const json = ruleJson(ctx, rule);
      return { body: json, headers: { etag: json.etag as string } };
    },
  },
  {
    name: "DeleteRetentionRule", method: "DELETE", path: "/n/:namespaceName/b/:bucketName/retentionRules/:retentionRuleId", write: true,
    handle(ctx) {
      const { bucket, rule } = ruleParam(ctx);
      checkEtag(ctx.headers.get("if-match"), ruleEtag(ctx, rule));
      if (isLocked(rule, ctx.now.getTime())) throw new SimError("Conflict", `The retention rule ${rule.id} is locked; only deleting the bucket removes it`);
      bucket.retentionRules.splice(bucket.retentionRules.indexOf(rule), 1);
      return { status: 204 };
    },
  },
];
