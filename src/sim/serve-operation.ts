/**
 * The request pipeline every operation runs through, in order: request ids, raw body, signature
 * (401), allow list (404), due background work, faults (latency, 429, 500, reset, hang), write
 * throttling (429), opc-retry-token replay or conflict (409), the handler (with "not applied"
 * rollback), faults set to strike `after: "applied"` (the change is kept, the answer is lost to a
 * reset or hang, or replaced by a 500), the OCI error body for any SimError,
 * `opc-client-request-id` echoed for the services that take it, then the call log and the Audit
 * event (also for an applied call whose answer was lost: the operation happened).
 */
import type { HttpBindings } from "@hono/node-server";
import type { Context } from "hono";
import { buildAuditEvent } from "./audit/build-audit-event.js";
import type { FaultKind } from "./faults/fault-injector.js";
import { requestIdsFor } from "./http/request-ids.js";
import type { RetryTokenCache } from "./http/retry-token-cache.js";
import { verifySignature } from "./http/verify-signature.js";
import type { WriteThrottle } from "./http/write-throttle.js";
import { SimError, invalid } from "./sim-error.js";
import type { AuditDetails, OpContext, SimOperation, SimRuntime, SimService, SimServiceName } from "./sim-service.js";
import { restoreState, snapshotState, type UserRecord } from "./state/sim-state.js";

/** One request the simulator served, for tests that assert the order of calls. */
export interface SimCall {
  /** Simulator time of arrival (ISO). */
  time: string;
  method: string;
  /** Path and query as received (with the service prefix). */
  path: string;
  service: SimServiceName | null;
  /** OCI operation name, or `(unknown)` for an unrouted path. */
  operation: string;
  /** HTTP status; 0 when no response was sent (connection reset, hang). */
  status: number;
  /** The `opc-request-id` answered. */
  requestId: string;
  /** Name of the authenticated user, or null. */
  principal: string | null;
  fault: FaultKind | null;
}

export interface Pipeline {
  readonly runtime: SimRuntime;
  readonly calls: SimCall[];
  readonly retryTokens: RetryTokenCache;
  readonly throttle: WriteThrottle;
  readonly maxSkewMs: number;
  /** Writes per second allowed for a service (null = unthrottled). */
  writeLimit(service: SimService): number | null;
  /** Runs the services' time-driven work. */
  tick(): void;
  /** Resolvers of requests held by the "hang" fault, released on close. */
  readonly hangs: Set<() => void>;
}

type Ctx = Context<{ Bindings: HttpBindings }>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function parseBody(raw: Buffer): unknown {
  if (raw.length === 0) return undefined;
  try {
    return JSON.parse(raw.toString("utf8"));
  } catch {
    throw invalid("request body", "not valid JSON");
  }
}

function auditPath(service: SimService, pathname: string): string {
  const cut = service.basePath.split("/").filter(Boolean).length;
  return `/${pathname.split("/").filter(Boolean).slice(cut).join("/")}`;
}

interface Outcome {
  status: number;
  body: unknown;
  raw?: { bytes: Uint8Array; contentType: string };
  headers: Record<string, string>;
  message: string | null;
}

