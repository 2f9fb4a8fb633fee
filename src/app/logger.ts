/**
 * The root pino logger: the only module-level state keyproof has (STYLE §1, §10). Key material,
 * passphrases, tokens and signatures are redacted wherever they appear in a logged object.
 */
import pino, { type Logger } from "pino";

export type { Logger };

/** Paths pino redacts (censor "[redacted]"). */
export const REDACT_PATHS = [
  "privateKey",
  "*.privateKey",
  "passphrase",
  "*.passphrase",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "signature",
  "*.signature",
  "keyFile",
  "*.keyFile",
];

/**
 * Creates a logger writing JSON lines to `destination` (default stderr, so stdout stays for
 * command output). `level` defaults to `KEYPROOF_LOG_LEVEL` or "info".
 */
export function createLogger(options: { level?: string; destination?: pino.DestinationStream } = {}): Logger {
  return pino(
    {
      level: options.level ?? process.env.KEYPROOF_LOG_LEVEL ?? "info",
      base: { app: "keyproof" },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: "[redacted]" },
    },
    options.destination ?? pino.destination(2),
  );
}

/** A logger that discards everything, for tests that do not assert on logs. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
