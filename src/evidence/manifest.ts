/**
 * `manifest.json`: what a pack contains and the SHA-256 of every file, as RFC 8785 canonical JSON
 * so its own hash is stable. The SHA-256 of manifest.json is the pack fingerprint. Signing and the
 * chain to the previous pack arrive with the signing issue; `previousManifestSha256` is already
 * part of the shape (null until then).
 */
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { canonicalJson } from "../store/canonical-json.js";

export const MANIFEST_SCHEMA = "keyproof.evidence-pack.manifest/v1";

export interface ManifestFile {
  /** Path relative to the pack folder, `/`-separated. */
  path: string;
  sha256: string;
  bytes: number;
}

export interface Manifest {
  schema: typeof MANIFEST_SCHEMA;
  month: string;
  /** UTC, start inclusive, end exclusive. */
  period: { start: string; end: string };
  generatedAt: string;
  toolVersion: string;
  /** Policy in effect (days, hours, scope tag). */
  policy: { rotationIntervalDays: number; rekeyWithinHours: number; retentionDays: number; scopeTag: string };
  tenancies: string[];
  counts: Record<string, number>;
  files: ManifestFile[];
  previousManifestSha256: string | null;
}

/** SHA-256 (hex) and size in bytes of a file, streamed. */
export async function hashFile(path: string): Promise<{ sha256: string; bytes: number }> {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return { sha256: hash.digest("hex"), bytes: (await stat(path)).size };
}

/** The canonical (RFC 8785) text of a manifest, as written to manifest.json. */
export function serializeManifest(manifest: Manifest): string {
  return canonicalJson(manifest);
}
