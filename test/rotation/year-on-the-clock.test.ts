/**
 * Acceptance of issue 4: "A year on the simulator clock with a 90-day interval leaves every
 * in-scope key and resource with exactly the expected versions and successor keys, and no key
 * version younger than 7 years deleted or scheduled for deletion."
 *
 * The scheduled daily run (cron "0 2 * * *", UTC) for 365 days: the simulator clock is set to each
 * day's 02:00:00.000Z and `rotate()` runs through the real OciPorts (oci-sdk clients over loopback
 * HTTP) with deps.clock = the simulator clock, so the engine's work-request waits move the same
 * clock OCI stamps its versions with. Every expected date below is computed by hand (see EXPECTED),
 * never by the planner under test.
 *
 * The tenancy is the example tenancy cut down to what this needs, so each daily run makes fewer
 * OCI reads (one compartment in scope, no replica vault, no out-of-scope key): two bucket keys
 * (three buckets, one object each) and the volume lineage of backup-volumes-2026-04 (a volume, a
 * boot volume and a volume backup).
 */
import { createHash, generateKeyPairSync } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Config } from "../../src/app/config.js";
import { silentLogger } from "../../src/app/logger.js";
import type { OciPorts } from "../../src/oci/oci-ports.js";
import { rotate, type RotateDeps } from "../../src/rotation/rotate.js";
import { bucketObjects, objectStorageState } from "../../src/sim/objectstorage/object-storage-state.js";
import { workRequestView } from "../../src/sim/objectstorage/work-request-status.js";
import { createSimClock } from "../../src/sim/sim-clock.js";
import { startSimulator, type Simulator } from "../../src/sim/start-simulator.js";
import { findRotationRuns, findRotationSlots, findRotationSteps } from "../../src/store/rotation-records.js";
import { createTestStore, type TestStore } from "../helpers/db.js";
import { portsFor } from "../helpers/oci-ports.js";
import { EXAMPLE, exampleSeed } from "../helpers/sim.js";
import { SEED, successorsOf, versionsOf } from "./execute-harness.js";

const DAY_MS = 86_400_000;
/** The first scheduled run; the last is 364 days later, 2027-08-31T02:00:00.000Z. */
const FIRST_RUN = "2026-09-01T02:00:00.000Z";
const RUNS = 365;
const LAST_RUN_MS = Date.parse(FIRST_RUN) + (RUNS - 1) * DAY_MS;

const OBJECTS_KEY = EXAMPLE.bucketKey.id;
const VOLUMES_KEY = EXAMPLE.volumeKey.id;
const ARCHIVE_KEY = "ocid1.key.oc1.iad.ejsppeqvaafyi.abuwcljsyeararchivekey7u2m5q3xkz4nd6b2rw3lq5vjf7hc2gt4xa";
const ARCHIVE_V1 = "ocid1.keyversion.oc1.iad.ejsppeqvaafyi.abuwcljsyeararchivev1q7k3m5xz2nd4b6rw3lq5vjf7hc2gt";
const ARCHIVE_V2 = "ocid1.keyversion.oc1.iad.ejsppeqvaafyi.abuwcljsyeararchivev2q7k3m5xz2nd4b6rw3lq5vjf7hc2gt";
const ROTATOR_ID = "ocid1.user.oc1..aaaaaaaayearrotatorq7k3m5xz2nd4b6rw3lq5vjf7hc2gt4xam2p";
const ARCHIVE_BUCKET_ID = "ocid1.bucket.oc1.iad.aaaaaaaayeararchivebucket4q7k3m5xz2nd4b6rw3lq5vjf7h";

/**
 * The rotation days, by hand. Interval 90 days, lead 7 (config defaults, asserted below): a key is
 * due once its current version is 83 days old, to the millisecond. The daily run rotates it on the
 * first run at or after that instant, and creates the new version (or successor key) at that run's
 * 02:00:00.000Z (it is the run's first write and only one key rotates per day, so no
 * work-request wait precedes it): from then on each rotation is exactly 83 days after the previous.
 *
 * - backup-volumes-2026-04, version of 2026-04-14T10:02:37.571Z: 140 days old at the first run
 *   (overdue) → 2026-09-01; +83 → 2026-11-23; +83 → 2027-02-14; +83 → 2027-05-08; +83 → 2027-07-30
 *   (next 2027-10-21, after the year). Each successor is named after its slot's month.
 * - backup-archive-key, version of 2026-06-20T11:30:00.000Z: due 2026-09-11T11:30Z, after that
 *   day's run → 2026-09-12; then 2026-12-04, 2027-02-25, 2027-05-19, 2027-08-10 (next 2027-11-01).
 * - backup-objects-key, version of 2026-07-08T02:00:03.737Z: due 2026-09-29T02:00:03.737Z, 3.737 s
 *   after that day's run → 2026-09-30; then 2026-12-22, 2027-03-15, 2027-06-06, 2027-08-28
 *   (next 2027-11-19).
 * No two keys fall on the same day. The name is the plan's key name (a lineage's head before the run).
 */
