/**
 * Shortens OCIDs inside a line of text for the narrow detail lines of timeline tables: an OCID
 * keeps its resource type and the last 10 characters of its unique part
 * (`ocid1.key.oc1.eu-frankfurt-1.abtheljr…4n3avp3xuq` → `ocid1.key…4n3avp3xuq`). Full ids stay in
 * the subject headings and in evidence.xlsx; the section intro says so.
 */
// ocid1.<type>.<realm>.[region][.future use].<unique>, e.g. ocid1.key.oc1.iad.bbpbbq3baaam4.abuw…
const OCID_RE = /\bocid1\.([a-z0-9]+)\.(?:[a-z0-9-]*\.){1,4}([a-z0-9]{16,})\b/gi;

/** Keeps this many trailing characters of an OCID's unique part. */
export const OCID_TAIL = 10;

export function shortenOcids(text: string): string {
  return text.replace(OCID_RE, (_m, type: string, unique: string) => `ocid1.${type}…${unique.slice(-OCID_TAIL)}`);
}
