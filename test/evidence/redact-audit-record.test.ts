import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { REDACTED, redactAuditRecord } from "../../src/evidence/redact-audit-record.js";
import { SAMPLES_DIR } from "../helpers/run-cli.js";

const BATCH1 = path.join(SAMPLES_DIR, "audit-v2-jsonl-batch1-15rec_resourcemanager-createstack-statechange_logging-begin_fed-user_eugsim1-logging-analytics.jsonl");

describe("redactAuditRecord", () => {
  it("removes the session token and Authorization header of a real federated-user record and keeps everything else", () => {
    const record = JSON.parse(readFileSync(BATCH1, "utf8").split("\n")[0]!);
    expect(record.data.identity.credentials).toBe("ST$<redacted-session-token-1>");
    const out = redactAuditRecord(record) as typeof record;
    expect(out.data.identity.credentials).toBe(REDACTED);
    expect(out.data.request.headers.Authorization).toEqual([REDACTED]);
    expect(JSON.stringify(out)).not.toContain("ST$");
    // Untouched: ids, times, principal, other headers, and the original object.
    expect(out.id).toBe("2e951ebc-4463-4d0f-96ab-10adb06cf2d6");
    expect(out.data.identity.principalName).toBe("example.user@example.com");
    expect(out.data.request.headers["opc-request-id"]).toEqual(record.data.request.headers["opc-request-id"]);
    expect(out.data.response.headers.ETag).toEqual(record.data.response.headers.ETag);
    expect(record.data.identity.credentials).toBe("ST$<redacted-session-token-1>");
  });

  it("redacts secret-bearing headers by name in any case and any envelope, and bearer tokens of instance principals", () => {
    const out = redactAuditRecord({
      logContent: {
        data: {
          identity: { credentials: null },
          request: { headers: { authorization: ["Bearer eyJhbGciOi.payload.sig"], "X-Auth-Token": "t0k3n", Cookie: ["a=b"], "opc-principal": ["{claims}"], Accept: ["*/*"] } },
          response: { headers: { "Set-Cookie": ["s=1"], "Content-Type": ["application/json"] } },
        },
      },
    }) as { logContent: { data: { identity: { credentials: unknown }; request: { headers: Record<string, unknown> }; response: { headers: Record<string, unknown> } } } };
    const { request, response, identity } = out.logContent.data;
    expect(request.headers).toEqual({ authorization: [REDACTED], "X-Auth-Token": REDACTED, Cookie: [REDACTED], "opc-principal": [REDACTED], Accept: ["*/*"] });
    expect(response.headers).toEqual({ "Set-Cookie": [REDACTED], "Content-Type": ["application/json"] });
    expect(identity.credentials).toBeNull();
  });
});
