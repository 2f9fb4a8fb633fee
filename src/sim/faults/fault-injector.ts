/**
 * Fault injection per operation name, deterministic from a seed: the n-th call of an operation
 * draws the same number on every run, so a flaky-looking scenario is reproducible. The request
 * pipeline applies the decision around the handler; services that run work requests ask
 * {@link FaultInjector.workRequestOutcome}.
 */
import { createHash } from "node:crypto";

export type FaultKind =
  /** 429 TooManyRequests with Retry-After. */
  | "throttle"
  /** 500 InternalServerError. */
  | "internal-error"
  /** The socket is destroyed before any response (the SDK sees a network error). */
  | "reset"
  /** No response until the client gives up (the SDK sees its own timeout/abort). */
  | "hang"
  /** Write operations only: 200 and the normal body, but the change is rolled back. */
  | "not-applied";

/**
 * A paginator that does not advance (cases B07), from the second page on (a request that carries a
 * `page` token); the first page and one-page results are unaffected.
 */
export type PaginationFault =
  /** Every later page answers the token it was asked with (and that token's page), forever. */
  | "same-token"
  /** Every later page answers a new token whose page starts with the previous page's first item again. */
  | "repeat-first-item";

export const PAGINATION_FAULTS: readonly PaginationFault[] = ["same-token", "repeat-first-item"];

/** The kinds that {@link FaultRule.after} `"applied"` can follow: the answer is lost or replaced, not the change. */
export const AFTER_APPLIED_KINDS: readonly FaultKind[] = ["reset", "hang", "internal-error"];

export interface FaultRule {
  /** Added latency before the call is handled (applies whether or not `kind` fires). */
  latencyMs?: number;
  kind?: FaultKind;
  /** Chance per call that `kind` fires (0..1, default 1), drawn deterministically from the seed. */
  probability?: number;
  /** Stop after injecting `kind` this many times (default: unlimited). */
  times?: number;
  /**
   * When `kind` strikes: absent = before the handler (nothing happens, the usual case);
   * `"applied"` = after the handler ran and its change was kept, so only the answer is lost
   * (`reset`: socket destroyed, `hang`: no answer until the client gives up) or replaced
   * (`internal-error`: 500). Models a write OCI accepted whose answer never reached the client
   * (a timeout, a connection reset, a 5xx from a proxy): the client cannot tell it from one that
   * was never applied. Only with `reset`, `hang` and `internal-error` (TypeError otherwise).
   */
  after?: "applied";
  /** Retry-After seconds sent with `throttle` (default 1). */
  retryAfterSeconds?: number;
  /** For operations that start work requests: the work request stalls or fails. */
  workRequest?: "stall" | "fail";
  /**
   * For paginated reads (every List*, SearchResources, ListEvents, SearchLogs): the next-page token
   * never advances (B07). Applies to every later page while the rule is set (not drawn: `probability`
   * and `times` govern `kind` and `workRequest` only).
   */
  pagination?: PaginationFault;
}

export interface FaultConfig {
  /** Seed of the per-call draws (default 1). */
  seed?: number;
  /** Rules by operation name (`CreateKeyVersion`, `AutoKeyRotate`, ...). */
  operations?: Record<string, FaultRule>;
}

export interface FaultDecision {
  latencyMs: number;
  kind: FaultKind | null;
  /** `"applied"`: `kind` strikes after the handler ran (see {@link FaultRule.after}); null: before it. */
  after: "applied" | null;
  retryAfterSeconds: number;
}

/** One injected fault, for tests to assert on. */
export interface InjectedFault {
  operation: string;
  kind: FaultKind | "work-request-stall" | "work-request-fail" | `pagination-${PaginationFault}`;
  call: number;
  /** Set when the fault struck after the handler applied the call ({@link FaultRule.after}). */
  after?: "applied";
}

export class FaultInjector {
  private readonly rules = new Map<string, FaultRule>();
  private readonly calls = new Map<string, number>();
  private readonly fired = new Map<string, number>();
  private seed: number;
  /** Every fault injected so far, in order. */
  readonly injected: InjectedFault[] = [];

