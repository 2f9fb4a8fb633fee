/**
 * Counts as text with "," thousands separators ("250,000"). Locale-independent on purpose: the PDF
 * must be byte-identical whatever the machine's locale or ICU data.
 */
export function formatCount(n: number): string {
  const sign = n < 0 ? "-" : "";
  const digits = String(Math.trunc(Math.abs(n)));
  return sign + digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
}

/** "1 entry" / "5,000 entries". */
export function plural(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}
