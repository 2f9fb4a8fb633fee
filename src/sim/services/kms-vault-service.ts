/** KMS vault operations (`KmsVaultClient`, OCI-NOTES §2.1): GetVault, ListVaults, GetVaultUsage. */
import { etagOf } from "../http/etag.js";
import { paginate, sortForList } from "../http/paginate.js";
import { requiredQuery } from "../http/query-params.js";
import { vaultJson, vaultSummaryJson } from "../kms/kms-models.js";
import { primaryOf } from "../kms/vault-access.js";
import type { OpContext, SimService } from "../sim-service.js";
import { notFound } from "../sim-error.js";
import type { VaultRecord } from "../state/sim-state.js";

function vaultParam(ctx: OpContext): VaultRecord {
  const vault = ctx.state.vaults.get(ctx.params.vaultId ?? "");
  if (!vault) throw notFound("Vault", ctx.params.vaultId ?? "");
  Object.assign(ctx.audit, { compartmentId: vault.compartmentId, resourceId: vault.id, resourceName: vault.displayName });
  return vault;
}

export const kmsVaultService: SimService = {
  name: "kms-vault",
  basePath: "/kms-vault",
  auditSource: "KeyManagementService",
  operations: [
    {
      name: "GetVault", method: "GET", path: "/20180608/vaults/:vaultId", write: false,
      handle(ctx) {
        const vault = vaultParam(ctx);
        return { body: vaultJson(ctx.runtime, vault), headers: { etag: etagOf(vault) } };
      },
    },
    {
      name: "ListVaults", method: "GET", path: "/20180608/vaults", write: false,
      handle(ctx) {
        const compartmentId = requiredQuery(ctx.query, "compartmentId");
        ctx.audit.compartmentId = compartmentId;
        const vaults = [...ctx.state.vaults.values()].filter((v) => v.compartmentId === compartmentId);
        const page = paginate(ctx, sortForList(ctx, vaults, (v) => v.displayName));
        return { body: page.items.map((v) => vaultSummaryJson(ctx.runtime, v)), headers: page.headers };
      },
    },
    {
      name: "GetVaultUsage", method: "GET", path: "/20180608/vaults/:vaultId/usage", write: false,
      handle(ctx) {
        const primary = primaryOf(ctx.state, vaultParam(ctx));
        const usage = { keyCount: 0, keyVersionCount: 0, softwareKeyCount: 0, softwareKeyVersionCount: 0 };
        const versionCounts = new Map<string, number>();
        for (const v of ctx.state.keyVersions.values()) {
          if (v.vaultId === primary.id && v.lifecycleState !== "DELETED") versionCounts.set(v.keyId, (versionCounts.get(v.keyId) ?? 0) + 1);
        }
        for (const key of ctx.state.keys.values()) {
          if (key.vaultId !== primary.id || key.lifecycleState === "DELETED") continue;
          const versions = versionCounts.get(key.id) ?? 0;
          if (key.protectionMode === "SOFTWARE") {
            usage.softwareKeyCount += 1;
            usage.softwareKeyVersionCount += versions;
          } else {
            usage.keyCount += 1;
            usage.keyVersionCount += versions;
          }
        }
        return { body: usage };
      },
    },
  ],
};
