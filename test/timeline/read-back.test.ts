/**
 * Read-back correlation (DESIGN §3 rule 5): a volume / boot-volume KMS key update is proven by a
 * later GetVolumeKmsKey / GetBootVolumeKmsKey record showing its new key. Synthetic records; every
 * expected value is typed out by hand.
 */
import { describe, expect, it } from "vitest";
import { buildTimelines, DEFAULT_READ_BACK_WITHIN_HOURS, isTimelineInput } from "../../src/timeline/build-timelines.js";
import { readBackOf } from "../../src/timeline/read-back.js";
import type { TimelineEvent } from "../../src/timeline/timeline-event.js";
import type { Timeline } from "../../src/timeline/timeline.js";
import { auditEvent, BOOT, KEY_A, KEY_B, VOL } from "./helpers/synthetic-event.js";

const KEY_C = "ocid1.key.oc1.iad.bbpr5ctgaaeuk.abuwcljscccccccccccccccccccccccccccccccccccccccccccccccccccc";
const OTHER_VOL = "ocid1.volume.oc1.iad.abuwcljrooooooooooooooooooooooooooooooooooooooooooooooooooooo";

interface Opts {
  boot?: boolean;
  volume?: string;
  status?: string;
}

const base = (o: Opts) => {
  const boot = o.boot ?? false;
  const volume = o.volume ?? (boot ? BOOT : VOL);
  return { boot, volume, noun: boot ? "BootVolume" : "Volume", path: `/20160918/${boot ? "bootVolumes" : "volumes"}/${volume}/kmsKey` };
};

/** An Update(Boot)VolumeKmsKey record as the example export has it: key in payload and stateChange. */
function update(id: string, time: string, from: string | null, to: string, o: Opts = {}): TimelineEvent {
  const b = base(o);
  return auditEvent({
    id, time, name: `Update${b.noun}KmsKey`, type: `com.oraclecloud.BlockVolumes.Update${b.noun}KmsKey`, path: b.path, action: "PUT",
    resourceId: b.volume, status: o.status ?? "200", payload: { kmsKeyId: to }, previous: { kmsKeyId: from }, current: { kmsKeyId: to },
  });
}

/** A Get(Boot)VolumeKmsKey record showing `key` in the block named by `where` (payload by default). */
function readBack(id: string, time: string, key: string | null, o: Opts & { where?: "payload" | "current" | "details" } = {}): TimelineEvent {
  const b = base(o);
  const where = o.where ?? "payload";
  return auditEvent({
    id, time, name: `Get${b.noun}KmsKey`, type: `com.oraclecloud.BlockVolumes.Get${b.noun}KmsKey`, path: b.path, action: "GET",
    resourceId: b.volume, status: o.status ?? "200",
    payload: where === "payload" ? { kmsKeyId: key } : { id: b.volume, resourceName: "vol" },
    ...(where === "current" ? { current: { kmsKeyId: key } } : {}),
    ...(where === "details" ? { details: { kmsKeyId: key } } : {}),
  });
}

const T0 = "2026-10-06T02:00:00.000Z";
const entriesOf = (list: Timeline[], id: string) => list.find((t) => t.subjectId === id)?.entries ?? [];
const summary = (events: TimelineEvent[], options?: Parameters<typeof buildTimelines>[1], id = VOL) =>
  entriesOf(buildTimelines(events, options).resources, id).map((e) => [e.eventId, e.outcome, e.verifiedBy, e.detail]);

