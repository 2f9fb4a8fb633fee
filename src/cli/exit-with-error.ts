/**
 * The CLI's one error mapper (STYLE §5): AppError codes → exit codes and a clear message on stderr;
 * anything else is an internal error (exit 1) whose stack goes to the log, not the terminal.
 */
import { AppError, EXIT_CODES } from "../app/errors.js";

export function exitCodeFor(err: unknown): number {
  return err instanceof AppError ? EXIT_CODES[err.code] : 1;
}

/** Formats an error for a person at a terminal. */
export function formatCliError(err: unknown): string {
  if (err instanceof AppError) {
    const details = err.details?.length && !err.message.includes(err.details[0]!) ? `\n  ${err.details.join("\n  ")}` : "";
    return `keyproof: ${err.message}${details}`;
  }
  if (err instanceof TypeError && /expected/.test(err.message)) return `keyproof: ${err.message}`;
  return `keyproof: internal error: ${err instanceof Error ? err.message : String(err)}`;
}
