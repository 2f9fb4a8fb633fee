import { describe, expect, it } from "vitest";
import { EXAMPLE, useSimulator } from "../helpers/sim.js";

describe("opc-retry-token idempotency", () => {
  const suite = useSimulator({ maxClockSkewMs: Number.POSITIVE_INFINITY });

  it("answers a repeated CreateKeyVersion with the same token with the same version, created once", async () => {
    const { sim, clients } = suite();
    const keyId = EXAMPLE.bucketKey.id;
    const before = [...sim.state.keyVersions.values()].filter((v) => v.keyId === keyId).length;
    const first = await clients.management.createKeyVersion({ keyId, opcRetryToken: "kp-rotation-kb-2026-10" });
    const second = await clients.management.createKeyVersion({ keyId, opcRetryToken: "kp-rotation-kb-2026-10" });
    expect(second.keyVersion.id).toBe(first.keyVersion.id);
    expect(second.etag).toBe(first.etag);
    expect(second.opcRequestId).not.toBe(first.opcRequestId);
    expect([...sim.state.keyVersions.values()].filter((v) => v.keyId === keyId)).toHaveLength(before + 1);
  });

  it("answers the same token with a different request with 409 Conflict", async () => {
    const { clients } = suite();
    const details = (name: string) => ({ compartmentId: EXAMPLE.securityId, displayName: name, keyShape: { algorithm: "AES" as never, length: 32 } });
    await clients.management.createKey({ createKeyDetails: details("first"), opcRetryToken: "kp-create" });
    await expect(clients.management.createKey({ createKeyDetails: details("second"), opcRetryToken: "kp-create" })).rejects.toMatchObject({
      statusCode: 409, serviceCode: "Conflict",
    });
  });

  it("forgets a token after 24 hours of simulator time", async () => {
    const { sim, clients } = suite();
    const keyId = EXAMPLE.volumeKey.id;
    const first = await clients.management.createKeyVersion({ keyId, opcRetryToken: "kp-expiring" });
    sim.clock.advance(24 * 3_600_000 + 1);
    const later = await clients.management.createKeyVersion({ keyId, opcRetryToken: "kp-expiring" });
    expect(later.keyVersion.id).not.toBe(first.keyVersion.id);
  });

  it("does not remember a failed write, so a retry with the same token can succeed", async () => {
    const { sim, clients } = suite();
    sim.faults.set("CreateKeyVersion", { kind: "internal-error", times: 1 });
    const keyId = EXAMPLE.bucketKey.id;
    await expect(clients.management.createKeyVersion({ keyId, opcRetryToken: "kp-after-500" })).rejects.toMatchObject({ statusCode: 500 });
    await expect(clients.management.createKeyVersion({ keyId, opcRetryToken: "kp-after-500" })).resolves.toBeTruthy();
  });
});
