/**
 * Splits untrusted text into drawable cells, one per code point, each assigned the first face that
 * has a glyph for it (cases.md B30). A code point no face can draw, and any control, format or
 * private-use code point, becomes a visible placeholder such as "[U+1F511]" and is recorded, so
 * nothing disappears silently and no invisible character (e.g. a bidi override) hides in a name.
 */
import type { FaceName, PdfFonts } from "./load-pdf-fonts.js";

/**
 * How good a line break is at a point: a line wraps at the best-ranked opportunity that fits, so
 * prose wraps at spaces, an instant at its "T", and an OCID at its dots only when it must.
 */
export const BREAK = { none: 0, separator: 1, isoTime: 2, word: 3 } as const;

/** One drawable unit of text: a code point, a space, or a placeholder. */
export interface TextCell {
  readonly text: string;
  readonly face: FaceName;
  readonly placeholder: boolean;
  /** A breaking space: dropped when a line wraps at it. */
  readonly space: boolean;
  /** Rank ({@link BREAK}) of a line break just before this cell (CJK, placeholder). */
  readonly breakBefore: number;
  /** Rank of a line break just after this cell (space, CJK, "T" of an instant, "-", "/", "."). */
  readonly breakAfter: number;
}

// Shown as placeholders even when a font maps them: controls, format characters (bidi
// overrides, zero-width joiners, BOM), surrogates, private use, unassigned, line/paragraph separators.
const INVISIBLE_RE = /^[\p{Cc}\p{Cf}\p{Cs}\p{Co}\p{Cn}\p{Zl}\p{Zp}]$/u;
// Wide scripts where a line may break between any two characters.
const CJK_RE = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\u3000-\u303f\uff00-\uffef]$/u;
const DIGIT_RE = /^[0-9]$/;
const BREAK_AFTER = new Set(["-", "/", ".", "_", ":", ",", ";", "|", ")", "]", "}", "→", "@", "=", "&", "?"]);

/** `U+1F511` form of a code point (at least four hex digits). */
export function codePointLabel(codePoint: number): string {
  return `U+${codePoint.toString(16).toUpperCase().padStart(4, "0")}`;
}

/** Assigns faces to code points and remembers which ones needed a placeholder (one per document). */
export class GlyphResolver {
  private readonly missing = new Set<number>();
  private readonly cache = new Map<string, FaceName | null>();

  constructor(private readonly fonts: PdfFonts) {}

  /** Cells of `text` for a primary face ("regular" or "bold"); CJK falls back to the cjk face. */
  cells(text: string, primary: "regular" | "bold"): TextCell[] {
    const out: TextCell[] = [];
    const chars = Array.from(text.replace(/\r\n?|\n|\t/g, " "));
    for (let i = 0; i < chars.length; i++) {
      const ch = chars[i] as string;
      const cp = ch.codePointAt(0) as number;
      if (ch === " ") {
        out.push({ text: " ", face: primary, placeholder: false, space: true, breakBefore: BREAK.word, breakAfter: BREAK.word });
        continue;
      }
      const face = INVISIBLE_RE.test(ch) ? null : this.faceFor(cp, primary);
      if (face === null) {
        this.missing.add(cp);
        const label = `[${codePointLabel(cp)}]`;
        out.push({ text: label, face: primary, placeholder: true, space: false, breakBefore: BREAK.word, breakAfter: BREAK.word });
        continue;
      }
      const cjk = CJK_RE.test(ch);
      // An ISO instant may wrap after its "T" (2026-10-03T / 08:15:42.123Z) and still read as one.
      const isoT = ch === "T" && DIGIT_RE.test(chars[i - 1] ?? "") && DIGIT_RE.test(chars[i + 1] ?? "");
      const after = cjk ? BREAK.word : isoT ? BREAK.isoTime : BREAK_AFTER.has(ch) ? BREAK.separator : BREAK.none;
      out.push({ text: ch, face, placeholder: false, space: false, breakBefore: cjk ? BREAK.word : BREAK.none, breakAfter: after });
    }
    return out;
  }

  /** Code points drawn as placeholders so far, sorted, as `U+XXXX` labels. */
  missingGlyphs(): string[] {
    return [...this.missing].sort((a, b) => a - b).map(codePointLabel);
  }

  private faceFor(cp: number, primary: "regular" | "bold"): FaceName | null {
    const key = `${primary}:${cp}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    let face: FaceName | null = null;
    if (this.fonts[primary].font.hasGlyphForCodePoint(cp)) face = primary;
    else if (this.fonts.cjk.font.hasGlyphForCodePoint(cp)) face = "cjk";
    this.cache.set(key, face);
    return face;
  }
}
