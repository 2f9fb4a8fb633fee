// The migration list, in order. Frozen files; never import from src/. Static imports (rather than
// kysely's FileMigrationProvider) so the same list loads under tsx, vitest and the compiled build.
import type { Migration } from "kysely";
import * as auditStore from "./2026-11-29T00-00-00_audit-store.js";
import * as rotationRecords from "./2026-11-29T18-00-00_rotation-records.js";
import * as ociIngestion from "./2026-11-29T20-00-00_oci-ingestion.js";

export const MIGRATIONS: Record<string, Migration> = {
  "2026-11-29T00-00-00_audit-store": auditStore,
  "2026-11-29T18-00-00_rotation-records": rotationRecords,
  "2026-11-29T20-00-00_oci-ingestion": ociIngestion,
};
