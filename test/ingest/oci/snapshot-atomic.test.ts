import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Config } from "../../../src/app/config.js";
import { createLogger } from "../../../src/app/logger.js";
import type { IngestDeps } from "../../../src/ingest/oci/ingest-deps.js";
import { takeSnapshot } from "../../../src/ingest/oci/take-snapshot.js";
import type { OciPorts } from "../../../src/oci/oci-ports.js";
import { findSnapshotAsOf, listSnapshotRuns } from "../../../src/store/snapshots.js";
import { createTestStore, type TestStore } from "../../helpers/db.js";
import { portsFor } from "../../helpers/oci-ports.js";
import { EXAMPLE, useSimulator } from "../../helpers/sim.js";

describe("takeSnapshot writes items, bodies and the final status together or not at all", () => {
  const suite = useSimulator({ maxClockSkewMs: Infinity });
  let t: TestStore;
  let ports: OciPorts;
  let deps: IngestDeps;
  let nowMs = Date.parse("2030-06-01T00:00:00.000Z");
  beforeAll(async () => {
    t = await createTestStore("sqlite");
    ports = portsFor(suite().sim);
    deps = {
      store: t.store, ports, logger: createLogger({ level: "silent" }), now: () => new Date((nowMs += 60_000)).toISOString(),
      importRunId: 0, config: Config.parse({}),
    };
  });
  afterAll(async () => {
    ports.close();
    await t.cleanup();
  });

  it("a store failure while writing the items leaves no item and no body of that run, and the run marked failed", async () => {
    const good = await takeSnapshot(deps);
    expect(good.status).toBe("succeeded");
    const bodiesBefore = (await t.store.db.selectFrom("snapshot_body").select("sha256").execute()).length;
    // New content (a body the store does not hold yet), then an item insert that the database refuses.
    await suite().clients.management.createKeyVersion({ keyId: EXAMPLE.bucketKey.id });
    await sql`create trigger refuse_backup_items before insert on snapshot_item when new.kind = 'volume-backup' begin select raise(abort, 'refused by test'); end`.execute(t.store.db);
    try {
      await expect(takeSnapshot(deps)).rejects.toThrow(/refused by test/);
    } finally {
      await sql`drop trigger refuse_backup_items`.execute(t.store.db);
    }
    const runs = await listSnapshotRuns(t.store.db);
    expect(runs.map((r) => r.status)).toEqual(["succeeded", "failed"]);
    expect(runs[1]!.errors.at(-1)).toMatch(/^store: the snapshot could not be written \(SqliteError\)$/);
    expect(await t.store.db.selectFrom("snapshot_item").select("id").where("snapshot_run_id", "=", runs[1]!.id).execute()).toEqual([]);
    expect((await t.store.db.selectFrom("snapshot_body").select("sha256").execute()).length).toBe(bodiesBefore);
    // Readers still see the last good snapshot.
    expect((await findSnapshotAsOf(t.store.db, "2031-01-01T00:00:00.000Z"))!.run.id).toBe(good.runId);
  });
});
