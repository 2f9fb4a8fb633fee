import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/**
 * The keyproof package folder (the one holding its package.json), found by walking up from this
 * module, so paths work from sources (tsx), from `dist/` and inside the container image.
 */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, "package.json");
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, "utf8")) as { name?: string }).name === "keyproof") return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("keyproof package.json not found above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}
