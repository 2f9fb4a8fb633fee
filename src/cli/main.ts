#!/usr/bin/env node
/**
 * keyproof command-line entry point: parses arguments and maps errors to exit codes. All work is
 * done by the use cases the commands call.
 */
import { Command, CommanderError } from "commander";
import { ValidationError } from "../app/errors.js";
import { TOOL_VERSION } from "../app/version.js";
import { registerCommands } from "./commands.js";
import { exitCodeFor, formatCliError } from "./exit-with-error.js";

const program = new Command()
  .name("keyproof")
  .description("Automatic, provable OCI Vault key rotation for backup encryption")
  .version(TOOL_VERSION)
  .option("--config <file>", "JSON config file (also KEYPROOF_CONFIG)")
  .option("--database <location>", "SQLite file or postgres:// URL (also KEYPROOF_DATABASE, DATABASE_URL)")
  .option("--reports-dir <dir>", "folder for evidence packs (also KEYPROOF_REPORTS_DIR)")
  .showHelpAfterError()
  // Usage errors (unknown command or option, bad choice) exit 2 like every other bad argument;
  // commander has already printed its message.
  .exitOverride();

registerCommands(program);
for (const command of program.commands) command.exitOverride();

// `keyproof ... | head` closes stdout early: that is not an error.
process.stdout.on("error", (err: NodeJS.ErrnoException) => {
  if (err.code === "EPIPE") process.exit(process.exitCode ?? 0);
});

try {
  await program.parseAsync(process.argv);
} catch (err) {
  if (err instanceof CommanderError) {
    const done = err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help";
    process.exitCode = done ? 0 : exitCodeFor(new ValidationError(err.message));
  } else {
    process.stderr.write(`${formatCliError(err)}\n`);
    process.exitCode = exitCodeFor(err);
  }
}