  constructor(
    private readonly knownOperations: ReadonlySet<string>,
    config: FaultConfig = {},
  ) {
    this.seed = config.seed ?? 1;
    for (const [op, rule] of Object.entries(config.operations ?? {})) this.set(op, rule);
  }

  /** Sets (replaces) the rule of one operation; unknown names are a TypeError listing the known ones. */
  set(operation: string, rule: FaultRule): void {
    if (!this.knownOperations.has(operation)) {
      throw new TypeError(`faults: unknown operation ${operation}; known: ${[...this.knownOperations].sort().join(", ")}`);
    }
    if (rule.probability !== undefined && !(rule.probability >= 0 && rule.probability <= 1)) {
      throw new TypeError(`faults.${operation}.probability must be within 0..1`);
    }
    if (rule.after !== undefined && (rule.after !== "applied" || !rule.kind || !AFTER_APPLIED_KINDS.includes(rule.kind))) {
      throw new TypeError(`faults.${operation}.after must be "applied", with kind ${AFTER_APPLIED_KINDS.join(", ")}`);
    }
    if (rule.pagination !== undefined && !PAGINATION_FAULTS.includes(rule.pagination)) {
      throw new TypeError(`faults.${operation}.pagination must be one of ${PAGINATION_FAULTS.join(", ")}`);
    }
    this.rules.set(operation, { ...rule });
    this.fired.set(operation, 0);
  }

  /** Removes one operation's rule, or all rules. */
  clear(operation?: string): void {
    if (operation) this.rules.delete(operation);
    else this.rules.clear();
  }

  /** Changes the seed of later draws. */
  reseed(seed: number): void {
    this.seed = seed;
  }

  private draw(operation: string, n: number): number {
    const h = createHash("sha256").update(`${this.seed}|${operation}|${n}`).digest();
    return h.readUInt32BE(0) / 0x1_0000_0000;
  }

  private fires(operation: string, rule: FaultRule, n: number): boolean {
    const fired = this.fired.get(operation) ?? 0;
    if (rule.times !== undefined && fired >= rule.times) return false;
    if (this.draw(operation, n) >= (rule.probability ?? 1)) return false;
    this.fired.set(operation, fired + 1);
    return true;
  }

  /** The decision for the next call of `operation` (null: no rule). "not-applied" only fires for writes. */
  decide(operation: string, write: boolean): FaultDecision | null {
    const n = (this.calls.get(operation) ?? 0) + 1;
    this.calls.set(operation, n);
    const rule = this.rules.get(operation);
    if (!rule) return null;
    let kind: FaultKind | null = rule.kind ?? null;
    if (kind === "not-applied" && !write) kind = null;
    if (kind && !this.fires(operation, rule, n)) kind = null;
    const after = kind && rule.after ? rule.after : null;
    if (kind) this.injected.push({ operation, kind, call: n, ...(after ? { after } : {}) });
    return { latencyMs: rule.latencyMs ?? 0, kind, after, retryAfterSeconds: rule.retryAfterSeconds ?? 1 };
  }

  /** What should happen to a work request started by `operation` (null: it runs normally). */
  workRequestOutcome(operation: string): "stall" | "fail" | null {
    const rule = this.rules.get(operation);
    if (!rule?.workRequest) return null;
    const n = this.calls.get(operation) ?? 0;
    if (!this.fires(operation, rule, n)) return null;
    this.injected.push({ operation, kind: rule.workRequest === "stall" ? "work-request-stall" : "work-request-fail", call: n });
    return rule.workRequest;
  }

  /**
   * How the current call of a paginated `operation` that asked for a later page (it sent a `page`
   * token) should misbehave (null: it pages normally). Recorded in {@link injected} when it applies.
   */
  paginationFault(operation: string): PaginationFault | null {
    const mode = this.rules.get(operation)?.pagination;
    if (!mode) return null;
    this.injected.push({ operation, kind: `pagination-${mode}`, call: this.calls.get(operation) ?? 0 });
    return mode;
  }
}
