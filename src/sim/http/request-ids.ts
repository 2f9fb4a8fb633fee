/**
 * `opc-request-id` values in OCI's shape (OCI-NOTES §1.3, examples/audit-export-gen/ids.ts): the
 * client's id (or a generated one) followed by two server hops, `<client>/<32 hex>/<32 hex>`. The
 * response header and Audit's `request.id` carry the full id; `eventGroupingId` is `<client>/<hop>`.
 * The response therefore always starts with the id the client sent.
 */
import { randomBytes, randomUUID } from "node:crypto";

export interface RequestIds {
  client: string;
  full: string;
  grouping: string;
}

const hex = (): string => randomBytes(16).toString("hex").toUpperCase();

/** Ids for one request; `clientId` is the `opc-request-id` header the client sent, if any. */
export function requestIdsFor(clientId: string | undefined): RequestIds {
  const client = clientId?.trim() || randomUUID().replace(/-/g, "").toUpperCase();
  // A client id that already has hops (a retried full id) is not extended again.
  if (client.split("/").length >= 3) return { client, full: client, grouping: client.split("/").slice(0, 2).join("/") };
  const a = hex();
  return { client, full: `${client}/${a}/${hex()}`, grouping: `${client}/${a}` };
}
