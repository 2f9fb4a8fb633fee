/**
 * The oci-sdk clients keyproof uses, built one way (OCI-NOTES §1.1, §1.4):
 * - signed with the one auth provider (create-auth-provider.ts) by one signer that parses the key
 *   once (key-object-request-signer.ts), sent through {@link ObservedHttpClient} (per-attempt
 *   abort, response headers for the retry layer);
 * - the SDK's retries off explicitly (`NoRetryConfigurationDetails`: one attempt, whatever the
 *   operation's default; Object Storage and Resource Search would otherwise retry 8 times) and its
 *   circuit breaker off (`disableClientCircuitBreaker`): with-retry.ts is the one retry layer;
 * - endpoints: the region's (from the provider) unless `endpointOverride` (a simulator base URL)
 *   is given, then `${override}/<prefix>` with the simulator's prefixes, set after the region
 *   (setting a region later would silently replace it). Monitoring PostMetricData goes to the
 *   telemetry-ingestion host OCI requires. KMS management clients always use the vault's own
 *   managementEndpoint (from GetVault), as OCI requires.
 */
import { AuditClient } from "oci-audit";
import * as common from "oci-common";
import { BlockstorageClient } from "oci-core";
import { IdentityClient } from "oci-identity";
import { KmsManagementClient, KmsVaultClient } from "oci-keymanagement";
import { LogSearchClient } from "oci-loggingsearch";
import { MonitoringClient } from "oci-monitoring";
import { ObjectStorageClient } from "oci-objectstorage";
import { NotificationDataPlaneClient } from "oci-ons";
import { ResourceSearchClient } from "oci-resourcesearch";
import { createRequestSigner } from "./key-object-request-signer.js";
import { muteSdkRetryWarnings } from "./mute-sdk-retry-warnings.js";
import { ObservedHttpClient } from "./observed-http-client.js";

export interface OciClients {
  vault: KmsVaultClient;
  identity: IdentityClient;
  search: ResourceSearchClient;
  blockstorage: BlockstorageClient;
  objectstorage: ObjectStorageClient;
  monitoring: MonitoringClient;
  ons: NotificationDataPlaneClient;
  audit: AuditClient;
  logSearch: LogSearchClient;
  /** A KMS management client for a vault's managementEndpoint (one per endpoint, reused). */
  kmsManagement(managementEndpoint: string): KmsManagementClient;
  close(): void;
}

/** The simulator's path prefix per client (src/sim/start-simulator.ts PREFIXES). */
export const SIM_PREFIXES = {
  vault: "kms-vault", identity: "identity", search: "search", blockstorage: "blockstorage",
  objectstorage: "objectstorage", monitoring: "monitoring", ons: "ons", audit: "audit", logSearch: "logging",
} as const;

type Closeable = { close(): void; endpoint: string };

/**
 * Builds every client for `provider`.
 * @param endpointOverride simulator base URL (`http://127.0.0.1:9000`); undefined = real OCI endpoints.
 */
export function createOciClients(provider: common.AuthenticationDetailsProvider, endpointOverride?: string | null): OciClients {
  muteSdkRetryWarnings();
  const base = endpointOverride ? endpointOverride.replace(/\/+$/, "") : null;
  const all: Closeable[] = [];
  // The typings allow one of the two, the clients use both: the provider for the region (and
  // closeProvider), the httpClient for sending.
  // One signer for every client: it keeps the parsed private key (key-object-request-signer.ts).
  const signer = createRequestSigner(provider);
  const params = () => ({ authenticationDetailsProvider: provider, httpClient: new ObservedHttpClient(signer) }) as unknown as common.AuthParams;
  const configuration = (): common.ClientConfiguration => ({
    retryConfiguration: common.NoRetryConfigurationDetails,
    circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }),
  });
  function make<C extends Closeable>(Client: new (p: common.AuthParams, c?: common.ClientConfiguration) => C, prefix: string | null): C {
    const client = new Client(params(), configuration());
    if (base && prefix) client.endpoint = `${base}/${prefix}`;
    all.push(client);
    return client;
  }
  const monitoring = make(MonitoringClient, SIM_PREFIXES.monitoring);
  if (!base && common.isRegionProvider(provider)) {
    // PostMetricData is only served by telemetry-ingestion.{region} (oci-monitoring client.d.ts).
    // The client's own template is https://telemetry.{region}.{secondLevelDomain} (oci-monitoring client.js).
    monitoring.endpoint = common.EndpointBuilder.createEndpointFromRegion("https://telemetry-ingestion.{region}.{secondLevelDomain}", provider.getRegion(), "");
  }
  const management = new Map<string, KmsManagementClient>();
  return {
    vault: make(KmsVaultClient, SIM_PREFIXES.vault),
    identity: make(IdentityClient, SIM_PREFIXES.identity),
    search: make(ResourceSearchClient, SIM_PREFIXES.search),
    blockstorage: make(BlockstorageClient, SIM_PREFIXES.blockstorage),
    objectstorage: make(ObjectStorageClient, SIM_PREFIXES.objectstorage),
    monitoring,
    ons: make(NotificationDataPlaneClient, SIM_PREFIXES.ons),
    audit: make(AuditClient, SIM_PREFIXES.audit),
    logSearch: make(LogSearchClient, SIM_PREFIXES.logSearch),
    kmsManagement(managementEndpoint) {
      let client = management.get(managementEndpoint);
      if (!client) {
        client = make(KmsManagementClient, null);
        client.endpoint = managementEndpoint;
        management.set(managementEndpoint, client);
      }
      return client;
    },
    close() {
      for (const client of all) client.close();
    },
  };
}
