/**
 * The ingestion part of `npm run demo` (after the rotation, same simulator): `keyproof ingest`
 * collects the day's audit events from Audit ListEvents (the rotation's own calls among them),
 * records every window in the coverage ledger and takes a state snapshot; a second run adds no
 * event (exactly once; the look-back re-reads count as duplicates).
 */
import type { Deps } from "../app/deps.js";
import { formatIngestResult } from "../ingest/oci/format-ingest-result.js";
import { runIngest, type IngestRunResult } from "../ingest/oci/run-ingest.js";
import type { DemoSimSession } from "./demo-rotation.js";

/** What the demo's ingestion did, for its callers and tests. */
export interface DemoIngest {
  first: IngestRunResult;
  second: IngestRunResult;
}

export async function runDemoIngest(deps: Deps, session: DemoSimSession, say: (line: string) => void): Promise<DemoIngest> {
  // ListEvents windows end at the last whole minute: let the rotation's minute end.
  session.clock.advance(2 * 60_000);
  const ingestDeps = { store: deps.store, ports: session.oci, logger: deps.logger, now: () => session.clock.now().toISOString(), config: session.config };
  const first = await runIngest(ingestDeps);
  for (const line of formatIngestResult(first).trimEnd().split("\n")) say(`   ${line}`);
  say("   and again (exactly once: nothing new is stored):");
  session.clock.advance(60_000);
  const second = await runIngest(ingestDeps);
  for (const line of formatIngestResult(second).trimEnd().split("\n")) say(`   ${line}`);
  return { first, second };
}
