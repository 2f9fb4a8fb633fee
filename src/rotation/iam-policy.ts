/**
 * Least-privilege OCI IAM policy for keyproof (issue 4 §7, `keyproof iam-policy`): statements for
 * the rotator's dynamic group and for a read-only auditor group, scoped to the configured
 * compartments (`config.scope.compartments`; the tenancy when empty), vault and key statements
 * also in `config.scope.vaultCompartments` (the tenancy when empty: vaults are then looked up
 * tenancy-wide), `inspect compartments` in the tenancy (ListCompartments is called there), built
 * from the mapping in `iam-policy-grants.ts`, with the API operations each statement allows. Pure.
 */
import type { Config } from "../app/config.js";
import { ValidationError } from "../app/errors.js";
import { AUDITOR_GRANTS, ROTATOR_GRANTS, type PolicyGrant } from "./iam-policy-grants.js";
import { parseTagSelector } from "../oci/parse-tag-selector.js";

export const DEFAULT_DYNAMIC_GROUP = "keyproof-rotator";
export const DEFAULT_AUDITOR_GROUP = "keyproof-auditors";

const TAGGING = "https://docs.oracle.com/iaas/Content/Tagging/Tasks/managingtagsandtagnamespaces.htm";

export interface IamPolicyOptions {
  /** Dynamic group of the rotator (instances or functions running keyproof). Default keyproof-rotator. */
  dynamicGroup?: string;
  /** Group of read-only auditors. Default keyproof-auditors. */
  auditorGroup?: string;
  /** Compartment of `signals.topicId` (the topic OCID does not say); default: the scope's locations. */
  topicCompartmentId?: string;
}

export interface PolicyStatement {
  /** The grant row it comes from (iam-policy-grants.ts). */
  grantId: string;
  /** `Allow <subject> to <verb> <resource-type> in <location> [where <condition>]`. */
  text: string;
  /** API operations the statement allows keyproof to call (fully covered by it). */
  operations: readonly string[];
  reason: string;
  source: string;
  caveat: string | null;
}

export interface PrincipalPolicy {
  /** `dynamic-group <name>` or `group <name>`. */
  subject: string;
  statements: PolicyStatement[];
  /** Operations that need no statement (Resource Search), with why. */
  statementFree: { operations: readonly string[]; reason: string; source: string }[];
  /** Every operation the principal may call with these statements, sorted. */
  operations: string[];
  /** Grants left out because their feature is not configured, and other remarks. */
  notes: string[];
}

export interface IamPolicy {
  /** The `in ...` locations of the scope, e.g. `compartment id ocid1.compartment...` or `tenancy`. */
  scopeLocations: string[];
  /** The `in ...` locations of the vault and key statements: the scope and the vault compartments. */
  keyLocations: string[];
  rotator: PrincipalPolicy;
  auditor: PrincipalPolicy;
}

// OCI group and dynamic-group names: letters, digits, `.`, `_`, `-`; with identity domains
// `'Domain'/'name'` or `Domain/name`.
const PRINCIPAL_NAME = /^(('[A-Za-z0-9._ -]+'|[A-Za-z0-9._-]+)\/)?('[A-Za-z0-9._ -]+'|[A-Za-z0-9._-]+)$/;
const COMPARTMENT_OCID = /^ocid1\.(compartment|tenancy)\.[a-z0-9.-]+\.[a-z0-9-]*\.[a-z0-9.]+$/;

function location(ocid: string): string {
  return ocid.startsWith("ocid1.tenancy.") ? "tenancy" : `compartment id ${ocid}`;
}

function checkName(name: string, flag: string): string {
  if (!PRINCIPAL_NAME.test(name)) throw new ValidationError(`iam-policy: ${flag} must be a group name (letters, digits, . _ -), got ${JSON.stringify(name)}`);
  return name;
}

type PolicyConfig = Pick<Config, "scope" | "signals" | "oci"> & { ingest?: Pick<Config["ingest"], "exportBucket" | "archiveBucket"> };

