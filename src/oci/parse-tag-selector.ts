/**
 * The scope tag (config scope.tag, DESIGN §3 "scope") and the Resource Search query built from it.
 * OCI tag keys and namespaces cannot contain periods or spaces, so a period marks a defined tag.
 */
import { ValidationError } from "../app/errors.js";
import type { ResourceKind, TagSelector } from "./oci-ports.js";

/**
 * `backup-encryption=enabled` → freeform `{namespace: null, key, value}`;
 * `Backup.encryption=enabled` → defined `{namespace: "Backup", key: "encryption", value}`.
 * @throws ValidationError (field scope.tag) for anything else.
 */
export function parseTagSelector(text: string): TagSelector {
  const m = /^([^=\s]+)=([^=]*)$/.exec(text.trim());
  const parts = m ? m[1]!.split(".") : [];
  if (!m || parts.length > 2 || parts.some((p) => p === "")) {
    throw new ValidationError(`scope.tag: expected key=value or namespace.key=value, got ${JSON.stringify(text)}`);
  }
  return parts.length === 2 ? { namespace: parts[0]!, key: parts[1]!, value: m[2]! } : { namespace: null, key: parts[0]!, value: m[2]! };
}

const quote = (s: string) => `'${s.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;

/** The tag condition of a structured query (OCI "Search Language Syntax", tag filters). */
export function tagCondition(selector: TagSelector): string {
  return selector.namespace === null
    ? `(freeformTags.key = ${quote(selector.key)} && freeformTags.value = ${quote(selector.value)})`
    : `(definedTags.namespace = ${quote(selector.namespace)} && definedTags.key = ${quote(selector.key)} && definedTags.value = ${quote(selector.value)})`;
}

/** `query volume, bootvolume, ... resources where (<tag>) && lifecycleState != 'TERMINATED'`. */
export function taggedResourcesQuery(selector: TagSelector, kinds: readonly ResourceKind[]): string {
  return `query ${kinds.join(", ")} resources where ${tagCondition(selector)} && lifecycleState != 'TERMINATED'`;
}
