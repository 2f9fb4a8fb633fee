/**
 * Malformed OCI answers (a 2xx that is not what the API promises) through the real SDK clients
 * against the simulator: the simulator's real handler runs (signature, audit, request id) and a
 * per-test hook replaces its answer. Each one is an OciCallError "malformed-answer" after one
 * attempt, never an empty page and never a crash; the ingest run records the window as failed and
 * collects the other scopes. OCI's own error message is kept to 300 characters.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ingestListEvents } from "../../src/ingest/oci/ingest-list-events.js";
import { ingestLoggingSearch } from "../../src/ingest/oci/ingest-logging-search.js";
import { OciCallError, type OciPorts } from "../../src/oci/oci-ports.js";
import { clipMessage, MAX_OCI_MESSAGE_CHARS } from "../../src/oci/with-retry.js";
import { createSimClock } from "../../src/sim/sim-clock.js";
import type { OpContext, OpResult } from "../../src/sim/sim-service.js";
import { listCheckpoints } from "../../src/store/ingest-ledger.js";
import { TEST_DIALECTS, useTestStore } from "../helpers/db.js";
import { portsFor } from "../helpers/oci-ports.js";
import { EXAMPLE, useSimulator } from "../helpers/sim.js";
import { appendAuditEvents, ledgerRows, storedEventIds, testIngestDeps } from "../ingest/oci/audit-event-factory.js";
import { operationHooks } from "./sim-operation-hooks.js";

const NOW = "2026-11-29T12:00:00.000Z";
const T = Date.parse(NOW);
const HOUR = 3_600_000;
const DAY_START = new Date(T - 24 * HOUR).toISOString();
const SECURITY_QUERY = `search "${EXAMPLE.tenancyId}/_Audit" | where compartmentId = '${EXAMPLE.securityId}'`;

/** A JSON answer of exactly `text` (the hook's `body` would be re-serialised, `raw` is sent as it is). */
const rawJson = (text: string): OpResult => ({ raw: { bytes: new TextEncoder().encode(text), contentType: "application/json" } });

/** Awaits `promise`, expecting it to fail with an OciCallError; returns that error. */
async function failure(promise: Promise<unknown>): Promise<OciCallError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(OciCallError);
  return error as OciCallError;
}

