import { describe, expect, it } from "vitest";
import { crashHookFromEnv } from "../../src/rotation/crash-hook.js";
import { successorDetails, successorName, successorPreflight } from "../../src/rotation/execute-successor-key.js";
import { nextRetryToken, rotationRetryToken } from "../../src/rotation/retry-token.js";
import { runStatusOf } from "../../src/rotation/run-status.js";
import { baseVersionOf } from "../../src/rotation/slot-work.js";
import { LeaseLostError } from "../../src/rotation/key-lease.js";
import { keepLease, type KeyWork } from "../../src/rotation/rotation-step.js";
import type { OciKey } from "../../src/oci/oci-ports.js";
import { keyOutcome } from "./run-signals.fixtures.js";

const KEY = "ocid1.key.oc1.iad.ejsppeqvaafyi.abuwcljss4pu5bsda5nyaeyrxau3u55c56zevq5yx332fboobrjdozutcqso";
const V1 = "ocid1.keyversion.oc1.iad.ejsppeqvaafyi.abuwcljsw6gbn43f6ayk6qnrjfllvxj4qjiichkd7tc3nauetlum4jv4lblo";

describe("rotation retry token", () => {
  it("is the same for the same key and slot, different for another slot, and within OCI's 64 characters", () => {
    const token = rotationRetryToken(KEY, `${KEY}@${V1}`);
    expect(token).toBe(rotationRetryToken(KEY, `${KEY}@${V1}`));
    expect(token).not.toBe(rotationRetryToken(KEY, `${KEY}@${V1}x`));
    expect(token).toMatch(/^kp1-[A-Za-z0-9_-]{43}$/);
    expect(token.length).toBeLessThanOrEqual(64);
    expect(token).not.toContain("ocid1");
  });

  it("derives a different, stable next token after a write that was not applied", () => {
    const token = rotationRetryToken(KEY, `${KEY}@${V1}`);
    expect(nextRetryToken(token)).toBe(nextRetryToken(token));
    expect(nextRetryToken(token)).not.toBe(token);
    expect(nextRetryToken(token)).toMatch(/^kp1-[A-Za-z0-9_-]{43}$/);
  });
});

describe("slot base version", () => {
  it("is the key version after the @ of `<keyId>@<currentKeyVersionId>`", () => {
    expect(baseVersionOf(`${KEY}@${V1}`)).toBe(V1);
  });
});

describe("successor key", () => {
  const key: OciKey = {
    id: KEY, vaultId: "ocid1.vault.oc1.iad.v", compartmentId: "ocid1.compartment.oc1..sec", displayName: "backup-volumes-2026-04",
    lifecycleState: "ENABLED", protectionMode: "HSM", algorithm: "AES", length: 32, curveId: null, currentKeyVersionId: V1,
    timeCreated: "2026-04-14T10:02:37.571Z", timeOfDeletion: null, isPrimary: true, isAutoRotationEnabled: false, autoRotation: null,
    freeformTags: { "backup-encryption": "enabled" }, definedTags: { Ops: { owner: "db-team" } },
  };

  it("is named after the predecessor with the slot's date in the same form", () => {
    expect(successorName("backup-volumes-2026-04", "2026-07-13T02:00:00.000Z")).toBe("backup-volumes-2026-07");
    expect(successorName("vol-key-2026-04-14", "2026-07-13T02:00:00.000Z")).toBe("vol-key-2026-07-13");
    expect(successorName("vol-key", "2026-07-13T02:00:00.000Z")).toBe("vol-key-2026-07-13");
  });

  it("has the predecessor's shape, protection mode, compartment and tags, plus the predecessor tag", () => {
    expect(successorDetails(key, "2026-07-13T02:00:00.000Z")).toEqual({
      compartmentId: "ocid1.compartment.oc1..sec", displayName: "backup-volumes-2026-07", algorithm: "AES", length: 32, curveId: null,
      protectionMode: "HSM", freeformTags: { "backup-encryption": "enabled", predecessor: KEY }, definedTags: { Ops: { owner: "db-team" } },
    });
  });

  it("refuses a non-AES predecessor before anything is written (B15)", () => {
    expect(successorPreflight(key)).toBeNull();
    expect(successorPreflight({ ...key, algorithm: "RSA", length: 256 })).toBe('key "backup-volumes-2026-04" is RSA: incompatible key algorithm – AES required');
  });
});

