import { spawn } from "node:child_process";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers/run-cli.js";

describe("keyproof sim", () => {
  it("prints the endpoints and a ready-to-use OCI config profile for the example tenancy", async () => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "src/cli/main.ts"), "sim", "--port", "0"], { cwd: REPO_ROOT });
    let out = "";
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          if (out.includes("key_file=")) resolve();
        });
        child.once("exit", (code) => reject(new Error(`exited with ${code}: ${out}`)));
        setTimeout(() => reject(new Error(`no profile after 30 s: ${out}`)), 30_000);
      });
    } finally {
      child.kill("SIGTERM");
    }
    const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)![1]!;
    expect(out).toContain(`kms-vault      ${url}/kms-vault`);
    expect(out).toContain(`management ${url}/kms-mgmt/ejsppeqvaafyi`);
    expect(out).toMatch(/\[KEYPROOF_SIM\]\nuser=ocid1\.user\.oc1\.\.\S+\nfingerprint=([0-9a-f]{2}:){15}[0-9a-f]{2}\ntenancy=ocid1\.tenancy\.oc1\.\.\S+\nregion=us-ashburn-1\nkey_file=\S+TEST-ONLY-keyproof-rotator-private-key\.pem/);
  });
});
