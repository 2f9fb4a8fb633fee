/**
 * findTaggedResources through the real SDK clients against the simulator: search results outside
 * the caller's compartments are never read, and one resource whose own read fails is reported as
 * unreadable while the rest are read (DESIGN §3 rules 7 and 9). Only a failed search fails the call.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseTagSelector } from "../../src/oci/create-oci-ports.js";
import type { OciPorts } from "../../src/oci/oci-ports.js";
import { EXAMPLE, exampleSeed, generatedUser, useSimulator } from "../helpers/sim.js";
import { portsFor } from "../helpers/oci-ports.js";
import { operationHooks } from "./sim-operation-hooks.js";

const TAG = parseTagSelector("backup-encryption=enabled");
const SEED = exampleSeed();
const BACKUP = SEED.volumeBackups![0]!;
const PROD = EXAMPLE.backupProdId;
const SECURITY_LOGS = "ocid1.bucket.oc1.iad.aaaaaaaasecuritylogsbucketsecuritylogsbucketsecurityl";
const READ_OPS = ["SearchResources", "GetVolume", "GetBootVolume", "GetVolumeBackup", "GetBootVolumeBackup", "GetNamespace", "GetBucket"];
// A principal that may search and read everything but volume backups (OCI answers 404 for those).
const noBackups = generatedUser("no-backup-reads", { allowedOperations: READ_OPS.filter((op) => op !== "GetVolumeBackup") });

describe("findTaggedResources (simulator)", () => {
  const hooks = operationHooks();
  const suite = useSimulator({
    services: hooks.services,
    changeSeed: (seed) => {
      // Tagged, but in the security compartment: outside a backup-prod scope.
      seed.buckets!.push({ name: "security-logs", id: SECURITY_LOGS, compartmentId: EXAMPLE.securityId, kmsKeyId: EXAMPLE.bucketKey.id, timeCreated: "2026-01-01T00:00:00.000Z", freeformTags: { "backup-encryption": "enabled" } });
      seed.users.push(noBackups.seedUser);
    },
  });
  let ports: OciPorts;
  beforeAll(() => {
    ports = portsFor(suite().sim);
  });
  afterAll(() => ports.close());

  const readsSince = (since: number) => suite().sim.calls.slice(since).filter((c) => c.operation !== "SearchResources");
  const names = (found: Awaited<ReturnType<OciPorts["findTaggedResources"]>>) => found.resources.map((r) => r.displayName).sort();

  it("reads only the search results in the given compartments: the out-of-scope bucket is never read", async () => {
    const { sim } = suite();
    const since = sim.calls.length;
    const found = await ports.findTaggedResources(TAG, { compartmentIds: [PROD] });
    expect(names(found)).toEqual(["app-backups", "db-backups", "pg-data-vol", "pg-data-vol-2026-06-30", "pg-primary (Boot Volume)"]);
    expect(found.unreadable).toEqual([]);
    expect(readsSince(since).filter((c) => c.operation === "GetBucket").map((c) => c.path.split("/b/")[1]).sort()).toEqual(["app-backups", "db-backups"]);
    // Without compartments: every result, the security bucket included.
    expect(names(await ports.findTaggedResources(TAG))).toContain("security-logs");
  });

  it("leaves out a resource deleted between the search and its read (404), reporting it, and reads the rest", async () => {
    const { sim } = suite();
    const stored = sim.state.volumeBackups.get(BACKUP.id)!;
    hooks.after.set("SearchResources", (ctx, result) => {
      ctx.state.volumeBackups.delete(BACKUP.id);
      return result;
    });
    try {
      const found = await ports.findTaggedResources(TAG, { compartmentIds: [PROD] });
      expect(names(found)).toEqual(["app-backups", "db-backups", "pg-data-vol", "pg-primary (Boot Volume)"]);
      expect(found.unreadable).toEqual([{
        kind: "volumebackup", id: BACKUP.id, displayName: "pg-data-vol-2026-06-30", compartmentId: PROD,
        operation: "GetVolumeBackup", reason: "not-authorized-or-not-found", statusCode: 404, serviceCode: "NotAuthorizedOrNotFound",
      }]);
    } finally {
      hooks.after.clear();
      sim.state.volumeBackups.set(BACKUP.id, stored);
    }
  });

  it("reports a backup the principal may not read (404) as unreadable and reads the rest", async () => {
    const narrow = portsFor(suite().sim, { userId: noBackups.seedUser.id, privateKeyPem: noBackups.privateKey });
    try {
      const found = await narrow.findTaggedResources(TAG, { compartmentIds: [PROD] });
      expect(names(found)).toEqual(["app-backups", "db-backups", "pg-data-vol", "pg-primary (Boot Volume)"]);
      expect(found.unreadable.map((r) => [r.id, r.operation, r.statusCode])).toEqual([[BACKUP.id, "GetVolumeBackup", 404]]);
    } finally {
      narrow.close();
    }
  });

  it("reports a read still throttled after the retry layer, with its reason, and reads the rest", async () => {
    const { sim } = suite();
    const limited = portsFor(sim, { concurrency: 1 });
    // Six 429s: every attempt of the first bucket read; the second bucket reads normally.
    sim.faults.set("GetBucket", { kind: "throttle", times: 6 });
    try {
      const found = await limited.findTaggedResources(TAG, { compartmentIds: [PROD] });
      expect(found.resources).toHaveLength(4);
      expect(found.unreadable).toEqual([expect.objectContaining({ kind: "bucket", operation: "GetBucket", reason: "throttled", statusCode: 429, serviceCode: "TooManyRequests" })]);
      expect(found.resources.map((r) => r.id)).not.toContain(found.unreadable[0]!.id);
    } finally {
      sim.faults.clear("GetBucket");
      limited.close();
    }
  });

  it("makes every bucket unreadable when GetNamespace fails, not the block resources", async () => {
    const { sim } = suite();
    sim.faults.set("GetNamespace", { kind: "internal-error", times: 6 });
    try {
      const found = await ports.findTaggedResources(TAG, { compartmentIds: [PROD] });
      expect(names(found)).toEqual(["pg-data-vol", "pg-data-vol-2026-06-30", "pg-primary (Boot Volume)"]);
      expect(found.unreadable.map((r) => [r.displayName, r.operation, r.reason]).sort()).toEqual([
        ["app-backups", "GetNamespace", "server-error"], ["db-backups", "GetNamespace", "server-error"],
      ]);
    } finally {
      sim.faults.clear("GetNamespace");
    }
  });

  it("reports an answer without the resource it should carry as a malformed answer", async () => {
    const volumeId = SEED.volumes![0]!.id;
    hooks.after.set("GetVolume", (_ctx, result) => ({ ...result, body: {} }));
    try {
      const found = await ports.findTaggedResources(TAG, { compartmentIds: [PROD] });
      expect(found.resources).toHaveLength(4);
      expect(found.unreadable).toEqual([expect.objectContaining({ id: volumeId, operation: "GetVolume", reason: "malformed-answer", statusCode: null })]);
    } finally {
      hooks.after.clear();
    }
  });

  it("fails as a whole when the search itself fails (the list would be incomplete)", async () => {
    const { sim } = suite();
    sim.faults.set("SearchResources", { kind: "internal-error", times: 6 });
    const since = sim.calls.length;
    try {
      await expect(ports.findTaggedResources(TAG, { compartmentIds: [PROD] })).rejects.toMatchObject({ name: "OciCallError", operation: "SearchResources", attempts: 6 });
      expect(readsSince(since)).toEqual([]);
    } finally {
      sim.faults.clear("SearchResources");
    }
  });
});