describe("malformed OCI answers (simulator, real SDK clients)", () => {
  const hooks = operationHooks();
  const suite = useSimulator({ services: hooks.services, clock: createSimClock({ start: NOW }), maxClockSkewMs: Infinity });
  let ports: OciPorts;
  const ids = { security: [] as string[], backupProd: [] as string[], tenancy: [] as string[] };
  beforeAll(() => {
    const { sim } = suite();
    ids.security = appendAuditEvents(sim, { compartmentId: EXAMPLE.securityId, count: 5, fromMs: T - 3 * HOUR, toMs: T - HOUR });
    ids.backupProd = appendAuditEvents(sim, { compartmentId: EXAMPLE.backupProdId, count: 4, fromMs: T - 3 * HOUR, toMs: T - HOUR });
    ids.tenancy = appendAuditEvents(sim, { compartmentId: EXAMPLE.tenancyId, count: 3, fromMs: T - 3 * HOUR, toMs: T - HOUR });
    ports = portsFor(suite().sim);
  });
  afterAll(() => ports.close());
  afterEach(() => hooks.after.clear());

  const listEvents = () => ports.audit.listEventsPage(EXAMPLE.securityId, T - 2 * HOUR, T);
  const searchLogs = () => ports.loggingSearch.searchLogsPage(SECURITY_QUERY, T - 2 * HOUR, T);
  const callsOf = (from: number, op: string) => suite().sim.calls.slice(from).filter((c) => c.operation === op).length;

  describe("ListEvents", () => {
    // `{}`, `[null]` and a string make the SDK itself fail while deserialising; `null` and `0`
    // pass the SDK (it sets no items) and are caught by the port; HTML is not JSON at all.
    for (const [answer, why] of [
      ["{}", "200 answer that is not the JSON expected (TypeError)"],
      ["[null]", "200 answer that is not the JSON expected (TypeError)"],
      ["null", "2xx answer without an array of audit events"],
      ["0", "2xx answer without an array of audit events"],
      ['"events"', "200 answer that is not the JSON expected (TypeError)"],
      ["<html><body>secret-looking proxy page</body></html>", "200 answer that is not the JSON expected (SyntaxError)"],
    ] as const) {
      it(`answered ${answer.slice(0, 12)}: malformed-answer after one attempt, without the answer's bytes`, async () => {
        const since = suite().sim.calls.length;
        hooks.after.set("ListEvents", () => rawJson(answer));
        const err = await failure(listEvents());
        expect(err).toMatchObject({ operation: "ListEvents", reason: "malformed-answer", attempts: 1, outcomeUnknown: false });
        expect(err.message).toBe(`ListEvents: ${why}`);
        expect(err.opcRequestId).toMatch(/\S+/);
        expect(callsOf(since, "ListEvents")).toBe(1);
      });
    }

    it("the same answers, when well formed, are read as pages (the hook itself changes nothing else)", async () => {
      hooks.after.set("ListEvents", () => rawJson("[]"));
      expect(await listEvents()).toMatchObject({ items: [], nextPage: null, attempts: 1 });
      hooks.after.clear();
      const read = (await listEvents()).items.map((e) => e.eventId);
      expect(read.length).toBeGreaterThan(0);
      expect(read.every((id) => ids.security.includes(id as string))).toBe(true);
    });
  });

  describe("SearchLogs", () => {
    for (const [answer, why] of [
      ["{}", "2xx answer without a searchResponse with an array of results"],
      ["null", "2xx answer without a searchResponse with an array of results"],
      ['{"results":null,"summary":{"resultCount":2}}', "2xx answer without a searchResponse with an array of results"],
      ['{"summary":{"resultCount":3}}', "2xx answer without a searchResponse with an array of results"],
      ['{"results":"none"}', "200 answer that is not the JSON expected (TypeError)"],
      ["", "200 answer that is not the JSON expected (SyntaxError)"],
    ] as const) {
      it(`answered ${JSON.stringify(answer).slice(0, 24)}: malformed-answer after one attempt`, async () => {
        const since = suite().sim.calls.length;
        hooks.after.set("SearchLogs", () => rawJson(answer));
        const err = await failure(searchLogs());
        expect(err).toMatchObject({ operation: "SearchLogs", reason: "malformed-answer", attempts: 1 });
        expect(err.message).toBe(`SearchLogs: ${why}`);
        expect(callsOf(since, "SearchLogs")).toBe(1);
      });
    }

    it("an answer without results whose summary says 0 results is an empty page (results is optional in OCI's model)", async () => {
      hooks.after.set("SearchLogs", () => rawJson('{"summary":{"resultCount":0}}'));
      expect(await searchLogs()).toMatchObject({ items: [], nextPage: null, attempts: 1 });
    });
  });

  describe("OCI's error message", () => {
    it("is cut to 300 characters in OciCallError.message, after the operation, status and service code", async () => {
      const long = `Invalid parameter: ${"x".repeat(5_000)}`;
      hooks.after.set("ListEvents", () => ({ status: 400, body: { code: "InvalidParameter", message: long } }));
      const err = await failure(listEvents());
      expect(err).toMatchObject({ reason: "invalid-request", statusCode: 400, serviceCode: "InvalidParameter", attempts: 1 });
      const prefix = "ListEvents: 400 InvalidParameter: ";
      expect(err.message.startsWith(`${prefix}Invalid parameter: xxx`)).toBe(true);
      expect(err.message.slice(prefix.length)).toHaveLength(MAX_OCI_MESSAGE_CHARS);
      expect(err.message.endsWith("x…")).toBe(true);
    });

    it("a short message is kept as it is", async () => {
      hooks.after.set("ListEvents", () => ({ status: 400, body: { code: "InvalidParameter", message: "startTime is after endTime" } }));
      expect((await failure(listEvents())).message).toBe("ListEvents: 400 InvalidParameter: startTime is after endTime");
    });

    it("clipMessage: control characters become spaces, a surrogate pair is never split", () => {
      expect(clipMessage("a\nb\tc")).toBe("a b c");
      expect(clipMessage("abcdef", 4)).toBe("abc…");
      // "ab😀…" would need 5 units; the emoji's high surrogate at the cut is dropped whole.
      expect(clipMessage("ab\u{1F600}cd", 4)).toBe("ab…");
      expect(clipMessage("abc😀", 5)).toBe("abc😀");
    });
  });

  describe.each(TEST_DIALECTS)("ingest (%s)", (dialect) => {
    const testStore = useTestStore(dialect);

    it("ListEvents: a malformed answer fails that window in the ledger; the other compartments are collected", async () => {
      const { store } = testStore();
      const { sim } = suite();
      hooks.after.set("ListEvents", (ctx: OpContext, result) => (ctx.query.get("compartmentId") === EXAMPLE.securityId ? rawJson("null") : result));
      const result = await ingestListEvents(await testIngestDeps(store, ports, sim, { backfillDays: 1 }));
      expect(result.failures).toEqual([
        expect.objectContaining({ scopeId: EXAMPLE.securityId, windowStart: DAY_START, windowEnd: NOW, reason: "malformed-answer" }),
      ]);
      expect(result.failures[0]!.detail).toContain("ListEvents: 2xx answer without an array of audit events");
      expect((await ledgerRows(store, "audit-list-events")).filter((w) => w.status === "failed").map((w) => [w.scopeId, w.reason])).toEqual([
        [EXAMPLE.securityId, "malformed-answer"],
      ]);
      const stored = new Set(await storedEventIds(store));
      expect(ids.security.some((id) => stored.has(id))).toBe(false);
      expect([...ids.backupProd, ...ids.tenancy].every((id) => stored.has(id))).toBe(true);
      expect((await listCheckpoints(store.db)).map((c) => c.scopeId).sort()).toEqual([EXAMPLE.backupProdId, EXAMPLE.tenancyId].sort());
    });

    it("SearchLogs: `{}` fails the root's window, not read as a window without events", async () => {
      const { store } = testStore();
      const { sim } = suite();
      hooks.after.set("SearchLogs", (ctx: OpContext, result) =>
        JSON.stringify(ctx.body).includes(EXAMPLE.securityId) ? rawJson("{}") : result);
      const deps = await testIngestDeps(store, ports, sim, { audit: "logging-search", backfillDays: 1, compartments: [EXAMPLE.securityId, EXAMPLE.backupProdId] });
      const result = await ingestLoggingSearch(deps);
      expect(result.failures.map((f) => [f.scopeId, f.reason])).toEqual([[EXAMPLE.securityId, "malformed-answer"]]);
      expect((await ledgerRows(store, "logging-search")).map((w) => [w.scopeId, w.status, w.reason]).sort()).toEqual(
        [[EXAMPLE.backupProdId, "collected", null], [EXAMPLE.securityId, "failed", "malformed-answer"]].sort(),
      );
      const stored = new Set(await storedEventIds(store));
      expect(ids.security.some((id) => stored.has(id))).toBe(false);
      expect(ids.backupProd.every((id) => stored.has(id))).toBe(true);
    });
  });
});
