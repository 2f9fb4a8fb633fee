// The migration list, in order. Frozen files; never import from src/. Static imports (rather than
// kysely's FileMigrationProvider) so the same list loads under tsx, vitest and the compiled build.
import type { Migration } from "kysely";
import * as auditStore from "./2026-11-29T00-00-00_audit-store.js";

export const MIGRATIONS: Record<string, Migration> = {
  "2026-11-29T00-00-00_audit-store": auditStore,
};
