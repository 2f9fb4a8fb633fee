import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { PackData } from "../../src/evidence/pack-data.js";
import { renderSummaryPdf, type RenderPdfResult } from "../../src/evidence/render-pdf.js";
import { loadPdfFonts, type PdfFonts } from "../../src/evidence/pdf/load-pdf-fonts.js";
import { extractPdfText, squash, type PdfText } from "../helpers/extract-pdf-text.js";
import { B30_NAMES, GENERATED_AT, ID, buildPackData, buildTimeline, buildTimelineEntry, packSourceOf } from "../helpers/pack-data-factory.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CHILD = fileURLToPath(new URL("./render-pdf-child.script.ts", import.meta.url));
const FOOTER = `keyproof evidence pack 2026-10 · generated ${GENERATED_AT}`;

let dir: string;
let fonts: PdfFonts;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "keyproof-pdf-"));
  fonts = loadPdfFonts();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
async function render(data: PackData, options: Parameters<typeof renderSummaryPdf>[2] = {}): Promise<{ file: string; result: RenderPdfResult; pdf: PdfText }> {
  const file = join(dir, `summary-${++counter}.pdf`);
  const result = await renderSummaryPdf(packSourceOf(data), file, { fonts, ...options });
  return { file, result, pdf: await extractPdfText(file) };
}

/** The default pack with the B30 names as key, compartment and user names (no emoji). */
function packWithB30Names(): PackData {
  const data = buildPackData();
  const [prod, archive] = data.keyTimelines;
  if (!prod || !archive || !prod.entries[0]) throw new Error("factory changed");
  prod.displayName = B30_NAMES.german;
  archive.displayName = B30_NAMES.japanese;
  archive.compartmentName = B30_NAMES.russian;
  prod.entries[0].actor = B30_NAMES.turkish;
  return data;
}

