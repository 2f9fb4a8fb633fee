/**
 * Aggregate queries over the audit archive for one reporting period [start, end) in UTC, by event
 * time (the events themselves stream through `listAuditEventsInPeriod` in audit-events.ts).
 */
import { sql, type Kysely } from "kysely";
import type { Database, ImportRunRow } from "./schema.js";

export interface Period {
  /** ISO-8601 UTC, inclusive. */
  start: string;
  /** ISO-8601 UTC, exclusive. */
  end: string;
  /**
   * Only rows with seq ≤ maxSeq: every query of one pack reads the same snapshot of the archive,
   * even while an import commits (see {@link findMaxSeq}). Omit for all rows.
   */
  maxSeq?: number;
}

/** The highest seq stored (0 when empty): the snapshot bound a pack reads under. */
export async function findMaxSeq(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom("audit_event").select((eb) => eb.fn.max("seq").as("max")).executeTakeFirst();
  return Number(row?.max ?? 0);
}

export interface PeriodStats {
  events: number;
  eventTypes: number;
  /** Rows flagged as a conflicting copy of an earlier event id. */
  conflicts: number;
  /** Distinct tenancy OCIDs, sorted. */
  tenancies: string[];
}

/** Counts for the period in one pass of three small aggregate queries. */
export async function findPeriodStats(db: Kysely<Database>, period: Period): Promise<PeriodStats> {
  const inPeriod = db
    .selectFrom("audit_event")
    .where("event_time", ">=", period.start)
    .where("event_time", "<", period.end)
    .$if(period.maxSeq !== undefined, (q) => q.where("seq", "<=", period.maxSeq!));
  const counts = await inPeriod
    .select([
      (eb) => eb.fn.countAll<number>().as("events"),
      (eb) => eb.fn.count<number>(sql`distinct lower(event_type)`).as("eventTypes"),
      (eb) => eb.fn.count<number>("conflict_of_seq").as("conflicts"),
    ])
    .executeTakeFirstOrThrow();
  const tenancies = await inPeriod
    .select("tenant_id")
    .distinct()
    .where("tenant_id", "is not", null)
    .orderBy("tenant_id")
    .execute();
  return {
    events: Number(counts.events),
    eventTypes: Number(counts.eventTypes),
    conflicts: Number(counts.conflicts),
    tenancies: tenancies.map((r) => r.tenant_id!).filter((t) => t.startsWith("ocid1.tenancy.")),
  };
}

/** Import runs that stored at least one event of the period, oldest first. */
export async function findImportRunsForPeriod(db: Kysely<Database>, period: Period): Promise<ImportRunRow[]> {
  return db
    .selectFrom("import_run")
    .selectAll()
    .where("id", "in", (eb) =>
      eb
        .selectFrom("audit_event")
        .select("import_run_id")
        .where("event_time", ">=", period.start)
        .where("event_time", "<", period.end)
        .$if(period.maxSeq !== undefined, (q) => q.where("seq", "<=", period.maxSeq!)),
    )
    .orderBy("id")
    .execute();
}

/** One group of the period's events: a display name, the id behind it, and the event count. */
export interface ActivityGroup {
  name: string;
  id: string | null;
  count: number;
}

/**
 * The period's events grouped by event type, by principal and by compartment: the `limit` largest
 * groups of each (count descending, then name) and the number of distinct groups.
 * Principal / compartment names fall back to their OCID, then to "(none)".
 */
export async function findPeriodActivity(
  db: Kysely<Database>,
  period: Period,
  limit: number,
): Promise<Record<"eventTypes" | "principals" | "compartments", { top: ActivityGroup[]; distinct: number }>> {
  const base = () =>
    db
      .selectFrom("audit_event")
      .where("event_time", ">=", period.start)
      .where("event_time", "<", period.end)
      .$if(period.maxSeq !== undefined, (q) => q.where("seq", "<=", period.maxSeq!));
  async function grouped(nameCol: "event_type" | "principal_name" | "compartment_name", idCol: "principal_id" | "compartment_id" | null) {
    const nameExpr = idCol ? sql<string>`coalesce(${sql.ref(nameCol)}, ${sql.ref(idCol)}, '(none)')` : sql<string>`${sql.ref(nameCol)}`;
    // PostgreSQL refuses a constant in GROUP BY / ORDER BY, so event types group by name alone.
    const groups = idCol ? [nameExpr, sql<string | null>`${sql.ref(idCol)}`] : [nameExpr];
    const idExpr = idCol ? sql<string | null>`${sql.ref(idCol)}` : sql<string | null>`cast(null as text)`;
    const rows = await base()
      .select([nameExpr.as("name"), idExpr.as("id"), (eb) => eb.fn.countAll<number>().as("count")])
      .groupBy(groups)
      .execute();
    // Ordered here, not in SQL: the two dialects collate text differently, and packs must not differ by store.
    const byCode = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1);
    const sorted = rows
      .map((r) => ({ name: r.name, id: r.id, count: Number(r.count) }))
      .sort((a, b) => b.count - a.count || byCode(a.name, b.name) || byCode(a.id, b.id));
    return { top: sorted.slice(0, limit), distinct: sorted.length };
  }
  return {
    eventTypes: await grouped("event_type", null),
    principals: await grouped("principal_name", "principal_id"),
    compartments: await grouped("compartment_name", "compartment_id"),
  };
}
