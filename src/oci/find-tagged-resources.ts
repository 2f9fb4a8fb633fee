/**
 * The tagged backup resources in scope (DESIGN §3 "scope"): one structured Resource Search over the
 * tenancy for volumes, boot volumes, volume backups, boot volume backups and buckets carrying the
 * tag (freeform or defined) and not TERMINATED (OCI-NOTES §2.4), every page with the B07 guard;
 * then each resource read from its own service, because Resource Search does not carry the key:
 * GetVolume / GetBootVolume / GetVolumeBackup / GetBootVolumeBackup, and for buckets GetNamespace
 * once and GetBucket by name (Object Storage addresses buckets by name; the search summary's
 * displayName is the bucket name). Names, states, tags and times come from that read, the
 * authoritative one. Any failed read fails the whole call: a partial inventory is never returned.
 */
import type { BlockstorageClient } from "oci-core";
import type { ObjectStorageClient } from "oci-objectstorage";
import type { ResourceSearchClient, models } from "oci-resourcesearch";
import pMap from "p-map";
import { listAllPages } from "./list-all-pages.js";
import type { OciResource, ResourceKind, TagSelector } from "./oci-ports.js";
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

function common(r: { id?: string; displayName?: string; compartmentId: string; lifecycleState?: string; timeCreated?: unknown; kmsKeyId?: string } & Parameters<typeof tagsOf>[0], fallbackId: string): Common {
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

/**
 * @param concurrency reads in flight.
 * @param pageLimit results per search page (default 1000, OCI's maximum).
 * @throws OciCallError (incl. PaginationStalledError) when the search or any read fails.
 */
export async function findTaggedResources(clients: TaggedResourceClients, call: OciCaller, selector: TagSelector, concurrency: number, pageLimit?: number): Promise<OciResource[]> {
  const summaries = await searchTaggedResources(clients.search, call, selector, pageLimit);
  const kindOf = (type: string) => TAGGED_KINDS.find((k) => k === type.toLowerCase()) ?? null;
  let namespace: Promise<string> | null = null;
  const getNamespace = () => (namespace ??= call("GetNamespace", () => clients.objectstorage.getNamespace({})).then((o) => o.value.value));
  const bs = clients.blockstorage;
  const read = async (s: models.ResourceSummary): Promise<OciResource | null> => {
    const kind = kindOf(s.resourceType);
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
      default:
        // The query names the types; anything else would be a search we did not ask for.
        return null;
    }
  };
  const found = await pMap(summaries, read, { concurrency });
  return found.filter((r): r is OciResource => r !== null);
}