describe("renderSummaryPdf: the default pack", () => {
  let data: PackData;
  let out: { file: string; result: RenderPdfResult; pdf: PdfText };
  beforeAll(async () => {
    data = packWithB30Names();
    out = await render(data);
  });

  it("lists the period's events by type, principal and compartment with counts, and says how many more there are", () => {
    const all = squash(out.pdf.pages.join("\n"));
    for (const row of [...data.activity.eventTypes, ...data.activity.principals, ...data.activity.compartments]) {
      expect(all).toContain(squash(row.name));
      if (row.id) expect(all).toContain(squash(row.id));
    }
    expect(all).toContain(squash("com.oraclecloud.KeyManagementService.GetKey 1,204"));
    expect(all).toContain(squash("2 more (5 in all) are in evidence.xlsx sheet Events."));
  });

  it("writes an A4 PDF and reports its size and page count", async () => {
    const bytes = await readFile(out.file);
    expect(bytes.subarray(0, 8).toString("latin1")).toBe("%PDF-1.7");
    expect(out.result.bytes).toBe(bytes.length);
    expect(out.result.pages).toBe(out.pdf.pages.length);
    expect(out.pdf.pageSize.width).toBeCloseTo(595.28, 1);
    expect(out.pdf.pageSize.height).toBeCloseTo(841.89, 1);
    expect(existsSync(`${out.file}.partial`)).toBe(false);
  });

  it("puts month, UTC period, tenancy, generation time, tool version and the fingerprint pointer on the cover", () => {
    const cover = out.pdf.pages[0] ?? "";
    expect(cover).toContain("keyproof evidence pack");
    expect(cover).toContain("2026-10");
    expect(squash(cover)).toContain(squash("2026-10-01T00:00:00.000Z to 2026-11-01T00:00:00.000Z (UTC, end exclusive)"));
    expect(squash(cover)).toContain(ID.tenancy);
    expect(cover).toContain(GENERATED_AT);
    expect(cover).toContain("keyproof 0.1.0");
    expect(squash(cover)).toContain(squash("SHA-256 of manifest.json"));
    expect(squash(cover)).toContain(squash("key version cryptoperiod 90 days; re-key within 24 hours of a rotation; superseded versions retained 2555 days; scope tag backup-encryption=enabled"));
    expect(out.pdf.info).toMatchObject({ Title: "keyproof evidence pack 2026-10", CreationDate: "D:20261101020000Z", ModDate: "D:20261101020000Z" });
  });

  it("has the footer and 'Page n of m' on every page", () => {
    const n = out.pdf.pages.length;
    out.pdf.pages.forEach((page, i) => {
      expect(page).toContain(FOOTER);
      expect(page).toContain(`Page ${i + 1} of ${n}`);
    });
  });

  it("lists sections in the contents with the pages they start on", () => {
    const entries = [...(out.pdf.pages[0] ?? "").matchAll(/^(\d)\s+(.+?)\s*page (\d+)$/gm)];
    expect(entries.map((m) => m[1])).toEqual(["1", "2", "3", "4", "5", "6"]);
    for (const [, num, title, page] of entries) {
      expect(squash(out.pdf.pages[Number(page) - 1] ?? ""), `section ${num}`).toContain(squash(`${num} ${title}`));
    }
  });

  it("states the counts", () => {
    const text = out.pdf.text;
    expect(text).toMatch(/Audit events in the period\s*13/);
    expect(text).toMatch(/Distinct event types\s*11/);
    expect(text).toMatch(/Key timelines\s*4/);
    expect(text).toMatch(/Resource timelines\s*4/);
    expect(text).toMatch(/Timeline entries \(keys and resources\)\s*20/);
    expect(text).toMatch(/Conflicting event records \(same event id, different content\)\s*0/);
  });

  it("shows one row per control with its title, requirement, verdict and reason, in that order", () => {
    const text = squash(out.pdf.text);
    for (const v of data.verdicts) {
      expect(text).toContain(squash(`${v.controlId}${v.title}${v.requirement}${v.verdict}${v.reason}`));
    }
    expect(data.verdicts.filter((v) => v.verdict === "NO_EVIDENCE")).toHaveLength(2);
  });

  it("shows every key and resource timeline: subject id, name and every entry's event id and action", () => {
    const text = squash(out.pdf.text);
    for (const t of [...data.keyTimelines, ...data.resourceTimelines]) {
      expect(text).toContain(squash(t.subjectId));
      expect(text).toContain(squash(t.displayName ?? ""));
      for (const e of t.entries) {
        expect(text).toContain(squash(`${e.time}${e.action}`));
        expect(text).toContain(squash(e.eventId));
      }
    }
  });

  it("renders the B30 names exactly (embedded DejaVu Sans with Noto Sans SC for CJK)", async () => {
    for (const name of [B30_NAMES.german, B30_NAMES.japanese, B30_NAMES.russian, B30_NAMES.turkish]) {
      expect(out.pdf.text).toContain(name);
    }
    const raw = (await readFile(out.file)).toString("latin1");
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+DejaVuSans\b/);
    expect(raw).toMatch(/\/BaseFont \/[A-Z]{6}\+NotoSansSC-Regular\b/);
    expect(out.result.missingGlyphs).toEqual([]);
  });

  it("states coverage, the imports used and the method", () => {
    const text = squash(out.pdf.text);
    for (const c of data.coverage) expect(text).toContain(squash(`${c.evidence}${c.status}${c.detail}`));
    for (const i of data.imports) expect(text).toContain(squash(i.source));
    expect(out.pdf.text).toContain("Method and data sources");
  });

  it("keeps every piece of text inside the page margins", () => {
    for (const item of out.pdf.items) {
      expect(item.x, item.str).toBeGreaterThanOrEqual(49.5);
      expect(item.x + item.width, item.str).toBeLessThanOrEqual(595.28 - 49.5);
    }
  });
});

describe("renderSummaryPdf: untrusted text", () => {
  it("draws an emoji as a visible [U+1F511] placeholder and reports it", async () => {
    const data = buildPackData();
    data.keyTimelines[0] = { ...buildTimeline(), displayName: `prod-key-${B30_NAMES.emoji}` };
    const { result, pdf } = await render(data);
    expect(pdf.text).toContain("prod-key-[U+1F511]");
    expect(result.missingGlyphs).toEqual(["U+1F511"]);
  });

  it("shows a bidi override as its code point instead of letting it reorder a name", async () => {
    const data = buildPackData();
    data.keyTimelines[0] = { ...buildTimeline(), displayName: "invoice\u202Egpj.exe" };
    const { result, pdf } = await render(data);
    expect(pdf.text).toContain("invoice[U+202E]gpj.exe");
    expect(result.missingGlyphs).toEqual(["U+202E"]);
  });

  it("shows the read-back event under the outcome of a verified volume key update, and nothing for an unverified one", async () => {
    const data = buildPackData();
    data.keyTimelines = [buildTimeline({
      entries: [
        buildTimelineEntry({ action: "volume.kms-key-updated", eventId: "evt-update-verified", verifiedBy: { eventId: "evt-read-back-0001", time: "2026-10-03T08:15:42.565Z" } }),
        buildTimelineEntry({ action: "volume.kms-key-updated", outcome: "accepted", eventId: "evt-update-unverified", time: "2026-10-04T08:15:42.123Z" }),
      ],
    })];
    const text = squash((await render(data)).pdf.text);
    expect(text).toContain(squash("succeeded HTTP 200 verified by read-back evt-read-back-0001"));
    expect(text.match(/verifiedbyread-back/g)).toHaveLength(1);
  });

  it("wraps unbroken OCIDs, names and details inside their columns and the page", async () => {
    const longId = `ocid1.key.oc1.eu-frankfurt-1.${"x".repeat(260)}`;
    const data = buildPackData();
    data.keyTimelines[0] = buildTimeline({
      subjectId: longId,
      displayName: "N".repeat(300),
      compartmentName: B30_NAMES.japanese.repeat(40),
      entries: [buildTimelineEntry({ actor: "a".repeat(150), detail: `kmsKeyId ${longId} → ${"y".repeat(200)}`, eventId: "e".repeat(120) })],
    });
    data.verdicts[0] = { ...data.verdicts[0]!, reason: "r".repeat(900) };
    const { pdf } = await render(data);
    for (const item of pdf.items) {
      expect(item.x, item.str).toBeGreaterThanOrEqual(49.5);
      expect(item.x + item.width, item.str).toBeLessThanOrEqual(595.28 - 49.5);
    }
    expect(squash(pdf.text)).toContain(longId);
    expect(squash(pdf.text)).toContain("e".repeat(120));
  });
});

