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
  /**
   * Per compartment, indexes into `records` ordered by processing time then append order, so a
   * query reads only its compartments' records in its time range (ListEvents pages of a large log
   * were a scan and a sort of the whole log each).
   */
  private readonly byCompartment = new Map<string, number[]>();

  constructor(
    private readonly clock: SimClock,
    /** Delay between an event and its processing time (OCI: usually within 15 minutes). */
    public deliveryDelayMs = 0,
  ) {}

  /** Appends one event; its processing time is the event time plus the current delivery delay. */
  append(event: AuditEvent): AuditRecord {
    const processedAt = new Date(Date.parse(event.eventTime) + this.deliveryDelayMs).toISOString();
    const record = Object.freeze({ event, processedAt });
    const index = this.records.push(record) - 1;
    const compartment = event.data.compartmentId;
    let list = this.byCompartment.get(compartment);
    if (!list) this.byCompartment.set(compartment, (list = []));
    // After every record processed at or before this one: ties keep append order.
    list.splice(this.upperBound(list, processedAt), 0, index);
    return record;
  }

  /** Records matching the query, in processing order (stable for equal times). */
  query(q: AuditQuery = {}): AuditRecord[] {
    const now = this.clock.now().toISOString();
    const from = q.processedFrom?.toISOString();
    const to = q.processedTo?.toISOString();
    const lists = q.compartmentIds
      ? [...new Set(q.compartmentIds)].map((c) => this.byCompartment.get(c) ?? [])
      : [...this.byCompartment.values()];
    const picked: number[] = [];
    for (const list of lists) {
      for (let i = from === undefined ? 0 : this.lowerBound(list, from); i < list.length; i++) {
        const processedAt = this.records[list[i]!]!.processedAt;
        if ((to !== undefined && processedAt >= to) || (!q.includePending && processedAt > now)) break;
        picked.push(list[i]!);
      }
    }
    const at = (i: number) => this.records[i]!.processedAt;
    return picked
      .sort((a, b) => (at(a) < at(b) ? -1 : at(a) > at(b) ? 1 : a - b))
      .map((i) => this.records[i]!);
  }

  /** First position in `list` whose record was processed at or after `iso`. */
  private lowerBound(list: readonly number[], iso: string): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.records[list[mid]!]!.processedAt < iso) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** First position in `list` whose record was processed after `iso`. */
  private upperBound(list: readonly number[], iso: string): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.records[list[mid]!]!.processedAt <= iso) lo = mid + 1;
      else hi = mid;
    }
    return lo;
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
