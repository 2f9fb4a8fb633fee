import * as common from "oci-common";
import { ResourceSearchClient, type models, type requests, type responses } from "oci-resourcesearch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXAMPLE, exampleSeed, useSimulator } from "../helpers/sim.js";

const TAG_QUERY = "query volume, bootvolume, bucket resources where (freeformTags.key = 'backup-encryption' && freeformTags.value = 'enabled')";
const seed = exampleSeed();

describe("Resource Search through ResourceSearchClient", () => {
  const suite = useSimulator({
    changeSeed: (s) => {
      // A volume tagged with the same key but another value, which the tag selector must not match.
      s.volumes!.push({ ...s.volumes![0]!, id: "ocid1.volume.oc1.iad.abuwcljrdisabledvolumedisabledvolumedisabledvolumedisabledvol", displayName: "scratch", freeformTags: { "backup-encryption": "disabled" } });
    },
  });
  let search: ResourceSearchClient;
  beforeAll(() => {
    search = new ResourceSearchClient(
      { authenticationDetailsProvider: suite().provider },
      // No retries: the SDK default for search is 8 attempts (OCI-NOTES §1.4); these tests inject no errors.
      { circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }), retryConfiguration: { terminationStrategy: new common.MaxAttemptsTerminationStrategy(1) } },
    );
    search.endpoint = suite().sim.endpoints.search;
  });
  afterAll(() => search.close());

  const structured = (query: string, extra: Partial<requests.SearchResourcesRequest> = {}) =>
    search.searchResources({ searchDetails: { type: "Structured", query, matchingContextType: "NONE" } as models.StructuredSearchDetails, ...extra });

  it("finds the volumes, boot volumes and buckets keyproof selects by tag, with OCI's ResourceSummary fields", async () => {
    const items = (await structured(TAG_QUERY)).resourceSummaryCollection.items!;
    expect(items.map((i) => `${i.resourceType} ${i.displayName}`).sort()).toEqual([
      "BootVolume pg-primary (Boot Volume)", "Bucket app-backups", "Bucket db-backups", "Volume pg-data-vol",
    ]);
    const volume = items.find((i) => i.resourceType === "Volume")!;
    expect(volume).toMatchObject({
      identifier: seed.volumes![0]!.id, compartmentId: EXAMPLE.backupProdId, lifecycleState: "AVAILABLE",
      availabilityDomain: "Uocm:US-ASHBURN-AD-1", freeformTags: { "backup-encryption": "enabled" }, definedTags: {},
    });
    expect(volume.timeCreated as unknown as string).toBe("2026-03-02T08:41:19.512Z");
    // Newest first when the query has no sort clause.
    const times = items.map((i) => i.timeCreated as unknown as string);
    expect(times).toEqual([...times].sort().reverse());
  });

  it("searches keys and vaults, combines conditions with || and parentheses, and sorts by a field", async () => {
    const keys = (await structured("query key resources where lifecycleState = 'ENABLED' && (displayName = 'backup-objects-key' || displayName =~ 'signing') sorted by displayName asc")).resourceSummaryCollection.items!;
    expect(keys.map((k) => k.displayName)).toEqual(["backup-objects-key", "keyproof-manifest-signing"]);
    expect(keys.every((k) => k.resourceType === "Key")).toBe(true);
    const vaults = (await structured("query vault resources")).resourceSummaryCollection.items!;
    expect(vaults).toHaveLength(2);
    const all = (await structured("query all resources where compartmentId = '" + EXAMPLE.backupProdId + "'")).resourceSummaryCollection.items!;
    expect(new Set(all.map((i) => i.resourceType))).toEqual(new Set(["Volume", "BootVolume", "VolumeBackup", "Bucket"]));
  });

  it("pages through results with opc-next-page and the SDK's paginateRecords", async () => {
    const request: requests.SearchResourcesRequest = { searchDetails: { type: "Structured", query: "query all resources" } as models.StructuredSearchDetails, limit: 3 };
    const first = await search.searchResources(request);
    expect(first.resourceSummaryCollection.items).toHaveLength(3);
    expect(first.opcNextPage).toMatch(/^[A-Za-z0-9_-]+$/);
    const all: models.ResourceSummary[] = [];
    const pages = common.paginateResponses<requests.SearchResourcesRequest, responses.SearchResourcesResponse>(request, (r) => search.searchResources(r));
    for await (const page of pages) all.push(...page.resourceSummaryCollection.items!);
    // Keys, vaults, two volumes (one added above), one boot volume, one volume backup, three buckets.
    expect(all).toHaveLength(seed.keys!.length + seed.vaults!.length + 2 + 1 + 1 + 3);
    expect(new Set(all.map((i) => i.identifier)).size).toBe(all.length);
  });

  it("answers opc-previous-page on every page after the first, pointing at the page before", async () => {
    const request: requests.SearchResourcesRequest = { searchDetails: { type: "Structured", query: "query all resources" } as models.StructuredSearchDetails, limit: 3 };
    const first = await search.searchResources(request);
    expect(first.opcPreviousPage).toBeUndefined();
    const second = await search.searchResources({ ...request, page: first.opcNextPage! });
    const third = await search.searchResources({ ...request, page: second.opcNextPage! });
    expect(second.opcPreviousPage).toMatch(/^[A-Za-z0-9_-]+$/);
    const back = await search.searchResources({ ...request, page: second.opcPreviousPage! });
    expect(back.resourceSummaryCollection.items!.map((i) => i.identifier)).toEqual(first.resourceSummaryCollection.items!.map((i) => i.identifier));
    const backFromThird = await search.searchResources({ ...request, page: third.opcPreviousPage! });
    expect(backFromThird.resourceSummaryCollection.items!.map((i) => i.identifier)).toEqual(second.resourceSummaryCollection.items!.map((i) => i.identifier));
  });

  it("rejects a page token reused with a different query with 400 InvalidParameter", async () => {
    const first = await structured("query all resources", { limit: 2 });
    expect(first.opcNextPage).toBeDefined();
    await expect(structured("query key resources", { limit: 2, page: first.opcNextPage! }))
      .rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    await expect(search.searchResources({ searchDetails: { type: "FreeText", text: "backup" } as models.FreeTextSearchDetails, limit: 2, page: first.opcNextPage! }))
      .rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    expect((await structured("query all resources", { limit: 2, page: first.opcNextPage! })).resourceSummaryCollection.items).toHaveLength(2);
  });

  it("answers FreeText searches", async () => {
    const items = (await search.searchResources({ searchDetails: { type: "FreeText", text: "db-backups" } as models.FreeTextSearchDetails })).resourceSummaryCollection.items!;
    expect(items.map((i) => i.displayName)).toEqual(["db-backups"]);
  });

  it("answers a query syntax error with 400 InvalidParameter and the parser's message", async () => {
    await expect(structured("query volume resources where (freeformTags.key = 'x'")).rejects.toMatchObject({
      statusCode: 400, serviceCode: "InvalidParameter", message: expect.stringMatching(/at position \d+$/),
    });
  });

  it("lists the searchable resource types", async () => {
    const { items } = await search.listResourceTypes({});
    expect(items.map((t) => t.name)).toEqual(expect.arrayContaining(["Bucket", "BootVolume", "BootVolumeBackup", "Key", "Vault", "Volume", "VolumeBackup"]));
    expect(items[0]!.fields.map((f) => f.fieldName)).toContain("freeformTags");
  });
});
