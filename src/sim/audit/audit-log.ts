/**
 * The simulator's Audit store: append-only, one record per served call (and per background action
 * such as an auto-rotation), each with a processing time = event time + delivery delay. Audit
 * ListEvents and Logging SearchLogs (built on top of this) only see records processed by "now".
 */
import type { SimClock } from "../sim-clock.js";
import type { AuditEvent } from "./audit-event.js";

export interface AuditRecord {
  readonly event: AuditEvent;
  /** When OCI would have processed (made visible) the event: ISO with ms and Z. */
  readonly processedAt: string;
}

export interface AuditQuery {
  /** Only events of these compartments (ListEvents is compartment-scoped). */
  compartmentIds?: readonly string[];
  /** Processing time at or after this instant. */
  processedFrom?: Date;
  /** Processing time before this instant. */
  processedTo?: Date;
  /** Include records not yet processed as of the simulator clock (default false). */
  includePending?: boolean;
}

export class AuditLog {
  private readonly records: AuditRecord[] = [];

  constructor(
    private readonly clock: SimClock,
    /** Delay between an event and its processing time (OCI: usually within 15 minutes). */
    public deliveryDelayMs = 0,
  ) {}

  /** Appends one event; its processing time is the event time plus the current delivery delay. */
  append(event: AuditEvent): AuditRecord {
    const processedAt = new Date(Date.parse(event.eventTime) + this.deliveryDelayMs).toISOString();
    const record = Object.freeze({ event, processedAt });
    this.records.push(record);
    return record;
  }

  /** Records matching the query, in processing order (stable for equal times). */
  query(q: AuditQuery = {}): AuditRecord[] {
    const now = this.clock.now().toISOString();
    const compartments = q.compartmentIds ? new Set(q.compartmentIds) : null;
    const from = q.processedFrom?.toISOString();
    const to = q.processedTo?.toISOString();
    return this.records
      .filter((r) => (q.includePending || r.processedAt <= now)
        && (!compartments || compartments.has(r.event.data.compartmentId))
        && (!from || r.processedAt >= from)
        && (!to || r.processedAt < to))
      .map((r, i) => ({ r, i }))
      .sort((a, b) => (a.r.processedAt < b.r.processedAt ? -1 : a.r.processedAt > b.r.processedAt ? 1 : a.i - b.i))
      .map(({ r }) => r);
  }

  /** The events of {@link query}, without processing times. */
  events(q: AuditQuery = {}): AuditEvent[] {
    return this.query(q).map((r) => r.event);
  }

  /** Every record, processed or not, in append order. */
  all(): readonly AuditRecord[] {
    return this.records;
  }
}