describe("read-back of a volume's KMS key", () => {
  it("defaults the read-back window to 24 hours, the default rekeyWithinHours", () => {
    expect(DEFAULT_READ_BACK_WITHIN_HOURS).toBe(24);
  });

  it("turns an update into succeeded when a read-back shows its new key, and names the read-back", () => {
    const events = [update("u1", T0, KEY_A, KEY_B), readBack("r1", "2026-10-06T02:00:00.512Z", KEY_B)];
    expect(summary(events)).toEqual([
      ["u1", "succeeded", { eventId: "r1", time: "2026-10-06T02:00:00.512Z" }, `kmsKeyId ${KEY_A} → ${KEY_B}; read back at 2026-10-06T02:00:00.512Z (event r1)`],
    ]);
  });

  it("shows the proof on the new and the former key's timelines too", () => {
    const { keys } = buildTimelines([update("u1", T0, KEY_A, KEY_B), readBack("r1", "2026-10-06T02:00:01.000Z", KEY_B)]);
    expect(keys.map((t) => [t.subjectId, t.entries[0]?.outcome, t.entries[0]?.verifiedBy])).toEqual([
      [KEY_A, "succeeded", { eventId: "r1", time: "2026-10-06T02:00:01.000Z" }],
      [KEY_B, "succeeded", { eventId: "r1", time: "2026-10-06T02:00:01.000Z" }],
    ]);
  });

  it("proves a boot volume's update by a GetBootVolumeKmsKey read-back", () => {
    const events = [update("u1", T0, KEY_A, KEY_B, { boot: true }), readBack("r1", "2026-10-06T03:00:00.000Z", KEY_B, { boot: true })];
    expect(summary(events, undefined, BOOT).map((r) => r.slice(0, 3))).toEqual([["u1", "succeeded", { eventId: "r1", time: "2026-10-06T03:00:00.000Z" }]]);
  });

  it("counts a read-back at the same instant as the update and one exactly 24 hours later, not 1 ms later", () => {
    expect(summary([update("u1", T0, KEY_A, KEY_B), readBack("r1", T0, KEY_B)])[0]?.[1]).toBe("succeeded");
    expect(summary([update("u1", T0, KEY_A, KEY_B), readBack("r1", "2026-10-07T02:00:00.000Z", KEY_B)])[0]?.[1]).toBe("succeeded");
    expect(summary([update("u1", T0, KEY_A, KEY_B), readBack("r1", "2026-10-07T02:00:00.001Z", KEY_B)])).toEqual([
      ["u1", "accepted", null, `kmsKeyId ${KEY_A} → ${KEY_B}`],
    ]);
  });

  it("uses the read-back window it is given: 3 hours later is outside 2 hours and inside 4", () => {
    const events = [update("u1", T0, KEY_A, KEY_B), readBack("r1", "2026-10-06T05:00:00.000Z", KEY_B)];
    expect(summary(events, { readBackWithinHours: 2 })[0]?.slice(0, 3)).toEqual(["u1", "accepted", null]);
    expect(summary(events, { readBackWithinHours: 4 })[0]?.slice(0, 3)).toEqual(["u1", "succeeded", { eventId: "r1", time: "2026-10-06T05:00:00.000Z" }]);
  });

  it("ignores a read-back made before the update", () => {
    const events = [readBack("r0", "2026-10-06T01:59:59.999Z", KEY_B), update("u1", T0, KEY_A, KEY_B)];
    expect(summary(events)).toEqual([["u1", "accepted", null, `kmsKeyId ${KEY_A} → ${KEY_B}`]]);
  });

  it("makes the update failed when the read-back shows another key (HTTP 200, not applied)", () => {
    const events = [update("u1", T0, KEY_A, KEY_B), readBack("r1", "2026-10-06T02:00:00.400Z", KEY_A)];
    expect(summary(events)).toEqual([
      ["u1", "failed", null, `read back at 2026-10-06T02:00:00.400Z shows ${KEY_A}, not ${KEY_B}`],
    ]);
    const entry = entriesOf(buildTimelines(events).resources, VOL)[0];
    expect([entry?.responseStatus, entry?.keyId, entry?.previousKeyId]).toEqual(["200", KEY_B, KEY_A]);
  });

  it("reads an explicit null kmsKeyId as the Oracle-managed key, which is not the new key", () => {
    const events = [update("u1", T0, KEY_A, KEY_B), readBack("r1", "2026-10-06T02:00:01.000Z", null)];
    expect(summary(events)[0]?.slice(1)).toEqual(["failed", null, `read back at 2026-10-06T02:00:01.000Z shows Oracle-managed key, not ${KEY_B}`]);
  });

  it("takes the earliest read-back showing the new key, even after one showing another key", () => {
    const events = [
      update("u1", T0, KEY_A, KEY_B),
      readBack("r1", "2026-10-06T02:00:01.000Z", KEY_A),
      readBack("r2", "2026-10-06T02:05:00.000Z", KEY_B),
      readBack("r3", "2026-10-06T02:10:00.000Z", KEY_B),
    ];
    expect(summary(events)[0]?.slice(1, 3)).toEqual(["succeeded", { eventId: "r2", time: "2026-10-06T02:05:00.000Z" }]);
  });

  it("names the latest read-back when several show other keys and none the new one", () => {
    const events = [
      update("u1", T0, KEY_A, KEY_B),
      readBack("r1", "2026-10-06T02:00:01.000Z", KEY_A),
      readBack("r2", "2026-10-06T02:05:00.000Z", KEY_C),
    ];
    expect(summary(events)[0]?.slice(1)).toEqual(["failed", null, `read back at 2026-10-06T02:05:00.000Z shows ${KEY_C}, not ${KEY_B}`]);
  });

  it("ignores a read-back of another volume, and a boot-volume read-back of a volume", () => {
    const events = [
      update("u1", T0, KEY_A, KEY_B),
      readBack("r1", "2026-10-06T02:00:01.000Z", KEY_B, { volume: OTHER_VOL }),
      readBack("r2", "2026-10-06T02:00:02.000Z", KEY_B, { boot: true, volume: BOOT }),
    ];
    expect(summary(events)).toEqual([["u1", "accepted", null, `kmsKeyId ${KEY_A} → ${KEY_B}`]]);
  });

  it("verifies only the later of two updates read back after both; the superseded one stays accepted", () => {
    const events = [
      update("u1", T0, KEY_A, KEY_B),
      update("u2", "2026-10-06T02:01:00.000Z", KEY_B, KEY_C),
      readBack("r1", "2026-10-06T02:02:00.000Z", KEY_C),
    ];
    expect(summary(events).map((r) => r.slice(0, 3))).toEqual([
      ["u1", "accepted", null],
      ["u2", "succeeded", { eventId: "r1", time: "2026-10-06T02:02:00.000Z" }],
    ]);
  });

  it("does not let a read-back of the earlier key after a later update prove or fail the earlier one", () => {
    const events = [
      update("u1", T0, KEY_A, KEY_B),
      update("u2", "2026-10-06T02:01:00.000Z", KEY_B, KEY_C),
      readBack("r1", "2026-10-06T02:02:00.000Z", KEY_B),
    ];
    expect(summary(events).map((r) => r.slice(0, 2))).toEqual([
      ["u1", "accepted"],
      ["u2", "failed"],
    ]);
  });

  it("does not let a failed update in between supersede the earlier one", () => {
    const failed = auditEvent({
      id: "u2", time: "2026-10-06T02:01:00.000Z", name: "UpdateVolumeKmsKey", type: "com.oraclecloud.BlockVolumes.UpdateVolumeKmsKey",
      path: `/20160918/volumes/${VOL}/kmsKey`, action: "PUT", resourceId: VOL, status: "409",
      payload: { code: "IncorrectState", message: "a volume backup is in progress" },
    });
    const events = [update("u1", T0, KEY_A, KEY_B), failed, readBack("r1", "2026-10-06T02:02:00.000Z", KEY_B)];
    expect(summary(events).map((r) => r.slice(0, 3))).toEqual([
      ["u1", "succeeded", { eventId: "r1", time: "2026-10-06T02:02:00.000Z" }],
      ["u2", "failed", null],
    ]);
  });

  it("reads the key from stateChange.current or additionalDetails when the payload has none", () => {
    for (const where of ["current", "details"] as const) {
      const events = [update("u1", T0, KEY_A, KEY_B), readBack("r1", "2026-10-06T02:00:01.000Z", KEY_B, { where })];
      expect(summary(events)[0]?.slice(1, 3)).toEqual(["succeeded", { eventId: "r1", time: "2026-10-06T02:00:01.000Z" }]);
    }
  });

  it("ignores a read-back that shows no kmsKeyId, like the simulator's {id, resourceName} payload", () => {
    const simShaped = auditEvent({
      id: "r1", time: "2026-10-06T02:00:01.000Z", name: "GetVolumeKmsKey", type: "com.oraclecloud.BlockVolumes.GetVolumeKmsKey",
      path: `/20160918/volumes/${VOL}/kmsKey`, action: "GET", resourceId: VOL, payload: { id: VOL, resourceName: "vol" },
    });
    expect(readBackOf(simShaped)).toBeNull();
    expect(isTimelineInput(simShaped)).toBe(false);
    expect(summary([update("u1", T0, KEY_A, KEY_B), simShaped])[0]?.slice(1, 3)).toEqual(["accepted", null]);
  });

  it("ignores a read-back that did not answer 2xx", () => {
    const events = [update("u1", T0, KEY_A, KEY_B), readBack("r1", "2026-10-06T02:00:01.000Z", KEY_A, { status: "404" })];
    expect(summary(events)[0]?.slice(1, 3)).toEqual(["accepted", null]);
  });

  it("leaves a failed update failed with OCI's message, whatever is read back", () => {
    const events = [update("u1", T0, KEY_A, KEY_B, { status: "409" }), readBack("r1", "2026-10-06T02:00:01.000Z", KEY_B)];
    expect(summary(events)[0]?.slice(1, 3)).toEqual(["failed", null]);
  });

  it("never makes a read-back an entry of its own", () => {
    const { keys, resources } = buildTimelines([readBack("r1", T0, KEY_B), readBack("r2", T0, KEY_A, { boot: true })]);
    expect([keys, resources]).toEqual([[], []]);
  });

  it("tells which events it uses: updates and read-backs that show a key, not other reads", () => {
    const getKey = auditEvent({ name: "GetKey", path: `/20180608/keys/${KEY_A}`, action: "GET", payload: { id: KEY_A } });
    expect([
      isTimelineInput(update("u1", T0, KEY_A, KEY_B)), isTimelineInput(readBack("r1", T0, KEY_B)), isTimelineInput(getKey),
    ]).toEqual([true, true, false]);
    expect(readBackOf(readBack("r2", T0, KEY_B, { boot: true }))).toEqual({ subjectKind: "boot-volume", volumeId: BOOT, kmsKeyId: KEY_B });
  });

  it("rejects a read-back window that is negative, not a number or infinite", () => {
    for (const bad of [-1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => buildTimelines([], { readBackWithinHours: bad })).toThrow(TypeError);
    }
  });
});
