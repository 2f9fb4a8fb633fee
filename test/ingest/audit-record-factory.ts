/**
 * Factories for synthetic audit records (shape of the real `_Audit` samples, CloudEvents 1.0) and
 * input files, with overridable defaults. Shared by the ingest and store tests.
 */
import { writeFile } from "node:fs/promises";
import { createWriteStream } from "node:fs";
import { once } from "node:events";
import { gzipSync } from "node:zlib";

export type AuditRecord = Record<string, unknown>;

/** An `_Audit` record as Service Connector delivers it; `n` makes ids and times distinct. */
export function loggingRecord(n: number, overrides: Partial<AuditRecord> & { data?: Record<string, unknown> } = {}): AuditRecord {
  const time = new Date(Date.UTC(2026, 9, 1) + n * 1000).toISOString();
  const { data, ...rest } = overrides;
  return {
    data: {
      availabilityDomain: "AD1",
      compartmentId: "ocid1.compartment.oc1..aaaaaaaaexamplecompartment1",
      compartmentName: "backup",
      eventGroupingId: `grp-${n}`,
      eventName: "CreateKeyVersion",
      identity: {
        authType: "natv",
        principalId: "ocid1.user.oc1..aaaaaaaaexampleuser1",
        principalName: "keyproof",
        tenantId: "ocid1.tenancy.oc1..aaaaaaaaexampletenancy1",
      },
      request: { action: "POST", id: `req-${n}`, path: `/20180608/keys/ocid1.key.oc1.iad.v1.k${n % 10}/keyVersions` },
      resourceId: `ocid1.key.oc1.iad.v1.k${n % 10}`,
      resourceName: `key-${n % 10}`,
      response: { status: "200", responseTime: time },
      ...data,
    },
    dataschema: "2.0",
    id: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    oracle: {
      compartmentid: "ocid1.compartment.oc1..aaaaaaaaexamplecompartment1",
      ingestedtime: new Date(Date.UTC(2026, 9, 1) + n * 1000 + 5000).toISOString(),
      loggroupid: "_Audit",
      tenantid: "ocid1.tenancy.oc1..aaaaaaaaexampletenancy1",
    },
    source: `key-${n % 10}`,
    specversion: "1.0",
    time,
    type: "com.oraclecloud.KeyManagementService.CreateKeyVersion",
    ...rest,
  };
}

/** JSON Lines text of `records`, without a trailing newline (like the real exports). */
export function jsonLines(records: readonly unknown[]): string {
  return records.map((r) => JSON.stringify(r)).join("\n");
}

/** Writes `text` to `file`, gzipped when `gzip` is set. */
export async function writeInput(file: string, text: string | Buffer, options: { gzip?: boolean } = {}): Promise<string> {
  const bytes = typeof text === "string" ? Buffer.from(text, "utf8") : text;
  await writeFile(file, options.gzip ? gzipSync(bytes) : bytes);
  return file;
}

/** Streams `count` records (`loggingRecord(first + i)`) to a JSON Lines file without holding them all. */
export async function writeJsonLinesFile(file: string, count: number, first = 0): Promise<string> {
  const out = createWriteStream(file);
  for (let i = 0; i < count; i++) {
    const line = `${i === 0 ? "" : "\n"}${JSON.stringify(loggingRecord(first + i))}`;
    if (!out.write(line)) await once(out, "drain");
  }
  out.end();
  await once(out, "finish");
  return file;
}
