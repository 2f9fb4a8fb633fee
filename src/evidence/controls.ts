/**
 * The controls every pack maps its evidence to (DESIGN §3 "Control mapping"), and the v1 verdict
 * rules. Pure: verdicts depend only on which evidence the store holds for the period.
 *
 * v1 evidence is audit events only. Audit events show what was done, not the state of every key
 * (a key never touched in the archive window leaves no event), so every state-based verdict is
 * NO_EVIDENCE with the missing evidence named (DESIGN §3 rule 7: never COMPLIANT without evidence).
 */
import type { ControlVerdict, CoverageItem } from "./pack-data.js";

export interface Control {
  controlId: string;
  title: string;
  /** What keyproof checks for this control. */
  requirement: string;
  /** Evidence kinds this control needs, by CoverageItem.evidence name. */
  needs: readonly EvidenceKind[];
}

export type EvidenceKind = "audit-events" | "key-snapshots" | "resource-snapshots" | "audit-retention-config" | "work-request-status";

export const EVIDENCE_LABELS: Record<EvidenceKind, string> = {
  "audit-events": "Audit events",
  "key-snapshots": "Key and key-version state snapshots",
  "resource-snapshots": "Tagged resource snapshots (volumes, boot volumes, buckets) with kmsKeyId",
  "audit-retention-config": "Audit retention configuration (GetConfiguration) and archive retention rules",
  "work-request-status": "Work request final status for ReencryptBucket",
};

export const CONTROLS: readonly Control[] = [
  {
    controlId: "CIS OCI 4.16",
    title: "Ensure customer created Customer Managed Key (CMK) is rotated at least annually (3.16 in v1.x)",
    requirement: "Every in-scope key is ENABLED and its current key version is younger than the rotation interval (policy).",
    needs: ["key-snapshots", "audit-events"],
  },
  {
    controlId: "PCI DSS v4.0.1 3.7.4",
    title: "Cryptographic key changes at the end of the defined cryptoperiod (3.6.4 in v3.2.1)",
    requirement: "Each rotation happened within the rotation interval, and every in-scope resource was re-keyed within the re-key window, proven by a completed work request or a read-back (policy).",
    needs: ["key-snapshots", "resource-snapshots", "work-request-status", "audit-events"],
  },
  {
    controlId: "PCI DSS v4.0.1 10.5.1",
    title: "Retain audit log history for at least 12 months",
    requirement: "Audit events for the period are archived in keyproof's store and the OCI audit retention setting is known.",
    needs: ["audit-events", "audit-retention-config"],
  },
  {
    controlId: "SOC 2 CC6.1",
    title: "Logical access security: protects encryption keys",
    requirement: "Key lifecycle changes are attributable (actor, time, request id) and superseded versions stay usable for the retention period (policy).",
    needs: ["audit-events", "key-snapshots"],
  },
  {
    controlId: "ISO/IEC 27001:2022 A.8.24",
    title: "Use of cryptography: key management including cryptoperiods",
    requirement: "Cryptoperiods are enforced per key and per resource (each resource's data re-keyed within the rotation interval plus the re-key window).",
    needs: ["key-snapshots", "resource-snapshots", "audit-events"],
  },
  {
    controlId: "NIST SP 800-57 Part 1 Rev. 5",
    title: "Cryptoperiods and retention of superseded keys",
    requirement: "Superseded key versions (and predecessor keys of volume lineages) stay usable for the retention period (policy).",
    needs: ["key-snapshots", "audit-events"],
  },
];

/**
 * v1 verdicts: a control whose evidence is not all collected is NO_EVIDENCE, naming what is missing.
 * With complete evidence the verdict needs the rules engine (a later version); until then it is
 * also NO_EVIDENCE, so this function can never produce a false COMPLIANT.
 */
export function evaluateControls(coverage: Readonly<Record<EvidenceKind, CoverageItem>>): ControlVerdict[] {
  return CONTROLS.map((control) => {
    const missing = control.needs.filter((kind) => coverage[kind].status === "not-collected");
    const partial = control.needs.filter((kind) => coverage[kind].status === "partial");
    const parts = [
      missing.length > 0 ? `Not collected: ${missing.map((kind) => EVIDENCE_LABELS[kind]).join("; ")}.` : "",
      partial.length > 0 ? `Partial (completeness not established): ${partial.map((kind) => EVIDENCE_LABELS[kind]).join("; ")}.` : "",
    ].filter(Boolean);
    const reason =
      parts.length > 0 ? parts.join(" ") : "Evidence collected, but this version of keyproof does not evaluate this control yet.";
    return { controlId: control.controlId, title: control.title, requirement: control.requirement, verdict: "NO_EVIDENCE", reason };
  });
}
