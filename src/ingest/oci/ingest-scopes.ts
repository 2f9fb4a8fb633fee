/**
 * Which compartments audit ingestion reads (issue 5): the roots are `ingest.compartments`, else
 * `scope.compartments` + `scope.vaultCompartments`, else the tenancy. ListEvents reads every
 * compartment of every root's subtree once (it is compartment-scoped, OCI-NOTES §5 item 2);
 * Logging Search reads each root's `_Audit_Include_Subcompartment` once, so a root inside another
 * root's subtree is dropped (it would read the same records twice).
 */
import type { Config } from "../../app/config.js";
import type { OciPorts } from "../../oci/oci-ports.js";

/** The configured roots, deduplicated, in configuration order. */
export function configuredAuditRoots(config: Pick<Config, "ingest" | "scope">, tenancyId: string): string[] {
  if (config.ingest.compartments.length > 0) return [...new Set(config.ingest.compartments)];
  const scoped = [...config.scope.compartments, ...config.scope.vaultCompartments];
  return scoped.length > 0 ? [...new Set(scoped)] : [tenancyId];
}

export interface AuditScopes {
  /** Roots not inside another root's subtree (one Logging Search query each). */
  roots: string[];
  /** Every compartment of the roots' subtrees, each once (one ListEvents scope each). */
  compartments: string[];
}

/**
 * Resolves the roots' subtrees with Identity ListCompartments (ports.listCompartmentSubtree).
 * @throws OciCallError when a subtree cannot be listed: without it the scopes are unknown.
 */
export async function resolveAuditScopes(ports: Pick<OciPorts, "listCompartmentSubtree">, roots: readonly string[]): Promise<AuditScopes> {
  const subtrees = new Map<string, string[]>();
  for (const root of roots) {
    const subtree = await ports.listCompartmentSubtree(root);
    subtrees.set(root, subtree.includes(root) ? subtree : [root, ...subtree]);
  }
  const kept = roots.filter((root) => !roots.some((other) => other !== root && subtrees.get(other)!.includes(root)));
  const compartments = [...new Set(kept.flatMap((root) => subtrees.get(root)!))];
  return { roots: kept, compartments };
}
