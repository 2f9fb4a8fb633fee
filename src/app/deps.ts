/**
 * The one object the composition root builds and passes down (STYLE §1). Use cases take the
 * narrowest `Pick<Deps, ...>` they need, so tests build only that.
 */
import type { Store } from "../store/create-db.js";
import type { Clock } from "../time/instant.js";
import type { Config } from "./config.js";
import type { Logger } from "./logger.js";

export interface Deps {
  config: Config;
  store: Store;
  logger: Logger;
  clock: Clock;
}
