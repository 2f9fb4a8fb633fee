/**
 * The page flow of `summary.pdf`: a cursor moving down A4 pages, page breaks, the footer on every
 * page ("keyproof evidence pack YYYY-MM · generated <ISO UTC>" and "Page n of m"), headings with
 * outline entries, paragraphs and callout notes. Pages are never buffered: PDFKit writes each page
 * out when the next one starts, and {@link PageWriter.flush} yields so the file stream drains.
 */
import type { PdfFonts } from "./load-pdf-fonts.js";
import { GlyphResolver } from "./glyph-resolver.js";
import { TextLayout, lineHeight, type TextStyle } from "./text-layout.js";
import { COLORS, CONTENT_WIDTH, PAGE, SIZES } from "./pdf-style.js";

/** What the footer shows and how the writer waits for the output. */
export interface PageWriterOptions {
  month: string;
  generatedAt: string;
  /** Total page count from the measuring pass; null while measuring ("Page n of ?" is never kept). */
  totalPages: number | null;
  /** Resolves once the output has taken the pages written so far (back-pressure). */
  drain: () => Promise<void>;
}

/** Draws onto one PDFKit document top to bottom; every position is in points from the page top-left. */
export class PageWriter {
  readonly layout: TextLayout;
  readonly glyphs: GlyphResolver;
  /** 1-based number of the current page (0 before the first). */
  page = 0;
  /** Cursor: top of the next thing drawn, points from the page top. */
  y: number = PAGE.marginTop;
  readonly left: number = PAGE.marginLeft;
  readonly width: number = CONTENT_WIDTH;
  readonly bottom: number = PAGE.height - PAGE.marginBottom;
  /** Page on which each section began (by section id). */
  readonly sectionPages = new Map<string, number>();
  private flushedPage = 0;
  private footerDrawn = 0;
  private sectionOutline: PDFKit.PDFOutline | null = null;

  constructor(
    readonly doc: PDFKit.PDFDocument,
    fonts: PdfFonts,
    private readonly options: PageWriterOptions,
  ) {
    this.glyphs = new GlyphResolver(fonts);
    this.layout = new TextLayout(doc, this.glyphs);
  }

  /** Finishes the current page (if any) with its footer and starts a new one. */
  newPage(): void {
    this.finishPage();
    this.doc.addPage({ size: [PAGE.width, PAGE.height], margin: 0 });
    this.page += 1;
    this.y = PAGE.marginTop;
  }

  /**
   * Draws the current page's footer. Called on every page break and once at the end; drawn last so
   * text extraction reads it after the page's content.
   */
  finishPage(): void {
    if (this.page > this.footerDrawn) {
      this.drawFooter();
      this.footerDrawn = this.page;
    }
  }

  /** Breaks the page unless `height` points still fit below the cursor. @returns true on a break. */
  ensureSpace(height: number): boolean {
    if (this.page > 0 && this.y + height <= this.bottom) return false;
    this.newPage();
    return true;
  }

  /** Lets the output stream take the pages written so far (call between rows and subjects). */
  async flush(): Promise<void> {
    if (this.page === this.flushedPage) return;
    this.flushedPage = this.page;
    await this.options.drain();
  }

  /** A section heading that starts a top-level outline entry. Keeps `keepWithNext` points below it. */
  section(id: string, title: string, opts: { newPage?: boolean; keepWithNext?: number } = {}): void {
    if (opts.newPage) this.newPage();
    else this.ensureSpace(lineHeight(SIZES.h1) + 14 + (opts.keepWithNext ?? 60));
    if (this.y > PAGE.marginTop) this.y += 8;
    this.sectionPages.set(id, this.page);
    this.sectionOutline = this.bookmark(this.doc.outline, title);
    this.text(title, { face: "bold", size: SIZES.h1, color: COLORS.heading });
    this.rule(COLORS.heading, 0.8);
    this.y += 6;
  }

