/**
 * The records of one collected window that are stored: each record OCI answered (ListEvents'
 * CloudEvents 0.1 object, or SearchLogs' `{datetime, logContent, regionId}`) normalised
 * (normalize-audit-record.ts), then kept when the relevance filter says so. A record that does not
 * normalise is skipped and counted, never fatal; its message names the field, never a value.
 */
import type { NewAuditEvent } from "../../store/audit-event-row.js";
import { normalizeAuditRecord } from "../normalize-audit-record.js";

export interface SelectedEvents {
  /** Events to store, in the order read. */
  events: NewAuditEvent[];
  /** Records dropped by the relevance filter. */
  filteredOut: number;
  /** Records that are not audit records. */
  skipped: number;
  /** The first skip's message (what was expected, by field). */
  firstSkipMessage: string | null;
}

/** Normalises and filters `records`; `keep` sees each normalised event (null keeps everything). */
export function selectWindowEvents(
  records: readonly Record<string, unknown>[],
  keep: ((event: NewAuditEvent) => boolean) | null,
): SelectedEvents {
  const out: SelectedEvents = { events: [], filteredOut: 0, skipped: 0, firstSkipMessage: null };
  for (const record of records) {
    const outcome = normalizeAuditRecord(record);
    if (!outcome.ok) {
      out.skipped++;
      out.firstSkipMessage ??= outcome.message;
      continue;
    }
    // NormalizedAuditEvent also carries the parsed record; the writer needs the columns only.
    const { raw: _raw, ...event } = outcome.event;
    if (keep === null || keep(event)) out.events.push(event);
    else out.filteredOut++;
  }
  return out;
}
