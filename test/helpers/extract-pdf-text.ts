/**
 * Reads the text of a PDF back the way a viewer's copy/search sees it, with pdf.js (legacy build,
 * runs on Node 20 without a canvas). One string per page; text items on a line are joined as
 * pdf.js reports them and each end of line becomes "\n".
 */
import { readFile } from "node:fs/promises";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

/** One text item as drawn: its page (1-based), left x and width in points. */
export interface PdfTextItem {
  page: number;
  str: string;
  x: number;
  width: number;
}

export interface PdfText {
  pages: string[];
  items: PdfTextItem[];
  /** Page size of page 1, points. */
  pageSize: { width: number; height: number };
  /** All pages joined with "\n". */
  text: string;
  /** Document info dictionary as pdf.js parsed it. */
  info: Record<string, unknown>;
}

export async function extractPdfText(file: string): Promise<PdfText> {
  const data = new Uint8Array(await readFile(file));
  const doc = await getDocument({ data, disableFontFace: true, useSystemFonts: false, isEvalSupported: false, verbosity: 0 }).promise;
  try {
    const pages: string[] = [];
    const items: PdfTextItem[] = [];
    let pageSize = { width: 0, height: 0 };
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n);
      if (n === 1) {
        const [x0, y0, x1, y1] = page.view;
        pageSize = { width: (x1 ?? 0) - (x0 ?? 0), height: (y1 ?? 0) - (y0 ?? 0) };
      }
      const content = await page.getTextContent();
      let text = "";
      for (const item of content.items) {
        if (!("str" in item)) continue;
        text += item.str;
        if (item.str.length > 0) items.push({ page: n, str: item.str, x: Number(item.transform[4]), width: item.width });
        if (item.hasEOL) text += "\n";
      }
      pages.push(text);
      page.cleanup();
    }
    const meta = await doc.getMetadata();
    return { pages, items, pageSize, text: pages.join("\n"), info: (meta.info ?? {}) as Record<string, unknown> };
  } finally {
    await doc.destroy();
  }
}

/** `text` without any whitespace: for ids that may wrap across lines in a table cell. */
export function squash(text: string): string {
  return text.replace(/\s+/g, "");
}
