/**
 * Runs the frozen migrations in `migrations/` (STYLE §8). The same migrator serves the CLI
 * (`keyproof migrate`), the server and the tests.
 */
import { promises as fs } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { FileMigrationProvider, Migrator, type Kysely, type MigrationResultSet } from "kysely";
import { AppError } from "../app/errors.js";

// Relative to this module: src/store → migrations/ (tsx), dist/src/store → dist/migrations (build),
// so the compiled server never tries to load the TypeScript sources.
export const MIGRATIONS_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../migrations");

/** Applies every pending migration. Throws an AppError naming the failing migration. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder: MIGRATIONS_DIR }),
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error");
    throw new AppError("INTERNAL", `migration ${failed?.migrationName ?? "?"} failed: ${String(result.error)}`);
  }
  return result;
}
