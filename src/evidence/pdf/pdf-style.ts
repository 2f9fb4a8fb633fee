/**
 * Page geometry, type sizes and colours of `summary.pdf`. Units are PDF points (1/72 inch);
 * colours are hex sRGB. One place to change the look of the whole document.
 */
import type { Verdict } from "../pack-data.js";

/** A4 portrait. */
export const PAGE = {
  width: 595.28,
  height: 841.89,
  marginLeft: 50,
  marginRight: 50,
  marginTop: 54,
  /** Content stops here; the footer lives below it. */
  marginBottom: 64,
} as const;

export const CONTENT_WIDTH = PAGE.width - PAGE.marginLeft - PAGE.marginRight;

export const COLORS = {
  text: "#1f2328",
  muted: "#5f6b7a",
  heading: "#1f3a5f",
  rule: "#c9d2dc",
  headerFill: "#e8edf3",
  zebraFill: "#f6f8fa",
  noteFill: "#fff6e0",
  noteBar: "#c77700",
  placeholder: "#b42318",
} as const;

/** Verdict badge colours. NO_EVIDENCE is amber with a bar, never green (DESIGN §3 rule 7). */
export const VERDICT_COLORS: Record<Verdict, { fill: string; text: string; bar: string | null }> = {
  COMPLIANT: { fill: "#e3f4e8", text: "#1e6b35", bar: null },
  NON_COMPLIANT: { fill: "#fbe3e3", text: "#a11d1d", bar: "#a11d1d" },
  NO_EVIDENCE: { fill: "#fff1d6", text: "#8a4b00", bar: "#c77700" },
  NOT_APPLICABLE: { fill: "#eeeeee", text: "#4b5563", bar: null },
};

/** Font sizes in points. */
export const SIZES = {
  title: 24,
  subtitle: 14,
  h1: 15,
  h2: 10.5,
  body: 9,
  table: 7.5,
  tableSmall: 6.5,
  footer: 7,
} as const;

/** Line height as a multiple of the font size. */
export const LINE_HEIGHT = 1.28;

/** Cell padding in tables, points. */
export const CELL_PAD_X = 3.5;
export const CELL_PAD_Y = 2.5;

/**
 * Longest untrusted string drawn in one table cell, in code points. Longer text is cut with an
 * explicit "[+N characters]" marker so one hostile value cannot push a row past a page.
 */
export const MAX_CELL_CODE_POINTS = 1200;
