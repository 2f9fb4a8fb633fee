/**
 * The SDK adapter behind OciPorts (oci-ports.ts): the one place keyproof calls the oci-* clients.
 * Every call goes through the one retry layer (with-retry.ts, cases B03/B09), every list follows
 * `opc-next-page` with the B07 guard (list-all-pages.ts), every time is normalised (oci-time.ts,
 * B01/B02). Clients: create-oci-clients.ts (SDK retries and circuit breaker off, endpoint override).
 */
import { requests as identityRequests } from "oci-identity";
import pMap from "p-map";
import type { Config } from "../app/config.js";
import { createAuditPort } from "./audit-port.js";
import { createAuthProvider, type CreateAuthOptions, type OciAuth } from "./create-auth-provider.js";
import { createBlockVolumePort } from "./block-volume-port.js";
import { createOciClients } from "./create-oci-clients.js";
import { findTaggedResources } from "./find-tagged-resources.js";
import { createKmsManagementPort } from "./kms-management-port.js";
import { createKmsWritePacer } from "./kms-write-pacer.js";
import { listAllPages } from "./list-all-pages.js";
import { createLoggingSearchPort } from "./logging-search-port.js";
import { createObjectStoragePort } from "./object-storage-port.js";
import { OciCallError, type OciPorts, type OciVault } from "./oci-ports.js";
import { createSignalsPort } from "./signals-port.js";
import { toOciVault } from "./to-oci-models.js";
import { createOciCaller, type RetryEvent, type RetryPolicy, type RetryRuntime } from "./with-retry.js";

export { parseTagSelector } from "./parse-tag-selector.js";

export interface CreateOciPortsOptions {
  /** Credentials (create-auth-provider.ts); refreshed once by the retry layer on a 401. */
  auth: Pick<OciAuth, "provider" | "tenancyId" | "region" | "refresh" | "close">;
  /** config.rotation.retry. */
  retry: RetryPolicy;
  /** config.oci.endpointOverride: a simulator base URL; absent = OCI's regional endpoints. */
  endpointOverride?: string | null;
  /** Sleep, random and clock of the retry layer (tests: instant); default the real ones. */
  retryRuntime?: RetryRuntime;
  /** Called before every retry (for logs: operation, attempt, reason, wait). */
  onRetry?: (event: RetryEvent) => void;
  /** Reads in flight when completing a list (GetKey per key, Get* per resource, GetVault per vault); default 8. */
  concurrency?: number;
  /**
   * KMS management writes per second for the whole tenancy, every attempt counted
   * (config.rotation.kmsWritesPerSecond; kms-write-pacer.ts); default 10, OCI's limit; null = not paced.
   */
  kmsWritesPerSecond?: number | null;
  /**
   * `limit` of every list page; default: 1000 for SearchResources and ListCompartments (OCI's
   * documented maximum), OCI's own default for the others (their maxima are not documented).
   */
  pageLimit?: number;
}

/** Builds OciPorts over the real clients. `close()` closes the clients and the auth provider. */
export function createOciPorts(options: CreateOciPortsOptions): OciPorts {
  const { auth } = options;
  const clients = createOciClients(auth.provider, options.endpointOverride);
  const call = createOciCaller({ policy: options.retry, runtime: options.retryRuntime, auth, onRetry: options.onRetry });
  const concurrency = options.concurrency ?? 8;
  const pageLimit = options.pageLimit;
  // One pacer for every vault's management client: OCI's limit is per tenancy.
  const pace = createKmsWritePacer(options.kmsWritesPerSecond === undefined ? 10 : options.kmsWritesPerSecond);
  const getVault = async (vaultId: string): Promise<OciVault> => toOciVault((await call("GetVault", () => clients.vault.getVault({ vaultId }))).value.vault);

  return {
    tenancyId: auth.tenancyId,
    region: auth.region,
    async listCompartmentSubtree(rootId) {
      // Always listed from the tenancy: OCI lists a whole subtree (compartmentIdInSubtree) only
      // there. So the principal needs `inspect compartments in tenancy` even when every other
      // statement is scoped to compartments (iam-policy-grants.ts, compartments-inspect).
      const all = await listAllPages(
        "ListCompartments",
        async (page) => {
          const request: identityRequests.ListCompartmentsRequest = {
            compartmentId: auth.tenancyId, compartmentIdInSubtree: true, accessLevel: identityRequests.ListCompartmentsRequest.AccessLevel.Any,
            lifecycleState: "ACTIVE", limit: pageLimit ?? 1000, page,
          };
          const { value } = await call("ListCompartments", () => clients.identity.listCompartments(request));
          return { items: value.items, nextPage: value.opcNextPage };
        },
        { idOf: (c) => c.id },
      );
      if (rootId !== auth.tenancyId && !all.some((c) => c.id === rootId)) {
        throw new OciCallError("ListCompartments", "not-authorized-or-not-found", `compartment ${rootId} is not an ACTIVE compartment of tenancy ${auth.tenancyId}`, null, null, null, 1);
      }
      const children = new Map<string, string[]>();
      for (const c of all) children.set(c.compartmentId, [...(children.get(c.compartmentId) ?? []), c.id]);
      const out = [rootId];
      for (let i = 0; i < out.length; i++) out.push(...(children.get(out[i]!) ?? []));
      return out;
    },
    async listVaults(compartmentId) {
      const summaries = await listAllPages(
        "ListVaults",
        async (page) => {
          const { value } = await call("ListVaults", () => clients.vault.listVaults({ compartmentId, page, limit: pageLimit }));
          return { items: value.items, nextPage: value.opcNextPage };
        },
        { idOf: (v) => v.id },
      );
      // VaultSummary has no isPrimary: only GetVault tells a replica from its primary.
      return pMap(summaries, (v) => getVault(v.id), { concurrency });
    },
    getVault,
    kms(vault) {
      return createKmsManagementPort(clients.kmsManagement(vault.managementEndpoint), call, concurrency, pageLimit, pace);
    },
    findTaggedResources(selector, findOptions) {
      return findTaggedResources(clients, call, selector, concurrency, pageLimit, findOptions);
    },
    blockVolume: createBlockVolumePort(clients.blockstorage, call, pageLimit),
    objectStorage: createObjectStoragePort(clients.objectstorage, call, pageLimit),
    signals: createSignalsPort(clients, call),
    audit: createAuditPort(clients.audit, call, auth.tenancyId),
    loggingSearch: createLoggingSearchPort(clients.logSearch, call),
    close() {
      clients.close();
      auth.close();
    },
  };
}

/**
 * The composition root's one-liner: credentials for config.oci, then ports with config.rotation.retry,
 * kmsWritesPerSecond and readConcurrency (unless `options` sets them) and config.oci.endpointOverride.
 * @throws what createAuthProvider throws (ValidationError naming the field, env var or file).
 */
export async function createOciPortsFromConfig(
  config: Pick<Config, "oci" | "rotation">,
  options: CreateAuthOptions & Omit<CreateOciPortsOptions, "auth" | "retry" | "endpointOverride"> = {},
): Promise<OciPorts> {
  const auth = await createAuthProvider(config.oci, options);
  return createOciPorts({
    concurrency: config.rotation.readConcurrency, kmsWritesPerSecond: config.rotation.kmsWritesPerSecond,
    ...options, auth, retry: config.rotation.retry, endpointOverride: config.oci.endpointOverride ?? null,
  });
}
