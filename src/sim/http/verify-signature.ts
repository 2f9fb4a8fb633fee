/**
 * OCI request signature check (draft-cavage HTTP signatures, OCI-NOTES §1.3): the keyId names a
 * seeded user's API key (`tenancy/user/fingerprint`) or carries a resource principal session token
 * (`ST$<RPST>`, checked by auth/resource-principal-token.ts: seeded principal, not expired on the
 * simulator clock; the request is then verified with the token's session key), the signing string
 * is rebuilt from the listed headers, the body hash is checked against the raw body, and the signed
 * date must be within the allowed skew of the SIMULATOR clock. Any failure is 401 NotAuthenticated,
 * as OCI answers it.
 */
import { createHash, verify, type KeyObject } from "node:crypto";
import { verifyResourcePrincipalToken } from "../auth/resource-principal-token.js";
import { SimError } from "../sim-error.js";
import type { UserRecord } from "../state/sim-state.js";

export const DEFAULT_MAX_SKEW_MS = 5 * 60_000;
const GENERIC = "The required information to complete authentication was not provided or was incorrect.";

export interface SignedRequest {
  method: string;
  /** Path and query exactly as sent (the `(request-target)`). */
  target: string;
  /** Header lookup by lower-case name. */
  header(name: string): string | undefined;
  body: Buffer;
  /** The body is not signed (object uploads: the SDK signs PutObject without body headers, as OCI requires). */
  bodyExcluded?: boolean;
}

function fail(detail: string): SimError {
  return new SimError("NotAuthenticated", `${GENERIC} (${detail})`);
}

/** Parses `Signature k="v",...` into its parameters. */
export function parseAuthorization(value: string): Record<string, string> | null {
  const m = /^Signature\s+(.*)$/is.exec(value.trim());
  if (!m) return null;
  const params: Record<string, string> = {};
  for (const part of m[1]!.matchAll(/([a-zA-Z]+)="([^"]*)"/g)) params[part[1]!] = part[2]!;
  return params;
}

/**
 * Returns the user whose key signed the request, or throws 401 NotAuthenticated.
 * @param nowMs simulator time; `maxSkewMs` = Infinity turns the skew check off.
 */
export function verifySignature(
  req: SignedRequest,
  users: ReadonlyMap<string, UserRecord>,
  nowMs: number,
  maxSkewMs = DEFAULT_MAX_SKEW_MS,
): UserRecord {
  const authorization = req.header("authorization");
  if (!authorization) throw fail("no Authorization header");
  const p = parseAuthorization(authorization);
  if (!p || !p.keyId || !p.signature || !p.headers) throw fail("malformed Authorization header");
  if (p.algorithm && p.algorithm !== "rsa-sha256") throw fail(`unsupported algorithm ${p.algorithm}`);
  let user: UserRecord | undefined;
  let signingKey: KeyObject;
  if (p.keyId.startsWith("ST$")) {
    const session = verifyResourcePrincipalToken(p.keyId.slice(3), users, nowMs);
    if (typeof session === "string") throw fail(session);
    user = session.principal;
    signingKey = session.sessionKey;
  } else {
    user = users.get(p.keyId);
    if (!user) throw fail(`unknown keyId ${p.keyId}`);
    signingKey = user.publicKey;
  }

  const names = p.headers.split(/\s+/).filter(Boolean).map((h) => h.toLowerCase());
  const method = req.method.toUpperCase();
  const required = ["(request-target)", "host"];
  if ((method === "POST" || method === "PUT" || method === "PATCH") && !req.bodyExcluded) required.push("content-length", "x-content-sha256");
  for (const name of required) if (!names.includes(name)) throw fail(`header ${name} is not signed`);
  const dateHeader = names.includes("x-date") ? "x-date" : names.includes("date") ? "date" : null;
  if (!dateHeader) throw fail("neither x-date nor date is signed");

  const lines: string[] = [];
  for (const name of names) {
    if (name === "(request-target)") {
      lines.push(`(request-target): ${req.method.toLowerCase()} ${req.target}`);
      continue;
    }
    const value = req.header(name);
    if (value === undefined) throw fail(`signed header ${name} is missing`);
    lines.push(`${name}: ${value}`);
  }
  const ok = verify("sha256", Buffer.from(lines.join("\n")), signingKey, Buffer.from(p.signature, "base64"));
  if (!ok) throw fail("signature does not verify");

  if (names.includes("x-content-sha256")) {
    const sent = req.header("x-content-sha256");
    const actual = createHash("sha256").update(req.body).digest("base64");
    if (sent !== actual) throw fail("x-content-sha256 does not match the body");
    if (Number(req.header("content-length") ?? "0") !== req.body.length) throw fail("content-length does not match the body");
  }

  const signedAt = Date.parse(req.header(dateHeader)!);
  if (!Number.isFinite(signedAt)) throw fail(`${dateHeader} is not an HTTP date`);
  if (Math.abs(signedAt - nowMs) > maxSkewMs) {
    throw fail(`${dateHeader} ${req.header(dateHeader)} is more than ${Math.round(maxSkewMs / 60_000)} minutes from the server clock ${new Date(nowMs).toUTCString()}`);
  }
  return user;
}
