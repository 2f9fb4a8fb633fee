/**
 * Terminal-safe table cells: untrusted names (display names and tags are set by any tenancy user)
 * lose their control characters, and cells are cut to a display width (East Asian wide characters
 * count 2, via string-width) with an ellipsis.
 */
import stringWidth from "string-width";

const segmenter = new Intl.Segmenter("en", { granularity: "grapheme" });

/** `text` with C0/C1 control characters (newlines, ANSI escapes, DEL) replaced by U+FFFD. */
export function safeText(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, "\uFFFD");
}

/**
 * `text` made safe and fitted to exactly `width` display columns: padded with spaces (on the right,
 * or the left when `align` is "right"), or cut at a grapheme boundary and ended with "…".
 */
export function fitCell(text: string, width: number, align: "left" | "right" = "left"): string {
  let value = safeText(text);
  if (stringWidth(value) > width) {
    let out = "";
    let used = 0;
    for (const { segment } of segmenter.segment(value)) {
      const w = stringWidth(segment);
      if (used + w > width - 1) break;
      out += segment;
      used += w;
    }
    value = `${out}…`;
  }
  const pad = " ".repeat(Math.max(0, width - stringWidth(value)));
  return align === "right" ? pad + value : value + pad;
}
