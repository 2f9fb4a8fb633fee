/** An Object Storage client for a simulator suite (shared by the objectstorage-* tests). */
import * as common from "oci-common";
import { ObjectStorageClient } from "oci-objectstorage";
import type { SimSuite } from "../helpers/sim.js";

/** No retries unless a test asks: the SDK's default for Object Storage is 8 attempts with backoff (OCI-NOTES §1.4). */
export const NO_RETRY: common.RetryConfiguration = { terminationStrategy: new common.MaxAttemptsTerminationStrategy(1) };

export function objectStorageClient(suite: SimSuite, retryConfiguration: common.RetryConfiguration = NO_RETRY): ObjectStorageClient {
  const client = new ObjectStorageClient(
    { authenticationDetailsProvider: suite.provider },
    { circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }), retryConfiguration },
  );
  client.endpoint = suite.sim.endpoints.objectstorage;
  return client;
}
