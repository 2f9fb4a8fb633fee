/**
 * `opc-retry-token` idempotency (OCI-NOTES §1.5): a successful write is remembered for 24 hours of
 * simulator time under (tenancy, operation, token). The same token with the same request replays
 * the stored response without doing the work again; the same token with a different request is
 * 409 Conflict. Failed writes are not remembered, so a retry can succeed.
 */
import { createHash } from "node:crypto";
import { SimError } from "../sim-error.js";

export const RETRY_TOKEN_TTL_MS = 24 * 3_600_000;

export interface StoredResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

interface Entry {
  fingerprint: string;
  expiresAt: number;
  response: StoredResponse;
}

export class RetryTokenCache {
  private readonly entries = new Map<string, Entry>();

  private static fingerprint(method: string, path: string, body: Buffer): string {
    return createHash("sha256").update(`${method} ${path}\n`).update(body).digest("hex");
  }

  /** The stored response for this token, or null; throws 409 Conflict when the token was used for another request. */
  lookup(scope: string, token: string, method: string, path: string, body: Buffer, nowMs: number): StoredResponse | null {
    const key = `${scope}|${token}`;
    const entry = this.entries.get(key);
    if (!entry) return null;
    if (entry.expiresAt <= nowMs) {
      this.entries.delete(key);
      return null;
    }
    if (entry.fingerprint !== RetryTokenCache.fingerprint(method, path, body)) {
      throw new SimError("Conflict", `The opc-retry-token ${token} was already used for a different request within 24 hours`);
    }
    return entry.response;
  }

  store(scope: string, token: string, method: string, path: string, body: Buffer, nowMs: number, response: StoredResponse): void {
    this.entries.set(`${scope}|${token}`, {
      fingerprint: RetryTokenCache.fingerprint(method, path, body),
      expiresAt: nowMs + RETRY_TOKEN_TTL_MS,
      response,
    });
  }
}
