/**
 * matchesResource and resourceComparator over small ResourceSummary-shaped fixtures: type
 * selection, the same-tag rule for freeform and defined tags, every operator, dates in UTC.
 */
import { describe, expect, it } from "vitest";
import {
  matchesResource,
  parseResourceQuery,
  resourceComparator,
  type ResourceSummaryLike,
} from "../../../src/sim/query/resource-search-query.js";

function resource(overrides: Partial<ResourceSummaryLike> = {}): ResourceSummaryLike {
  return {
    resourceType: "Volume",
    identifier: "ocid1.volume.oc1..vol1",
    displayName: "db-data",
    compartmentId: "ocid1.compartment.oc1..prod",
    lifecycleState: "AVAILABLE",
    timeCreated: "2024-03-01T10:00:00.000Z",
    freeformTags: {},
    definedTags: {},
    ...overrides,
  };
}

const matches = (query: string, r: ResourceSummaryLike): boolean => matchesResource(parseResourceQuery(query), r);

const KEYPROOF_QUERY =
  "query volume, bootvolume, bucket resources where (freeformTags.key = 'backup-encryption' && freeformTags.value = 'enabled') && lifecycleState != 'TERMINATED'";

describe("matchesResource: resource types", () => {
  it("selects only the listed types, comparing type names case-insensitively", () => {
    const q = "query volume, bucket resources";
    expect(matches(q, resource({ resourceType: "Volume" }))).toBe(true);
    expect(matches(q, resource({ resourceType: "Bucket" }))).toBe(true);
    expect(matches(q, resource({ resourceType: "BootVolume" }))).toBe(false);
    expect(matches(q, resource({ resourceType: "VolumeBackup" }))).toBe(false);
  });

  it("selects every type for query all resources", () => {
    for (const type of ["Volume", "Key", "Vault", "BootVolumeBackup"]) {
      expect(matches("query all resources", resource({ resourceType: type }))).toBe(true);
    }
  });
});

