import { describe, expect, it } from "vitest";
import { CONTROLS, EVIDENCE_LABELS, evaluateControls, type EvidenceKind } from "../../src/evidence/controls.js";
import type { CoverageItem } from "../../src/evidence/pack-data.js";

const KINDS = Object.keys(EVIDENCE_LABELS) as EvidenceKind[];

function coverage(status: CoverageItem["status"], overrides: Partial<Record<EvidenceKind, CoverageItem["status"]>> = {}) {
  return Object.fromEntries(KINDS.map((k) => [k, { evidence: EVIDENCE_LABELS[k], status: overrides[k] ?? status, detail: "" }])) as Record<EvidenceKind, CoverageItem>;
}

describe("evaluateControls", () => {
  it("maps every control DESIGN §3 names", () => {
    expect(CONTROLS.map((c) => c.controlId)).toEqual([
      "CIS OCI 4.16",
      "PCI DSS v4.0.1 3.7.4",
      "PCI DSS v4.0.1 10.5.1",
      "SOC 2 CC6.1",
      "ISO/IEC 27001:2022 A.8.24",
      "NIST SP 800-57 Part 1 Rev. 5",
    ]);
  });

  it("never says COMPLIANT, even when every kind of evidence is marked collected (no rules engine yet)", () => {
    const verdicts = evaluateControls(coverage("collected"));
    expect(verdicts.map((v) => v.verdict)).toEqual(Array(CONTROLS.length).fill("NO_EVIDENCE"));
    expect(verdicts.every((v) => v.reason === "Evidence collected, but this version of keyproof does not evaluate this control yet.")).toBe(true);
  });

  it("names missing and partial evidence separately in the reason", () => {
    const [cis] = evaluateControls(coverage("not-collected", { "audit-events": "partial" }));
    expect(cis).toMatchObject({
      controlId: "CIS OCI 4.16",
      verdict: "NO_EVIDENCE",
      reason: "Not collected: Key and key-version state snapshots. Partial (completeness not established): Audit events.",
    });
  });
});
