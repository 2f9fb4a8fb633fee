/**
 * Resource principal auth as in an OCI Function (OCI SDK convention, version 2.2), read from an
 * explicit environment instead of process.env so it can be configured and tested like the rest of
 * the config. The variables are the SDK's (oci-common
 * resource-principal-authentication-details-provider.js):
 * - OCI_RESOURCE_PRINCIPAL_VERSION = 2.2
 * - OCI_RESOURCE_PRINCIPAL_RPST: an absolute path to the session token file (re-read on refresh),
 *   or the token itself (cannot be refreshed: short-lived processes only)
 * - OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM: an absolute path to the session private key (re-read on
 *   refresh) or the PEM itself; OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE: its passphrase
 *   (path or value, the same kind as the key)
 * - OCI_RESOURCE_PRINCIPAL_REGION: region id or short code (`us-ashburn-1`, `iad`)
 * The provider is the SDK's ResourcePrincipalAuthenticationDetailsProvider built from the SDK's own
 * key suppliers and federation clients, exactly as its v2.2 builder does.
 */
import { createRequire } from "node:module";
import path from "node:path";
import * as common from "oci-common";
import type * as FileKeyModule from "oci-common/lib/auth/file-based-key-supplier.js";
import type * as FixedKeyModule from "oci-common/lib/auth/fixed-content-key-supplier.js";
import type * as FileTokenModule from "oci-common/lib/auth/file-based-resource-principal-federation-client.js";
import type * as FixedTokenModule from "oci-common/lib/auth/fixed-content-resource-principal-federation-client.js";
import { REGION_ID } from "../app/config.js";
import { ValidationError } from "../app/errors.js";

// The SDK's own suppliers and clients, which its builder uses but oci-common's index does not
// export. `.default` is the class: these are CommonJS modules compiled from `export default`.
const require = createRequire(import.meta.url);
const sdk = {
  FileBasedKeySupplier: (require("oci-common/lib/auth/file-based-key-supplier.js") as typeof FileKeyModule.default).default,
  FixedContentKeySupplier: (require("oci-common/lib/auth/fixed-content-key-supplier.js") as typeof FixedKeyModule.default).default,
  FileTokenClient: (require("oci-common/lib/auth/file-based-resource-principal-federation-client.js") as typeof FileTokenModule.default).default,
  FixedTokenClient: (require("oci-common/lib/auth/fixed-content-resource-principal-federation-client.js") as typeof FixedTokenModule.default).default,
};

export const RP_ENV = {
  version: "OCI_RESOURCE_PRINCIPAL_VERSION",
  rpst: "OCI_RESOURCE_PRINCIPAL_RPST",
  privatePem: "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM",
  passphrase: "OCI_RESOURCE_PRINCIPAL_PRIVATE_PEM_PASSPHRASE",
  region: "OCI_RESOURCE_PRINCIPAL_REGION",
} as const;

export interface ResourcePrincipal {
  provider: common.ResourcePrincipalAuthenticationDetailsProvider;
  /** The token's `res_tenant` claim. */
  tenancyId: string;
  /** The token's `res_compartment` claim (the function's compartment), when present. */
  compartmentId: string | null;
  region: common.Region;
}

function required(env: Record<string, string | undefined>, name: string): string {
  const value = env[name]?.trim();
  if (!value) throw new ValidationError(`${name} is not set: oci.authMode resource-principal reads the OCI Functions environment (${Object.values(RP_ENV).join(", ")})`);
  return value;
}

/** An error message with its OS code but never the content it was reading. */
function reason(error: unknown): string {
  const code = (error as { code?: string } | null)?.code;
  return code ? code : "unreadable or not a private key";
}

/**
 * Region from an id or a short code; an id unknown to this SDK version is registered in realm OC1,
 * as the SDK's config reader does. Ids of two or more words are accepted (`us-gov-ashburn-1`).
 * @throws ValidationError naming `field` when the value is neither.
 */
export function regionFrom(value: string, field: string): common.Region {
  const id = common.Region.getRegionIdFromShortCode(value.trim().toLowerCase());
  if (!REGION_ID.test(id)) throw new ValidationError(`${field}: ${JSON.stringify(value)} is not a region id or short code`);
  return common.Region.fromRegionId(id) ?? common.Region.register(id, common.Realm.OC1);
}

/**
 * Builds the resource principal provider from `env` and reads the token's tenancy claim.
 * @throws ValidationError naming the variable (and the file, for paths) that is missing or unreadable;
 *   never includes the token or key material.
 */
export async function createResourcePrincipal(env: Record<string, string | undefined>): Promise<ResourcePrincipal> {
  const version = required(env, RP_ENV.version);
  if (version !== "2.2") throw new ValidationError(`${RP_ENV.version}: ${JSON.stringify(version)} is not supported (expected 2.2)`);
  const rpst = required(env, RP_ENV.rpst);
  const pem = required(env, RP_ENV.privatePem);
  const region = regionFrom(required(env, RP_ENV.region), RP_ENV.region);
  const passphrase = env[RP_ENV.passphrase]?.trim() || undefined;

  let keys: InstanceType<typeof sdk.FileBasedKeySupplier> | InstanceType<typeof sdk.FixedContentKeySupplier>;
  if (path.isAbsolute(pem)) {
    if (passphrase && !path.isAbsolute(passphrase)) {
      throw new ValidationError(`${RP_ENV.passphrase}: must be a file path too when ${RP_ENV.privatePem} is a path (the SDK does not mix paths and values)`);
    }
    try {
      keys = new sdk.FileBasedKeySupplier(pem, passphrase);
    } catch (error) {
      throw new ValidationError(`${RP_ENV.privatePem}: the private key file ${pem} cannot be read (${reason((error as { cause?: unknown }).cause ?? error)})`);
    }
  } else {
    if (!pem.includes("PRIVATE KEY")) throw new ValidationError(`${RP_ENV.privatePem}: neither an absolute file path nor a PEM private key`);
    try {
      keys = new sdk.FixedContentKeySupplier(pem, passphrase);
    } catch {
      throw new ValidationError(`${RP_ENV.privatePem}: the PEM private key cannot be parsed${passphrase ? ` with ${RP_ENV.passphrase}` : ""}`);
    }
  }
  const tokens = path.isAbsolute(rpst) ? new sdk.FileTokenClient(keys, rpst) : new sdk.FixedTokenClient(rpst, keys);
  const provider = new common.ResourcePrincipalAuthenticationDetailsProvider(tokens, keys, region);
  const where = path.isAbsolute(rpst) ? `the token file ${rpst}` : "the token";
  let tenancyId: string | null;
  let compartmentId: string | null;
  try {
    tenancyId = await provider.getStringClaim(common.ResourcePrincipalAuthenticationDetailsProvider.ClaimKeys.TENANT_ID_CLAIM_KEY);
    compartmentId = await provider.getStringClaim(common.ResourcePrincipalAuthenticationDetailsProvider.ClaimKeys.COMPARTMENT_ID_CLAIM_KEY);
  } catch {
    throw new ValidationError(`${RP_ENV.rpst}: ${where} cannot be read`);
  }
  if (!tenancyId) throw new ValidationError(`${RP_ENV.rpst}: ${where} is not a resource principal session token (no res_tenant claim)`);
  return { provider, tenancyId, compartmentId, region };
}