  /**
   * A sub-heading (kept with `keepWithNext` points of what follows); with `bookmark`, also an
   * outline entry under the current section.
   */
  heading(title: string, opts: { keepWithNext?: number; size?: number; bookmark?: boolean } = {}): void {
    const size = opts.size ?? SIZES.h2;
    const lines = this.layout.layout(title, { face: "bold", size, color: COLORS.heading }, this.width);
    this.ensureSpace(this.layout.height(lines, size) + 6 + (opts.keepWithNext ?? 40));
    this.y += 6;
    if (opts.bookmark && this.sectionOutline) this.bookmark(this.sectionOutline, title);
    this.layout.draw(lines, this.left, this.y, size);
    this.y += this.layout.height(lines, size) + 2;
  }

  /** Wrapped text across the content width (or `indent`ed), breaking pages between lines. */
  text(text: string, style: TextStyle, opts: { indent?: number; spaceAfter?: number } = {}): void {
    const indent = opts.indent ?? 0;
    const lh = lineHeight(style.size);
    for (const line of this.layout.layout(text, style, this.width - indent)) {
      this.ensureSpace(lh);
      this.layout.draw([line], this.left + indent, this.y, style.size);
      this.y += lh;
    }
    this.y += opts.spaceAfter ?? 0;
  }

  /** Body paragraph. */
  paragraph(text: string, opts: { color?: string; size?: number; spaceAfter?: number } = {}): void {
    const style: TextStyle = { face: "regular", size: opts.size ?? SIZES.body, color: opts.color ?? COLORS.text };
    this.text(text, style, { spaceAfter: opts.spaceAfter ?? 5 });
  }

  /** A callout box with an amber bar, kept on one page: for caps and gaps the reader must not miss. */
  note(text: string): void {
    const size = SIZES.body;
    const pad = 5;
    const lines = this.layout.layout(text, { face: "regular", size, color: COLORS.text }, this.width - 2 * pad - 4);
    const h = this.layout.height(lines, size) + 2 * pad;
    this.ensureSpace(h + 4);
    this.doc.rect(this.left, this.y, this.width, h).fill(COLORS.noteFill);
    this.doc.rect(this.left, this.y, 3, h).fill(COLORS.noteBar);
    this.layout.draw(lines, this.left + pad + 4, this.y + pad, size);
    this.y += h + 6;
  }

  /** A horizontal rule across the content width at the cursor. */
  rule(color: string = COLORS.rule, width = 0.5): void {
    this.doc.moveTo(this.left, this.y).lineTo(this.left + this.width, this.y).lineWidth(width).strokeColor(color).stroke();
    this.y += 2;
  }

  // PDFKit computes an XYZ destination as (page width - left, page height - top): left = page
  // width gives x 0, top = the cursor gives the heading's position.
  private bookmark(parent: PDFKit.PDFOutline, title: string): PDFKit.PDFOutline {
    const add = parent.addItem as (title: string, options: { left: number; top: number }) => PDFKit.PDFOutline;
    return add.call(parent, title, { left: PAGE.width, top: this.y });
  }

  private drawFooter(): void {
    const size = SIZES.footer;
    const top = PAGE.height - PAGE.marginBottom + 22;
    this.doc
      .moveTo(this.left, top - 5)
      .lineTo(this.left + this.width, top - 5)
      .lineWidth(0.4)
      .strokeColor(COLORS.rule)
      .stroke();
    const style: TextStyle = { face: "regular", size, color: COLORS.muted };
    const left = `keyproof evidence pack ${this.options.month} · generated ${this.options.generatedAt}`;
    const total = this.options.totalPages === null ? "?" : String(this.options.totalPages);
    const right = `Page ${this.page} of ${total}`;
    this.layout.draw(this.layout.layout(left, style, this.width - 80), this.left, top, size);
    this.layout.draw(this.layout.layout(right, style, 80), this.left + this.width - 80, top, size, "right", 80);
  }
}
