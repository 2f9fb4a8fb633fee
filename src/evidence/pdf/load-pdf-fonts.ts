/**
 * The fonts embedded in `summary.pdf` (cases.md B30): DejaVu Sans (regular, bold) for Latin,
 * Greek, Cyrillic and most symbols, and Noto Sans SC as the CJK fallback (Han, kana, full-width).
 * Both ship in `assets/fonts/` with their licences. PDFKit embeds only the glyphs used (subset).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as fontkit from "fontkit";

/** The faces text can be drawn in; `regular` and `bold` fall back to `cjk`. */
export type FaceName = "regular" | "bold" | "cjk";

/** One embedded font file, loaded once per render and shared by both passes. */
export interface FontFace {
  /** Name the face is registered under in every PDFKit document. */
  readonly name: FaceName;
  readonly file: string;
  readonly data: Buffer;
  /** Parsed with fontkit, for glyph coverage checks (PDFKit parses its own copy to embed). */
  readonly font: fontkit.Font;
}

/** The three faces of `summary.pdf`; load with {@link loadPdfFonts}. */
export interface PdfFonts {
  readonly regular: FontFace;
  readonly bold: FontFace;
  readonly cjk: FontFace;
}

const FILES: Record<FaceName, string> = {
  regular: "DejaVuSans.ttf",
  bold: "DejaVuSans-Bold.ttf",
  cjk: "NotoSansSC-Regular.ttf",
};

/**
 * Finds `assets/fonts` from this module's folder upwards, so it works from `src/` (tsx) and from
 * `dist/src/` (built) alike.
 */
export function defaultFontDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, "assets", "fonts");
    if (existsSync(join(candidate, FILES.regular))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`assets/fonts/${FILES.regular} not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

/** Reads and parses the three faces (about 12 MB of font files, held as Buffers off the JS heap). */
export function loadPdfFonts(fontDir: string = defaultFontDir()): PdfFonts {
  const load = (name: FaceName): FontFace => {
    const file = resolve(fontDir, FILES[name]);
    const data = readFileSync(file);
    const parsed = fontkit.create(data);
    if (!("hasGlyphForCodePoint" in parsed)) throw new Error(`${file}: a font collection, expected one font`);
    return { name, file, data, font: parsed };
  };
  return { regular: load("regular"), bold: load("bold"), cjk: load("cjk") };
}

/** Registers the faces on a PDFKit document under their {@link FaceName}s. */
export function registerPdfFonts(doc: PDFKit.PDFDocument, fonts: PdfFonts): void {
  for (const face of [fonts.regular, fonts.bold, fonts.cjk]) doc.registerFont(face.name, face.data);
}
