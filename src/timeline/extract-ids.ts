/**
 * Finds the ids an audit record is about: keys, key versions, volumes, buckets and KMS-key changes.
 * OCIDs are recognised by their type prefix and taken from known path positions (`/keys/{id}`),
 * `resourceId`, payload and stateChange; never by splitting an OCID (KMS OCIDs carry an extra
 * vault segment, OCI-NOTES §5 item 15).
 */
import { asObject, asText, block, has, parameterValue, pathSegments, segmentAfter, type Obj } from "./record-fields.js";

/** The parts of `data` the extractors read. */
export interface RecordView {
  data: Obj;
  /** `request.path` as recorded. */
  path: string | null;
  segments: string[];
  resourceId: string | null;
  payload: Obj | null;
  current: Obj | null;
  previous: Obj | null;
  details: Obj | null;
  parameters: Obj | null;
}

/** Gathers the blocks of one record; `resourceId` falls back to the event column. */
export function viewOf(data: Obj, resourceId: string | null): RecordView {
  const path = asText(block(data, "request")?.path);
  return {
    data,
    path,
    segments: pathSegments(path),
    resourceId: asText(data.resourceId) ?? resourceId,
    payload: block(data, "response", "payload"),
    current: block(data, "stateChange", "current"),
    previous: block(data, "stateChange", "previous"),
    details: block(data, "additionalDetails"),
    parameters: block(data, "request", "parameters"),
  };
}

// Words that follow `keys` / `keyVersions` in KMS paths without being ids.
const NOT_IDS = new Set(["actions", "import", "export", "keyVersions", "backup", "restore"]);

function pathId(v: RecordView, after: string): string | null {
  const s = segmentAfter(v.segments, after);
  return s !== null && !NOT_IDS.has(s) ? s : null;
}

function firstWithPrefix(prefix: string, candidates: readonly unknown[]): string | null {
  for (const c of candidates) {
    const t = asText(c);
    if (t !== null && t.startsWith(prefix)) return t;
  }
  return null;
}

/** The key a KMS record is about: `/keys/{id}`, a key OCID in resourceId, payload or stateChange. */
export function keyIdOf(v: RecordView): string | null {
  const fromPath = pathId(v, "keys");
  return (
    firstWithPrefix("ocid1.key.", [
      fromPath, v.resourceId, v.current?.keyId, v.payload?.keyId, v.current?.id, v.payload?.id,
      v.details?.keyId, v.details?.id,
    ]) ?? fromPath
  );
}

/**
 * The key version a KMS record names: `/keyVersions/{id}`, a key-version OCID in resourceId,
 * payload or stateChange, else the key's `currentKeyVersion` (CreateKey, auto-rotation).
 */
export function keyVersionIdOf(v: RecordView): string | null {
  const fromPath = pathId(v, "keyVersions");
  return (
    firstWithPrefix("ocid1.keyversion.", [
      fromPath, v.resourceId, v.current?.id, v.payload?.id, v.details?.keyVersionId,
      v.current?.currentKeyVersion, v.payload?.currentKeyVersion, v.details?.currentKeyVersion,
    ]) ?? fromPath
  );
}

/** A volume (`boot` false) or boot volume OCID from `/volumes/{id}` / `/bootVolumes/{id}` or resourceId. */
export function volumeIdOf(v: RecordView, boot: boolean): string | null {
  const fromPath = pathId(v, boot ? "bootVolumes" : "volumes");
  const prefix = boot ? "ocid1.bootvolume." : "ocid1.volume.";
  return firstWithPrefix(prefix, [fromPath, v.resourceId, v.payload?.id, v.current?.id]) ?? fromPath;
}

const BUCKET_PATH = /^\/?n\/([^/]+)\/b\/([^/?]+)/;

function bucketFromText(text: string | null): string | null {
  const m = text === null ? null : BUCKET_PATH.exec(text);
  if (!m) return null;
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  return `/n/${decode(m[1]!)}/b/${decode(m[2]!)}`;
}

/**
 * A bucket as `/n/{namespace}/b/{name}` (trailing slash dropped) from the path, resourceId or
 * additionalDetails/stateChange `namespace` + `bucketName`; else its OCID; else null.
 */
export function bucketIdOf(v: RecordView): string | null {
  const fromPath = bucketFromText(v.path) ?? bucketFromText(v.resourceId);
  if (fromPath) return fromPath;
  const ns = v.segments[0] === "n" ? (v.segments[1] ?? null) : null;
  const namespace = asText(v.details?.namespace) ?? asText(v.current?.namespace) ?? ns;
  const bucketName = asText(v.details?.bucketName) ?? asText(v.current?.bucketName);
  if (namespace && bucketName) return `/n/${namespace}/b/${bucketName}`;
  return firstWithPrefix("ocid1.bucket.", [v.resourceId, v.payload?.id, v.current?.id, v.details?.id]);
}

/** A KMS-key change as far as a record shows it. `undefined` = not shown; `null` = Oracle-managed. */
export interface KmsKeyChange {
  previous: string | null | undefined;
  next: string | null | undefined;
}

function kmsKeyIn(obj: Obj | null): string | null | undefined {
  if (!has(obj, "kmsKeyId")) return undefined;
  return asText(obj!.kmsKeyId);
}

/**
 * The kmsKeyId before and after, from stateChange (then payload, additionalDetails, request
 * parameters for the new value). Audit records carry no request body, so a failed update usually
 * shows neither. `""` (UpdateBucket's "remove the key") reads as null: Oracle-managed.
 */
export function kmsKeyChangeOf(v: RecordView): KmsKeyChange {
  const fromParams = parameterValue(v.parameters, "kmsKeyId");
  let next = kmsKeyIn(v.current);
  if (next === undefined) next = kmsKeyIn(v.payload);
  if (next === undefined) next = kmsKeyIn(v.details);
  if (next === undefined && fromParams !== null) next = fromParams;
  return { previous: kmsKeyIn(v.previous), next };
}

/** `freeformTags` / `definedTags.*` value named `predecessor` (any case) that is a key OCID. */
export function predecessorKeyIdOf(v: RecordView): string | null {
  const sources = [v.current, v.payload, v.data];
  for (const source of sources) {
    const candidates: unknown[] = [];
    const freeform = asObject(source?.freeformTags);
    if (freeform) for (const [k, val] of Object.entries(freeform)) if (k.toLowerCase() === "predecessor") candidates.push(val);
    const defined = asObject(source?.definedTags);
    for (const ns of Object.values(defined ?? {})) {
      for (const [k, val] of Object.entries(asObject(ns) ?? {})) if (k.toLowerCase() === "predecessor") candidates.push(val);
    }
    const found = firstWithPrefix("ocid1.key.", candidates);
    if (found) return found;
  }
  return null;
}