describe("matchesResource: freeform tags", () => {
  it("matches the keyproof query when one tag carries both the key and the value", () => {
    expect(matches(KEYPROOF_QUERY, resource({ freeformTags: { "backup-encryption": "enabled", team: "db" } }))).toBe(true);
  });

  it("requires the key and the value to belong to the SAME tag", () => {
    const split = resource({ freeformTags: { "backup-encryption": "disabled", "other-flag": "enabled" } });
    expect(matches(KEYPROOF_QUERY, split)).toBe(false);
  });

  it("excludes terminated resources and resources of other types", () => {
    const tags = { "backup-encryption": "enabled" };
    expect(matches(KEYPROOF_QUERY, resource({ freeformTags: tags, lifecycleState: "TERMINATED" }))).toBe(false);
    expect(matches(KEYPROOF_QUERY, resource({ freeformTags: tags, resourceType: "VolumeBackup" }))).toBe(false);
  });

  it("does not match resources without tags, with null tags, or with the key only", () => {
    expect(matches(KEYPROOF_QUERY, resource({ freeformTags: {} }))).toBe(false);
    expect(matches(KEYPROOF_QUERY, resource({ freeformTags: null }))).toBe(false);
    expect(matches(KEYPROOF_QUERY, resource({ freeformTags: { "backup-encryption": "" } }))).toBe(false);
  });

  it("treats two parenthesised tag pairs as two different tags that must both exist", () => {
    const q = "query all resources where (freeformTags.key = 'env' && freeformTags.value = 'prod') && (freeformTags.key = 'team' && freeformTags.value = 'db')";
    expect(matches(q, resource({ freeformTags: { env: "prod", team: "db" } }))).toBe(true);
    expect(matches(q, resource({ freeformTags: { env: "prod", team: "web" } }))).toBe(false);
  });

  it("puts all tag comparisons of one unparenthesised && chain on the same tag", () => {
    const q = "query all resources where freeformTags.key = 'env' && freeformTags.value = 'prod' && freeformTags.key = 'team'";
    expect(matches(q, resource({ freeformTags: { env: "prod", team: "prod" } }))).toBe(false);
  });

  it("checks a lone key condition for the existence of the key", () => {
    const q = "query all resources where freeformTags.key = 'backup-encryption'";
    expect(matches(q, resource({ freeformTags: { "backup-encryption": "anything" } }))).toBe(true);
    expect(matches(q, resource({ freeformTags: { other: "backup-encryption" } }))).toBe(false);
  });

  it("applies a negated value to the same tag as the positive key", () => {
    const q = "query all resources where (freeformTags.key = 'backup-encryption' && freeformTags.value != 'enabled')";
    expect(matches(q, resource({ freeformTags: { "backup-encryption": "disabled" } }))).toBe(true);
    expect(matches(q, resource({ freeformTags: { "backup-encryption": "enabled", x: "y" } }))).toBe(false);
    expect(matches(q, resource({ freeformTags: {} }))).toBe(false);
  });

  it("reads a group of only negative tag comparisons as 'no tag has it'", () => {
    const q = "query all resources where freeformTags.key != 'temporary'";
    expect(matches(q, resource({ freeformTags: { env: "prod" } }))).toBe(true);
    expect(matches(q, resource({ freeformTags: {} }))).toBe(true);
    expect(matches(q, resource({ freeformTags: { env: "prod", temporary: "yes" } }))).toBe(false);
  });

  it("lets || separate tag groups into alternatives", () => {
    const q = "query all resources where freeformTags.key = 'a' && freeformTags.value = '1' || freeformTags.key = 'b' && freeformTags.value = '2'";
    expect(matches(q, resource({ freeformTags: { b: "2" } }))).toBe(true);
    expect(matches(q, resource({ freeformTags: { a: "2", b: "1" } }))).toBe(false);
  });

  it("compares tag keys and values case-sensitively with = and case-insensitively with =~", () => {
    const tags = { "Backup-Encryption": "Enabled" };
    expect(matches("query all resources where (freeformTags.key = 'backup-encryption' && freeformTags.value = 'enabled')", resource({ freeformTags: tags }))).toBe(false);
    expect(matches("query all resources where (freeformTags.key =~ 'backup-encryption' && freeformTags.value =~ 'enabled')", resource({ freeformTags: tags }))).toBe(true);
  });
});

describe("matchesResource: defined tags", () => {
  const q = "query all resources where (definedTags.namespace = 'Backup' && definedTags.key = 'Encryption' && definedTags.value = 'enabled')";

  it("matches when one tag has the namespace, key and value", () => {
    expect(matches(q, resource({ definedTags: { "Oracle-Tags": { CreatedBy: "x" }, Backup: { Encryption: "enabled" } } }))).toBe(true);
  });

  it("does not match when namespace, key and value are spread over different tags", () => {
    expect(matches(q, resource({ definedTags: { Backup: { Encryption: "disabled", Other: "enabled" } } }))).toBe(false);
    expect(matches(q, resource({ definedTags: { Backup: { Other: "enabled" }, Ops: { Encryption: "enabled" } } }))).toBe(false);
  });

  it("compares non-string defined tag values by their text", () => {
    const numeric = "query all resources where (definedTags.namespace = 'Ops' && definedTags.key = 'CostCenter' && definedTags.value = '42')";
    expect(matches(numeric, resource({ definedTags: { Ops: { CostCenter: 42 } } }))).toBe(true);
  });

  it("keeps freeform and defined tag groups apart inside one && chain", () => {
    const mixed = "query all resources where freeformTags.key = 'env' && definedTags.namespace = 'Ops' && definedTags.key = 'CostCenter'";
    expect(matches(mixed, resource({ freeformTags: { env: "x" }, definedTags: { Ops: { CostCenter: "1" } } }))).toBe(true);
    expect(matches(mixed, resource({ freeformTags: { env: "x" }, definedTags: { Ops: { Owner: "1" }, Fin: { CostCenter: "1" } } }))).toBe(false);
  });

  it("excludes every resource with a tag in a namespace for a negative-only namespace condition", () => {
    const none = "query all resources where definedTags.namespace != 'GSIS' && definedTags.namespace != 'SOTA'";
    expect(matches(none, resource({ definedTags: { "Oracle-Tags": { CreatedBy: "x" } } }))).toBe(true);
    expect(matches(none, resource({ definedTags: { "Oracle-Tags": { CreatedBy: "x" }, SOTA: { a: "b" } } }))).toBe(false);
  });

  it("reads system tags with the same rule", () => {
    const sys = "query all resources where (systemTags.namespace = 'orcl-cloud' && systemTags.key = 'free-tier-retained' && systemTags.value = 'true')";
    expect(matches(sys, resource({ systemTags: { "orcl-cloud": { "free-tier-retained": "true" } } }))).toBe(true);
  });
});

