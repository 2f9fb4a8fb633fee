/**
 * KmsManagementPort over one vault's KmsManagementClient (endpoint = vault.managementEndpoint).
 * ListKeys lacks the current key version, so listKeys completes each key with GetKey
 * (OCI-NOTES §2.2); listKeySummaries does not, so a caller that needs only some keys (the
 * inventory: keys in use, tagged or in a lineage) reads just those with getKey and a failing read
 * costs one key, not the list. Lists follow every page with the B07 guard; writes carry the caller's
 * `opc-retry-token`, so a retry of ours (or a rerun within OCI's 24 h) never creates a second version or key.
 */
import type { KmsManagementClient, models } from "oci-keymanagement";
import { requests } from "oci-keymanagement";
import pMap from "p-map";
import type { KmsWritePacer } from "./kms-write-pacer.js";
import { listAllPages } from "./list-all-pages.js";
import type { CreateKeyDetails, KmsManagementPort, OciWrite } from "./oci-ports.js";
import { toOciKey, toOciKeySummary, toOciKeyVersion } from "./to-oci-models.js";
import type { OciCaller, RetryOutcome } from "./with-retry.js";

export function toOciWrite<T>(outcome: RetryOutcome<unknown>, value: T): OciWrite<T> {
  return { value, opcRequestId: outcome.opcRequestId, attempts: outcome.attempts, workRequestId: outcome.workRequestId };
}

/**
 * @param concurrency GetKey calls in flight while completing ListKeys.
 * @param pageLimit `limit` per list page (undefined: OCI's default).
 * @param pace the tenancy's KMS write pacer (kms-write-pacer.ts), awaited before every write attempt.
 */
export function createKmsManagementPort(
  client: KmsManagementClient,
  call: OciCaller,
  concurrency: number,
  pageLimit?: number,
  pace?: KmsWritePacer,
): KmsManagementPort {
  const write = pace ? { pace } : {};
  const getKey = async (keyId: string) => toOciKey((await call("GetKey", () => client.getKey({ keyId }))).value.key);
  const listSummaries = (compartmentId: string) =>
    listAllPages(
      "ListKeys",
      async (page) => {
        const { value } = await call("ListKeys", () => client.listKeys({ compartmentId, page, limit: pageLimit }));
        return { items: value.items, nextPage: value.opcNextPage };
      },
      { idOf: (k) => k.id },
    );
  return {
    getKey,
    async listKeys(compartmentId) {
      return pMap(await listSummaries(compartmentId), (k) => getKey(k.id), { concurrency });
    },
    async listKeySummaries(compartmentId) {
      return (await listSummaries(compartmentId)).map(toOciKeySummary);
    },
    async listKeyVersions(keyId) {
      const items = await listAllPages(
        "ListKeyVersions",
        async (page) => {
          const request = {
            keyId, page, limit: pageLimit,
            sortBy: requests.ListKeyVersionsRequest.SortBy.Timecreated, sortOrder: requests.ListKeyVersionsRequest.SortOrder.Asc,
          };
          const { value } = await call("ListKeyVersions", () => client.listKeyVersions(request));
          return { items: value.items, nextPage: value.opcNextPage };
        },
        { idOf: (v) => v.id },
      );
      // Oldest first, by instant (not by text: OCI's time formats vary, B02).
      return items.map(toOciKeyVersion).sort((a, b) => Date.parse(a.timeCreated) - Date.parse(b.timeCreated));
    },
    async createKeyVersion(keyId, retryToken) {
      const outcome = await call("CreateKeyVersion", () => client.createKeyVersion({ keyId, opcRetryToken: retryToken }), write);
      return toOciWrite(outcome, toOciKeyVersion(outcome.value.keyVersion));
    },
    async createKey(details: CreateKeyDetails, retryToken) {
      const createKeyDetails: models.CreateKeyDetails = {
        compartmentId: details.compartmentId, displayName: details.displayName,
        keyShape: {
          algorithm: details.algorithm as models.KeyShape.Algorithm, length: details.length,
          ...(details.curveId ? { curveId: details.curveId as models.KeyShape.CurveId } : {}),
        },
        protectionMode: details.protectionMode as models.CreateKeyDetails.ProtectionMode,
        freeformTags: details.freeformTags, definedTags: details.definedTags,
      };
      const outcome = await call("CreateKey", () => client.createKey({ createKeyDetails, opcRetryToken: retryToken }), write);
      return toOciWrite(outcome, toOciKey(outcome.value.key));
    },
  };
}
