/**
 * The composition root (STYLE §1): reads config, opens and migrates the store, builds the logger
 * and clock, and returns one Deps object. Every front door (CLI, HTTP, scheduler) starts here.
 */
import { checkStoreReachable, createDb } from "../store/create-db.js";
import { migrateToLatest } from "../store/migrate.js";
import { systemClock, type Clock } from "../time/instant.js";
import { loadConfig, type Config } from "./config.js";
import type { Deps } from "./deps.js";
import { createLogger, type Logger } from "./logger.js";

export interface CreateDepsOptions {
  env?: Record<string, string | undefined>;
  configPath?: string;
  /** An already loaded config (the CLI loads it from env, flags and file); skips loadConfig. */
  config?: Config;
  clock?: Clock;
  logger?: Logger;
}

/**
 * Builds Deps and migrates the store to the latest schema.
 * @throws ValidationError on bad config or a store path that cannot be created.
 * @throws AppError PRECONDITION_FAILED when PostgreSQL cannot be reached.
 */
export async function createDeps(options: CreateDepsOptions = {}): Promise<Deps> {
  const config = options.config ?? loadConfig(options.env ?? process.env, options.configPath);
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const store = createDb(config.database);
  try {
    await checkStoreReachable(store);
    await migrateToLatest(store.db);
  } catch (err) {
    await store.close();
    throw err;
  }
  return { config, store, logger, clock: options.clock ?? systemClock };
}
