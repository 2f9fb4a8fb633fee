/**
 * `summary.pdf` of a monthly evidence pack (DESIGN §5): cover, counts, verdict per control, per-key
 * and per-resource timelines, coverage and imports, method. A4, "Page n of m" and the pack month
 * with the generation time on every page.
 *
 * How it stays small and exact:
 * - Streaming: PDFKit writes each page to the file when the next one starts; nothing buffers the
 *   document. "Page n of m" and the contents' page numbers come from a first, measuring pass
 *   rendered into a discarding sink (same code, same data, so the same page breaks).
 * - Bounded: timeline detail is capped (plan-timeline-detail.ts), with a note naming the XLSX sheet for
 *   whatever is not shown, so 250,000 entries render under a 256 MB heap (cases.md B32).
 * - Unicode: DejaVu Sans with a Noto Sans SC fallback; anything neither can draw becomes a visible
 *   "[U+XXXX]" and is reported in `missingGlyphs` (cases.md B30).
 * - Deterministic: creation/modification dates come from `generatedAt`, and PDFKit derives the
 *   document id from the info dictionary, so identical PackData gives a byte-identical file.
 */
import { createWriteStream } from "node:fs";
import { rename, rm, stat } from "node:fs/promises";
import { once } from "node:events";
import { Writable } from "node:stream";
import { pipeline } from "node:stream/promises";
import PDFDocument from "pdfkit";
import { requireInstant } from "../time/instant.js";
import type { PackData, PackSource } from "./pack-data.js";
import { drawCoverPage, type ContentsEntry } from "./pdf/draw-cover-page.js";
import { drawCoverage } from "./pdf/draw-coverage.js";
import { drawMethod } from "./pdf/draw-method.js";
import { PageWriter } from "./pdf/page-writer.js";
import { loadPdfFonts, registerPdfFonts, type PdfFonts } from "./pdf/load-pdf-fonts.js";
import { drawCounts } from "./pdf/draw-counts.js";
import { drawVerdicts } from "./pdf/draw-verdicts.js";
import { DEFAULT_TIMELINE_LIMITS, planTimelineDetail, type TimelineDetailLimits, type TimelineDetailPlan } from "./pdf/plan-timeline-detail.js";
import { drawTimelines } from "./pdf/draw-timelines.js";

export interface RenderPdfResult {
  /** Size of the written file in bytes. */
  bytes: number;
  /** Number of pages. */
  pages: number;
  /**
   * Code points drawn as a placeholder because no embedded font has them, or because they are
   * control / invisible format characters: sorted, unique, as "U+1F511". The caller logs them.
   */
  missingGlyphs: string[];
}

export interface RenderPdfOptions {
  /** Timeline detail caps; default 200 entries per subject, 2,000 in total. */
  limits?: TimelineDetailLimits;
  /** Preloaded fonts (tests and batch runs reuse them); default: read from assets/fonts. */
  fonts?: PdfFonts;
}

/** PDFKit output held before drawing waits for the file to catch up (bytes). */
const MAX_BUFFERED = 1 << 20;

const SECTIONS: readonly Omit<ContentsEntry, "page">[] = [
  { id: "counts", title: "1  Counts and activity" },
  { id: "verdicts", title: "2  Verdict per control" },
  { id: "key-timelines", title: "3  Key timelines" },
  { id: "resource-timelines", title: "4  Resource timelines" },
  { id: "coverage", title: "5  Coverage: evidence collected and not collected" },
  { id: "method", title: "6  Method and data sources" },
];

interface PassResult {
  pages: number;
  sectionPages: Map<string, number>;
  missingGlyphs: string[];
}

/**
 * Renders `summary.pdf` for `source.data` to `outPath` (replaced when complete). Reads only
 * `source.data`; the event iterator is left to the other renderers. The file is written as
 * `<outPath>.partial` and renamed into place; on failure it is removed and `outPath` is untouched.
 * @throws TypeError when `data.generatedAt` is not an ISO instant; file system errors as they are.
 */
