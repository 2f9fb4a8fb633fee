/**
 * Progress for long work (DESIGN §7): a bar on a terminal (stderr, cli-progress), and structured
 * progress lines in the log at most every 10 s otherwise.
 */
import cliProgress from "cli-progress";
import type { Logger } from "../app/logger.js";

export interface ProgressReporter {
  update(done: number, total: number, label: string): void;
  stop(): void;
}

export function createProgressReporter(logger: Logger, unit: string): ProgressReporter {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: ` {bar} {percentage}% | {value}/{total} ${unit} | {label}`, stream: process.stderr, hideCursor: true, clearOnComplete: false },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, label) {
        if (!started) {
          bar.start(Math.max(total, 1), done, { label });
          started = true;
        }
        bar.setTotal(Math.max(total, 1));
        bar.update(done, { label });
      },
      stop() {
        if (started) bar.stop();
      },
    };
  }
  let last = 0;
  return {
    update(done, total, label) {
      const now = Date.now();
      if (now - last < 10_000) return;
      last = now;
      logger.info({ progress: { done, total, unit, label } }, "progress");
    },
    stop() {},
  };
}
