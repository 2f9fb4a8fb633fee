/**
 * Runs the frozen migrations listed in `migrations/index.ts` (STYLE §8). The same migrator serves
 * the CLI (`keyproof migrate`), the server and the tests, on SQLite and PostgreSQL.
 */
import { Migrator, type Kysely, type MigrationProvider, type MigrationResultSet } from "kysely";
import { MIGRATIONS } from "../../migrations/index.js";
import { AppError } from "../app/errors.js";

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Applies every pending migration. Throws an AppError naming the failing migration. */
export async function migrateToLatest(db: Kysely<any>): Promise<MigrationResultSet> {
  const result = await new Migrator({ db, provider }).migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === "Error");
    throw new AppError("INTERNAL", `migration ${failed?.migrationName ?? "?"} failed: ${String(result.error)}`);
  }
  return result;
}