/**
 * The scope's locations plus those of `scope.vaultCompartments` not among them; just the tenancy
 * when either is the tenancy (an empty vaultCompartments is: collect-inventory.ts looks up vaults
 * tenancy-wide then).
 */
function keyLocationsFor(config: PolicyConfig, scope: string[]): string[] {
  const vaults = config.scope.vaultCompartments.length ? config.scope.vaultCompartments.map(location) : ["tenancy"];
  const all = [...new Set([...scope, ...vaults])];
  return all.includes("tenancy") ? ["tenancy"] : all;
}

function locationsFor(grant: PolicyGrant, config: PolicyConfig, scope: string[], topicCompartmentId: string | undefined): string[] {
  switch (grant.location) {
    case "scope":
      return scope;
    case "key-compartments":
      return keyLocationsFor(config, scope);
    case "tenancy":
      return ["tenancy"];
    case "metrics-compartment":
      return config.signals.metricsCompartmentId ? [location(config.signals.metricsCompartmentId)] : [];
    case "topic-compartment":
      return topicCompartmentId ? [location(topicCompartmentId)] : scope;
  }
}

function enabled(grant: PolicyGrant, config: PolicyConfig): boolean {
  if (grant.when === "metrics-configured") return Boolean(config.signals.metricsCompartmentId);
  if (grant.when === "topic-configured") return Boolean(config.signals.topicId);
  if (grant.when === "export-bucket-configured") return Boolean(config.ingest?.exportBucket);
  if (grant.when === "archive-configured") return Boolean(config.ingest?.archiveBucket);
  return true;
}

const WHEN_SETTING: Record<Exclude<PolicyGrant["when"], "always">, string> = {
  "metrics-configured": "signals.metricsCompartmentId",
  "topic-configured": "signals.topicId",
  "export-bucket-configured": "ingest.exportBucket",
  "archive-configured": "ingest.archiveBucket",
};

function principalPolicy(subject: string, grants: readonly PolicyGrant[], config: PolicyConfig, scope: string[], topicCompartmentId: string | undefined): PrincipalPolicy {
  const statements: PolicyStatement[] = [];
  const statementFree: PrincipalPolicy["statementFree"] = [];
  const notes: string[] = [];
  for (const grant of grants) {
    if (!enabled(grant, config)) {
      notes.push(`${grant.resourceType} (${grant.operations.join(", ")}) left out: ${WHEN_SETTING[grant.when as keyof typeof WHEN_SETTING]} is not configured.`);
      continue;
    }
    if (grant.verb === null || grant.resourceType === null) {
      statementFree.push({ operations: grant.operations, reason: grant.reason, source: grant.source });
      continue;
    }
    for (const where of locationsFor(grant, config, scope, topicCompartmentId)) {
      const text = `Allow ${subject} to ${grant.verb} ${grant.resourceType} in ${where}${grant.condition ? ` where ${grant.condition}` : ""}`;
      // Two grants can need the same statement (read objects for the export and the archive bucket): one statement, both uses.
      const same = statements.find((st) => st.text === text);
      if (same) {
        same.operations = [...new Set([...same.operations, ...grant.operations])];
        same.reason = `${same.reason} ${grant.reason}`;
        continue;
      }
      statements.push({ grantId: grant.id, text, operations: grant.operations, reason: grant.reason, source: grant.source, caveat: grant.caveat });
    }
  }
  const operations = [...new Set([...statements.flatMap((s) => s.operations), ...statementFree.flatMap((s) => s.operations)])].sort();
  return { subject, statements, statementFree, operations, notes };
}

/**
 * The policy for `config` (scope compartments, signals, scope tag, auth mode).
 * @throws ValidationError on a bad group name or topic compartment OCID.
 */
