/**
 * How a service plugs into the simulator. A service is one small file exporting a {@link SimService}:
 * its path prefix, its audit naming and a list of {@link SimOperation}s. Each operation declares its
 * OCI name and whether it is a write; the request pipeline (serve-operation.ts) gives it signature
 * auth, allow lists, faults, write throttling, opc-retry-token idempotency, error bodies,
 * opc-request-id and audit recording for free. Add the service to ALL_SERVICES (services/all-services.ts).
 */
import type { AuditLog } from "./audit/audit-log.js";
import type { FaultInjector } from "./faults/fault-injector.js";
import type { KeyMaterialStore } from "./kms/key-material-store.js";
import type { SimClock } from "./sim-clock.js";
import type { SimState, UserRecord } from "./state/sim-state.js";

/** The path prefix of each service on the simulator's one port (OCI-NOTES §1.1). */
export type SimServiceName =
  | "kms-vault" | "kms-mgmt" | "kms-crypto" | "identity" | "audit" | "logging" | "search"
  | "blockstorage" | "objectstorage" | "monitoring" | "ons";

/** What the audit event of a call says about its resource; handlers fill it (early, so failures are attributed too). */
export interface AuditDetails {
  compartmentId?: string;
  resourceId?: string | null;
  resourceName?: string | null;
  freeformTags?: Record<string, string> | null;
  definedTags?: Record<string, Record<string, unknown>> | null;
  /** `response.payload`; default `{id: resourceId, resourceName}` on success, the error body on failure. */
  payload?: Record<string, unknown>;
  stateChange?: { previous: unknown; current: unknown } | null;
  additionalDetails?: Record<string, unknown> | null;
}

/** The simulator-wide machinery an operation may use. */
export interface SimRuntime {
  readonly state: SimState;
  readonly clock: SimClock;
  readonly audit: AuditLog;
  readonly faults: FaultInjector;
  readonly keyMaterial: KeyMaterialStore;
  /** Base URL of the simulator (`http://127.0.0.1:PORT`). */
  readonly url: string;
  /** Accept the SDK's un-padded query hours (OCI-NOTES §1.6) instead of answering 400. */
  readonly lenientQueryDates: boolean;
}

export interface OpContext {
  readonly runtime: SimRuntime;
  readonly state: SimState;
  readonly operation: SimOperation;
  /** Simulator time when the request arrived. */
  readonly now: Date;
  /** Path parameters (decoded). */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: Headers;
  /** Parsed JSON body (undefined when empty). */
  readonly body: unknown;
  readonly principal: UserRecord;
  readonly requestId: string;
  /** Audit `eventGroupingId` of this call; background work that finishes it later (work requests) reuses it. */
  readonly eventGroupingId: string;
  /** The request body as received (for `rawBody` operations such as PutObject). */
  readonly rawBody: Buffer;
  readonly audit: AuditDetails;
}

export interface OpResult {
  /** Default 200. */
  status?: number;
  /** JSON body; omit for an empty body. */
  body?: unknown;
  headers?: Record<string, string>;
  /** A non-JSON body (GetObject); sent with its own content type instead of `body`. */
  raw?: { bytes: Uint8Array; contentType: string };
}

export interface SimOperation {
  /** OCI operation name, as Audit's `data.eventName` shows it (`CreateKeyVersion`). Fault rules and allow lists use it. */
  readonly name: string;
  readonly method: "GET" | "POST" | "PUT" | "DELETE" | "HEAD";
  /** Path after the service's basePath, hono syntax: `/20180608/keys/:keyId`. */
  readonly path: string;
  /** Writes get throttling, retry-token idempotency and the "not applied" fault. */
  readonly write: boolean;
  /** Recorded as an Audit event (default true). Vault crypto calls are not: OCI logs them elsewhere (OCI-NOTES §2.8). */
  readonly audited?: boolean;
  /** The body is opaque bytes (PutObject): not parsed as JSON and, as OCI does for object uploads, not covered by the signature. */
  readonly rawBody?: boolean;
  handle(ctx: OpContext): OpResult | Promise<OpResult>;
}

export interface SimService {
  readonly name: SimServiceName;
  /** Hono base path; its segments are cut from `request.path` in audit events (`/kms-mgmt/:vault`). */
  readonly basePath: string;
  /** Audit `source` and the middle of the event type: `com.oraclecloud.<auditSource>.<Operation>`. */
  readonly auditSource: string;
  /** Event type override (Object Storage uses lower-case `com.oraclecloud.objectstorage.<op>`). */
  eventType?(operation: string): string;
  /**
   * The service's API takes an `opc-client-request-id` request header and echoes it in the response
   * (Object Storage; no other service keyproof uses declares it, OCI-NOTES §1.5). The pipeline echoes it.
   */
  readonly echoesClientRequestId?: boolean;
  /** Write operations allowed per second per tenancy; more get 429 TooManyRequests. */
  readonly writesPerSecond?: number;
  readonly operations: readonly SimOperation[];
  /** Names of work the service does on its own (fault rules may target them: `AutoKeyRotate`). */
  readonly backgroundOperations?: readonly string[];
  /** Runs on every clock move and before every request: time-driven changes (auto-rotation, deletions). */
  tick?(runtime: SimRuntime): void;
}
