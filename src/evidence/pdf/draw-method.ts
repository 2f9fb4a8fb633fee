/**
 * Section 6 of `summary.pdf`: how the pack was produced, and from which sources.
 */
import type { PackData } from "../pack-data.js";
import type { PageWriter } from "./page-writer.js";
import { COLORS, SIZES } from "./pdf-style.js";
import { formatCount } from "./format-count.js";

/** Section 6: method and data sources. */
export function drawMethod(w: PageWriter, data: PackData): void {
  w.section("method", "6  Method and data sources", { keepWithNext: 80 });
  const sources = [...new Set(data.imports.map((i) => i.source))].sort();
  const listed = sources.slice(0, 10).join(", ") + (sources.length > 10 ? ` and ${formatCount(sources.length - 10)} more` : "");
  w.paragraph(
    "keyproof keeps its own append-only archive of OCI Audit events, pulled from the Audit ListEvents API, Logging " +
      "Search over _Audit, or audit export files. Each stored event keeps its original JSON, a SHA-256 of its canonical " +
      "form (RFC 8785) and a hash chain over the ingestion order, so later changes are detectable. Per-key and " +
      "per-resource timelines are correlated from these events, every entry naming the event that proves it. Verdicts " +
      "apply the rules of the keyproof design: key age from the current key version's creation time, re-keying proven " +
      "only by a succeeded work request or a read-back, retention of superseded versions, and NO_EVIDENCE wherever " +
      "collection was missing or failed. All times are UTC. The raw events are in events.jsonl.gz, the observed OCI " +
      "state in snapshot.json, every row in evidence.xlsx, and the SHA-256 of every file with its signature in manifest.json and manifest.sig.",
  );
  w.paragraph(`Import sources used this period: ${sources.length > 0 ? listed : "none recorded"}.`, { color: COLORS.muted, size: SIZES.table });
}
