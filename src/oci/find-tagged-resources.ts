/**
 * The tagged backup resources in scope (DESIGN §3 "scope"): one structured Resource Search over the
 * tenancy for volumes, boot volumes, volume backups, boot volume backups and buckets carrying the
 * tag (freeform or defined) and not TERMINATED (OCI-NOTES §2.4), every page with the B07 guard;
 * then each resource read from its own service, because Resource Search does not carry the key:
 * GetVolume / GetBootVolume / GetVolumeBackup / GetBootVolumeBackup, and for buckets GetNamespace
 * once and GetBucket by name (Object Storage addresses buckets by name; the search summary's
 * displayName is the bucket name). Names, states, tags and times come from that read, the
 * authoritative one.
 *
 * Search results outside the caller's compartments are dropped before any read: keyproof never
 * reads what is not in scope. A failed search fails the whole call (the list itself would be
 * incomplete: DESIGN §3 rule 7); a failed read of one resource (throttled after the retry layer,
 * 401, a 404 for a resource deleted since the search or not readable by this principal, a
 * malformed answer) puts that resource in `unreadable` and the rest are still read (rule 9).
 */
import type { BlockstorageClient } from "oci-core";
import type { ObjectStorageClient } from "oci-objectstorage";
import type { ResourceSearchClient, models } from "oci-resourcesearch";
import pMap from "p-map";
import { listAllPages } from "./list-all-pages.js";
import { OciCallError, type FindTaggedResourcesOptions, type OciResource, type ResourceKind, type TaggedResources, type TagSelector, type UnreadableResource } from "./oci-ports.js";
import { ociInstant } from "./oci-time.js";
import { taggedResourcesQuery } from "./parse-tag-selector.js";
import { tagsOf } from "./to-oci-models.js";
import type { OciCaller } from "./with-retry.js";

export const TAGGED_KINDS: readonly ResourceKind[] = ["volume", "bootvolume", "volumebackup", "bootvolumebackup", "bucket"];

export interface TaggedResourceClients {
  search: ResourceSearchClient;
  blockstorage: BlockstorageClient;
  objectstorage: ObjectStorageClient;
}

type Common = Pick<OciResource, "id" | "displayName" | "compartmentId" | "lifecycleState" | "timeCreated" | "kmsKeyId" | "freeformTags" | "definedTags">;

/** @throws TypeError when the answer has no compartment (a malformed answer, never guessed). */
function common(r: { id?: string; displayName?: string; compartmentId: string; lifecycleState?: string; timeCreated?: unknown; kmsKeyId?: string } & Parameters<typeof tagsOf>[0], fallbackId: string): Common {
  if (typeof r.compartmentId !== "string" || r.compartmentId === "") throw new TypeError(`${fallbackId}: OCI answered without a compartmentId`);
  return {
    id: r.id ?? fallbackId, displayName: r.displayName ?? "", compartmentId: r.compartmentId, lifecycleState: r.lifecycleState ?? null,
    timeCreated: ociInstant(r.timeCreated), kmsKeyId: r.kmsKeyId || null, ...tagsOf(r),
  };
}

/** Resource Search summaries of the tagged resources (all pages). */
export async function searchTaggedResources(client: ResourceSearchClient, call: OciCaller, selector: TagSelector, pageLimit = 1000): Promise<models.ResourceSummary[]> {
  const searchDetails: models.StructuredSearchDetails = {
    type: "Structured", query: taggedResourcesQuery(selector, TAGGED_KINDS), matchingContextType: "NONE" as models.SearchDetails.MatchingContextType,
  };
  return listAllPages(
    "SearchResources",
    async (page) => {
      const { value } = await call("SearchResources", () => client.searchResources({ searchDetails, page, limit: pageLimit }));
      return { items: value.resourceSummaryCollection.items ?? [], nextPage: value.opcNextPage };
    },
    { idOf: (r) => r.identifier },
  );
}

/** The read that completes a resource of each kind (bucket: GetNamespace first, once per call). */
const READ_OPERATION: Record<ResourceKind, string> = {
  volume: "GetVolume", bootvolume: "GetBootVolume", volumebackup: "GetVolumeBackup", bootvolumebackup: "GetBootVolumeBackup", bucket: "GetBucket",
};

