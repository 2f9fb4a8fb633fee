/**
 * Resource principal session tokens (RPST) for the simulator. An OCI Function signs its requests
 * with a session key and keyId `ST$<RPST>`; the RPST is a JWT whose claims the SDK reads
 * (`res_tenant`, `res_compartment`, `exp`: oci-common security-token-adapter.js and
 * resource-principal-authentication-details-provider.js) and whose `jwk` claim carries the session
 * public key the request signature is checked with (as OCI's security tokens do, a JSON string).
 *
 * Simulator model (not OCI's): the principal is a seeded `users` entry (it can stand for a function
 * or any resource: its id becomes `sub`/`res_id`, its allow lists apply), and that principal's API
 * key plays the part of OCI's token issuer: tokens are RS256-signed with its private key and checked
 * with its seeded public key. So only a token minted for a seeded principal verifies, and the
 * simulator keeps no extra state. Expiry is checked on the SIMULATOR clock.
 */
import { createPublicKey, randomUUID, type JsonWebKey, type KeyObject } from "node:crypto";
import jwt from "jsonwebtoken";
import type { UserRecord } from "../state/sim-state.js";

/** Default lifetime of a minted token (OCI does not document the RPST lifetime; assumed). */
export const DEFAULT_RPST_TTL_MS = 20 * 60_000;

export interface MintResourcePrincipalTokenInput {
  /** The seeded principal (a `users` entry) the token is for. */
  principalId: string;
  /** That principal's API private key (PEM): the simulated token issuer. */
  principalPrivateKeyPem: string;
  tenancyId: string;
  /** The resource's compartment (`res_compartment`). */
  compartmentId: string;
  /** SPKI PEM of the session key pair the SDK will sign requests with (OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM). */
  sessionPublicKeyPem: string;
  /** Simulator time of issue, epoch ms (`sim.clock.now().getTime()`). */
  issuedAtMs: number;
  /** Lifetime, ms (default {@link DEFAULT_RPST_TTL_MS}). */
  ttlMs?: number;
  /** `res_type` (default `fnfunc`, an OCI Function). */
  resourceType?: string;
}

/** Mints an RPST (a compact JWT) as OCI's auth service would hand it to a function. */
export function mintResourcePrincipalToken(input: MintResourcePrincipalTokenInput): string {
  const jwk = createPublicKey(input.sessionPublicKeyPem).export({ format: "jwk" });
  const iat = Math.floor(input.issuedAtMs / 1000);
  const payload = {
    sub: input.principalId, res_id: input.principalId, res_type: input.resourceType ?? "fnfunc",
    res_tenant: input.tenancyId, res_compartment: input.compartmentId, "opc-tenant": input.tenancyId,
    ptype: "resource", ttype: "res", iss: "authService.oracle.com", aud: "oci", jti: randomUUID(),
    iat, exp: iat + Math.max(1, Math.floor((input.ttlMs ?? DEFAULT_RPST_TTL_MS) / 1000)),
    jwk: JSON.stringify({ kid: "session", kty: jwk.kty, n: jwk.n, e: jwk.e, alg: "RS256", use: "sig" }),
  };
  return jwt.sign(payload, input.principalPrivateKeyPem, { algorithm: "RS256", noTimestamp: true });
}

/** A verified token: who it is for and the session key that must have signed the request. */
export interface VerifiedSessionToken {
  principal: UserRecord;
  sessionKey: KeyObject;
}

/**
 * Checks an RPST against the seeded principals at simulator time `nowMs`.
 * @returns the principal and session key, or a reason (for the 401 message) when the token is
 *   malformed, names no seeded principal of this tenancy, was not signed by that principal's key, or expired.
 */
export function verifyResourcePrincipalToken(token: string, users: ReadonlyMap<string, UserRecord>, nowMs: number): VerifiedSessionToken | string {
  const decoded = jwt.decode(token, { json: true });
  if (!decoded || typeof decoded.sub !== "string") return "the session token is not a JWT with a sub claim";
  const principal = [...users.values()].find((u) => u.id === decoded.sub);
  if (!principal) return `the session token names no known principal (${decoded.sub})`;
  let claims: jwt.JwtPayload;
  try {
    claims = jwt.verify(token, principal.publicKey, { algorithms: ["RS256"], clockTimestamp: Math.floor(nowMs / 1000), json: true } as jwt.VerifyOptions & { complete?: false }) as jwt.JwtPayload;
  } catch (error) {
    if (error instanceof jwt.TokenExpiredError) {
      return `the session token expired at ${error.expiredAt.toISOString()} (simulator clock ${new Date(nowMs).toISOString()})`;
    }
    return `the session token was not issued for ${principal.name} (${(error as Error).message})`;
  }
  if (typeof claims.exp !== "number") return "the session token has no exp claim";
  const tenancyId = principal.keyId.split("/")[0];
  if (claims.res_tenant !== tenancyId) return `the session token is for another tenancy (${String(claims.res_tenant)})`;
  try {
    const jwk = (typeof claims.jwk === "string" ? JSON.parse(claims.jwk) : claims.jwk) as JsonWebKey;
    return { principal, sessionKey: createPublicKey({ key: jwk, format: "jwk" }) };
  } catch {
    return "the session token has no usable jwk claim";
  }
}
