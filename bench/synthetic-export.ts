/**
 * Generates a synthetic `_Audit` export (CloudEvents 1.0 JSON Lines, gzip) of realistic size
 * (~2.3 KB per record, DESIGN §4) for benchmarks: mostly read noise, with a CreateKeyVersion and
 * ReencryptBucket pair every 50 records so timelines have work to do.
 */
import { createWriteStream } from "node:fs";
import { stat } from "node:fs/promises";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";

const TENANCY = "ocid1.tenancy.oc1..aaaaaaaabenchtenancy";
const COMPARTMENT = "ocid1.compartment.oc1..aaaaaaaabenchcompartment";

function record(i: number, startMs: number, stepMs: number): object {
  const time = new Date(startMs + i * stepMs).toISOString();
  const key = `ocid1.key.oc1.iad.benchvault.aaaaaaaakey${i % 50}`;
  const kind = i % 50 === 0 ? "CreateKeyVersion" : i % 50 === 1 ? "ReencryptBucket" : "GetKey";
  const path =
    kind === "ReencryptBucket" ? `/n/benchns/b/bucket-${i % 50}/actions/reencrypt` : kind === "CreateKeyVersion" ? `/20180608/keys/${key}/keyVersions` : `/20180608/keys/${key}`;
  const type = kind === "ReencryptBucket" ? "com.oraclecloud.objectstorage.reencryptbucket" : `com.oraclecloud.KeyManagementService.${kind}`;
  const requestId = `bench${i.toString(16).padStart(12, "0")}/${"A".repeat(32)}`;
  return {
    data: {
      additionalDetails: { "X-Real-Port": 40000 + (i % 1000) },
      availabilityDomain: "AD1",
      compartmentId: COMPARTMENT,
      compartmentName: "backup-prod",
      definedTags: null,
      eventGroupingId: requestId,
      eventName: kind,
      freeformTags: null,
      identity: {
        authType: "natv",
        callerId: null,
        callerName: null,
        consoleSessionId: null,
        credentials: `${TENANCY}/ocid1.user.oc1..aaaaaaaabenchuser/00:11:22:33:44:55:66:77:88:99:aa:bb:cc:dd:ee:ff`,
        ipAddress: "198.51.100.20",
        principalId: "ocid1.user.oc1..aaaaaaaabenchuser",
        principalName: "keyproof-rotator",
        tenantId: TENANCY,
        userAgent: "Oracle-TypeScriptSDK/2.139.1 (Linux; Node.js v20.20.2)",
      },
      message: `${kind} succeeded`,
      request: {
        action: kind === "GetKey" ? "GET" : "POST",
        headers: {
          Accept: ["application/json"],
          Authorization: ['Signature headers="x-date (request-target) host",keyId="*****",algorithm="rsa-sha256",signature="*****",version="1"'],
          "User-Agent": ["Oracle-TypeScriptSDK/2.139.1 (Linux; Node.js v20.20.2)"],
          "opc-request-id": [requestId],
          "x-date": [new Date(startMs + i * stepMs).toUTCString()],
        },
        id: requestId,
        parameters: {},
        path,
      },
      resourceId: kind === "ReencryptBucket" ? `/n/benchns/b/bucket-${i % 50}` : key,
      response: {
        headers: { "Content-Type": ["application/json"], "opc-request-id": [requestId], ...(kind === "ReencryptBucket" ? { "opc-work-request-id": [`ocid1.objectstorageworkrequest.oc1.iad.bench${i}`] } : {}) },
        message: null,
        payload: kind === "CreateKeyVersion" ? { id: `ocid1.keyversion.oc1.iad.benchvault.aaaaaaaaver${i}`, keyId: key } : {},
        responseTime: time,
        status: kind === "ReencryptBucket" ? "202" : "200",
      },
      stateChange: { current: null, previous: null },
    },
    dataschema: "2.0",
    id: `bench-${i.toString().padStart(10, "0")}-0000-4000-8000-000000000000`,
    oracle: { compartmentid: COMPARTMENT, ingestedtime: new Date(startMs + i * stepMs + 7_000).toISOString(), loggroupid: "_Audit", tenantid: TENANCY },
    source: "",
    specversion: "1.0",
    time,
    type,
  };
}

/** Writes `events` records spread evenly over `month` (YYYY-MM, UTC) to `file`; returns its size in bytes. */
export async function writeSyntheticExport(file: string, options: { events: number; month: string }): Promise<number> {
  const [y, m] = options.month.split("-").map(Number) as [number, number];
  const start = Date.UTC(y, m - 1, 1);
  const step = Math.max(1, Math.floor((Date.UTC(y, m, 1) - start) / options.events));
  async function* lines() {
    for (let i = 0; i < options.events; i += 1) yield `${JSON.stringify(record(i, start, step))}\n`;
  }
  await pipeline(Readable.from(lines()), createGzip(), createWriteStream(file));
  return (await stat(file)).size;
}