describe("matchesResource: fields and operators", () => {
  it("resolves field names case-insensitively, including dotted paths", () => {
    expect(matches("query all resources where LIFECYCLESTATE = 'AVAILABLE'", resource())).toBe(true);
    expect(matches("query all resources where displayname = 'db-data'", resource())).toBe(true);
    const withDetails = resource({ additionalDetails: { kmsKeyId: "ocid1.key.oc1..k1" } });
    expect(matches("query all resources where additionalDetails.KmsKeyId = 'ocid1.key.oc1..k1'", withDetails)).toBe(true);
  });

  it("compares = and != exactly and case-sensitively", () => {
    expect(matches("query all resources where lifecycleState = 'available'", resource())).toBe(false);
    expect(matches("query all resources where lifecycleState != 'available'", resource())).toBe(true);
    expect(matches("query all resources where compartmentId = 'ocid1.compartment.oc1..prod'", resource())).toBe(true);
  });

  it("treats =~ as a case-insensitive contains and !~ as its negation", () => {
    expect(matches("query all resources where displayName =~ 'DB'", resource())).toBe(true);
    expect(matches("query all resources where displayName =~ 'data'", resource())).toBe(true);
    expect(matches("query all resources where displayName =~ 'web'", resource())).toBe(false);
    expect(matches("query all resources where displayName !~ 'WEB'", resource())).toBe(true);
    expect(matches("query all resources where displayName !~ 'db'", resource())).toBe(false);
  });

  it("reads * and .* in a =~ value as wildcards and every other character literally", () => {
    expect(matches("query all resources where displayName =~ '.*db.*'", resource())).toBe(true);
    expect(matches("query all resources where displayName =~ 'd*a'", resource())).toBe(true);
    expect(matches("query all resources where displayName =~ 'db.data'", resource())).toBe(false);
    expect(matches("query all resources where displayName =~ 'db(data'", resource({ displayName: "db(data" }))).toBe(true);
  });

  it("matches a missing field only with the negative operators", () => {
    const r = resource({ displayName: null });
    expect(matches("query all resources where displayName = 'x'", r)).toBe(false);
    expect(matches("query all resources where displayName =~ 'x'", r)).toBe(false);
    expect(matches("query all resources where displayName > 1", r)).toBe(false);
    expect(matches("query all resources where displayName != 'x'", r)).toBe(true);
    expect(matches("query all resources where displayName !~ 'x'", r)).toBe(true);
    expect(matches("query all resources where noSuchField != 'x'", r)).toBe(true);
  });

  it("compares numbers numerically, including numeric strings", () => {
    const r = resource({ sizeInGBs: 100, additionalDetails: { vpusPerGB: "10" } });
    expect(matches("query all resources where sizeInGBs = 100", r)).toBe(true);
    expect(matches("query all resources where sizeInGBs > 50 && sizeInGBs <= 100", r)).toBe(true);
    expect(matches("query all resources where sizeInGBs < 100", r)).toBe(false);
    expect(matches("query all resources where sizeInGBs >= 100.5", r)).toBe(false);
    expect(matches("query all resources where additionalDetails.vpusPerGB >= 9", r)).toBe(true);
  });

  it("does not order plain text with > or <", () => {
    expect(matches("query all resources where displayName > 'a'", resource())).toBe(false);
    expect(matches("query all resources where displayName < 'z'", resource())).toBe(false);
  });

  it("compares timeCreated as instants against quoted and bare ISO dates", () => {
    const r = resource({ timeCreated: "2024-03-01T10:00:00.000Z" });
    expect(matches("query all resources where timeCreated >= '2024-03-01T10:00:00Z'", r)).toBe(true);
    expect(matches("query all resources where timeCreated > '2024-03-01T10:00:00Z'", r)).toBe(false);
    expect(matches("query all resources where timeCreated > 2024-03-01", r)).toBe(true);
    expect(matches("query all resources where timeCreated < 2024-03-01T12:00:00+02:00", r)).toBe(false);
    expect(matches("query all resources where timeCreated < 2024-03-01T12:00:00+01:00", r)).toBe(true);
    expect(matches("query all resources where timeCreated = '2024-03-01T10:00:00Z'", r)).toBe(true);
    expect(matches("query all resources where timeCreated = 2024-03-01", r)).toBe(true);
    expect(matches("query all resources where timeCreated = 2024-03-02", r)).toBe(false);
  });

  it("accepts Date objects for timeCreated, as the SDK models carry them", () => {
    const r = resource({ timeCreated: new Date("2024-03-01T10:00:00.000Z") });
    expect(matches("query all resources where timeCreated >= 2024-03-01 && timeCreated < 2024-03-02", r)).toBe(true);
    expect(matches("query all resources where timeCreated = '2024-03-01T10:00:00.000Z'", r)).toBe(true);
  });

  it("reads dates without an offset as UTC whatever the process time zone", () => {
    const r = resource({ timeCreated: "2024-03-01T01:00:00Z" });
    // In America/Sao_Paulo, 2024-03-01T00:30:00 local would be 03:30Z and flip this result.
    expect(matches("query all resources where timeCreated > '2024-03-01T00:30:00'", r)).toBe(true);
    expect(matches("query all resources where timeCreated = 2024-02-29", r)).toBe(false);
  });

  it("matches an array field when any element matches", () => {
    const r = resource({ additionalDetails: { ips: ["10.0.0.1", "10.0.0.2"] } });
    expect(matches("query all resources where additionalDetails.ips = '10.0.0.2'", r)).toBe(true);
    expect(matches("query all resources where additionalDetails.ips != '10.0.0.2'", r)).toBe(false);
  });

  it("applies && before || when matching", () => {
    const q = "query all resources where lifecycleState = 'TERMINATED' && displayName = 'nope' || displayName = 'db-data'";
    expect(matches(q, resource())).toBe(true);
    const grouped = "query all resources where lifecycleState = 'TERMINATED' && (displayName = 'nope' || displayName = 'db-data')";
    expect(matches(grouped, resource())).toBe(false);
  });
});

describe("resourceComparator", () => {
  const a = resource({ identifier: "a", displayName: "beta", timeCreated: "2024-01-02T00:00:00Z" });
  const b = resource({ identifier: "b", displayName: "alpha", timeCreated: "2024-01-03T00:00:00Z" });
  const c = resource({ identifier: "c", displayName: null, timeCreated: "2024-01-01T00:00:00Z" });
  const ids = (query: string) => [a, b, c].sort(resourceComparator(parseResourceQuery(query))).map((r) => r.identifier);

  it("orders newest timeCreated first when the query has no sort clause", () => {
    expect(ids("query all resources")).toEqual(["b", "a", "c"]);
  });

  it("orders by the sorted-by field and direction, missing values last", () => {
    expect(ids("query all resources sorted by displayName asc")).toEqual(["b", "a", "c"]);
    expect(ids("query all resources sorted by displayName desc")).toEqual(["a", "b", "c"]);
    expect(ids("query all resources sorted by timeCreated asc")).toEqual(["c", "a", "b"]);
  });
});
