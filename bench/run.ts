/**
 * `npm run bench`: throughput and memory of the main job on generated data (not a unit test).
 * Prints one line per benchmark. Sizes: BENCH_EVENTS (default 100,000 audit records of ~2.3 KB).
 *
 *   import   : JSON Lines (gzip) → normalise → SQLite, events/s and peak RSS
 *   reimport : the same file again (all duplicates), events/s
 *   report   : the month's evidence pack (PDF + XLSX + JSONL + manifest), seconds and peak RSS
 *   sim      : OCI simulator start with the example tenancy (import + parse seed + listen), ms
 *              (issue 3 target: `keyproof sim` ready in under 2 s)
 *   rotation : `rotate()` over BENCH_ROTATION_KEYS keys (default 1,000) × 10 resources with 50 ms
 *              latency and 5% 429s, wall time against the KMS-write / latency floor (issue 4
 *              target: at most 1.5×); fails when any key or resource was not rotated exactly
 *              once (bench/rotation-bench.ts). BENCH_ROTATION_KEYS=0 skips it.
 *   ingest   : events/s of export files (importAuditFiles) and of Audit ListEvents from the
 *              simulator (ingestListEvents), each against the raw limit measured in the same run
 *              (JSON.parse + one prepared INSERT in 10k-row transactions), and peak RSS at N/4 and
 *              N records (issue 5 targets: ≥ 50% of raw, memory flat); each measurement in a
 *              process of its own (bench/ingest-bench.ts). A missed target fails the run only
 *              with BENCH_STRICT=1.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { loadConfig } from "../src/app/config.js";
import { createDeps } from "../src/app/create-deps.js";
import { silentLogger } from "../src/app/logger.js";
import { generatePack } from "../src/evidence/generate-pack.js";
import { importAuditFiles } from "../src/ingest/import-audit-files.js";
import { fixedClock } from "../src/time/instant.js";
import { runIngestBench } from "./ingest-bench.js";
import { runRotationBench } from "./rotation-bench.js";
import { writeSyntheticExport } from "./synthetic-export.js";

{
  const t0 = performance.now();
  const [{ startSimulator }, { loadTenancySeed }] = await Promise.all([
    import("../src/sim/start-simulator.js"),
    import("../src/sim/seed/parse-tenancy-seed.js"),
  ]);
  const seed = await loadTenancySeed(path.join(import.meta.dirname ?? path.dirname(new URL(import.meta.url).pathname), "../examples/tenancy/example-tenancy.json"));
  const sim = await startSimulator({ seed, port: 0 });
  console.log(`sim      example tenancy: ready in ${(performance.now() - t0).toFixed(0)} ms (import + seed + listen, in-process)`);
  await sim.close();
}

const events = Number(process.env.BENCH_EVENTS ?? 100_000);
const dir = mkdtempSync(path.join(tmpdir(), "keyproof-bench-"));
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 50);
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;

try {
  const file = path.join(dir, "export.jsonl.gz");
  const bytes = await writeSyntheticExport(file, { events, month: "2026-10" });
  const config = loadConfig({ KEYPROOF_DATABASE: path.join(dir, "bench.sqlite"), KEYPROOF_REPORTS_DIR: path.join(dir, "reports"), KEYPROOF_LOG_LEVEL: "silent" });
  const deps = await createDeps({ config, logger: silentLogger(), clock: fixedClock("2026-11-01T06:00:00.000Z") });

  let t = performance.now();
  peakRss = 0;
  const first = await importAuditFiles(deps, { paths: [file] });
  let s = (performance.now() - t) / 1000;
  console.log(`import   ${events} events (${mb(bytes)} gz): ${s.toFixed(1)} s, ${(events / s).toFixed(0)} events/s, peak RSS ${mb(peakRss)} — ${first.summaryLine}`);

  t = performance.now();
  const again = await importAuditFiles(deps, { paths: [file] });
  s = (performance.now() - t) / 1000;
  console.log(`reimport ${events} events: ${s.toFixed(1)} s, ${(events / s).toFixed(0)} events/s — ${again.summaryLine}`);

  t = performance.now();
  peakRss = 0;
  const pack = await generatePack(deps, { month: "2026-10" });
  s = (performance.now() - t) / 1000;
  console.log(`report   ${pack.data.counts.events} events, ${pack.data.counts.timelineEntries} timeline entries: ${s.toFixed(1)} s, peak RSS ${mb(peakRss)}`);
  await deps.store.close();
} finally {
  clearInterval(sampler);
  rmSync(dir, { recursive: true, force: true });
}

if (process.env.BENCH_ROTATION_KEYS !== "0") await runRotationBench();
await runIngestBench(events);