export async function renderSummaryPdf(source: PackSource, outPath: string, options: RenderPdfOptions = {}): Promise<RenderPdfResult> {
  const data = source.data;
  const generatedAt = requireInstant(data.generatedAt, "generatedAt");
  const fonts = options.fonts ?? loadPdfFonts();
  const plan = planTimelineDetail(data.keyTimelines, data.resourceTimelines, options.limits ?? DEFAULT_TIMELINE_LIMITS);
  const created = new Date(generatedAt.epochMs);

  const measured = await renderPass(data, plan, fonts, created, null, new Writable({ write: (_chunk, _enc, done) => done() }));
  // Written under a temporary name and renamed when complete: a failure leaves no half-written PDF.
  const partial = `${outPath}.partial`;
  try {
    const final = await renderPass(data, plan, fonts, created, measured, createWriteStream(partial));
    await rename(partial, outPath);
    const { size } = await stat(outPath);
    return { bytes: size, pages: final.pages, missingGlyphs: final.missingGlyphs };
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  }
}

async function renderPass(
  data: PackData,
  plan: TimelineDetailPlan,
  fonts: PdfFonts,
  created: Date,
  measured: PassResult | null,
  sink: Writable,
): Promise<PassResult> {
  const doc = new PDFDocument({
    autoFirstPage: false,
    size: "A4",
    margin: 0,
    compress: true,
    pdfVersion: "1.7",
    lang: "en",
    displayTitle: true,
    info: {
      Title: `keyproof evidence pack ${data.month}`,
      Subject: `OCI Vault key rotation evidence, ${data.period.start} to ${data.period.end} (UTC, end exclusive)`,
      Creator: `keyproof ${data.toolVersion}`,
      Producer: "keyproof (PDFKit)",
      CreationDate: created,
      ModDate: created,
    },
  });
  const written = pipeline(doc, sink);
  // A sink error (e.g. the folder does not exist) can arrive while pages are still being drawn:
  // mark it handled now and surface it through `await written` below.
  written.catch(() => undefined);
  try {
    registerPdfFonts(doc, fonts);
    const w = new PageWriter(doc, fonts, {
      month: data.month,
      generatedAt: data.generatedAt,
      totalPages: measured?.pages ?? null,
      drain: () => drain(doc, sink),
    });
    const contents = SECTIONS.map((s) => ({ ...s, page: measured?.sectionPages.get(s.id) ?? null }));
    drawCoverPage(w, data, contents);
    await drawCounts(w, data);
    await drawVerdicts(w, data);
    await drawTimelines(w, plan, "key");
    await drawTimelines(w, plan, "resource");
    await drawCoverage(w, data);
    drawMethod(w, data);
    w.finishPage();
    doc.end();
    await written;
    if (measured && (measured.pages !== w.page || [...measured.sectionPages].some(([id, page]) => w.sectionPages.get(id) !== page))) {
      // Both passes draw the same data with the same code; a difference would print wrong page numbers.
      throw new Error(`summary.pdf: page layout changed between passes (${measured.pages} → ${w.page} pages)`);
    }
    return { pages: w.page, sectionPages: w.sectionPages, missingGlyphs: w.glyphs.missingGlyphs() };
  } catch (err) {
    doc.destroy(err as Error);
    await written.catch(() => undefined);
    throw err;
  }
}

/**
 * Back-pressure between pages: PDFKit pushes without waiting, so after each page wait until the
 * pipeline has moved what PDFKit produced into the sink (and the sink has drained, if it must).
 */
async function drain(doc: PDFKit.PDFDocument, sink: Writable): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  while (doc.readableLength > MAX_BUFFERED && !sink.destroyed && !doc.destroyed) {
    if (sink.writableNeedDrain) await once(sink, "drain");
    else await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
