import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** `../shared/oci-samples` next to the clone (CI copies shared/ there). */
export const SAMPLES_DIR = path.resolve(REPO_ROOT, "../shared/oci-samples");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `keyproof ARGS` from sources in a child process (real argv parsing, exit codes, streams). */
export function runCli(args: string[], env: Record<string, string> = {}, cwd = REPO_ROOT): CliResult {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(REPO_ROOT, "src/cli/main.ts"), ...args], {
    cwd,
    env: { ...process.env, KEYPROOF_LOG_LEVEL: "warn", ...env },
    encoding: "utf8",
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
