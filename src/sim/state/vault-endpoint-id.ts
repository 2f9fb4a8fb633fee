/**
 * The path segment that identifies a vault's management and crypto endpoints. Real endpoints are
 * `https://<vaultPrefix>-management.kms.<region>.oraclecloud.com`; the simulator serves
 * `<url>/kms-mgmt/<vaultPrefix>` and `<url>/kms-crypto/<vaultPrefix>` instead.
 */
import { base32Of } from "./id-generator.js";

/** The vault prefix of a KMS OCID (`ocid1.vault.oc1.iad.<prefix>.<hash>`), or one derived from the id. */
export function vaultEndpointIdOf(vaultId: string): string {
  const parts = vaultId.split(".");
  if (parts.length === 6 && /^[a-z0-9]{6,20}$/.test(parts[4]!)) return parts[4]!;
  return base32Of(`vault-prefix:${vaultId}`, 13);
}
