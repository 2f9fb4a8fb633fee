/**
 * Verification of the audit-event hash chain (DESIGN §4): for every row in seq order, the content
 * hash must match the canonical form of the audit record in `raw_json` (the unwrapped record, see
 * `auditRecordContentSha256`) and the chain value must continue from the row
 * before over the content hash and the hash of the exact raw text. Any later edit (wrapper
 * included), insertion or deletion of a stored event is detected.
 */
import type { Kysely } from "kysely";
import { auditRecordContentSha256, nextChainSha256 } from "./audit-event-row.js";
import { listAllAuditEvents } from "./audit-events.js";
import type { Database } from "./schema.js";

export interface ChainVerification {
  ok: boolean;
  /** Rows checked. */
  rows: number;
  /** The first row that does not verify, and why; null when ok. */
  firstBroken: { seq: number; reason: string } | null;
  /** chain_sha256 of the last row ("" for an empty table). */
  head: string;
}

/** Re-computes content and chain hashes over all rows, streaming in seq order. */
export async function verifyAuditEventChain(db: Kysely<Database>): Promise<ChainVerification> {
  let previous = "";
  let rows = 0;
  for await (const event of listAllAuditEvents(db)) {
    rows++;
    let content: string;
    try {
      content = auditRecordContentSha256(JSON.parse(event.rawJson));
    } catch (err) {
      return { ok: false, rows, firstBroken: { seq: event.seq, reason: `raw_json does not parse (${(err as Error).message})` }, head: previous };
    }
    if (content !== event.contentSha256) {
      return { ok: false, rows, firstBroken: { seq: event.seq, reason: "content_sha256 does not match raw_json" }, head: previous };
    }
    const expected = nextChainSha256(previous, event.contentSha256, event.rawJson);
    if (expected !== event.chainSha256) {
      return { ok: false, rows, firstBroken: { seq: event.seq, reason: "chain_sha256 does not continue from the row before" }, head: previous };
    }
    previous = expected;
  }
  return { ok: true, rows, firstBroken: null, head: previous };
}
