import * as common from "oci-common";
import { describe, expect, it } from "vitest";
import { FaultInjector } from "../../src/sim/faults/fault-injector.js";
import { buildClients, closeClients, EXAMPLE, signedFetch, useSimulator, type SimClients } from "../helpers/sim.js";

const retries = (attempts: number): common.RetryConfiguration => ({
  terminationStrategy: new common.MaxAttemptsTerminationStrategy(attempts),
  delayStrategy: new common.FixedTimeDelayStrategy(0),
});

describe("faults and the SDK's retry behaviour", () => {
  const suite = useSimulator();

  function callsOf(operation: string, since: number) {
    return suite().sim.calls.slice(since).filter((c) => c.operation === operation);
  }

  async function withClients<T>(options: Parameters<typeof buildClients>[3], fn: (c: SimClients) => Promise<T>): Promise<T> {
    const { sim, provider } = suite();
    const clients = await buildClients(sim, provider, EXAMPLE.vaultId, options);
    try {
      return await fn(clients);
    } finally {
      closeClients(clients);
    }
  }

  it("adds latency before handling the call", async () => {
    const { sim, clients } = suite();
    sim.faults.set("GetKey", { latencyMs: 300 });
    const started = performance.now();
    await clients.management.getKey({ keyId: EXAMPLE.bucketKey.id });
    expect(performance.now() - started).toBeGreaterThanOrEqual(290);
    sim.faults.clear();
  });

  it("answers 429 TooManyRequests with Retry-After, which KMS clients do not retry by default", async () => {
    const { sim, clients } = suite();
    sim.faults.set("GetKey", { kind: "throttle", retryAfterSeconds: 7 });
    const since = sim.calls.length;
    await expect(clients.management.getKey({ keyId: EXAMPLE.bucketKey.id })).rejects.toMatchObject({ statusCode: 429, serviceCode: "TooManyRequests" });
    expect(callsOf("GetKey", since)).toMatchObject([{ status: 429, fault: "throttle" }]);
    sim.faults.set("GetVault", { kind: "throttle", retryAfterSeconds: 7, times: 1 });
    const raw = await signedFetch(sim, suite().provider, `/kms-vault/20180608/vaults/${EXAMPLE.vaultId}`);
    expect(raw.status).toBe(429);
    expect(raw.headers.get("retry-after")).toBe("7");
    expect(await raw.json()).toEqual({ code: "TooManyRequests", message: "Too many requests for the tenancy" });
    sim.faults.clear();
  });

  it("retries 429 TooManyRequests when retries are configured, until the fault stops", async () => {
    const { sim } = suite();
    sim.faults.set("GetKey", { kind: "throttle", times: 2 });
    const since = sim.calls.length;
    await withClients({ retryConfiguration: retries(3) }, (c) => c.management.getKey({ keyId: EXAMPLE.bucketKey.id }));
    expect(callsOf("GetKey", since).map((c) => c.status)).toEqual([429, 429, 200]);
    sim.faults.clear();
  });

  it("answers 500 InternalServerError, once without retries and retried with them", async () => {
    const { sim, clients } = suite();
    sim.faults.set("ListKeys", { kind: "internal-error", times: 1 });
    let since = sim.calls.length;
    await expect(clients.management.listKeys({ compartmentId: EXAMPLE.securityId })).rejects.toMatchObject({ statusCode: 500, serviceCode: "InternalServerError" });
    expect(callsOf("ListKeys", since)).toHaveLength(1);
    sim.faults.set("ListKeys", { kind: "internal-error", times: 1 });
    since = sim.calls.length;
    await withClients({ retryConfiguration: retries(2) }, (c) => c.management.listKeys({ compartmentId: EXAMPLE.securityId }));
    expect(callsOf("ListKeys", since).map((c) => c.status)).toEqual([500, 200]);
    sim.faults.clear();
  });

  it("retries 409 IncorrectState only with retries configured, and never 409 Conflict", async () => {
    const { sim, clients, provider } = suite();
    const { key } = await clients.management.createKey({
      createKeyDetails: { compartmentId: EXAMPLE.securityId, displayName: "disabled", keyShape: { algorithm: "AES" as never, length: 32 } },
    });
    await clients.management.disableKey({ keyId: key.id });
    let since = sim.calls.length;
    await expect(clients.management.createKeyVersion({ keyId: key.id })).rejects.toMatchObject({ statusCode: 409, serviceCode: "IncorrectState" });
    expect(callsOf("CreateKeyVersion", since)).toHaveLength(1);
    since = sim.calls.length;
    await expect(withClients({ retryConfiguration: retries(3) }, (c) => c.management.createKeyVersion({ keyId: key.id }))).rejects.toMatchObject({ statusCode: 409 });
    expect(callsOf("CreateKeyVersion", since)).toHaveLength(3);
    const replica = await buildClients(sim, provider, EXAMPLE.replicaVaultId, { retryConfiguration: retries(3) });
    since = sim.calls.length;
    await expect(replica.management.createKeyVersion({ keyId: EXAMPLE.bucketKey.id })).rejects.toMatchObject({ statusCode: 409, serviceCode: "Conflict" });
    expect(callsOf("CreateKeyVersion", since)).toHaveLength(1);
    closeClients(replica);
  });

  it("resets the connection: the SDK sees a network error, not an OCI error", async () => {
    const { sim, clients } = suite();
    sim.faults.set("GetKey", { kind: "reset", times: 1 });
    const error = await clients.management.getKey({ keyId: EXAMPLE.bucketKey.id }).catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(common.OciError);
    expect(String((error as Error).message)).toMatch(/fetch failed|socket|ECONNRESET|other side closed/i);
    expect(sim.calls.at(-1)).toMatchObject({ operation: "GetKey", status: 0, fault: "reset" });
    await expect(clients.management.getKey({ keyId: EXAMPLE.bucketKey.id })).resolves.toBeTruthy();
  });

  it("hangs past the client's timeout: the SDK sees its own abort", async () => {
    const { sim } = suite();
    sim.faults.set("GetKey", { kind: "hang", times: 1 });
    const started = performance.now();
    const error = await withClients({ httpOptions: { signal: AbortSignal.timeout(400) } }, (c) => c.management.getKey({ keyId: EXAMPLE.bucketKey.id }))
      .catch((e: unknown) => e);
    // oci-common rewraps the DOMException: { code: 23 (TIMEOUT_ERR), message, requestEndpoint }.
    expect(error).not.toBeInstanceOf(common.OciError);
    expect(error).toMatchObject({ code: 23, message: "The operation was aborted due to timeout" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    expect(sim.calls.find((c) => c.fault === "hang")).toMatchObject({ status: 0 });
  });

  it("answers 200 with the change but does not apply it (the not-applied fault)", async () => {
    const { sim, clients } = suite();
    sim.faults.set("UpdateKey", { kind: "not-applied", times: 1 });
    const { key } = await clients.management.updateKey({ keyId: EXAMPLE.volumeKey.id, updateKeyDetails: { displayName: "renamed" } });
    expect(key.displayName).toBe("renamed");
    expect((await clients.management.getKey({ keyId: EXAMPLE.volumeKey.id })).key.displayName).toBe("backup-volumes-2026-04");
    const version = await clients.management.createKeyVersion({ keyId: EXAMPLE.volumeKey.id });
    expect((await clients.management.getKey({ keyId: EXAMPLE.volumeKey.id })).key.currentKeyVersion).toBe(version.keyVersion.id);
  });

  describe("after: \"applied\": the change is kept, only the answer is lost or replaced", () => {
    const versionsOf = (keyId: string) => [...suite().sim.state.keyVersions.values()].filter((v) => v.keyId === keyId).length;

    it("reset: the version is created, the SDK sees a network error; logged with status 0, audited as answered", async () => {
      const { sim, clients } = suite();
      const before = versionsOf(EXAMPLE.volumeKey.id);
      const since = sim.calls.length;
      sim.faults.set("CreateKeyVersion", { kind: "reset", after: "applied", times: 1 });
      const error = await clients.management.createKeyVersion({ keyId: EXAMPLE.volumeKey.id }).catch((e: unknown) => e);
      sim.faults.clear();
      expect(error).not.toBeInstanceOf(common.OciError);
      expect(String((error as Error).message)).toMatch(/fetch failed|socket|ECONNRESET|other side closed/i);
      expect(versionsOf(EXAMPLE.volumeKey.id)).toBe(before + 1);
      const call = callsOf("CreateKeyVersion", since);
      expect(call).toMatchObject([{ status: 0, fault: "reset" }]);
      expect(sim.faults.injected.at(-1)).toEqual({ operation: "CreateKeyVersion", kind: "reset", call: expect.any(Number), after: "applied" });
      const audited = sim.audit.events({ includePending: true }).filter((e) => e.data.request.id === call[0]!.requestId);
      expect(audited.map((e) => e.data.response.status)).toEqual(["200"]);
    });

    it("hang: the version is created and the client times out; internal-error: created and answered 500", async () => {
      const { sim, clients } = suite();
      const before = versionsOf(EXAMPLE.volumeKey.id);
      sim.faults.set("CreateKeyVersion", { kind: "hang", after: "applied", times: 1 });
      const error = await withClients({ httpOptions: { signal: AbortSignal.timeout(300) } }, (c) => c.management.createKeyVersion({ keyId: EXAMPLE.volumeKey.id }))
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 23 });
      expect(versionsOf(EXAMPLE.volumeKey.id)).toBe(before + 1);
      sim.faults.set("CreateKeyVersion", { kind: "internal-error", after: "applied", times: 1 });
      await expect(clients.management.createKeyVersion({ keyId: EXAMPLE.volumeKey.id })).rejects.toMatchObject({ statusCode: 500, serviceCode: "InternalServerError" });
      expect(versionsOf(EXAMPLE.volumeKey.id)).toBe(before + 2);
      sim.faults.clear();
    });

    it("answers a call the handler refuses as usual, and refuses `after` with a kind that is not a lost answer", async () => {
      const { sim, clients } = suite();
      sim.faults.set("GetKey", { kind: "reset", after: "applied", times: 1 });
      await expect(clients.management.getKey({ keyId: "ocid1.key.oc1.iad.nosuchkey" })).rejects.toMatchObject({ statusCode: 404 });
      sim.faults.clear();
      expect(() => sim.faults.set("GetKey", { kind: "throttle", after: "applied" })).toThrow(/after must be "applied", with kind reset, hang, internal-error/);
      expect(() => sim.faults.set("GetKey", { after: "applied" })).toThrow(TypeError);
    });
  });

  it("draws probabilistic faults deterministically from the seed", () => {
    const pattern = (seed: number) => {
      const faults = new FaultInjector(new Set(["GetKey"]), { seed, operations: { GetKey: { kind: "internal-error", probability: 0.5 } } });
      return Array.from({ length: 20 }, () => (faults.decide("GetKey", false)?.kind ? "x" : ".")).join("");
    };
    expect(pattern(7)).toBe(pattern(7));
    expect(pattern(7)).not.toBe(pattern(8));
    expect(pattern(7)).toMatch(/x/);
    expect(pattern(7)).toMatch(/\./);
  });

  it("tells a service that its work request should stall or fail, and rejects unknown operation names", () => {
    const faults = new FaultInjector(new Set(["ReencryptBucket"]), { operations: { ReencryptBucket: { workRequest: "fail", times: 1 } } });
    faults.decide("ReencryptBucket", true);
    expect(faults.workRequestOutcome("ReencryptBucket")).toBe("fail");
    expect(faults.workRequestOutcome("ReencryptBucket")).toBeNull();
    expect(faults.injected).toEqual([{ operation: "ReencryptBucket", kind: "work-request-fail", call: 1 }]);
    expect(() => faults.set("ReencryptBuckett", { kind: "throttle" })).toThrow(/unknown operation ReencryptBuckett/);
  });
});
