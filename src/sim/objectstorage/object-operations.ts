/**
 * Objects (for export archives): PutObject, GetObject, ListObjects, with bodies kept in memory.
 * PutObject bodies are opaque bytes that the SDK does not sign (the `rawBody` operation flag).
 * A new object is encrypted under the bucket key's current version at once (OCI-NOTES §5 item 9).
 * Object operations are not audited: OCI Audit covers bucket-level operations only.
 */
import { createHash } from "node:crypto";
import { parseLimit } from "../http/paginate.js";
import type { OpContext, OpResult, SimOperation } from "../sim-service.js";
import { SimError, invalid, notFound } from "../sim-error.js";
import { bucketParam, checkEtag } from "./bucket-json.js";
import { bucketObjects, type StoredObject } from "./object-storage-state.js";

const OBJECT_FIELDS = ["name", "size", "etag", "timeCreated", "md5", "timeModified", "storageTier", "archivalState"];

function objectParam(ctx: OpContext): { name: string; objects: Record<string, StoredObject> } {
  const bucket = bucketParam(ctx);
  const name = ctx.params.objectName ?? "";
  if (name === "") throw invalid("objectName", "must not be empty");
  return { name, objects: bucketObjects(ctx.state, bucket.name) };
}

function summaryOf(o: StoredObject, fields: ReadonlySet<string>): Record<string, unknown> {
  const all: Record<string, unknown> = {
    name: o.name, size: o.bytes.length, etag: o.etag, timeCreated: o.timeCreated, md5: o.md5, timeModified: o.timeModified, storageTier: "Standard",
  };
  return Object.fromEntries(Object.entries(all).filter(([k]) => k === "name" || fields.has(k)));
}

export const OBJECT_OPERATIONS: readonly SimOperation[] = [
  {
    name: "PutObject", method: "PUT", path: "/n/:namespaceName/b/:bucketName/o/:objectName", write: true, audited: false, rawBody: true,
    handle(ctx) {
      const bucket = bucketParam(ctx);
      const { name, objects } = objectParam(ctx);
      const existing = objects[name];
      const ifNoneMatch = ctx.headers.get("if-none-match");
      if (ifNoneMatch === "*" && existing) throw new SimError("NoEtagMatch", `The object ${name} already exists (if-none-match: *)`);
      if (existing) checkEtag(ctx.headers.get("if-match"), existing.etag);
      else if (ctx.headers.get("if-match")) throw notFound("Object", name);
      const bytes = new Uint8Array(ctx.rawBody);
      const md5 = createHash("md5").update(bytes).digest("base64");
      const sentMd5 = ctx.headers.get("content-md5");
      if (sentMd5 && sentMd5 !== md5) throw invalid("Content-MD5", "does not match the body");
      const now = ctx.now.toISOString();
      const key = bucket.kmsKeyId ? ctx.state.keys.get(bucket.kmsKeyId) : undefined;
      const etag = createHash("sha256").update(`${bucket.id}/${name}/${now}/${md5}`).digest("hex").slice(0, 36);
      objects[name] = {
        name, bytes, contentType: ctx.headers.get("content-type") ?? "application/octet-stream", md5, etag,
        timeCreated: existing?.timeCreated ?? now, timeModified: now, kmsKeyVersionId: key?.currentKeyVersion ?? null,
      };
      if (!existing) bucket.approximateCount += 1;
      return { headers: { ETag: etag, "opc-content-md5": md5, "last-modified": ctx.now.toUTCString() } };
    },
  },
  {
    name: "GetObject", method: "GET", path: "/n/:namespaceName/b/:bucketName/o/:objectName", write: false, audited: false,
    handle(ctx): OpResult {
      const { name, objects } = objectParam(ctx);
      const o = objects[name];
      if (!o) throw notFound("Object", name);
      checkEtag(ctx.headers.get("if-match"), o.etag);
      if (ctx.headers.get("if-none-match") === o.etag) return { status: 304, headers: { ETag: o.etag } };
      return {
        raw: { bytes: o.bytes, contentType: o.contentType },
        headers: { ETag: o.etag, "content-md5": o.md5, "last-modified": new Date(o.timeModified).toUTCString(), "storage-tier": "Standard" },
      };
    },
  },
  {
    name: "ListObjects", method: "GET", path: "/n/:namespaceName/b/:bucketName/o", write: false, audited: false,
    handle(ctx) {
      const bucket = bucketParam(ctx);
      const q = ctx.query;
      const fields = new Set(q.getAll("fields").flatMap((f) => f.split(",")).map((f) => f.trim()).filter(Boolean));
      for (const f of fields) if (!OBJECT_FIELDS.includes(f)) throw invalid("fields", `unknown field ${f}`);
      const limit = parseLimit(ctx, { defaultLimit: 1000, maxLimit: 1000 });
      const prefix = q.get("prefix") ?? "";
      const start = q.get("start");
      const startAfter = q.get("startAfter");
      const end = q.get("end");
      const delimiter = q.get("delimiter");
      if (delimiter && delimiter !== "/") throw invalid("delimiter", "only '/' is supported");
      const names = Object.keys(bucketObjects(ctx.state, bucket.name)).sort()
        .filter((n) => n.startsWith(prefix) && (!start || n >= start) && (!startAfter || n > startAfter) && (!end || n < end));
      const objects: StoredObject[] = [];
      const prefixes = new Set<string>();
      let nextStartWith: string | undefined;
      for (const n of names) {
        if (objects.length + prefixes.size >= limit) {
          nextStartWith = n;
          break;
        }
        const cut = delimiter ? n.indexOf(delimiter, prefix.length) : -1;
        if (cut >= 0) prefixes.add(n.slice(0, cut + 1));
        else objects.push(bucketObjects(ctx.state, bucket.name)[n]!);
      }
      return { body: { objects: objects.map((o) => summaryOf(o, fields)), prefixes: delimiter ? [...prefixes] : undefined, nextStartWith } };
    },
  },
];