describe("run status", () => {
  it("is skipped when nothing was executed, whatever was due elsewhere or blocked", () => {
    expect(runStatusOf([])).toBe("skipped");
    expect(runStatusOf([keyOutcome({ status: "not-due" }), keyOutcome({ status: "skipped" }), keyOutcome({ status: "verified" })])).toBe("skipped");
  });

  it("is succeeded when every executed key was rotated or re-keyed", () => {
    expect(runStatusOf([keyOutcome({ status: "rotated" }), keyOutcome({ status: "rekeyed" }), keyOutcome({ status: "not-due" })])).toBe("succeeded");
  });

  it("is partial when some key failed or is partial, failed when all did or the run failed", () => {
    expect(runStatusOf([keyOutcome({ status: "rotated" }), keyOutcome({ status: "failed" })])).toBe("partial");
    expect(runStatusOf([keyOutcome({ status: "partial" })])).toBe("partial");
    expect(runStatusOf([keyOutcome({ status: "failed" }), keyOutcome({ status: "skipped" })])).toBe("failed");
    expect(runStatusOf([keyOutcome({ status: "rotated" })], true)).toBe("failed");
  });

  it("never reports unreadable keys or resources as nothing to do (B03): failed alone, partial beside work", () => {
    const unreadableKey = { code: "KEY_NOT_READABLE", severity: "high", keyId: "k", resourceId: null, message: "GetKey: throttled" } as const;
    const deletedBucket = { code: "RESOURCE_NOT_READABLE", severity: "medium", keyId: null, resourceId: "b", message: "404" } as const;
    const unreadableVolume = { ...deletedBucket, severity: "high" } as const;
    expect(runStatusOf([keyOutcome({ status: "not-due" })], false, [unreadableKey])).toBe("failed");
    expect(runStatusOf([], false, [unreadableVolume])).toBe("failed");
    expect(runStatusOf([keyOutcome({ status: "rotated" })], false, [unreadableKey])).toBe("partial");
    // A resource 404 after search (deleted meanwhile) is a medium finding and does not taint the run.
    expect(runStatusOf([keyOutcome({ status: "rotated" })], false, [deletedBucket])).toBe("succeeded");
    expect(runStatusOf([keyOutcome({ status: "not-due" })], false, [deletedBucket])).toBe("skipped");
  });
});

describe("crash hook", () => {
  const event = (operation: string) => ({ runId: 1, keyId: KEY, operation, status: "succeeded" as const, resourceId: null });

  it("is off without the variable", () => {
    expect(crashHookFromEnv({})).toBeUndefined();
  });

  it("kills after the first, or the N-th, step of the named operation", () => {
    let kills = 0;
    const first = crashHookFromEnv({ KEYPROOF_TEST_CRASH_AFTER: "CreateKeyVersion" }, () => (kills += 1))!;
    first(event("GetKey"));
    expect(kills).toBe(0);
    first(event("CreateKeyVersion"));
    expect(kills).toBe(1);

    let second = 0;
    const nth = crashHookFromEnv({ KEYPROOF_TEST_CRASH_AFTER: "ReencryptBucket#2" }, () => (second += 1))!;
    nth(event("ReencryptBucket"));
    expect(second).toBe(0);
    nth(event("ReencryptBucket"));
    expect(second).toBe(1);
  });

  it("rejects a malformed value", () => {
    expect(() => crashHookFromEnv({ KEYPROOF_TEST_CRASH_AFTER: "CreateKeyVersion#0" })).toThrow(/expected Operation or Operation#N/);
  });
});

describe("keeping a key's lease during its work", () => {
  function work(leaseTtlMs: number) {
    let nowMs = Date.parse("2026-10-06T02:00:00.000Z");
    const renewals: number[] = [];
    const w = {
      deps: { clock: { now: () => new Date(nowMs) }, config: { rotation: { leaseTtlMs } } },
      lease: { keyId: KEY, holder: "h", renew: async () => void renewals.push(nowMs), release: async () => undefined },
      leaseRenewedAtMs: nowMs,
    } as unknown as KeyWork;
    return { w, renewals, advance: (ms: number) => (nowMs += ms) };
  }

  it("renews once a tenth of the lease's lifetime has passed since the last renewal, not at every step", async () => {
    const { w, renewals, advance } = work(60_000);
    for (let i = 0; i < 5; i++) await keepLease(w);
    expect(renewals).toHaveLength(0);
    advance(5_999);
    await keepLease(w);
    expect(renewals).toHaveLength(0);
    advance(1);
    await keepLease(w);
    await keepLease(w);
    expect(renewals).toHaveLength(1);
    // After a long wait (a lease that may have lapsed) the next step renews, and so finds out.
    advance(3_600_000);
    await keepLease(w);
    expect(renewals).toHaveLength(2);
  });

  it("lets a lost lease stop the key (LeaseLostError from renew)", async () => {
    const { w, advance } = work(60_000);
    w.lease!.renew = async () => {
      throw new LeaseLostError(KEY);
    };
    advance(60_000);
    await expect(keepLease(w)).rejects.toBeInstanceOf(LeaseLostError);
  });
});
