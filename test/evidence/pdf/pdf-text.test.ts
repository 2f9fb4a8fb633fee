import { describe, expect, it } from "vitest";
import { formatCount } from "../../../src/evidence/pdf/format-count.js";
import { GlyphResolver } from "../../../src/evidence/pdf/glyph-resolver.js";
import { loadPdfFonts } from "../../../src/evidence/pdf/load-pdf-fonts.js";
import { VERDICT_COLORS } from "../../../src/evidence/pdf/pdf-style.js";
import { shortenOcids } from "../../../src/evidence/pdf/shorten-ocids.js";

const fonts = loadPdfFonts();

describe("GlyphResolver", () => {
  it("draws Latin, Cyrillic and Turkish with DejaVu and CJK with Noto Sans SC", () => {
    const glyphs = new GlyphResolver(fonts);
    const faces = (text: string) => glyphs.cells(text, "regular").map((c) => c.face).join(",");
    expect(faces("Äı")).toBe("regular,regular");
    expect(faces("ключ")).toBe("regular,regular,regular,regular");
    expect(faces("鍵-東")).toBe("cjk,regular,cjk");
    expect(glyphs.missingGlyphs()).toEqual([]);
  });

  it("turns code points no font has, controls and invisible format characters into visible placeholders", () => {
    const glyphs = new GlyphResolver(fonts);
    const text = glyphs.cells("a🔑b\u0000c\u200Bd", "bold").map((c) => c.text).join("");
    expect(text).toBe("a[U+1F511]b[U+0000]c[U+200B]d");
    expect(glyphs.missingGlyphs()).toEqual(["U+0000", "U+200B", "U+1F511"]);
  });

  it("reads line breaks and tabs as spaces", () => {
    const glyphs = new GlyphResolver(fonts);
    expect(glyphs.cells("a\r\nb\tc", "regular").map((c) => c.text).join("")).toBe("a b c");
  });
});

describe("shortenOcids", () => {
  it("keeps the resource type and the last 10 characters", () => {
    const id = "ocid1.key.oc1.eu-frankfurt-1.bbpbbq3baaam4.abtheljrm6ppv7q3xgvbkfbrbzbhuzlxq5v3dzvcqwmlsd2kdmwtkk4xwrka";
    expect(shortenOcids(`kmsKeyId ${id} → x`)).toBe("kmsKeyId ocid1.key…wtkk4xwrka → x");
    expect(shortenOcids("ocid1.tenancy.oc1..aaaaaaaaexampletenancy1xyz")).toBe("ocid1.tenancy…enancy1xyz");
    expect(shortenOcids("/n/ns/b/bucket")).toBe("/n/ns/b/bucket");
  });
});

describe("formatCount", () => {
  it("groups thousands with commas whatever the locale", () => {
    expect([0, 999, 1_000, 250_000, 1_234_567].map(formatCount)).toEqual(["0", "999", "1,000", "250,000", "1,234,567"]);
  });
});

describe("verdict colours", () => {
  const hue = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255) as [number, number, number];
    const max = Math.max(r, g, b);
    const d = max - Math.min(r, g, b);
    if (d === 0) return -1;
    const h = max === r ? ((g - b) / d) % 6 : max === g ? (b - r) / d + 2 : (r - g) / d + 4;
    return (h * 60 + 360) % 360;
  };
  it("never draws NO_EVIDENCE in green", () => {
    const c = VERDICT_COLORS.NO_EVIDENCE;
    for (const color of [c.fill, c.text, c.bar ?? "#000000"]) expect(hue(color) < 70 || hue(color) > 170).toBe(true);
    expect(c.fill).not.toBe(VERDICT_COLORS.COMPLIANT.fill);
  });
});
