/**
 * The HTTP client every oci-* client of keyproof is built with (the SDK's documented
 * `params.httpClient`). It signs like the SDK's FetchHttpClient (oci-common/lib/http.js) and then
 * sends with Node's fetch, with two additions the retry layer needs and the SDK does not give:
 * - the per-attempt AbortSignal of the current attempt, so a hung request really ends (and its
 *   socket closes) when the attempt times out;
 * - the response status and headers of the attempt (Retry-After, opc-request-id,
 *   opc-work-request-id): an OciError carries none of the headers.
 * The attempt is found through AsyncLocalStorage, set by {@link runAttempt} around one SDK call
 * (one SDK call = one HTTP request, as the SDK's own retries are off). No circuit breaker is
 * involved: FetchHttpClient is where the SDK's breaker lives, and it is not used.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { createRequire } from "node:module";
import type * as common from "oci-common";

/** What one attempt saw, filled in by {@link ObservedHttpClient}. */
export interface AttemptObservation {
  /** Aborts the HTTP request of this attempt (per-attempt timeout). */
  readonly signal: AbortSignal;
  status: number | null;
  headers: Headers | null;
  /** The error fetch threw (connection reset, refused, aborted), if any. */
  networkError: unknown;
  /** The error signing threw (a token or key that cannot be read): nothing was sent. */
  signingError?: unknown;
  /** HTTP requests sent in this attempt (1 normally). */
  requests: number;
}

const storage = new AsyncLocalStorage<AttemptObservation>();

/** Runs `fn` (one SDK call) with `observation` as the current attempt. */
export function runAttempt<T>(observation: AttemptObservation, fn: () => Promise<T>): Promise<T> {
  return storage.run(observation, fn);
}

// getSignerAndReqBody is not re-exported from oci-common's index; it is how FetchHttpClient
// prepares the body it signs and the body it sends (streams are duplicated).
const helper = createRequire(import.meta.url)("oci-common/lib/helper.js") as {
  getSignerAndReqBody(body: unknown, forceExcludeBody: boolean): { signerBody: unknown; requestBody: unknown };
};

/** A common.HttpClient that signs, sends with the current attempt's signal and records the response. */
export class ObservedHttpClient implements common.HttpClient {
  constructor(private readonly signer: common.RequestSigner) {}

  async send(req: common.HttpRequest, forceExcludeBody = false): Promise<Response> {
    const attempt = storage.getStore();
    const body = helper.getSignerAndReqBody(req.body, forceExcludeBody);
    try {
      await this.signer.signHttpRequest({ method: req.method, headers: req.headers, uri: req.uri, body: body.signerBody }, forceExcludeBody);
    } catch (error) {
      if (attempt) attempt.signingError = error;
      throw error;
    }
    const init: RequestInit & { duplex?: "half" } = { method: req.method, headers: req.headers, body: body.requestBody as RequestInit["body"] };
    if (body.requestBody !== undefined && typeof body.requestBody !== "string" && !(body.requestBody instanceof Uint8Array)) init.duplex = "half";
    if (attempt) {
      init.signal = attempt.signal;
      attempt.requests += 1;
    }
    try {
      const response = await fetch(req.uri, init);
      if (attempt) {
        attempt.status = response.status;
        attempt.headers = response.headers;
      }
      return response;
    } catch (error) {
      if (attempt) attempt.networkError = error;
      throw error;
    }
  }
}