describe("renderSummaryPdf: determinism", () => {
  it("writes byte-identical files for identical PackData", async () => {
    const a = await render(buildPackData());
    const b = await render(buildPackData());
    expect((await readFile(a.file)).equals(await readFile(b.file))).toBe(true);
  });

  it("writes the same bytes in another time zone (child process with TZ=Asia/Kolkata)", async () => {
    const here = await render(buildPackData());
    const there = join(dir, "kolkata.pdf");
    await run(process.execPath, ["--import", "tsx", CHILD, there, "default"], { cwd: ROOT, env: { ...process.env, TZ: "Asia/Kolkata" } });
    expect((await readFile(there)).equals(await readFile(here.file))).toBe(true);
  });
});

describe("renderSummaryPdf: caps on timeline detail (B32)", () => {
  // The start of each per-subject note ("4,960 more entries in evidence.xlsx sheet KeyTimeline") is on one line.
  const MORE = /(?<![\d,])([\d,]+) more entr(?:y|ies) in evidence\.xlsx sheet (KeyTimeline|ResourceTimeline)\b/g;

  it("shows the first entries up to the caps and accounts for every entry it leaves out", async () => {
    const data = buildPackData();
    const { pdf } = await render(data, { limits: { maxEntriesPerSubject: 2, maxTotalEntries: 5 } });
    const text = squash(pdf.text);
    const notes = [...pdf.text.matchAll(MORE)];
    const omitted = notes.reduce((sum, m) => sum + Number(m[1]?.replace(/,/g, "")), 0);
    expect(omitted).toBe(data.counts.timelineEntries - 5);
    expect(notes.some((m) => m[2] === "ResourceTimeline")).toBe(true);
    expect(text).toContain(squash("5 of 20 timeline entries are shown"));
  });

  it("renders 250,000 entries (50 keys × 5,000) under a 256 MB heap, with the cap notes", async () => {
    const file = join(dir, "large.pdf");
    const { stdout } = await run(
      process.execPath,
      ["--max-old-space-size=256", "--import", "tsx", CHILD, file, "large", "50", "5000"],
      { cwd: ROOT, timeout: 50_000 },
    );
    const stats = JSON.parse(stdout.trim().split("\n").pop() ?? "{}") as { entries: number; pages: number };
    expect(stats.entries).toBe(250_000);
    const pdf = await extractPdfText(file);
    expect(pdf.pages).toHaveLength(stats.pages);
    const text = squash(pdf.text);
    expect(text).toContain(squash("2,000 of 250,000 timeline entries are shown"));
    const notes = [...pdf.text.matchAll(MORE)];
    expect(notes).toHaveLength(50);
    expect(notes.every((m) => m[1] === "4,960" && m[2] === "KeyTimeline")).toBe(true);
  }, 58_000);
});

describe("renderSummaryPdf: failures", () => {
  it("leaves no file behind when the output folder does not exist", async () => {
    const file = join(dir, "missing-folder", "summary.pdf");
    await expect(renderSummaryPdf(packSourceOf(buildPackData()), file, { fonts })).rejects.toThrow(/ENOENT/);
    expect(existsSync(file)).toBe(false);
    expect(existsSync(`${file}.partial`)).toBe(false);
  });

  it("rejects a pack whose generatedAt is not an instant", async () => {
    await expect(renderSummaryPdf(packSourceOf(buildPackData({ generatedAt: "yesterday" })), join(dir, "x.pdf"), { fonts })).rejects.toThrow(TypeError);
  });
});