export function buildIamPolicy(config: PolicyConfig, options: IamPolicyOptions = {}): IamPolicy {
  const dynamicGroup = checkName(options.dynamicGroup ?? DEFAULT_DYNAMIC_GROUP, "--dynamic-group");
  const auditorGroup = checkName(options.auditorGroup ?? DEFAULT_AUDITOR_GROUP, "--auditor-group");
  if (options.topicCompartmentId !== undefined && !COMPARTMENT_OCID.test(options.topicCompartmentId)) {
    throw new ValidationError(`iam-policy: --topic-compartment must be a compartment or tenancy OCID, got ${JSON.stringify(options.topicCompartmentId)}`);
  }
  const scope = config.scope.compartments.length ? [...new Set(config.scope.compartments)].map(location) : ["tenancy"];
  const rotator = principalPolicy(`dynamic-group ${dynamicGroup}`, ROTATOR_GRANTS, config, scope, options.topicCompartmentId);
  const auditor = principalPolicy(`group ${auditorGroup}`, AUDITOR_GRANTS, config, scope, options.topicCompartmentId);

  // A successor key copies its predecessor's tags (DESIGN §3); CreateKey with defined tags needs
  // `use tag-namespaces` on their namespace (OCI Tagging, "Required IAM Policy").
  const selector = parseTagSelector(config.scope.tag);
  if (selector.namespace) {
    rotator.statements.push({
      grantId: "tag-namespace-use",
      text: `Allow ${rotator.subject} to use tag-namespaces in tenancy where target.tag-namespace.name='${selector.namespace}'`,
      operations: [], reason: `Successor keys carry the scope's defined tag ${selector.namespace}.${selector.key}.`, source: TAGGING,
      caveat: "Keys with defined tags of other namespaces need the same statement for those namespaces.",
    });
  }
  const matchingRule: Record<Config["oci"]["authMode"], string> = {
    "instance-principal": "Dynamic group matching rule for the VM running keyproof: ANY {instance.id = '<instance OCID>'}",
    "resource-principal": "Dynamic group matching rule for keyproof as an OCI Function: ALL {resource.type = 'fnfunc', resource.id = '<function OCID>'}",
    "config-file": `keyproof signs as an API-key user (oci.authMode config-file): put that user in a group and use \`group <name>\` in place of \`${rotator.subject}\`.`,
  };
  rotator.notes.unshift(matchingRule[config.oci.authMode]);
  const keyLocations = keyLocationsFor(config, scope);
  if (config.scope.vaultCompartments.length === 0 && !scope.includes("tenancy")) {
    const note = "scope.vaultCompartments (KEYPROOF_VAULT_COMPARTMENTS) is not set: keyproof looks up vaults in the whole tenancy, so the vault and key statements name the tenancy. Set it to the compartments holding the vaults (e.g. the Security compartment of a landing zone) to narrow them.";
    rotator.notes.push(note);
    auditor.notes.push(note);
  }
  return { scopeLocations: scope, keyLocations, rotator, auditor };
}

/**
 * The policy as text: `#` lines are notes for the reader (OCI policy statements have no comment
 * syntax: paste only the `Allow` lines), one statement per line, grouped by principal.
 */
export function formatIamPolicy(policy: IamPolicy): string {
  const section = (title: string, p: PrincipalPolicy): string[] => {
    const lines = [`# ${title}: ${p.subject}`];
    for (const note of p.notes) lines.push(`#   ${note}`);
    for (const s of p.statementFree) lines.push(`#   No statement needed for ${s.operations.join(", ")}: ${s.reason} (${s.source})`);
    const caveats = new Set<string>();
    for (const s of p.statements) {
      lines.push(s.text);
      if (s.caveat) caveats.add(s.caveat);
    }
    for (const c of caveats) lines.push(`#   Note: ${c}`);
    lines.push(`#   Operations allowed (${p.operations.length}): ${p.operations.join(", ")}`);
    return lines;
  };
  return [
    `# keyproof IAM policy (least privilege), scope: ${policy.scopeLocations.join(", ")}; vaults and keys: ${policy.keyLocations.join(", ")}`,
    "# Lines starting with # are notes; paste the Allow lines into one or more OCI policies.",
    "",
    ...section("Rotator (rotates keys, re-keys volumes and buckets, reads evidence)", policy.rotator),
    "",
    ...section("Auditor (read-only)", policy.auditor),
    "",
  ].join("\n");
}
