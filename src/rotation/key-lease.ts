/**
 * The lease on one key (DESIGN §7: "a lease row plus an opc-retry-token"): while a run works on a
 * key, no other process does. Acquired by inserting the `rotation_lease` row, or by taking over
 * one whose holder died (its `expires_at` passed), in one IMMEDIATE transaction; renewed at every
 * step so it only lapses when its holder stops working; released at the end.
 */
import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { Kysely } from "kysely";
import type { Clock } from "../time/instant.js";
import { formatInstant } from "../time/instant.js";
import type { Database } from "../store/schema.js";
import { acquireRotationLease, releaseRotationLease, renewRotationLease } from "../store/rotation-records.js";

/**
 * This run must stop working on a key: thrown by {@link KeyLease.renew} when another holder took
 * the lease over (it had expired), and by the slot and re-key writes of slot-work.ts when the
 * store refused them (the lease is no longer ours, or another run already closed the record).
 * execute-plan.ts turns it into the key's outcome; nothing more is sent or written for the key.
 */
export class LeaseLostError extends Error {
  constructor(readonly keyId: string, message?: string) {
    super(message ?? `the lease on key ${keyId} expired and was taken over by another run; this run stops working on it`);
    this.name = "LeaseLostError";
  }
}

export interface KeyLease {
  readonly keyId: string;
  readonly holder: string;
  /** Moves the expiry to now + ttl. @throws LeaseLostError when the lease is no longer ours. */
  renew(): Promise<void>;
  /** Deletes the lease row if it is still ours. Never throws. */
  release(): Promise<void>;
}

export interface LeaseDeps {
  db: Kysely<Database>;
  clock: Clock;
  /** Lease lifetime without renewal, ms (config.rotation.leaseTtlMs). */
  ttlMs: number;
}

/** A holder id unique to this process and run: `<hostname>:<pid>:<8 hex>`. */
export function newHolderId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString("hex")}`;
}

/**
 * Takes the lease on `keyId` for `holder`.
 * @returns the lease, or null when another live holder has it.
 */
export async function acquireKeyLease(deps: LeaseDeps, keyId: string, holder: string, runId: number): Promise<KeyLease | null> {
  const expiry = () => formatInstant(deps.clock.now().getTime() + deps.ttlMs);
  const now = formatInstant(deps.clock.now().getTime());
  // One transaction (BEGIN IMMEDIATE on SQLite): two processes queue on the write lock, the
  // second sees the first one's row and its upsert condition (expired or own) is false.
  const won = await deps.db.transaction().execute((trx) => acquireRotationLease(trx, { keyId, holder, runId, now, expiresAt: expiry() }));
  if (!won) return null;
  return {
    keyId,
    holder,
    async renew() {
      if (!(await renewRotationLease(deps.db, { keyId, holder, expiresAt: expiry() }))) throw new LeaseLostError(keyId);
    },
    async release() {
      await releaseRotationLease(deps.db, { keyId, holder }).catch(() => undefined);
    },
  };
}
