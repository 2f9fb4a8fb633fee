/**
 * The composition root (STYLE §1): reads config, opens and migrates the store, builds the logger
 * and clock, and returns one Deps object. Every front door (CLI, HTTP, scheduler) starts here.
 */
import { createDb } from "../store/create-db.js";
import { migrateToLatest } from "../store/migrate.js";
import { systemClock, type Clock } from "../time/instant.js";
import { loadConfig, type Config } from "./config.js";
import type { Deps } from "./deps.js";
import { createLogger, type Logger } from "./logger.js";

export interface CreateDepsOptions {
  env?: Record<string, string | undefined>;
  configPath?: string;
  /** Overrides applied after loading (e.g. from CLI flags), validated by the same schema. */
  config?: Config;
  clock?: Clock;
  logger?: Logger;
}

/** Builds Deps. Throws ValidationError on bad config; migrates the store to the latest schema. */
export async function createDeps(options: CreateDepsOptions = {}): Promise<Deps> {
  const config = options.config ?? loadConfig(options.env ?? process.env, options.configPath);
  const logger = options.logger ?? createLogger({ level: config.logLevel });
  const store = createDb(config.database);
  try {
    await migrateToLatest(store.db);
  } catch (err) {
    await store.close();
    throw err;
  }
  return { config, store, logger, clock: options.clock ?? systemClock };
}
