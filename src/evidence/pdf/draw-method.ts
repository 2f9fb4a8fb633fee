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
    "keyproof keeps its own append-only archive of OCI Audit events, collected from the OCI Audit API (ListEvents, " +
      "per compartment, in whole-minute windows of processing time re-read over a look-back because OCI delivers late), " +
      "from Logging Search over _Audit, from Service Connector export objects, or from audit export files imported with " +
      "keyproof ingest. Every window asked of OCI is recorded in a coverage ledger as collected or failed with its reason; " +
      "minutes no collected window covers are reported as gaps (section 5), never as minutes without events. The same " +
      "event received in two envelopes (API and log form) is stored once. Each stored event keeps its original JSON, a SHA-256 of its canonical " +
      "form (RFC 8785) and a hash chain over the ingestion order, so later changes in the archive are detectable. " +
      "Per-key and per-resource timelines are correlated from these events (over the whole archive, keeping the " +
      "entries of this period), every entry naming the event that proves it. An entry's outcome is what the audit " +
      "record itself shows: \"accepted\" means OCI took the request but the record does not prove it took effect " +
      "(a re-key counts only with a completed work request or a read-back). Scope tags are not evaluated yet: the " +
      "timelines cover every key, volume and bucket named in the period's events. A control is NO_EVIDENCE wherever " +
      "the evidence it needs was not collected; no control is reported COMPLIANT without it. All times are UTC. The " +
      "raw events are in events.jsonl.gz (credentials in request headers redacted), every row in evidence.xlsx, and " +
      "the SHA-256 and size of every file in manifest.json.",
  );
  w.paragraph(`Import sources used this period: ${sources.length > 0 ? listed : "none recorded"}.`, { color: COLORS.muted, size: SIZES.table });
}
