import { describe, expect, it } from "vitest";
import { DAY_MS } from "../../src/sim/sim-clock.js";
import { EXAMPLE, useSimulator } from "../helpers/sim.js";

describe("native auto-rotation on the simulator clock", () => {
  // The clock jumps months ahead while the SDK signs with the wall clock: skew checks off here.
  const suite = useSimulator({ maxClockSkewMs: Number.POSITIVE_INFINITY });

  it("creates an auto-rotated version each time the clock passes timeOfNextRotation, with begin/end events", async () => {
    const { sim, clients } = suite();
    const keyId = EXAMPLE.volumeKey.id;
    const { key } = await clients.management.updateKey({
      keyId, updateKeyDetails: { isAutoRotationEnabled: true, autoKeyRotationDetails: { rotationIntervalInDays: 90 } },
    });
    const first = Date.parse(key.autoKeyRotationDetails!.timeOfNextRotation as unknown as string);
    sim.clock.set(new Date(first + 200 * DAY_MS).toISOString());
    const versions = (await clients.management.listKeyVersions({ keyId })).items;
    const auto = versions.filter((v) => v.isAutoRotated);
    // Rotations at first, first + 90 d and first + 180 d (the clock is at first + 200 d), newest first.
    expect(auto.map((v) => v.timeCreated)).toEqual([180, 90, 0].map((d) => new Date(first + d * DAY_MS + 1_000).toISOString()));
    const after = (await clients.management.getKey({ keyId })).key;
    expect(after.currentKeyVersion).toBe(auto[0]!.id);
    expect(after.autoKeyRotationDetails).toMatchObject({
      lastRotationStatus: "SUCCESS", timeOfLastRotation: new Date(first + 180 * DAY_MS).toISOString(),
      timeOfNextRotation: new Date(first + 270 * DAY_MS).toISOString(),
    });
    const events = sim.audit.events().filter((e) => e.eventType.includes("autokeyrotate"));
    const pair = ["com.oraclecloud.keymanagementservice.autokeyrotate.begin", "com.oraclecloud.keymanagementservice.autokeyrotate.end"];
    expect(events.map((e) => e.eventType)).toEqual([...pair, ...pair, ...pair]);
    expect(events[0]!.data.eventGroupingId).toBe(events[1]!.data.eventGroupingId);
    expect(events[0]!.data.eventGroupingId).not.toBe(events[2]!.data.eventGroupingId);
    expect(events[1]!.data).toMatchObject({ resourceId: keyId, response: { status: "200" }, stateChange: { current: { currentKeyVersion: auto[2]!.id } } });
  });

  it("records a failed rotation when the AutoKeyRotate fault is set, and keeps the current version", async () => {
    const { sim, clients } = suite();
    const keyId = EXAMPLE.volumeKey.id;
    const before = (await clients.management.getKey({ keyId })).key;
    sim.faults.set("AutoKeyRotate", { kind: "internal-error", times: 1 });
    sim.clock.set(before.autoKeyRotationDetails!.timeOfNextRotation as unknown as string);
    const after = (await clients.management.getKey({ keyId })).key;
    expect(after.currentKeyVersion).toBe(before.currentKeyVersion);
    expect(after.autoKeyRotationDetails).toMatchObject({ lastRotationStatus: "FAILED", lastRotationMessage: expect.stringContaining("failed") });
    const end = sim.audit.events().filter((e) => e.eventType.endsWith("autokeyrotate.end")).at(-1)!;
    expect(end.data.response).toMatchObject({ status: "500", message: expect.stringContaining("failed") });
  });

  it("refuses auto-rotation for a key in a DEFAULT vault", async () => {
    const { sim } = suite();
    sim.state.vaults.get(EXAMPLE.vaultId)!.vaultType = "DEFAULT";
    try {
      const { clients } = suite();
      await expect(clients.management.updateKey({
        keyId: EXAMPLE.bucketKey.id, updateKeyDetails: { isAutoRotationEnabled: true, autoKeyRotationDetails: { rotationIntervalInDays: 90 } },
      })).rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    } finally {
      sim.state.vaults.get(EXAMPLE.vaultId)!.vaultType = "VIRTUAL_PRIVATE";
    }
  });

  it("completes a scheduled key deletion when the clock reaches timeOfDeletion", async () => {
    const { sim, clients } = suite();
    const keyId = EXAMPLE.signingKey.id;
    const { key } = await clients.management.scheduleKeyDeletion({ keyId, scheduleKeyDeletionDetails: {} });
    sim.clock.set(key.timeOfDeletion as unknown as string);
    expect((await clients.management.getKey({ keyId })).key.lifecycleState).toBe("DELETED");
    expect((await clients.management.listKeyVersions({ keyId })).items.every((v) => v.lifecycleState === "DELETED")).toBe(true);
  });
});