export async function serveOperation(p: Pipeline, service: SimService, op: SimOperation, c: Ctx): Promise<Response> {
  const rt = p.runtime;
  const incoming = c.env.incoming;
  const arrived = rt.clock.now();
  const wallStart = performance.now();
  const ids = requestIdsFor(c.req.header("opc-request-id"));
  const target = incoming.url ?? "/";
  const url = new URL(target, "http://sim.invalid");
  const raw = Buffer.from(await c.req.arrayBuffer());
  const call: SimCall = {
    time: arrived.toISOString(), method: c.req.method, path: target, service: service.name, operation: op.name,
    status: 0, requestId: ids.full, principal: null, fault: null,
  };
  p.calls.push(call);
  const details: AuditDetails = {};
  let principal: UserRecord | null = null;
  let out: Outcome;
  /** A fault rule with `after: "applied"` that fired: struck once the handler has applied the call. */
  let afterApplied: FaultKind | null = null;
  try {
    principal = verifySignature(
      { method: c.req.method, target, header: (n) => c.req.header(n), body: raw, bodyExcluded: op.rawBody === true },
      rt.state.users, arrived.getTime(), p.maxSkewMs,
    );
    call.principal = principal.name;
    if (principal.allowedOperations && !principal.allowedOperations.has(op.name)) {
      throw new SimError("NotAuthorizedOrNotFound", "Authorization failed or requested resource not found.");
    }
    p.tick();
    const fault = rt.faults.decide(op.name, op.write);
    call.fault = fault?.kind ?? null;
    if (fault?.latencyMs) await sleep(fault.latencyMs);
    // A rule with `after: "applied"` strikes once the handler has run (below); the others now.
    const before = fault?.after === "applied" ? null : fault?.kind ?? null;
    if (fault?.after === "applied") afterApplied = fault.kind;
    if (before === "reset" || before === "hang") return await loseAnswer(p, incoming, before);
    if (before === "throttle") {
      throw new SimError("TooManyRequests", "Too many requests for the tenancy", { "retry-after": String(fault!.retryAfterSeconds) });
    }
    if (before === "internal-error") throw new SimError("InternalServerError", "Internal Server Error (injected fault)");
    const limit = op.write ? p.writeLimit(service) : null;
    if (limit !== null && !p.throttle.admit(`${rt.state.tenancy.id}|${service.name}`, limit)) {
      throw new SimError("TooManyRequests", `Too many requests: ${service.name} allows ${limit} writes per second per tenancy`, { "retry-after": "1" });
    }
    const token = op.write ? c.req.header("opc-retry-token") : undefined;
    const scope = `${rt.state.tenancy.id}|${service.name}|${op.name}`;
    const replay = token ? p.retryTokens.lookup(scope, token, c.req.method, url.pathname, raw, arrived.getTime()) : null;
    if (replay) {
      out = { ...replay, message: null };
    } else {
      const ctx: OpContext = {
        runtime: rt, state: rt.state, operation: op, now: arrived, params: c.req.param() as Record<string, string>,
        query: url.searchParams, headers: c.req.raw.headers, body: op.rawBody ? undefined : parseBody(raw), rawBody: raw,
        principal, requestId: ids.full, eventGroupingId: ids.grouping, audit: details,
      };
      const snapshot = fault?.kind === "not-applied" ? snapshotState(rt.state) : null;
      try {
        const result = await op.handle(ctx);
        out = { status: result.status ?? 200, body: result.body, raw: result.raw, headers: result.headers ?? {}, message: null };
      } finally {
        if (snapshot) restoreState(rt.state, snapshot);
      }
      if (token && out.status < 300) p.retryTokens.store(scope, token, c.req.method, url.pathname, raw, arrived.getTime(), out);
    }
  } catch (error) {
    const e = error instanceof SimError ? error : new SimError("InternalServerError", `Internal Server Error: ${(error as Error).message}`);
    out = { status: e.status, body: e.body(), headers: e.headers, message: e.message };
    details.payload ??= e.body();
    if (!(error instanceof SimError)) console.error(`simulator: ${op.name} failed`, error);
  }
  // An applied call (2xx) whose answer is lost or replaced; a call the handler refused is answered as is.
  const applied = afterApplied !== null && out.status < 300;
  if (applied && afterApplied === "internal-error") {
    const e = new SimError("InternalServerError", "Internal Server Error (injected fault, after the call was applied)");
    out = { status: e.status, body: e.body(), headers: e.headers, message: e.message };
  }
  const lost = applied && (afterApplied === "reset" || afterApplied === "hang") ? afterApplied : null;

  const text = out.body === undefined ? null : JSON.stringify(out.body);
  const headers: Record<string, string> = { ...out.headers, "opc-request-id": ids.full };
  const clientRequestId = service.echoesClientRequestId ? c.req.header("opc-client-request-id") : undefined;
  if (clientRequestId) headers["opc-client-request-id"] = clientRequestId;
  if (text !== null) headers["content-type"] = "application/json";
  if (out.raw) headers["content-type"] = out.raw.contentType;
  call.status = lost ? 0 : out.status;
  if (principal && op.audited !== false) {
    const elapsed = Math.max(1, Math.round(performance.now() - wallStart));
    rt.audit.append(buildAuditEvent(rt.state, {
      eventType: service.eventType?.(op.name) ?? `com.oraclecloud.${service.auditSource}.${op.name}`,
      source: service.auditSource, eventName: op.name,
      eventTimeMs: arrived.getTime(), responseTimeMs: arrived.getTime() + elapsed, ids,
      path: auditPath(service, url.pathname), action: c.req.method, query: url.searchParams,
      requestHeaders: pairs(incoming.rawHeaders), status: out.status,
      responseHeaders: { "Content-Length": String(out.raw ? out.raw.bytes.length : text === null ? 0 : Buffer.byteLength(text)), ...auditHeaders(headers) },
      message: out.message, details, principal,
      ipAddress: incoming.socket.remoteAddress?.replace(/^::ffff:/, "") ?? null,
      userAgent: c.req.header("user-agent") ?? null,
    }));
  }
  if (lost) return loseAnswer(p, incoming, lost);
  return new Response(out.raw ? out.raw.bytes : text, { status: out.status, headers });
}

/**
 * No answer: `reset` destroys the socket at once (the client sees a network error), `hang` holds
 * the request until the client gives up (its socket closes) or the simulator closes.
 */
async function loseAnswer(p: Pipeline, incoming: HttpBindings["incoming"], kind: "reset" | "hang"): Promise<Response> {
  if (kind === "hang") {
    await new Promise<void>((resolve) => {
      p.hangs.add(resolve);
      incoming.socket.once("close", () => resolve());
    });
  }
  incoming.socket.destroy();
  return new Response(null, { status: 500 });
}

function pairs(rawHeaders: readonly string[]): [string, string][] {
  const out: [string, string][] = [];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) out.push([rawHeaders[i]!, rawHeaders[i + 1]!]);
  return out;
}

function auditHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) out[k === "etag" ? "ETag" : k === "content-type" ? "Content-Type" : k] = v;
  return out;
}
