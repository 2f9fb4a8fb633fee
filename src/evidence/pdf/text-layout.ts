/**
 * Line breaking and drawing of mixed-font text. PDFKit's own wrapper cannot switch fonts inside a
 * line, so keyproof measures and breaks text itself: at spaces, after separators ("-", ".", "/"),
 * between CJK characters, and, when one token (an OCID) is wider than the line, between any two
 * characters. Every segment is placed on a shared baseline, whatever its font's ascent.
 */
import type { FaceName } from "./load-pdf-fonts.js";
import type { GlyphResolver, TextCell } from "./glyph-resolver.js";
import { COLORS, LINE_HEIGHT } from "./pdf-style.js";

/** How a run of text is drawn: face, size in points, colour as hex sRGB. */
export interface TextStyle {
  face: "regular" | "bold";
  /** Points. */
  size: number;
  color: string;
}

/** A run of one face and colour within a line; `width` in points. */
export interface LineSegment {
  face: FaceName;
  text: string;
  color: string;
  width: number;
}

/** One laid-out line: its segments left to right and total width in points. */
export interface TextLine {
  segments: LineSegment[];
  width: number;
}

/** Height of one line of text at `size` points. */
export function lineHeight(size: number): number {
  return size * LINE_HEIGHT;
}

/** Measures, wraps and draws text on one PDFKit document (positions in points from the page top-left). */
export class TextLayout {
  private readonly widths = new Map<string, number>();

  constructor(
    private readonly doc: PDFKit.PDFDocument,
    private readonly glyphs: GlyphResolver,
  ) {}

  /** Width in points of `text` drawn in one face. */
  measure(face: FaceName, size: number, text: string): number {
    return this.doc.font(face).fontSize(size).widthOfString(text);
  }

  /** Breaks `text` into lines no wider than `width` points (a lone glyph wider than that overflows). */
  layout(text: string, style: TextStyle, width: number): TextLine[] {
    const lines: TextCell[][] = [];
    let line: TextCell[] = [];
    let lineWidth = 0;
    for (const cell of this.glyphs.cells(text, style.face)) {
      if (cell.space && line.length === 0 && lines.length > 0) continue; // no leading space after a wrap
      line.push(cell);
      lineWidth += this.cellWidth(cell, style.size);
      while (lineWidth > width + 0.01 && line.length > 1) {
        const cut = this.cutIndex(line, style.size, width);
        lines.push(line.slice(0, cut));
        line = line.slice(cut);
        while (line.length > 0 && line[0]?.space) line.shift();
        lineWidth = this.widthOf(line, style.size);
      }
    }
    if (line.length > 0 || lines.length === 0) lines.push(line);
    return lines.map((cellsOfLine) => this.toLine(cellsOfLine, style));
  }

  /** Height in points of `lines` at `size`. */
  height(lines: readonly TextLine[], size: number): number {
    return lines.length * lineHeight(size);
  }

  /**
   * Draws `lines` starting with the top of the first line at `top`. `align: "right"` aligns each
   * line to `x + width`.
   */
  draw(lines: readonly TextLine[], x: number, top: number, size: number, align: "left" | "right" = "left", width = 0): void {
    // Segments share one baseline ("alphabetic"), so DejaVu and Noto (different ascents) line up.
    let baseline = top + size; // line box = 1.28 em; the ascent sits just under its top
    for (const line of lines) {
      let cx = align === "right" ? x + width - line.width : x;
      for (const seg of line.segments) {
        if (seg.text.length > 0) {
          this.doc
            .font(seg.face)
            .fontSize(size)
            .fillColor(seg.color)
            .text(seg.text, cx, baseline, { lineBreak: false, baseline: "alphabetic" });
        }
        cx += seg.width;
      }
      baseline += lineHeight(size);
    }
  }

  /**
   * Where to wrap an over-long line: at the best-ranked break opportunity whose head fits (the
   * last one of that rank), else after the last character that fits (at least one, so a line
   * always makes progress).
   */
  private cutIndex(line: readonly TextCell[], size: number, width: number): number {
    let fitting = 1;
    let best = -1;
    let bestRank = 0;
    let acc = 0;
    let accTrimmed = 0; // width up to the last non-space cell
    for (let i = 0; i < line.length; i++) {
      const cell = line[i] as TextCell;
      if (i > 0 && accTrimmed <= width + 0.01) {
        const rank = Math.max(cell.breakBefore, line[i - 1]?.breakAfter ?? 0);
        if (rank > 0 && rank >= bestRank) {
          best = i;
          bestRank = rank;
        }
      }
      acc += this.cellWidth(cell, size);
      if (!cell.space) accTrimmed = acc;
      if (acc <= width + 0.01) fitting = i + 1;
    }
    return best > 0 ? best : Math.max(1, Math.min(fitting, line.length - 1));
  }

  /** Width of cells without their trailing spaces (those are not drawn at a line end). */
  private widthOf(cells: readonly TextCell[], size: number): number {
    let end = cells.length;
    while (end > 0 && cells[end - 1]?.space) end--;
    let w = 0;
    for (let i = 0; i < end; i++) w += this.cellWidth(cells[i] as TextCell, size);
    return w;
  }

  private cellWidth(cell: TextCell, size: number): number {
    const key = `${cell.face}:${size}:${cell.text}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      w = this.measure(cell.face, size, cell.text);
      this.widths.set(key, w);
    }
    return w;
  }

  private toLine(cells: TextCell[], style: TextStyle): TextLine {
    let end = cells.length;
    while (end > 0 && cells[end - 1]?.space) end--; // trailing spaces are not drawn
    const segments: LineSegment[] = [];
    for (const cell of cells.slice(0, end)) {
      const color = cell.placeholder ? COLORS.placeholder : style.color;
      const last = segments[segments.length - 1];
      if (last && last.face === cell.face && last.color === color) last.text += cell.text;
      else segments.push({ face: cell.face, text: cell.text, color, width: 0 });
    }
    let width = 0;
    for (const seg of segments) {
      seg.width = this.measure(seg.face, style.size, seg.text);
      width += seg.width;
    }
    return { segments, width };
  }
}
