import { generateKeyPairSync } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import * as common from "oci-common";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOciClients } from "../../src/oci/create-oci-clients.js";
import { OciCallError, type KmsManagementPort, type OciPorts } from "../../src/oci/oci-ports.js";
import { SwappableAuthProvider } from "../../src/oci/swappable-auth-provider.js";
import { createObjectStoragePort } from "../../src/oci/object-storage-port.js";
import { createOciCaller, parseRetryAfter, withRetry, type RetryEvent } from "../../src/oci/with-retry.js";
import { objectStorageState } from "../../src/sim/objectstorage/object-storage-state.js";
import { EXAMPLE, EXAMPLE_KEY_FILE, useSimulator } from "../helpers/sim.js";
import { instantRetryRuntime, portsFor, TEST_RETRY } from "../helpers/oci-ports.js";

const DISABLED_KEY = "ocid1.key.oc1.iad.ejsppeqvaafyi.aaaaaaaadisabledkeydisabledkeydisabledkeydisabledkey01";

describe("the one retry layer against the simulator (cases.md B03, Retry-After, 5xx, reset, hang, 4xx, 401)", () => {
  const suite = useSimulator({
    changeSeed: (seed) => {
      const template = seed.keys.find((k) => k.displayName === "keyproof-manifest-signing")!;
      seed.keys.push({
        ...structuredClone(template), id: DISABLED_KEY, displayName: "disabled-key", lifecycleState: "DISABLED",
        versions: [{ id: "ocid1.keyversion.oc1.iad.ejsppeqvaafyi.aaaaaaaadisabledkeyversiondisabledkeyversion01", timeCreated: "2026-01-01T00:00:00Z" }],
      } as (typeof seed.keys)[number]);
    },
  });
  let ports: OciPorts & { retryRuntime: ReturnType<typeof instantRetryRuntime> };
  let kms: KmsManagementPort;
  const events: RetryEvent[] = [];
  beforeAll(async () => {
    ports = portsFor(suite().sim, { onRetry: (e) => events.push(e) }) as typeof ports;
    kms = ports.kms(await ports.getVault(EXAMPLE.vaultId));
  });
  afterAll(() => ports.close());

  /** Runs `fn` with fresh sleep and event logs and returns the simulator calls of `operation` it caused. */
  async function observe<T>(operation: string, fn: () => Promise<T>) {
    const { sim } = suite();
    ports.retryRuntime.sleeps.length = 0;
    events.length = 0;
    const since = sim.calls.length;
    const outcome = await fn().then((value) => ({ value, error: null }), (error: unknown) => ({ value: null, error }));
    sim.faults.clear();
    const calls = sim.calls.slice(since).filter((c) => c.operation === operation);
    return { ...outcome, calls, statuses: calls.map((c) => c.status), sleeps: [...ports.retryRuntime.sleeps], events: [...events] };
  }

  it("B03: ListKeys answering 429 five times, then 200, succeeds on attempt 6; the simulator saw exactly 6 ListKeys", async () => {
    suite().sim.faults.set("ListKeys", { kind: "throttle", times: 5 });
    const seen = await observe("ListKeys", () => kms.listKeys(EXAMPLE.securityId));
    expect(seen.error).toBeNull();
    expect(seen.value!.map((k) => k.id)).toContain(EXAMPLE.bucketKey.id);
    // 6 calls in all: no retry by the SDK on top of ours.
    expect(seen.statuses).toEqual([429, 429, 429, 429, 429, 200]);
    // Full jitter (random 0.5) of 500·2^n, never under Retry-After: 1 s.
    expect(seen.sleeps).toEqual([1000, 1000, 1000, 2000, 4000]);
    expect(seen.events.map((e) => [e.attempt, e.reason, e.statusCode])).toEqual([1, 2, 3, 4, 5].map((n) => [n, "throttled", 429]));
  });

  it("B03: 429 forever ends as OciCallError 'throttled' after maxAttempts, never a value", async () => {
    suite().sim.faults.set("ListKeys", { kind: "throttle" });
    const seen = await observe("ListKeys", () => kms.listKeys(EXAMPLE.securityId));
    expect(seen.value).toBeNull();
    expect(seen.error).toBeInstanceOf(OciCallError);
    expect(seen.error).toMatchObject({ operation: "ListKeys", reason: "throttled", statusCode: 429, serviceCode: "TooManyRequests", attempts: 6 });
    expect(seen.statuses).toEqual([429, 429, 429, 429, 429, 429]);
    expect((seen.error as OciCallError).opcRequestId).toBe(seen.calls.at(-1)!.requestId);
  });

  it("B03: 429 forever stops at the time budget when that comes first (no wait that would end past it)", async () => {
    const budget = portsFor(suite().sim, { retry: { maxTotalMs: 3_500 } });
    try {
      suite().sim.faults.set("GetVault", { kind: "throttle" });
      const before = budget.retryRuntime.nowMs();
      const seen = await observe("GetVault", () => budget.getVault(EXAMPLE.vaultId));
      // Waits 1 + 1 + 1 s; the next (2 s) would end at 5 s, past the 3.5 s budget.
      expect(seen.error).toMatchObject({ reason: "throttled", attempts: 4 });
      expect((budget.retryRuntime as ReturnType<typeof instantRetryRuntime>).sleeps).toEqual([1000, 1000, 1000]);
      expect(budget.retryRuntime.nowMs() - before).toBeLessThan(3_500);
      expect(seen.statuses).toEqual([429, 429, 429, 429]);
      expect((seen.error as Error).message).toMatch(/would pass the 3500 ms budget/);
    } finally {
      budget.close();
    }
  });

  it("honours a Retry-After longer than the backoff", async () => {
    suite().sim.faults.set("GetVault", { kind: "throttle", retryAfterSeconds: 7, times: 1 });
    const seen = await observe("GetVault", () => ports.getVault(EXAMPLE.vaultId));
    expect(seen.error).toBeNull();
    expect(seen.sleeps).toEqual([7000]);
    expect(seen.statuses).toEqual([429, 200]);
  });

  it("retries 500 and reports the opc-request-id and attempts of the good attempt, with the same opc-retry-token", async () => {
    const { sim } = suite();
    sim.faults.set("CreateKeyVersion", { kind: "internal-error", times: 2 });
    const versionsBefore = [...sim.state.keyVersions.values()].filter((v) => v.keyId === EXAMPLE.bucketKey.id).length;
    const seen = await observe("CreateKeyVersion", () => kms.createKeyVersion(EXAMPLE.bucketKey.id, "retry-layer-500"));
    expect(seen.statuses).toEqual([500, 500, 200]);
    expect(seen.value).toMatchObject({ attempts: 3, opcRequestId: seen.calls[2]!.requestId });
    expect(seen.sleeps).toEqual([250, 500]);
    expect([...sim.state.keyVersions.values()].filter((v) => v.keyId === EXAMPLE.bucketKey.id)).toHaveLength(versionsBefore + 1);
    const replay = await kms.createKeyVersion(EXAMPLE.bucketKey.id, "retry-layer-500");
    expect(replay.value.id).toBe(seen.value!.value.id);
  });

  it("retries a connection reset (network error)", async () => {
    suite().sim.faults.set("GetKey", { kind: "reset", times: 1 });
    const seen = await observe("GetKey", () => kms.getKey(EXAMPLE.bucketKey.id));
    expect(seen.error).toBeNull();
    expect(seen.statuses).toEqual([0, 200]);
    expect(seen.events).toMatchObject([{ attempt: 1, reason: "network", statusCode: null }]);
  });

  it("ends a hung request at the per-attempt timeout, retries it, and fails as 'timeout' when it keeps hanging", async () => {
    const quick = portsFor(suite().sim, { retry: { timeoutMs: 300, maxAttempts: 2 } });
    try {
      const quickKms = quick.kms(await quick.getVault(EXAMPLE.vaultId));
      suite().sim.faults.set("GetKey", { kind: "hang", times: 1 });
      const once = await observe("GetKey", () => quickKms.getKey(EXAMPLE.bucketKey.id));
      expect(once.error).toBeNull();
      expect(once.statuses).toEqual([0, 200]);

      suite().sim.faults.set("GetKey", { kind: "hang" });
      const started = performance.now();
      const forever = await observe("GetKey", () => quickKms.getKey(EXAMPLE.bucketKey.id));
      expect(forever.error).toMatchObject({ operation: "GetKey", reason: "timeout", attempts: 2, statusCode: null });
      expect(forever.statuses).toEqual([0, 0]);
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      quick.close();
    }
  });

  it("retries 409 IncorrectState (the SDK's own rule) but never 409 Conflict, 404 or 400", async () => {
    const { sim } = suite();
    const incorrect = await observe("CreateKeyVersion", () => kms.createKeyVersion(DISABLED_KEY, "disabled-key-version"));
    expect(incorrect.error).toMatchObject({ reason: "conflict", serviceCode: "IncorrectState", attempts: 6 });
    expect(incorrect.statuses).toEqual([409, 409, 409, 409, 409, 409]);

    const replica = ports.kms(await ports.getVault(EXAMPLE.replicaVaultId));
    const conflict = await observe("CreateKeyVersion", () => replica.createKeyVersion(EXAMPLE.bucketKey.id, "through-the-replica"));
    expect(conflict.error).toMatchObject({ reason: "conflict", serviceCode: "Conflict", attempts: 1 });
    expect(conflict.statuses).toEqual([409]);

    const missing = await observe("GetVolumeKmsKey", () => ports.blockVolume.getKmsKey("volume", "ocid1.volume.oc1.iad.nosuchvolume"));
    expect(missing.error).toMatchObject({ reason: "not-authorized-or-not-found", statusCode: 404, attempts: 1 });
    expect(missing.statuses).toEqual([404]);

    const web = await observe("ReencryptBucket", () => ports.objectStorage.reencryptBucket(sim.state.tenancy.namespace, "web-assets"));
    expect(web.error).toMatchObject({ reason: "invalid-request", statusCode: 400, attempts: 1 });
    expect(web.statuses).toEqual([400]);
  });

  describe("writes that are not safe to repeat (NOT_SAFE_TO_REPEAT: no opc-retry-token)", () => {
    const reencryptsOf = (bucket: string) => Object.values(objectStorageState(suite().sim.state).workRequests).filter((w) => w.bucketName === bucket).length;

    it.each(["reset", "hang", "internal-error"] as const)("ReencryptBucket applied, then %s: sent once, never again; OciCallError with outcomeUnknown", async (kind) => {
      const { sim } = suite();
      const quick = portsFor(sim, { retry: { timeoutMs: 300 } });
      try {
        const before = reencryptsOf("app-backups");
        sim.faults.set("ReencryptBucket", { kind, after: "applied" });
        const seen = await observe("ReencryptBucket", () => quick.objectStorage.reencryptBucket(sim.state.tenancy.namespace, "app-backups"));
        expect(seen.calls.map((c) => c.fault)).toEqual([kind]);
        expect(seen.error).toBeInstanceOf(OciCallError);
        expect(seen.error).toMatchObject({ operation: "ReencryptBucket", attempts: 1, outcomeUnknown: true, reason: { reset: "network", hang: "timeout", "internal-error": "server-error" }[kind] });
        expect((seen.error as Error).message).toMatch(/outcome unknown: not sent again/);
        // The simulator did start the re-encryption: a blind retry would have started a second one.
        expect(reencryptsOf("app-backups")).toBe(before + 1);
      } finally {
        quick.close();
      }
    });

    it("UpdateVolumeKmsKey applied, then reset: sent once (a repeat would regenerate the volume key again)", async () => {
      const { sim } = suite();
      const volumeId = [...sim.state.volumes.keys()][0]!;
      const current = sim.state.volumes.get(volumeId)!.kmsKeyId!;
      sim.faults.set("UpdateVolumeKmsKey", { kind: "reset", after: "applied" });
      const seen = await observe("UpdateVolumeKmsKey", () => ports.blockVolume.updateKmsKey("volume", volumeId, current));
      expect(seen.statuses).toEqual([0]);
      expect(seen.error).toMatchObject({ reason: "network", attempts: 1, outcomeUnknown: true });
    });

    it("still retries them when the failure proves nothing was applied (429), and CreateKeyVersion (retry token) after an applied reset", async () => {
      const { sim } = suite();
      const before = reencryptsOf("db-backups");
      sim.faults.set("ReencryptBucket", { kind: "throttle", times: 2 });
      const throttled = await observe("ReencryptBucket", () => ports.objectStorage.reencryptBucket(sim.state.tenancy.namespace, "db-backups"));
      expect(throttled.statuses).toEqual([429, 429, 202]);
      expect(reencryptsOf("db-backups")).toBe(before + 1);

      const versions = () => [...sim.state.keyVersions.values()].filter((v) => v.keyId === EXAMPLE.bucketKey.id).length;
      const versionsBefore = versions();
      sim.faults.set("CreateKeyVersion", { kind: "reset", after: "applied", times: 1 });
      const created = await observe("CreateKeyVersion", () => kms.createKeyVersion(EXAMPLE.bucketKey.id, "applied-then-reset"));
      // Retried with the same token: OCI replays the version the lost answer carried.
      expect(created.statuses).toEqual([0, 200]);
      expect(created.value).toMatchObject({ attempts: 2 });
      expect(versions()).toBe(versionsBefore + 1);
    });
  });

  it("turns the SDK's own retries off for Object Storage, whose operations retry 8 times by default", async () => {
    const once = portsFor(suite().sim, { retry: { maxAttempts: 1 } });
    try {
      suite().sim.faults.set("GetWorkRequest", { kind: "internal-error", times: 3 });
      const seen = await observe("GetWorkRequest", () => once.objectStorage.getWorkRequest("ocid1.objectstorageworkrequest.x"));
      expect(seen.error).toMatchObject({ reason: "server-error", attempts: 1 });
      expect(seen.statuses).toEqual([500]);
    } finally {
      once.close();
    }
  });

  it("B09: on 401 refreshes the credentials once and retries once; a second 401 is 'authentication', no loop", async () => {
    const { sim } = suite();
    const { privateKey: wrongKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    let refreshes = 0;
    const stale = portsFor(sim, { privateKeyPem: wrongKey, onRefresh: () => refreshes++ });
    try {
      const seen = await observe("GetVault", () => stale.getVault(EXAMPLE.vaultId));
      expect(seen.error).toMatchObject({ reason: "authentication", statusCode: 401, attempts: 2 });
      expect(seen.statuses).toEqual([401, 401]);
      expect(refreshes).toBe(1);
    } finally {
      stale.close();
    }
  });

  it("B09: a refresh that fixes the credentials makes the retried call succeed", async () => {
    const { sim } = suite();
    const { privateKey: wrongKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const fingerprint = [...sim.state.users.values()][0]!.fingerprint;
    const signer = (pem: string) => new common.SimpleAuthenticationDetailsProvider(sim.state.tenancy.id, EXAMPLE.user.id, fingerprint, pem, null, common.Region.US_ASHBURN_1);
    const auth = new SwappableAuthProvider(signer(wrongKey), common.Region.US_ASHBURN_1);
    const clients = createOciClients(auth, sim.url);
    try {
      const seen = await observe("GetVault", () => withRetry("GetVault", () => clients.vault.getVault({ vaultId: EXAMPLE.vaultId }), {
        policy: TEST_RETRY, runtime: instantRetryRuntime(), auth: { refresh: async () => auth.swap(signer(readFileSync(EXAMPLE_KEY_FILE, "utf8"))) },
      }));
      expect(seen.error).toBeNull();
      expect(seen.statuses).toEqual([401, 200]);
      expect(seen.value).toMatchObject({ attempts: 2, opcRequestId: seen.calls[1]!.requestId });
    } finally {
      clients.close();
    }
  });
});

describe("retry rules without a server", () => {
  const policy = { ...TEST_RETRY, baseDelayMs: 100, maxDelayMs: 1_000 };
  const failing = (statusCode: number, serviceCode: string) => () => Promise.reject(new common.OciError(statusCode, serviceCode, "injected", "req-1", "Test", "Op", "", "", ""));

  it("retries 502, 503 and 504 like 500, and gives up on 501", async () => {
    for (const status of [502, 503, 504]) {
      let n = 0;
      const outcome = await withRetry("Op", () => (++n < 3 ? failing(status, "Unavailable")() : Promise.resolve({ ok: true })), { policy, runtime: instantRetryRuntime() });
      expect(outcome.attempts, String(status)).toBe(3);
    }
    await expect(withRetry("Op", failing(501, "NotImplemented"), { policy, runtime: instantRetryRuntime() })).rejects.toMatchObject({ reason: "server-error", attempts: 1 });
  });

  it("uses full jitter capped at maxDelayMs: random 0 waits nothing, random ~1 doubles up to the cap", async () => {
    const none = instantRetryRuntime({ random: () => 0 });
    await expect(withRetry("Op", failing(500, "InternalServerError"), { policy, runtime: none })).rejects.toMatchObject({ attempts: 6 });
    expect(none.sleeps).toEqual([0, 0, 0, 0, 0]);
    const most = instantRetryRuntime({ random: () => 0.999 });
    await expect(withRetry("Op", failing(500, "InternalServerError"), { policy, runtime: most })).rejects.toMatchObject({ attempts: 6 });
    expect(most.sleeps).toEqual([100, 200, 400, 799, 999]);
  });

  it("does not re-send a write that is not safe to repeat after a 5xx (outcome unknown), unless the call says it is repeatable", async () => {
    await expect(withRetry("ReencryptBucket", failing(503, "ServiceUnavailable"), { policy, runtime: instantRetryRuntime() }))
      .rejects.toMatchObject({ reason: "server-error", attempts: 1, outcomeUnknown: true });
    await expect(withRetry("Op", failing(500, "InternalServerError"), { policy, runtime: instantRetryRuntime() }, { repeatable: false }))
      .rejects.toMatchObject({ attempts: 1, outcomeUnknown: true });
    await expect(withRetry("ReencryptBucket", failing(500, "InternalServerError"), { policy, runtime: instantRetryRuntime() }, { repeatable: true }))
      .rejects.toMatchObject({ attempts: 6, outcomeUnknown: false });
    // A 4xx is no unknown: nothing was applied.
    await expect(withRetry("ReencryptBucket", failing(400, "InvalidParameter"), { policy, runtime: instantRetryRuntime() }))
      .rejects.toMatchObject({ reason: "invalid-request", attempts: 1, outcomeUnknown: false });
  });

  it("retries a refused connection even for a write that is not safe to repeat: the request never left", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as { port: number };
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const provider = new SwappableAuthProvider(new common.SimpleAuthenticationDetailsProvider("ocid1.tenancy.oc1..t", "ocid1.user.oc1..u", "aa:bb", privateKey, null), common.Region.US_ASHBURN_1);
    const clients = createOciClients(provider, `http://127.0.0.1:${port}`);
    try {
      await expect(withRetry("ReencryptBucket", () => clients.objectstorage.reencryptBucket({ namespaceName: "ns", bucketName: "b" }), { policy: { ...policy, maxAttempts: 3 }, runtime: instantRetryRuntime() }))
        .rejects.toMatchObject({ reason: "network", attempts: 3, outcomeUnknown: false, message: expect.stringContaining("ECONNREFUSED") });
    } finally {
      clients.close();
    }
  });

  it("a ReencryptBucket answered 202 without opc-work-request-id was accepted: sent once, outcome unknown (looked up, not re-sent)", async () => {
    let hits = 0;
    const server = createServer((_req, res) => {
      hits += 1;
      res.writeHead(202, { "opc-request-id": "r1" });
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const provider = new SwappableAuthProvider(new common.SimpleAuthenticationDetailsProvider("ocid1.tenancy.oc1..t", "ocid1.user.oc1..u", "aa:bb", privateKey, null), common.Region.US_ASHBURN_1);
    const clients = createOciClients(provider, `http://127.0.0.1:${(server.address() as { port: number }).port}`);
    try {
      const port = createObjectStoragePort(clients.objectstorage, createOciCaller({ policy, runtime: instantRetryRuntime() }));
      await expect(port.reencryptBucket("ns", "b")).rejects.toMatchObject({ operation: "ReencryptBucket", outcomeUnknown: true, opcRequestId: "r1", message: expect.stringContaining("without opc-work-request-id") });
      expect(hits).toBe(1);
    } finally {
      clients.close();
      server.close();
    }
  });

  it("without an auth provider a 401 is final at once", async () => {
    await expect(withRetry("Op", failing(401, "NotAuthenticated"), { policy, runtime: instantRetryRuntime() })).rejects.toMatchObject({ reason: "authentication", attempts: 1 });
  });

  it("a refresh that throws ends as 'authentication' naming the refresh", async () => {
    const refresh = async () => {
      throw new Error("token file /var/run/rpst cannot be read");
    };
    await expect(withRetry("Op", failing(401, "NotAuthenticated"), { policy, runtime: instantRetryRuntime(), auth: { refresh } }))
      .rejects.toMatchObject({ reason: "authentication", attempts: 1, message: expect.stringContaining("could not be refreshed") });
  });

  it("reads Retry-After as seconds or as an HTTP date", () => {
    const now = Date.parse("2026-11-30T12:00:00Z");
    expect(parseRetryAfter("7", now)).toBe(7000);
    expect(parseRetryAfter("Mon, 30 Nov 2026 12:00:30 GMT", now)).toBe(30_000);
    expect(parseRetryAfter("Mon, 30 Nov 2026 11:59:00 GMT", now)).toBe(0);
    expect(parseRetryAfter("soon", now)).toBeNull();
    expect(parseRetryAfter(null, now)).toBeNull();
  });

  it("honours an HTTP-date Retry-After answered by a server", async () => {
    const runtime = instantRetryRuntime({ random: () => 0, startMs: Date.parse("2026-11-30T12:00:00Z") });
    let hits = 0;
    const server = createServer((_req, res) => {
      hits += 1;
      if (hits === 1) {
        res.writeHead(429, { "content-type": "application/json", "retry-after": "Mon, 30 Nov 2026 12:00:20 GMT", "opc-request-id": "r1" });
        res.end(JSON.stringify({ code: "TooManyRequests", message: "slow down" }));
      } else {
        res.writeHead(200, { "content-type": "application/json", "opc-request-id": "r2" });
        res.end(JSON.stringify({ id: "v" }));
      }
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs8", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });
    const provider = new SwappableAuthProvider(new common.SimpleAuthenticationDetailsProvider("ocid1.tenancy.oc1..t", "ocid1.user.oc1..u", "aa:bb", privateKey, null), common.Region.US_ASHBURN_1);
    const address = server.address() as { port: number };
    const clients = createOciClients(provider, `http://127.0.0.1:${address.port}`);
    try {
      const outcome = await withRetry("GetVault", () => clients.vault.getVault({ vaultId: "ocid1.vault.oc1..v" }), { policy, runtime });
      expect(outcome).toMatchObject({ attempts: 2, opcRequestId: "r2" });
      expect(runtime.sleeps).toEqual([20_000]);
    } finally {
      clients.close();
      server.close();
    }
  });
});

describe("a paced call (the KMS write limiter, with-retry.ts CallOptions.pace)", () => {
  const unavailable = () => Object.assign(new Error("busy"), { statusCode: 503, serviceCode: "ServiceUnavailable" });

  it("waits for the pacer before every attempt, retries included, and does not count those waits against the time budget", async () => {
    const runtime = instantRetryRuntime();
    const order: string[] = [];
    // Each turn of the pacer takes 50 s of the runtime's clock: three of them are far past the 10 s budget.
    const pace = async () => {
      order.push("pace");
      await runtime.sleep(50_000);
    };
    let calls = 0;
    const outcome = await withRetry("CreateKeyVersion", async () => {
      calls += 1;
      order.push(`attempt ${calls}`);
      if (calls < 3) throw unavailable();
      return { ok: true };
    }, { policy: { ...TEST_RETRY, maxTotalMs: 10_000 }, runtime }, { pace });
    expect(outcome).toMatchObject({ value: { ok: true }, attempts: 3 });
    expect(order).toEqual(["pace", "attempt 1", "pace", "attempt 2", "pace", "attempt 3"]);
    // Pacing waits, then the backoffs (full jitter of 500·2^n with random 0.5).
    expect(runtime.sleeps).toEqual([50_000, 250, 50_000, 500, 50_000]);
  });

  it("starts an attempt's timeout only after the pacer let it go", async () => {
    const pace = () => new Promise<void>((resolve) => setTimeout(resolve, 300));
    const outcome = await withRetry("CreateKey", async () => ({ ok: true }), { policy: { ...TEST_RETRY, timeoutMs: 100, maxAttempts: 1 } }, { pace });
    expect(outcome).toMatchObject({ value: { ok: true }, attempts: 1 });
  });
});
