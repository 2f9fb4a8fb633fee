import { readFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "./project-root.js";

/** keyproof's version from package.json, recorded in every pack and manifest. */
export const TOOL_VERSION: string = (
  JSON.parse(readFileSync(path.join(projectRoot(), "package.json"), "utf8")) as { version: string }
).version;
