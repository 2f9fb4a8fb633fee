/**
 * Object Storage's own part of the simulator state, kept in `state.extensions.objectstorage` as
 * plain data (the "not applied" fault snapshots and restores it with the rest). Buckets themselves
 * and their retention rules live in `state.buckets` (from the seed); this holds what the seed has no
 * section for: stored objects, work requests, retention-rule modification times and the settings.
 * Always reach it through {@link objectStorageState}: a restore replaces the object.
 */
import type { SimState } from "../state/sim-state.js";

/** Tunables of the simulated service; tests change them through {@link objectStorageState}. */
export interface ObjectStorageSettings {
  /** ReencryptBucket throughput (default 1000: a 10,000-object bucket takes 10 simulator minutes). */
  objectsPerMinute: number;
  /** Time a work request stays ACCEPTED before it starts (default 1 s). */
  startDelayMs: number;
  /** Shortest re-encryption, even for an empty bucket (default 1 s). */
  minimumDurationMs: number;
}

/** One object (export archives and the like); the body is kept in memory. */
export interface StoredObject {
  name: string;
  bytes: Uint8Array;
  contentType: string;
  /** base64 MD5 of the body (`Content-MD5`, ListObjects `md5`). */
  md5: string;
  etag: string;
  timeCreated: string;
  timeModified: string;
  /** The key version that wraps the object's data key (null: Oracle-managed key). */
  kmsKeyVersionId: string | null;
}

/** A ReencryptBucket work request; its status is derived from the simulator clock (work-request-status.ts). */
export interface WorkRequestRecord {
  id: string;
  operationType: "REENCRYPT";
  compartmentId: string;
  namespace: string;
  bucketName: string;
  bucketId: string;
  timeAccepted: string;
  /** Objects to re-wrap (the bucket's approximateCount at the call). */
  objectCount: number;
  /** Run time once started, from the settings at the call. */
  durationMs: number;
  startDelayMs: number;
  /** Injected by the fault rule of ReencryptBucket (`workRequest: "stall" | "fail"`). */
  fault: "stall" | "fail" | null;
  timeCanceled: string | null;
  /** The bucket key and its current version at the call: what the objects get re-wrapped with. */
  kmsKeyId: string;
  kmsKeyVersionId: string;
  /** Audit `eventGroupingId` of the ReencryptBucket call; the end record reuses it. */
  eventGroupingId: string;
  principalId: string;
  /** Set once the terminal state has been applied and its audit record written. */
  settled: boolean;
}

export interface ObjectStorageState {
  settings: ObjectStorageSettings;
  /** Objects by bucket name, then object name. */
  objects: Record<string, Record<string, StoredObject>>;
  workRequests: Record<string, WorkRequestRecord>;
  /** `timeModified` of retention rules by rule id (seeded rules: their timeCreated). */
  ruleModified: Record<string, string>;
}

export const DEFAULT_OBJECT_STORAGE_SETTINGS: ObjectStorageSettings = { objectsPerMinute: 1000, startDelayMs: 1000, minimumDurationMs: 1000 };

/** The Object Storage extension state, created on first use. */
export function objectStorageState(state: SimState): ObjectStorageState {
  const ext = state.extensions as Record<string, ObjectStorageState | undefined>;
  ext.objectstorage ??= { settings: { ...DEFAULT_OBJECT_STORAGE_SETTINGS }, objects: {}, workRequests: {}, ruleModified: {} };
  return ext.objectstorage;
}

/** The objects of one bucket (created on first use). */
export function bucketObjects(state: SimState, bucketName: string): Record<string, StoredObject> {
  const os = objectStorageState(state);
  os.objects[bucketName] ??= {};
  return os.objects[bucketName];
}
