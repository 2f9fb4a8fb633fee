/**
 * What a child process (keyproof CLI at log level "warn") may print on stderr in tests that run it
 * on a loaded machine: pino JSON warnings such as "OCI call retried" (a slow answer is retried, as
 * designed) are fine; an error-level line, or anything that is not a log line (a crash, a stack
 * trace, an SDK notice), is not.
 * @returns the offending lines (empty = fine).
 */
export function stderrProblems(stderr: string): string[] {
  return stderr.split("\n").filter((line) => {
    if (line.trim() === "") return false;
    try {
      const entry = JSON.parse(line) as { level?: unknown };
      return typeof entry.level !== "number" || entry.level >= 50;
    } catch {
      return true;
    }
  });
}
