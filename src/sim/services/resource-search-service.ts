/**
 * Resource Search (`ResourceSearchClient`, OCI-NOTES §2.4), served at `<url>/search`:
 * SearchResources with Structured queries (parsed and matched by src/sim/query) or FreeText, over
 * the simulator's keys, vaults, volumes, boot volumes, backups and buckets, answered as
 * `{"items": [ResourceSummary]}` with `opc-next-page` and `opc-previous-page` (page tokens bound to
 * the search details: reused with another query they are 400 InvalidParameter); ListResourceTypes. A query the parser
 * rejects is 400 InvalidParameter with the parser's message (which names the position).
 */
import { STANDARD_LIMITS, paginate } from "../http/paginate.js";
import { bodyObject } from "../kms/kms-rules.js";
import { QuerySyntaxError, matchesResource, parseResourceQuery, resourceComparator } from "../query/resource-search-query.js";
import { SEARCHABLE_TYPES, matchesFreeText, searchableResources, type ResourceSummaryJson } from "../search/searchable-resources.js";
import type { OpContext, SimService } from "../sim-service.js";
import { SimError, invalid, missing, notFound } from "../sim-error.js";

const COMMON_FIELDS = [
  { fieldName: "displayName", fieldType: "STRING" }, { fieldName: "lifecycleState", fieldType: "STRING" },
  { fieldName: "compartmentId", fieldType: "IDENTIFIER" }, { fieldName: "timeCreated", fieldType: "DATETIME" },
  { fieldName: "freeformTags", fieldType: "OBJECT", isArray: true, objectProperties: [{ fieldName: "key", fieldType: "STRING" }, { fieldName: "value", fieldType: "STRING" }] },
  {
    fieldName: "definedTags", fieldType: "OBJECT", isArray: true,
    objectProperties: [{ fieldName: "namespace", fieldType: "STRING" }, { fieldName: "key", fieldType: "STRING" }, { fieldName: "value", fieldType: "STRING" }],
  },
];

function select(ctx: OpContext, details: Record<string, unknown>): ResourceSummaryJson[] {
  const all = searchableResources(ctx.state);
  if (details.type === "FreeText") {
    if (typeof details.text !== "string" || details.text.trim() === "") throw missing("text");
    const text = details.text;
    return all.filter((r) => matchesFreeText(text, r)).sort((a, b) => (a.timeCreated < b.timeCreated ? 1 : a.timeCreated > b.timeCreated ? -1 : 0));
  }
  if (details.type !== "Structured") throw invalid("type", "expected Structured or FreeText");
  if (typeof details.query !== "string" || details.query.trim() === "") throw missing("query");
  let query;
  try {
    query = parseResourceQuery(details.query);
  } catch (error) {
    if (error instanceof QuerySyntaxError) throw new SimError("InvalidParameter", error.message);
    throw error;
  }
  return all.filter((r) => matchesResource(query, r)).sort(resourceComparator(query));
}

export const resourceSearchService: SimService = {
  name: "search",
  basePath: "/search",
  auditSource: "ResourceQueries",
  operations: [
    {
      name: "SearchResources", method: "POST", path: "/20180409/resources", write: false,
      handle(ctx) {
        const tenantId = ctx.query.get("tenantId");
        if (tenantId && tenantId !== ctx.state.tenancy.id) throw notFound("Tenancy", tenantId);
        const items = select(ctx, bodyObject(ctx.body, true));
        // Tokens are bound to the body too (http/paginate.ts): one reused with another query is 400.
        const page = paginate(ctx, items, STANDARD_LIMITS, { previousPage: true });
        return { body: { items: page.items }, headers: page.headers };
      },
    },
    {
      name: "ListResourceTypes", method: "GET", path: "/20180409/resourceTypes", write: false,
      handle(ctx) {
        const types = SEARCHABLE_TYPES.map((name) => ({ name, fields: COMMON_FIELDS }));
        const page = paginate(ctx, types);
        return { body: page.items, headers: page.headers };
      },
    },
  ],
};
