/**
 * Identity ListCompartments (`IdentityClient`, oci-identity): `GET /identity/20160918/compartments`
 * with compartmentIdInSubtree (tenancy only) and accessLevel ANY | ACCESSIBLE. The tenancy itself
 * is never listed; a user's `accessibleCompartmentIds` (with subtrees) decide what ACCESSIBLE shows.
 */
import { paginate, sortForList } from "../http/paginate.js";
import { booleanQuery, enumQuery, requiredQuery } from "../http/query-params.js";
import type { OpContext, SimService } from "../sim-service.js";
import { invalid, notFound } from "../sim-error.js";
import type { CompartmentRecord, SimState } from "../state/sim-state.js";

function isUnder(state: SimState, id: string, ancestors: ReadonlySet<string>): boolean {
  for (let cur: string | undefined = id; cur; cur = state.compartments.get(cur)?.compartmentId) {
    if (ancestors.has(cur)) return true;
    if (cur === state.tenancy.id) return false;
  }
  return false;
}

function compartmentJson(c: CompartmentRecord, accessible: boolean): Record<string, unknown> {
  return {
    id: c.id, compartmentId: c.compartmentId, name: c.name, description: c.description, timeCreated: c.timeCreated,
    lifecycleState: c.lifecycleState, isAccessible: accessible, freeformTags: c.freeformTags, definedTags: c.definedTags,
  };
}

function listCompartments(ctx: OpContext) {
  const state = ctx.state;
  const parent = requiredQuery(ctx.query, "compartmentId");
  if (parent !== state.tenancy.id && !state.compartments.has(parent)) throw notFound("Compartment", parent);
  ctx.audit.compartmentId = parent;
  const subtree = booleanQuery(ctx.query, "compartmentIdInSubtree") ?? false;
  if (subtree && parent !== state.tenancy.id) throw invalid("compartmentIdInSubtree", "can only be true when compartmentId is the tenancy");
  const accessLevel = enumQuery(ctx.query, "accessLevel", ["ANY", "ACCESSIBLE"]) ?? "ANY";
  const lifecycleState = enumQuery(ctx.query, "lifecycleState", ["CREATING", "ACTIVE", "INACTIVE", "DELETING", "DELETED"]);
  const name = ctx.query.get("name");
  const allowed = ctx.principal.accessibleCompartmentIds ? new Set(ctx.principal.accessibleCompartmentIds) : null;
  const accessible = (c: CompartmentRecord) => !allowed || isUnder(state, c.id, allowed);
  const parentSet = new Set([parent]);
  const found = [...state.compartments.values()].filter((c) =>
    (subtree ? isUnder(state, c.compartmentId, parentSet) : c.compartmentId === parent)
    && (!lifecycleState || c.lifecycleState === lifecycleState) && (!name || c.name === name)
    && (accessLevel === "ANY" || accessible(c)));
  const page = paginate(ctx, sortForList(ctx, found, (c) => c.name, { time: "TIMECREATED", name: "NAME" }));
  return { body: page.items.map((c) => compartmentJson(c, accessible(c))), headers: page.headers };
}

export const identityService: SimService = {
  name: "identity",
  basePath: "/identity",
  auditSource: "IdentityControlPlane",
  operations: [{ name: "ListCompartments", method: "GET", path: "/20160918/compartments", write: false, handle: listCompartments }],
};