/**
 * @param concurrency reads in flight.
 * @param pageLimit results per search page (default 1000, OCI's maximum).
 * @returns the resources read, and those whose read failed (each with the operation and why).
 * @throws OciCallError (incl. PaginationStalledError) when the search fails.
 */
export async function findTaggedResources(
  clients: TaggedResourceClients,
  call: OciCaller,
  selector: TagSelector,
  concurrency: number,
  pageLimit?: number,
  options: FindTaggedResourcesOptions = {},
): Promise<TaggedResources> {
  const summaries = await searchTaggedResources(clients.search, call, selector, pageLimit);
  const wanted = options.compartmentIds === undefined ? null : new Set(options.compartmentIds);
  const kindOf = (type: string) => TAGGED_KINDS.find((k) => k === type.toLowerCase()) ?? null;
  let namespace: Promise<string> | null = null;
  const getNamespace = () => (namespace ??= call("GetNamespace", () => clients.objectstorage.getNamespace({})).then((o) => o.value.value));
  const bs = clients.blockstorage;
  const read = async (kind: ResourceKind, s: models.ResourceSummary): Promise<OciResource> => {
    const none = { namespace: null, bucketName: null, sourceId: null };
    switch (kind) {
      case "volume": {
        const { volume } = (await call("GetVolume", () => bs.getVolume({ volumeId: s.identifier }))).value;
        return { kind, ...common(volume, s.identifier), ...none };
      }
      case "bootvolume": {
        const { bootVolume } = (await call("GetBootVolume", () => bs.getBootVolume({ bootVolumeId: s.identifier }))).value;
        return { kind, ...common(bootVolume, s.identifier), ...none };
      }
      case "volumebackup": {
        const { volumeBackup } = (await call("GetVolumeBackup", () => bs.getVolumeBackup({ volumeBackupId: s.identifier }))).value;
        return { kind, ...common(volumeBackup, s.identifier), ...none, sourceId: volumeBackup.volumeId ?? null };
      }
      case "bootvolumebackup": {
        const { bootVolumeBackup } = (await call("GetBootVolumeBackup", () => bs.getBootVolumeBackup({ bootVolumeBackupId: s.identifier }))).value;
        return { kind, ...common(bootVolumeBackup, s.identifier), ...none, sourceId: bootVolumeBackup.bootVolumeId ?? null };
      }
      case "bucket": {
        const namespaceName = await getNamespace();
        const bucketName = s.displayName ?? "";
        const { bucket } = (await call("GetBucket", () => clients.objectstorage.getBucket({ namespaceName, bucketName }))).value;
        return {
          kind, ...common({ ...bucket, displayName: bucket.name, id: bucket.id }, s.identifier),
          namespace: bucket.namespace, bucketName: bucket.name, sourceId: null,
        };
      }
    }
  };
  // The query names the types; anything else would be a search we did not ask for.
  const inScope = summaries.flatMap((s) => {
    const kind = kindOf(s.resourceType);
    return kind !== null && (wanted === null || wanted.has(s.compartmentId)) ? [{ kind, s }] : [];
  });
  // pMap keeps the search order, whatever order the reads finish in.
  type Outcome = { resource: OciResource } | { failed: UnreadableResource };
  const outcomes = await pMap(inScope, async ({ kind, s }): Promise<Outcome> => {
    try {
      return { resource: await read(kind, s) };
    } catch (error) {
      return { failed: unreadableResource(kind, s, error) };
    }
  }, { concurrency });
  return {
    resources: outcomes.flatMap((o) => ("resource" in o ? [o.resource] : [])),
    unreadable: outcomes.flatMap((o) => ("failed" in o ? [o.failed] : [])),
  };
}

/** The failed read of one search result, in the port's terms (no body, no message text). */
function unreadableResource(kind: ResourceKind, s: models.ResourceSummary, error: unknown): UnreadableResource {
  const where = { kind, id: s.identifier, displayName: s.displayName ?? "", compartmentId: s.compartmentId };
  if (error instanceof OciCallError) {
    return { ...where, operation: error.operation, reason: error.reason, statusCode: error.statusCode, serviceCode: error.serviceCode };
  }
  // Not an OCI failure: the answer lacked what the read needs (e.g. no `volume` in GetVolume's body).
  return { ...where, operation: READ_OPERATION[kind], reason: "malformed-answer", statusCode: null, serviceCode: null };
}
