#!/usr/bin/env node
/**
 * keyproof command-line entry point: parses arguments and maps errors to exit codes. All work is
 * done by the use cases the commands call.
 */
import { Command } from "commander";
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
  .showHelpAfterError();

registerCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (err) {
  process.stderr.write(`${formatCliError(err)}\n`);
  process.exitCode = exitCodeFor(err);
}