const EXPECTED: [day: string, keyName: string][] = [
  ["2026-09-01", "backup-volumes-2026-04"],
  ["2026-09-12", "backup-archive-key"],
  ["2026-09-30", "backup-objects-key"],
  ["2026-11-23", "backup-volumes-2026-09"],
  ["2026-12-04", "backup-archive-key"],
  ["2026-12-22", "backup-objects-key"],
  ["2027-02-14", "backup-volumes-2026-11"],
  ["2027-02-25", "backup-archive-key"],
  ["2027-03-15", "backup-objects-key"],
  ["2027-05-08", "backup-volumes-2027-02"],
  ["2027-05-19", "backup-archive-key"],
  ["2027-06-06", "backup-objects-key"],
  ["2027-07-30", "backup-volumes-2027-05"],
  ["2027-08-10", "backup-archive-key"],
  ["2027-08-28", "backup-objects-key"],
];
const at2 = (day: string) => `${day}T02:00:00.000Z`;
const daysOf = (name: string) => EXPECTED.filter(([, n]) => n === name).map(([d]) => d);
const VOLUME_DAYS = EXPECTED.filter(([, n]) => n.startsWith("backup-volumes-")).map(([d]) => d);
const SUCCESSOR_NAMES = ["backup-volumes-2026-09", "backup-volumes-2026-11", "backup-volumes-2027-02", "backup-volumes-2027-05", "backup-volumes-2027-07"];

/** The example tenancy, cut down (see the file comment), plus backup-archive-key and its bucket. */
function yearSeed() {
  const seed = exampleSeed();
  const prod = EXAMPLE.backupProdId;
  seed.vaults = seed.vaults.filter((v) => !v.replicaOf).map((v) => ({ ...v, compartmentId: prod }));
  seed.keys = seed.keys.filter((k) => k.id === OBJECTS_KEY || k.id === VOLUMES_KEY).map((k) => ({ ...k, compartmentId: prod }));
  const objectsKey = seed.keys.find((k) => k.id === OBJECTS_KEY)!;
  seed.keys.push({
    ...objectsKey, id: ARCHIVE_KEY, displayName: "backup-archive-key", timeCreated: "2026-03-22T11:30:00.000Z",
    versions: [{ id: ARCHIVE_V1, timeCreated: "2026-03-22T11:30:00.000Z" }, { id: ARCHIVE_V2, timeCreated: "2026-06-20T11:30:00.000Z" }],
  });
  seed.buckets = seed.buckets!.filter((b) => b.kmsKeyId !== null);
  seed.buckets.push({
    name: "archive-backups", id: ARCHIVE_BUCKET_ID, compartmentId: prod, kmsKeyId: ARCHIVE_KEY, timeCreated: "2026-03-22T12:00:00.000Z",
    approximateCount: 500, freeformTags: { "backup-encryption": "enabled" },
  });
  return seed;
}

interface Day {
  day: string;
  status: string;
  /** Keys the run did something to, as `name status`. */
  acted: string[];
}

