/**
 * `keyproof report --month YYYY-MM`: builds the monthly evidence pack into `<reportsDir>/YYYY-MM/`
 * (DESIGN §5). Files are written into a staging folder and moved into place with one rename, so a
 * crash never leaves a half-written pack; an issued pack is never overwritten.
 */
import { mkdir, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Deps } from "../app/deps.js";
import { AppError, ValidationError } from "../app/errors.js";
import { TOOL_VERSION } from "../app/version.js";
import { listAuditEventsInPeriod } from "../store/audit-events.js";
import { monthPeriod } from "../time/instant.js";
import { buildPackSource } from "./build-pack-data.js";
import { hashFile, MANIFEST_SCHEMA, serializeManifest, type Manifest } from "./manifest.js";
import type { PackData } from "./pack-data.js";
import { renderSummaryPdf } from "./render-pdf.js";
import { renderEvidenceXlsx } from "./render-xlsx.js";
import { writeEventsJsonl } from "./write-events-jsonl.js";

export const PACK_FILES = ["summary.pdf", "evidence.xlsx", "events.jsonl.gz"] as const;

export interface GeneratePackResult {
  month: string;
  /** Absolute path of the pack folder. */
  dir: string;
  manifest: Manifest;
  /** SHA-256 of manifest.json: the pack fingerprint. */
  manifestSha256: string;
  data: PackData;
  /** Code points the PDF fonts could not draw (shown as placeholders). */
  missingGlyphs: string[];
}

async function exists(p: string): Promise<boolean> {
  return stat(p).then(
    () => true,
    () => false,
  );
}

/**
 * Generates the pack of `input.month`.
 * @throws AppError CONFLICT when the pack folder already exists (a pack never changes once issued).
 * @throws AppError PRECONDITION_FAILED when the month has not ended yet on the clock.
 * @throws ValidationError when the month is not YYYY-MM.
 */
export async function generatePack(
  deps: Pick<Deps, "store" | "clock" | "logger"> & { config: Pick<Deps["config"], "reportsDir" | "policy" | "scope" | "ingest"> },
  input: { month: string },
): Promise<GeneratePackResult> {
  // Validated before it becomes part of a path.
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(input.month)) {
    throw new ValidationError(`month: expected YYYY-MM, got ${JSON.stringify(input.month)}`);
  }
  const reportsDir = path.resolve(deps.config.reportsDir);
  const dir = path.join(reportsDir, input.month);
  if (await exists(dir)) {
    throw new AppError("CONFLICT", `pack ${input.month} already exists at ${dir}; an issued pack is never rewritten`);
  }
  const generatedAt = deps.clock.now().toISOString();
  const period = monthPeriod(input.month);
  // A pack is never rewritten, so a month is only issued once it is over (UTC).
  if (period.end > generatedAt) {
    throw new AppError(
      "PRECONDITION_FAILED",
      `month ${input.month} has not ended yet (it ends ${period.end} UTC); its pack can be issued from then on`,
    );
  }
  // The staging folder first: a reports folder that cannot be written fails before any work.
  const staging = path.join(reportsDir, `.staging-${input.month}-${process.pid}`);
  try {
    await rm(staging, { recursive: true, force: true });
    await mkdir(staging, { recursive: true });
  } catch (err) {
    throw new ValidationError(`reportsDir: cannot create a folder in ${reportsDir} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    const log = deps.logger.child({ job: "report", month: input.month });
    const policy = { ...deps.config.policy, scopeTag: deps.config.scope.tag };
    const source = await buildPackSource(deps.store.db, {
      month: input.month, generatedAt, toolVersion: TOOL_VERSION, policy, lookbackMinutes: deps.config.ingest.lookbackMinutes,
    });
    log.info({ counts: source.data.counts }, "pack data gathered");

    const pdf = await renderSummaryPdf(source, path.join(staging, "summary.pdf"));
    if (pdf.missingGlyphs.length > 0) log.warn({ missingGlyphs: pdf.missingGlyphs }, "characters without a glyph were drawn as placeholders");
    log.info({ pages: pdf.pages, bytes: pdf.bytes }, "summary.pdf written");
    const xlsx = await renderEvidenceXlsx(source, path.join(staging, "evidence.xlsx"));
    log.info({ sheets: xlsx.sheets, bytes: xlsx.bytes }, "evidence.xlsx written");
    async function* raw() {
      for await (const stored of listAuditEventsInPeriod(deps.store.db, source.period)) yield stored.rawJson;
    }
    const written = await writeEventsJsonl(raw(), path.join(staging, "events.jsonl.gz"));
    log.info({ events: written }, "events.jsonl.gz written");

    const files = [];
    for (const name of PACK_FILES) files.push({ path: name, ...(await hashFile(path.join(staging, name))) });
    const manifest: Manifest = {
      schema: MANIFEST_SCHEMA,
      month: input.month,
      period: { start: source.period.start, end: source.period.end },
      generatedAt,
      toolVersion: TOOL_VERSION,
      policy,
      tenancies: source.data.tenancies,
      // archiveMaxSeq: the archive snapshot every file of this pack was read from (seq ≤ it).
      counts: { ...source.data.counts, rawEvents: written, archiveMaxSeq: source.period.maxSeq ?? 0 },
      files,
      previousManifestSha256: null,
    };
    const manifestText = serializeManifest(manifest);
    await writeFile(path.join(staging, "manifest.json"), manifestText);
    const { sha256: manifestSha256 } = await hashFile(path.join(staging, "manifest.json"));
    if (await exists(dir)) throw new AppError("CONFLICT", `pack ${input.month} appeared at ${dir} while generating; not overwritten`);
    await rename(staging, dir);
    log.info({ dir, manifestSha256 }, "pack issued");
    return { month: input.month, dir, manifest, manifestSha256, data: source.data, missingGlyphs: pdf.missingGlyphs };
  } catch (err) {
    await rm(staging, { recursive: true, force: true });
    throw err;
  }
}
