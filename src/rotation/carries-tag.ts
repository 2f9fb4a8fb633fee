/** Whether a key or resource carries the scope tag (config `scope.tag`, DESIGN §3 "scope"). */
import type { TagSelector } from "../oci/oci-ports.js";

export interface Tagged {
  freeformTags: Record<string, string>;
  definedTags: Record<string, Record<string, unknown>>;
}

/**
 * True when `item` carries the selector's tag with exactly its value. Namespace and key names are
 * compared case-insensitively (OCI tag names are case-insensitive), values exactly.
 */
export function carriesTag(item: Tagged, selector: TagSelector): boolean {
  const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();
  if (selector.namespace === null) {
    return Object.entries(item.freeformTags ?? {}).some(([k, v]) => same(k, selector.key) && v === selector.value);
  }
  return Object.entries(item.definedTags ?? {}).some(
    ([ns, tags]) => same(ns, selector.namespace!) && Object.entries(tags ?? {}).some(([k, v]) => same(k, selector.key) && String(v) === selector.value),
  );
}
