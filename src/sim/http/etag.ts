/** Entity tags: a hash of the record, so any change gives a new etag; `if-match` mismatch is 412 NoEtagMatch. */
import { createHash } from "node:crypto";
import { SimError } from "../sim-error.js";

/** The etag of a record (64 lower-case hex, like OCI's). */
export function etagOf(record: unknown): string {
  return createHash("sha256").update(JSON.stringify(record)).digest("hex");
}

/** Throws 412 NoEtagMatch when `ifMatch` is set and differs from the record's etag. */
export function checkIfMatch(ifMatch: string | undefined | null, record: unknown): void {
  if (!ifMatch || ifMatch === "*") return;
  const current = etagOf(record);
  if (ifMatch.replace(/^W\//, "").replace(/"/g, "") !== current) {
    throw new SimError("NoEtagMatch", `The resource's etag ${current} does not match if-match ${ifMatch}`);
  }
}
