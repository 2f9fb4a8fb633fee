/**
 * `npm run demo`: the main jobs end to end: the example tenancy's audit export
 * (examples/audit-export/) into a fresh store, its monthly pack and a check of the pack's hashes,
 * then a rotation of the same tenancy's keys in the OCI simulator (demo-rotation.ts) and the
 * collection of the simulator's audit events and state (demo-ingest.ts).
 */
import { mkdir, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Writable } from "node:stream";
import { loadConfig } from "../app/config.js";
import { createDeps } from "../app/create-deps.js";
import { ValidationError } from "../app/errors.js";
import { projectRoot } from "../app/project-root.js";
import { generatePack } from "../evidence/generate-pack.js";
import { hashFile } from "../evidence/manifest.js";
import { importAuditFiles } from "../ingest/import-audit-files.js";
import { runDemoIngest, type DemoIngest } from "./demo-ingest.js";
import { runDemoRotation, type DemoRotation } from "./demo-rotation.js";

export const DEMO_MONTH = "2026-10";

/** Written into the demo's workspace; only a folder holding it (or an empty one) is ever wiped. */
export const DEMO_MARKER = ".keyproof-demo-workspace";

/** What a demo workspace holds; a folder with only these (or the marker) was made by a demo. */
const DEMO_ENTRIES = new Set([DEMO_MARKER, "keyproof.sqlite", "keyproof.sqlite-wal", "keyproof.sqlite-shm", "reports", "oci-config"]);

/** Wipes `workspace` only if it is missing, empty or a previous demo's (marker file or only demo files). */
async function resetWorkspace(workspace: string): Promise<void> {
  const entries = await readdir(workspace).catch((err: NodeJS.ErrnoException) => {
    if (err.code === "ENOENT") return [] as string[];
    throw new ValidationError(`demo: --workspace ${workspace} cannot be read (${err.code ?? err.message})`);
  });
  if (entries.length > 0 && !entries.includes(DEMO_MARKER) && !entries.every((e) => DEMO_ENTRIES.has(e))) {
    throw new ValidationError(`demo: --workspace ${workspace} is not empty and was not made by keyproof demo; choose a new folder (it is wiped on every run)`);
  }
  await rm(workspace, { recursive: true, force: true });
  await mkdir(workspace, { recursive: true });
  await writeFile(path.join(workspace, DEMO_MARKER), "keyproof demo workspace: wiped and rebuilt by every `keyproof demo` run\n");
}

export async function runDemo(options: { workspace: string; out: Writable }): Promise<{ packDir: string; rotation: DemoRotation; ingest: DemoIngest }> {
  const { workspace, out } = options;
  const say = (line: string) => out.write(`${line}\n`);
  await resetWorkspace(workspace);
  const config = loadConfig({
    KEYPROOF_DATABASE: path.join(workspace, "keyproof.sqlite"),
    KEYPROOF_REPORTS_DIR: path.join(workspace, "reports"),
    KEYPROOF_LOG_LEVEL: process.env.KEYPROOF_LOG_LEVEL ?? "warn",
  });
  const deps = await createDeps({ config });
  try {
    const input = path.join(projectRoot(), "examples", "audit-export");
    say(`keyproof demo: workspace ${workspace}`);
    say(`1. import ${path.relative(process.cwd(), input) || input}`);
    const imported = await importAuditFiles(deps, { paths: [input] });
    say(`   ${imported.summaryLine}`);
    for (const error of imported.errors) say(`   ${error}`);

    say(`2. build the evidence pack for ${DEMO_MONTH}`);
    const pack = await generatePack(deps, { month: DEMO_MONTH });
    say(`   ${pack.dir}`);
    for (const file of pack.manifest.files) say(`   ${file.path.padEnd(16)} ${String(file.bytes).padStart(9)} bytes  sha256 ${file.sha256}`);
    say(`   manifest.json    sha256 ${pack.manifestSha256}`);
    say(
      `   ${pack.data.counts.events} events, ${pack.data.counts.keyTimelines} key timelines, ` +
        `${pack.data.counts.resourceTimelines} resource timelines, ${pack.data.counts.timelineEntries} timeline entries`,
    );
    for (const v of pack.data.verdicts) say(`   ${v.controlId.padEnd(28)} ${v.verdict}`);

    say("3. re-hash every file against manifest.json");
    for (const file of pack.manifest.files) {
      const actual = await hashFile(path.join(pack.dir, file.path));
      if (actual.sha256 !== file.sha256) throw new Error(`${file.path}: sha256 ${actual.sha256} does not match the manifest`);
    }
    say(`   all ${pack.manifest.files.length} files match. Open ${path.join(pack.dir, "summary.pdf")}`);

    say("4. rotate the example tenancy's backup keys in the OCI simulator (keyproof rotate)");
    let ingest: DemoIngest | undefined;
    const rotation = await runDemoRotation(deps, workspace, say, async (session) => {
      say("5. collect the simulator's audit events and a state snapshot (keyproof ingest), twice");
      ingest = await runDemoIngest(deps, session, say);
    });
    if (rotation.firstStatus !== "succeeded" || rotation.secondStatus !== "skipped") {
      throw new Error(`demo: rotation ended ${rotation.firstStatus} then ${rotation.secondStatus}; expected succeeded then skipped`);
    }
    if (!ingest || ingest.first.status !== "succeeded" || ingest.second.status !== "succeeded" || (ingest.second.audit?.eventsStored ?? -1) !== 0) {
      throw new Error(`demo: ingestion ended ${ingest?.first.status} then ${ingest?.second.status} (second run stored ${ingest?.second.audit?.eventsStored}); expected succeeded twice, nothing new the second time`);
    }
    return { packDir: pack.dir, rotation, ingest };
  } finally {
    await deps.store.close();
  }
}
