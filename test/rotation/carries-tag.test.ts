import { describe, expect, it } from "vitest";
import { parseTagSelector } from "../../src/oci/parse-tag-selector.js";
import { carriesTag } from "../../src/rotation/carries-tag.js";

describe("carriesTag", () => {
  const item = (freeformTags: Record<string, string>, definedTags: Record<string, Record<string, unknown>> = {}) => ({ freeformTags, definedTags });

  it("matches freeform keys case-insensitively and values exactly", () => {
    const selector = parseTagSelector("backup-encryption=enabled");
    expect(carriesTag(item({ "Backup-Encryption": "enabled" }), selector)).toBe(true);
    expect(carriesTag(item({ "backup-encryption": "Enabled" }), selector)).toBe(false);
    expect(carriesTag(item({}, { "backup-encryption": { x: "enabled" } }), selector)).toBe(false);
  });

  it("matches defined tags by namespace and key, not freeform tags", () => {
    const selector = parseTagSelector("Security.backup=enabled");
    expect(carriesTag(item({}, { security: { Backup: "enabled" } }), selector)).toBe(true);
    expect(carriesTag(item({ backup: "enabled" }), selector)).toBe(false);
    expect(carriesTag(item({}, { Other: { backup: "enabled" } }), selector)).toBe(false);
  });
});
