import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { previousMonth } from "../../src/cli/commands.js";
import { runCli, SAMPLES_DIR } from "../helpers/run-cli.js";

function workspace() {
  const dir = mkdtempSync(path.join(tmpdir(), "kp-cli-"));
  return { dir, env: { KEYPROOF_DATABASE: path.join(dir, "store.sqlite"), KEYPROOF_REPORTS_DIR: path.join(dir, "reports") } };
}

describe("keyproof CLI", () => {
  it("imports a sample, prints the summary line, and stores nothing new the second time", () => {
    const ws = workspace();
    const sample = path.join(SAMPLES_DIR, "audit-v2-jsonl-batch1-15rec_resourcemanager-createstack-statechange_logging-begin_fed-user_eugsim1-logging-analytics.jsonl");
    const first = runCli(["ingest", "--file", sample], ws.env);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/^read 15, stored 15, duplicates 0, conflicts 0, rejected 0/m);
    const second = runCli(["ingest", "--file", sample], ws.env);
    expect(second.status).toBe(0);
    expect(second.stdout).toMatch(/^read 15, stored 0, duplicates 15, conflicts 0, rejected 0/m);
  });

  it("exits 3 and names the file and line of bad records, keeping the good ones", () => {
    const ws = workspace();
    const good = readFileSync(path.join(SAMPLES_DIR, "audit-v2-jsonl-batch1-15rec_resourcemanager-createstack-statechange_logging-begin_fed-user_eugsim1-logging-analytics.jsonl"), "utf8").split("\n");
    const file = path.join(ws.dir, "mixed.jsonl");
    writeFileSync(file, [good[0], "{not json", good[1], '{"hello":"world"}', good[2]].join("\n"));
    const result = runCli(["ingest", "--file", file], ws.env);
    expect(result.status).toBe(3);
    expect(result.stderr).toContain("mixed.jsonl:2:");
    expect(result.stderr).toContain("mixed.jsonl:4:");
    expect(result.stdout).toMatch(/read 5, stored 3, duplicates 0, conflicts 0, rejected 2/);
  });

  it("exits 2 naming the bad configuration field", () => {
    const ws = workspace();
    const result = runCli(["report", "--month", "2021-02"], { ...ws.env, KEYPROOF_RETENTION_DAYS: "seven years" });
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('policy.retentionDays: expected an integer, got "seven years" (from KEYPROOF_RETENTION_DAYS)');
  });

  it("writes a pack, then refuses to overwrite it with exit 5", () => {
    const ws = workspace();
    const samples = readdirSync(SAMPLES_DIR).filter((f) => f.endsWith(".jsonl")).map((f) => path.join(SAMPLES_DIR, f));
    expect(runCli(["ingest", "--file", ...samples], ws.env).status).toBe(0);
    const first = runCli(["report", "--month", "2021-02"], ws.env);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    const dir = path.join(ws.dir, "reports", "2021-02");
    expect(first.stdout).toContain(`pack 2021-02 written to ${dir}`);
    for (const name of ["summary.pdf", "evidence.xlsx", "events.jsonl.gz", "manifest.json"]) expect(existsSync(path.join(dir, name))).toBe(true);
    const again = runCli(["report", "--month", "2021-02"], ws.env);
    expect(again.status).toBe(5);
    expect(again.stderr).toContain("already exists");
  });

  it("rejects a malformed month with exit 2", () => {
    const ws = workspace();
    const result = runCli(["report", "--month", "2021-13"], ws.env);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain('month: expected YYYY-MM, got "2021-13"');
  });

  it("rejects a folder's non-audit file with exit 3 while keeping the audit files", () => {
    const ws = workspace();
    const result = runCli(["ingest", "--file", SAMPLES_DIR], ws.env);
    expect(result.status).toBe(3);
    expect(result.stderr).toContain("SOURCES.md: expected JSON audit data");
    expect(result.stdout).toMatch(/read 207, stored 207, duplicates 0, conflicts 1, rejected 0 \(12 files, 1 rejected\)/);
  });

  it("says which issue brings a command that is not available yet", () => {
    const result = runCli(["verify", "reports/2026-10"], workspace().env);
    expect(result.status).toBe(6);
    expect(result.stderr).toContain("verify is not yet available");
  });

  it("computes the previous UTC month across a year boundary", () => {
    expect(previousMonth(new Date("2026-01-01T00:30:00.000Z"))).toBe("2025-12");
    expect(previousMonth(new Date("2026-03-31T23:59:59.999Z"))).toBe("2026-02");
  });
});

describe("keyproof demo", () => {
  it("refuses to wipe a folder it did not make, and reruns in its own workspace", () => {
    const ws = workspace();
    writeFileSync(path.join(ws.dir, "thesis.txt"), "precious");
    const refused = runCli(["demo", "--workspace", ws.dir]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toContain("is not empty and was not made by keyproof demo");
    expect(readFileSync(path.join(ws.dir, "thesis.txt"), "utf8")).toBe("precious");

    const own = path.join(ws.dir, "demo");
    const first = runCli(["demo", "--workspace", own]);
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(first.stdout).toContain("read 37, stored 36, duplicates 1, conflicts 0, rejected 0 (11 files, 0 rejected)");
    expect(first.stdout).toContain("all 3 files match");
    // The rotation step: both example keys rotated once, every resource re-keyed, nothing due after.
    expect(first.stdout).toMatch(/ROTATED\s+backup-volumes-2026-04\s+successor-key .* 2\/2 re-keyed/);
    expect(first.stdout).toMatch(/ROTATED\s+backup-objects-key\s+key-version .* 2\/2 re-keyed/);
    expect(first.stdout).toContain("run 2 succeeded: 2 rotated");
    expect(first.stdout).toMatch(/run 3 skipped: 0 rotated, .*2 not due/);
    // The ingestion step: the rotation's own audit events collected once, a snapshot of the new state.
    expect(first.stdout).toMatch(/ingest run 2 succeeded[\s\S]*audit\s+succeeded audit-list-events: 3 scope\(s\), 3 window\(s\) collected, 0 failed; read \d+, stored [1-9]\d*, duplicates 0/);
    expect(first.stdout).toMatch(/ingest run 3 succeeded[\s\S]*read \d+, stored 0, duplicates [1-9]\d*, conflicts 0/);
    expect(first.stdout).toMatch(/snapshot\s+succeeded snapshot 1 succeeded: vault 2, key \d+, key-version \d+, resource 5/);
    expect(existsSync(path.join(own, "reports", "2026-10", "summary.pdf"))).toBe(true);
    expect(runCli(["demo", "--workspace", own]).status).toBe(0);
  });

  it("exits 2 on an unknown command or option choice", () => {
    expect(runCli(["bogus"]).status).toBe(2);
    expect(runCli(["ingest", "--source", "bogus"]).status).toBe(2);
    expect(runCli(["ingest", "--source", "file"]).stderr).toContain("--source file needs --file");
    expect(runCli(["ingest", "--source", "audit", "--only", "snapshot"]).stderr).toContain("use --source or --only, not both");
    const bogusStep = runCli(["ingest", "--only", "bogus"]);
    expect(bogusStep.status).toBe(2);
    expect(bogusStep.stderr).toContain("audit, export-bucket, snapshot, archive");
    const mixed = runCli(["ingest", "--file", "x", "--only", "audit"]);
    expect(mixed.status).toBe(2);
    expect(mixed.stderr).toContain("apply to ingestion from OCI, not to --file");
  });
});
