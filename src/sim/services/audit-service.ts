/**
 * Audit (`AuditClient`, oci-audit, OCI-NOTES §2.7): ListEvents over the simulator's audit log,
 * GetConfiguration and UpdateConfiguration of the tenancy's retention period.
 *
 * ListEvents follows the documented contract: events *processed* (event time + delivery delay) at
 * or after `startTime` and before `endTime`, minute granularity, one compartment only (not its
 * subtree), a bare JSON array paged with `opc-next-page` and no `limit`. Seconds and milliseconds
 * in the bounds are cut to the minute (a real ListEvents record shows OCI answering 200 to bounds
 * with seconds; see src/sim/README.md). Query dates go through `queryInstant`, so the SDK's
 * un-padded hours are 400 unless the simulator runs with `lenientQueryDates`.
 */
import { auditPaging, cursorPage, pageBinding } from "../audit/audit-paging.js";
import { paginationFault } from "../http/paginate.js";
import { queryInstant, requiredQuery } from "../http/query-params.js";
import { DAY_MS } from "../sim-clock.js";
import { invalid, missing, notFound } from "../sim-error.js";
import type { OpContext, SimService } from "../sim-service.js";

const MINUTE_MS = 60_000;

/** A ListEvents bound: required, RFC 3339, cut to the whole minute. */
function minuteBound(ctx: OpContext, name: "startTime" | "endTime"): Date {
  const instant = queryInstant(ctx.query, name, ctx.runtime.lenientQueryDates);
  if (!instant) throw missing(name);
  return new Date(Math.floor(instant.getTime() / MINUTE_MS) * MINUTE_MS);
}

function compartmentOf(ctx: OpContext): string {
  const id = requiredQuery(ctx.query, "compartmentId");
  if (id !== ctx.state.tenancy.id && !ctx.state.compartments.has(id)) throw notFound("Compartment", id);
  ctx.audit.compartmentId = id;
  return id;
}

function listEvents(ctx: OpContext) {
  const compartmentId = compartmentOf(ctx);
  ctx.audit.resourceId = null;
  ctx.audit.payload = {};
  const start = minuteBound(ctx, "startTime");
  const end = minuteBound(ctx, "endTime");
  if (start > end) throw invalid("endTime", "must not be before startTime");
  // Events older than the retention period are gone, whatever the window asks for.
  const oldest = new Date(ctx.now.getTime() - ctx.state.audit.retentionPeriodDays * DAY_MS).toISOString();
  const records = ctx.runtime.audit
    .query({ compartmentIds: [compartmentId], processedFrom: start, processedTo: end })
    .filter((r) => r.processedAt >= oldest);
  const paging = auditPaging(ctx.state);
  const page = cursorPage(records, (r) => r.event.eventId, {
    token: ctx.query.get("page") || null,
    pageSize: paging.listEventsPageSize,
    binding: pageBinding("ListEvents", compartmentId, start.getTime(), end.getTime()),
    stuck: paginationFault(ctx, ctx.query.get("page") || null),
  });
  return { body: page.items.map((r) => r.event), headers: page.headers };
}

/** The configuration belongs to the tenancy: another compartment is 400, as the API documents the root compartment. */
function tenancyOf(ctx: OpContext): string {
  const id = requiredQuery(ctx.query, "compartmentId");
  if (id !== ctx.state.tenancy.id) throw invalid("compartmentId", "must be the OCID of the tenancy (root compartment)");
  ctx.audit.compartmentId = id;
  ctx.audit.resourceId = null;
  return id;
}

function getConfiguration(ctx: OpContext) {
  tenancyOf(ctx);
  const body = { retentionPeriodDays: ctx.state.audit.retentionPeriodDays };
  ctx.audit.payload = body;
  return { body };
}

function updateConfiguration(ctx: OpContext) {
  tenancyOf(ctx);
  const body = ctx.body as { retentionPeriodDays?: unknown } | undefined;
  const days = body?.retentionPeriodDays;
  if (days === undefined || days === null) throw missing("retentionPeriodDays");
  if (typeof days !== "number" || !Number.isInteger(days) || days < 90 || days > 365) {
    throw invalid("retentionPeriodDays", `must be an integer from 90 to 365, got ${JSON.stringify(days)}`);
  }
  const previous = ctx.state.audit.retentionPeriodDays;
  ctx.state.audit.retentionPeriodDays = days;
  ctx.audit.stateChange = { previous: { retentionPeriodDays: previous }, current: { retentionPeriodDays: days } };
  // OCI answers 202 with a work request; the simulator applies the change at once.
  return { status: 202, headers: { "opc-work-request-id": ctx.state.ids.next("auditworkrequest") } };
}

export const auditService: SimService = {
  name: "audit",
  basePath: "/audit",
  auditSource: "Audit",
  operations: [
    { name: "ListEvents", method: "GET", path: "/20190901/auditEvents", write: false, handle: listEvents },
    { name: "GetConfiguration", method: "GET", path: "/20190901/configuration", write: false, handle: getConfiguration },
    { name: "UpdateConfiguration", method: "PUT", path: "/20190901/configuration", write: true, handle: updateConfiguration },
  ],
};