describe("a year of daily scheduled runs on the simulator clock (interval 90 days, lead 7)", () => {
  let sim: Simulator;
  let testStore: TestStore;
  let ports: OciPorts;
  let deps: RotateDeps;
  const days: Day[] = [];
  /** The oldest current version any in-scope key (lineage head) had right after a run, in days. */
  const maxAgeAfterRun = new Map<string, number>();

  beforeAll(async () => {
    // ~8,600 signed requests (about 24 OCI reads per daily run): the RSA signature is a large share
    // of a request's CPU, and a throwaway 1024-bit test key makes the year ~15 % cheaper than the
    // example user's 2048-bit key.
    const { privateKey, publicKey } = generateKeyPairSync("rsa", {
      modulusLength: 1024, publicKeyEncoding: { type: "spki", format: "pem" }, privateKeyEncoding: { type: "pkcs8", format: "pem" },
    });
    const seed = yearSeed();
    seed.users = [{ id: ROTATOR_ID, name: "keyproof-rotator-year", publicKeyPem: publicKey }];
    sim = await startSimulator({
      seed, clock: createSimClock({ start: FIRST_RUN }), writeLimits: { "kms-mgmt": null }, maxClockSkewMs: Number.POSITIVE_INFINITY,
    });
    // One object per bucket, written before the year: it must end under its key's newest version.
    for (const bucket of sim.state.buckets.values()) {
      const key = sim.state.keys.get(bucket.kmsKeyId!)!;
      const bytes = new TextEncoder().encode(`backup of ${bucket.name}`);
      bucketObjects(sim.state, bucket.name)["backup.tar"] = {
        name: "backup.tar", bytes, contentType: "application/octet-stream", md5: createHash("md5").update(bytes).digest("base64"),
        etag: `etag-${bucket.name}`, timeCreated: "2026-08-01T00:00:00.000Z", timeModified: "2026-08-01T00:00:00.000Z", kmsKeyVersionId: key.currentKeyVersion,
      };
    }
    testStore = await createTestStore("sqlite");
    ports = portsFor(sim, { userId: ROTATOR_ID, privateKeyPem: privateKey });
    const config = Config.parse({
      database: testStore.dir,
      scope: { compartments: [EXAMPLE.backupProdId] },
      rotation: { workRequestPollMs: 30_000, workRequestMaxWaitMs: 600_000 },
    });
    deps = { config, store: testStore.store, logger: silentLogger(), clock: sim.clock, oci: ports, sleep: async (ms) => sim.clock.advance(ms) };

    for (let i = 0; i < RUNS; i++) {
      sim.clock.set(new Date(Date.parse(FIRST_RUN) + i * DAY_MS).toISOString());
      const result = await rotate(deps, { trigger: "schedule" });
      days.push({
        day: result.startedAt.slice(0, 10),
        status: result.status,
        acted: result.keys.filter((k) => k.status !== "not-due").map((k) => `${k.keyName} ${k.status}${k.error ? `: ${k.error.message}` : ""}`),
      });
      const now = sim.clock.now().getTime();
      for (const [name, keyId] of [["objects", OBJECTS_KEY], ["archive", ARCHIVE_KEY], ["volumes", lineageHead(VOLUMES_KEY)]] as const) {
        const current = sim.state.keyVersions.get(sim.state.keys.get(keyId)!.currentKeyVersion)!;
        const age = (now - Date.parse(current.timeCreated)) / DAY_MS;
        maxAgeAfterRun.set(name, Math.max(maxAgeAfterRun.get(name) ?? 0, age));
      }
    }
  }, 120_000);

  afterAll(async () => {
    ports?.close();
    await sim?.close();
    await testStore?.cleanup();
  });

  /** Follows `predecessor` tags from `keyId` to the newest key; throws if the lineage forks. */
  function lineage(keyId: string): string[] {
    const chain = [keyId];
    for (;;) {
      const next = successorsOf(sim, chain.at(-1)!);
      if (next.length > 1) throw new Error(`lineage forks at ${chain.at(-1)}: ${next.map((k) => k.id).join(", ")}`);
      if (next.length === 0) return chain;
      chain.push(next[0]!.id);
    }
  }
  const lineageHead = (keyId: string) => lineage(keyId).at(-1)!;

  it("uses the policy the dates were computed from: interval 90 days, lead 7 days", () => {
    expect(deps.config.policy.rotationIntervalDays).toBe(90);
    expect(deps.config.rotation.leadDays).toBe(7);
    expect(deps.config.policy.retentionDays).toBe(2555);
  });

  it("succeeds on exactly the 15 rotation days, rotating the one key due, and is skipped on the other 350", async () => {
    const rotationDays = new Map(EXPECTED);
    const expected = Array.from({ length: RUNS }, (_, i) => {
      const day = new Date(Date.parse(FIRST_RUN) + i * DAY_MS).toISOString().slice(0, 10);
      const name = rotationDays.get(day);
      return name ? { day, status: "succeeded", acted: [`${name} rotated`] } : { day, status: "skipped", acted: [] };
    });
    expect(days).toEqual(expected);
    const runs = await findRotationRuns(testStore.store.db);
    expect(runs.map((r) => [r.startedAt.slice(0, 10), r.status, r.trigger, r.error])).toEqual(expected.map((d) => [d.day, d.status, "schedule", null]));
  });

  it("sent exactly one CreateKeyVersion per bucket-key rotation and one CreateKey per lineage rotation, at 02:00:00.000Z of the hand-computed days, and no other kind of write", () => {
    const keyOf = (path: string) => decodeURIComponent(/\/keys\/([^/?]+)\/keyVersions/.exec(path)![1]!);
    expect(sim.calls.filter((c) => c.operation === "CreateKeyVersion").map((c) => [c.time, keyOf(c.path), c.status])).toEqual(
      EXPECTED.filter(([, n]) => !n.startsWith("backup-volumes-")).map(([day, name]) => [at2(day), name === "backup-objects-key" ? OBJECTS_KEY : ARCHIVE_KEY, 200]),
    );
    expect(sim.calls.filter((c) => c.operation === "CreateKey").map((c) => [c.time, c.status])).toEqual(VOLUME_DAYS.map((d) => [at2(d), 200]));
    // Every request that is not a GET (SearchResources is a read sent as POST, once per run).
    const writes: Record<string, number> = {};
    for (const c of sim.calls.filter((c) => c.method !== "GET")) writes[c.operation] = (writes[c.operation] ?? 0) + 1;
    // 3 buckets of backup-objects-key and backup-archive-key: 2 × 5 + 1 × 5 re-encryptions.
    expect(writes).toEqual({ CreateKeyVersion: 10, ReencryptBucket: 15, CreateKey: 5, UpdateBootVolumeKmsKey: 5, UpdateVolumeKmsKey: 5, SearchResources: RUNS });
    expect(sim.calls.filter((c) => c.status >= 300 || c.status === 0 || c.fault !== null)).toEqual([]);
  });

  it("leaves each bucket key with exactly its seeded versions plus one per rotation day, the newest current", () => {
    for (const [keyId, name, seeded] of [
      [OBJECTS_KEY, "backup-objects-key", EXAMPLE.bucketKey.versions.map((v) => v.timeCreated)],
      [ARCHIVE_KEY, "backup-archive-key", ["2026-03-22T11:30:00.000Z", "2026-06-20T11:30:00.000Z"]],
    ] as const) {
      const versions = versionsOf(sim, keyId);
      expect(versions.map((v) => v.timeCreated), name).toEqual([...seeded, ...daysOf(name).map(at2)]);
      expect(versions, name).toHaveLength(seeded.length + 5);
      expect(sim.state.keys.get(keyId)!.currentKeyVersion, name).toBe(versions.at(-1)!.id);
    }
  });

  it("re-encrypted every bucket once per rotation of its key, each work request COMPLETED under the version created that day, and the data is under the newest version", async () => {
    const end = sim.clock.now().getTime();
    const buckets = [["db-backups", OBJECTS_KEY, "backup-objects-key"], ["app-backups", OBJECTS_KEY, "backup-objects-key"], ["archive-backups", ARCHIVE_KEY, "backup-archive-key"]] as const;
    for (const [bucket, keyId, name] of buckets) {
      const createdOn = new Map(versionsOf(sim, keyId).map((v) => [v.timeCreated, v.id]));
      const wrs = Object.values(objectStorageState(sim.state).workRequests).filter((w) => w.bucketName === bucket);
      expect(wrs.map((w) => [w.timeAccepted, w.kmsKeyVersionId, workRequestView(w, end).status, w.settled]), bucket).toEqual(
        daysOf(name).map((d) => [at2(d), createdOn.get(at2(d)), "COMPLETED", true]),
      );
      expect(bucketObjects(sim.state, bucket)["backup.tar"]!.kmsKeyVersionId, bucket).toBe(sim.state.keys.get(keyId)!.currentKeyVersion);
    }
    // The engine's own records agree: every re-encryption step ended on a COMPLETED work request.
    const polls = (await findRotationSteps(testStore.store.db)).filter((s) => s.operation === "GetWorkRequest");
    expect(polls).toHaveLength(15);
    expect(polls.every((s) => s.status === "succeeded" && s.detail.workRequestStatus === "COMPLETED")).toBe(true);
  });

  it("grew the volume lineage by one successor per rotation day, like its predecessor, and moved both volumes to each with a read-back", async () => {
    const chain = lineage(VOLUMES_KEY);
    expect(chain).toHaveLength(6);
    const keys = chain.map((id) => sim.state.keys.get(id)!);
    const first = keys[0]!;
    expect(keys.slice(1).map((k) => [k.displayName, k.timeCreated])).toEqual(SUCCESSOR_NAMES.map((n, i) => [n, at2(VOLUME_DAYS[i]!)]));
    keys.slice(1).forEach((k, i) => {
      expect(k).toMatchObject({
        vaultId: first.vaultId, compartmentId: first.compartmentId, keyShape: first.keyShape, protectionMode: first.protectionMode,
        freeformTags: { "backup-encryption": "enabled", predecessor: chain[i] },
      });
      // Block Volume keys have a single version.
      expect(versionsOf(sim, k.id)).toHaveLength(1);
    });
    // Both volumes are on the head; the backup keeps the key it was made with.
    expect(sim.state.volumes.get(SEED.volumeId)!.kmsKeyId).toBe(chain.at(-1));
    expect(sim.state.bootVolumes.get(SEED.bootVolumeId)!.kmsKeyId).toBe(chain.at(-1));
    expect(sim.state.volumeBackups.get(SEED.volumeBackupId)!.kmsKeyId).toBe(VOLUMES_KEY);

    // Each move was proven by reading the key back: one read-back per volume per rotation, showing that day's successor.
    const steps = await findRotationSteps(testStore.store.db);
    for (const op of ["GetVolumeKmsKey", "GetBootVolumeKmsKey"]) {
      expect(steps.filter((s) => s.operation === op).map((s) => [s.startedAt, s.status, s.detail.kmsKeyId, s.detail.why]), op).toEqual(
        VOLUME_DAYS.map((d, i) => [at2(d), "succeeded", chain[i + 1], "proof"]),
      );
    }
    expect(steps.filter((s) => s.status !== "succeeded")).toEqual([]);
  });

  it("closed every slot: one completed slot per rotation, holding the version or successor it made", async () => {
    const db = testStore.store.db;
    const objects = await findRotationSlots(db, OBJECTS_KEY);
    const archive = await findRotationSlots(db, ARCHIVE_KEY);
    for (const [keyId, slots, name] of [[OBJECTS_KEY, objects, "backup-objects-key"], [ARCHIVE_KEY, archive, "backup-archive-key"]] as const) {
      const made = versionsOf(sim, keyId).slice(-5).map((v) => v.id);
      expect(slots.map((s) => [s.createdAt, s.status, s.newKeyVersionId]), name).toEqual(daysOf(name).map((d, i) => [at2(d), "completed", made[i]]));
    }
    const chain = lineage(VOLUMES_KEY);
    const lineageSlots = (await Promise.all(chain.map((id) => findRotationSlots(db, id)))).flat();
    expect(lineageSlots.map((s) => [s.keyId, s.createdAt, s.status, s.successorKeyId])).toEqual(
      VOLUME_DAYS.map((d, i) => [chain[i], at2(d), "completed", chain[i + 1]]),
    );
  });

  it("deleted, disabled or scheduled for deletion nothing: every key and every version is ENABLED (rule 6: all are within 7 years of being superseded)", () => {
    const keyIds = [OBJECTS_KEY, ARCHIVE_KEY, ...lineage(VOLUMES_KEY)];
    expect(keyIds).toHaveLength(8);
    expect(new Set(sim.state.keys.keys())).toEqual(new Set(keyIds));
    for (const id of keyIds) expect(sim.state.keys.get(id), id).toMatchObject({ lifecycleState: "ENABLED", timeOfDeletion: null });
    const versions = [...sim.state.keyVersions.values()];
    expect(versions).toHaveLength(8 + 7 + 6);
    const retentionMs = deps.config.policy.retentionDays * DAY_MS;
    for (const v of versions) {
      // Rule 6: superseded at the next version's timeCreated (a lineage key: when its successor took over); none is past retention.
      const next = versionsOf(sim, v.keyId).find((w) => w.timeCreated > v.timeCreated) ?? successorsOf(sim, v.keyId)[0];
      const supersededMs = next ? Date.parse(next.timeCreated) : LAST_RUN_MS;
      expect(supersededMs + retentionMs).toBeGreaterThan(LAST_RUN_MS);
      expect(v, v.id).toMatchObject({ lifecycleState: "ENABLED", timeOfDeletion: null });
    }
    expect(sim.calls.filter((c) => /Deletion|DisableKey|EnableKey|Delete|UpdateKey$/.test(c.operation))).toEqual([]);
  });

  it("kept every in-scope key compliant all year: right after each run no current version was 83 days old (90 − 7)", () => {
    for (const [name, age] of maxAgeAfterRun) {
      expect(age, name).toBeLessThan(83);
      // ... and the lead is used to the day: the oldest was within its last day before due.
      expect(age, name).toBeGreaterThanOrEqual(82);
    }
  });
});
