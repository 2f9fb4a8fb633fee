/**
 * Tables for `summary.pdf`: a shaded header row repeated on every page the table spans, zebra
 * rows, wrapped cells (long OCIDs break at dots and then between characters, never past the
 * column), and optional badge cells (a coloured fill with a bar) for verdicts and statuses.
 */
import type { PageWriter } from "./page-writer.js";
import type { TextLine, TextStyle } from "./text-layout.js";
import { CELL_PAD_X, CELL_PAD_Y, COLORS, MAX_CELL_CODE_POINTS, SIZES } from "./pdf-style.js";

/** A table column: header text, relative width, alignment of its cells. */
export interface TableColumn {
  header: string;
  /** Share of the content width; the shares of a table are normalised to fill it. */
  weight: number;
  align?: "left" | "right";
}

/** One text line inside a cell. */
export interface CellPart {
  text: string;
  bold?: boolean;
  muted?: boolean;
  /** Points; defaults to the table size. */
  size?: number;
  color?: string;
}

/** A cell: plain text, or parts stacked top to bottom, optionally shown as a coloured badge. */
export type Cell =
  | string
  | {
      parts: CellPart[];
      fill?: string;
      /** A 2 pt bar on the cell's left edge. */
      bar?: string | null;
    };

/** Text in a cell with a bar starts this far right of the usual padding. */
const BAR_INDENT = 3;

interface LaidCell {
  blocks: { lines: TextLine[]; size: number }[];
  height: number;
  fill: string | undefined;
  bar: string | null | undefined;
}

/** Cuts a value longer than {@link MAX_CELL_CODE_POINTS} with an explicit marker (never silently). */
export function clampCellText(text: string): string {
  const cps = Array.from(text);
  if (cps.length <= MAX_CELL_CODE_POINTS) return text;
  return `${cps.slice(0, MAX_CELL_CODE_POINTS).join("")} … [+${cps.length - MAX_CELL_CODE_POINTS} characters]`;
}

/**
 * Draws a table at the writer's cursor. Rows come from an iterable so callers can stream them;
 * the writer yields to the output stream after every page.
 */
export async function drawTable(
  w: PageWriter,
  columns: readonly TableColumn[],
  rows: Iterable<Cell[]>,
  opts: { size?: number; /** Shown as "<caption> (continued)" above the header on every further page. */ caption?: string } = {},
): Promise<void> {
  const size = opts.size ?? SIZES.table;
  const total = columns.reduce((s, c) => s + c.weight, 0);
  const widths = columns.map((c) => (c.weight / total) * w.width);
  const header = layRow(w, columns.map((c) => ({ parts: [{ text: c.header, bold: true }] })), widths, size);
  const headerHeight = header.height;

  const drawHeader = () => {
    w.doc.rect(w.left, w.y, w.width, headerHeight).fill(COLORS.headerFill);
    drawRow(w, header, widths, columns);
  };
  let index = 0;
  for (const row of rows) {
    const laid = layRow(w, row, widths, size);
    // The header goes where the first row goes: never alone at the foot of a page.
    if (index === 0) {
      w.ensureSpace(headerHeight + laid.height);
      drawHeader();
    } else if (w.ensureSpace(laid.height)) {
      if (opts.caption) w.text(`${opts.caption} (continued)`, { face: "regular", size: SIZES.table, color: COLORS.muted }, { spaceAfter: 2 });
      drawHeader();
      await w.flush();
    }
    if (index % 2 === 1) w.doc.rect(w.left, w.y, w.width, laid.height).fill(COLORS.zebraFill);
    drawRow(w, laid, widths, columns);
    index += 1;
  }
  if (index === 0) {
    w.ensureSpace(headerHeight);
    drawHeader();
  }
  w.doc.moveTo(w.left, w.y).lineTo(w.left + w.width, w.y).lineWidth(0.5).strokeColor(COLORS.rule).stroke();
  w.y += 8;
}

function layRow(w: PageWriter, row: readonly Cell[], widths: readonly number[], size: number): { cells: LaidCell[]; height: number } {
  const cells = row.map((cell, i) => layCell(w, cell, (widths[i] ?? 0) - 2 * CELL_PAD_X, size));
  const height = Math.max(...cells.map((c) => c.height)) + 2 * CELL_PAD_Y;
  return { cells, height };
}

function layCell(w: PageWriter, cell: Cell, width: number, size: number): LaidCell {
  const spec = typeof cell === "string" ? { parts: [{ text: cell }] } : cell;
  const textWidth = "bar" in spec && spec.bar ? width - BAR_INDENT : width;
  const blocks = spec.parts.map((part) => {
    const partSize = part.size ?? size;
    const style: TextStyle = {
      face: part.bold ? "bold" : "regular",
      size: partSize,
      color: part.color ?? (part.muted ? COLORS.muted : COLORS.text),
    };
    return { lines: w.layout.layout(clampCellText(part.text), style, textWidth), size: partSize };
  });
  const height = blocks.reduce((h, b) => h + w.layout.height(b.lines, b.size), 0);
  return { blocks, height, fill: "fill" in spec ? spec.fill : undefined, bar: "bar" in spec ? spec.bar : undefined };
}

function drawRow(w: PageWriter, row: { cells: LaidCell[]; height: number }, widths: readonly number[], columns: readonly TableColumn[]): void {
  let x = w.left;
  row.cells.forEach((cell, i) => {
    const colWidth = widths[i] ?? 0;
    if (cell.fill) w.doc.rect(x + 1, w.y + 1, colWidth - 2, row.height - 2).fill(cell.fill);
    if (cell.bar) w.doc.rect(x + 1, w.y + 1, 2.5, row.height - 2).fill(cell.bar);
    let top = w.y + CELL_PAD_Y;
    for (const block of cell.blocks) {
      w.layout.draw(block.lines, x + CELL_PAD_X + (cell.bar ? BAR_INDENT : 0), top, block.size, columns[i]?.align ?? "left", colWidth - 2 * CELL_PAD_X - (cell.bar ? BAR_INDENT : 0));
      top += w.layout.height(block.lines, block.size);
    }
    x += colWidth;
  });
  w.y += row.height;
  w.doc.moveTo(w.left, w.y).lineTo(w.left + w.width, w.y).lineWidth(0.25).strokeColor(COLORS.rule).stroke();
}
