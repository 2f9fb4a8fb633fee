import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { normalizeAuditRecord } from "../../src/ingest/normalize-audit-record.js";
import { REPO_ROOT, SAMPLES_DIR } from "../helpers/run-cli.js";
import { EXAMPLE, useSimulator } from "../helpers/sim.js";

const sample = JSON.parse(readFileSync(path.join(SAMPLES_DIR, "audit-api-listevents-item_computeapi-getinstance_oci-docs.json"), "utf8"));
const exported = JSON.parse(readFileSync(path.join(REPO_ROOT, "examples/audit-export/listevents/auditEvents_20260101T000000Z_20260701T000000Z.json"), "utf8"))[0];
const keys = (o: object) => Object.keys(o).sort();

describe("audit events recorded for every call", () => {
  const suite = useSimulator();

  it("records a successful CreateKeyVersion with OCI's envelope, identity, request, response and stateChange", async () => {
    const { sim, clients } = suite();
    const keyId = EXAMPLE.bucketKey.id;
    const { keyVersion, opcRequestId } = await clients.management.createKeyVersion({ keyId, opcRetryToken: "kp-audit" });
    const event = sim.audit.events().find((e) => e.data.request.id === opcRequestId)!;
    expect(event).toMatchObject({
      eventType: "com.oraclecloud.KeyManagementService.CreateKeyVersion", cloudEventsVersion: "0.1", eventTypeVersion: "2.0",
      source: "KeyManagementService", contentType: "application/json", eventTime: sim.clock.now().toISOString(),
    });
    expect(event.eventId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(event.data).toMatchObject({
      eventName: "CreateKeyVersion", compartmentId: EXAMPLE.securityId, compartmentName: "security", resourceId: keyVersion.id,
      freeformTags: { "backup-encryption": "enabled" },
      identity: {
        principalName: "keyproof-rotator", principalId: EXAMPLE.user.id, authType: "natv", tenantId: EXAMPLE.tenancyId,
        ipAddress: "127.0.0.1", credentials: expect.stringMatching(new RegExp(`^${EXAMPLE.tenancyId}/${EXAMPLE.user.id}/([0-9a-f]{2}:){15}[0-9a-f]{2}$`)),
        userAgent: expect.stringMatching(/^Oracle-TypeScriptSDK\/2\.139\.1/),
      },
      request: { path: `/20180608/keys/${keyId}/keyVersions`, action: "POST", parameters: {} },
      response: { status: "200", payload: { id: keyVersion.id, resourceName: null }, message: null },
      stateChange: { previous: {}, current: { id: keyVersion.id, keyId, lifecycleState: "ENABLING" } },
    });
    expect(opcRequestId.startsWith(`${event.data.eventGroupingId}/`)).toBe(true);
    const authorization = Object.entries(event.data.request.headers).find(([k]) => k.toLowerCase() === "authorization")![1][0]!;
    expect(authorization).toMatch(/^Signature .*signature="\*{5}"/);
    expect(JSON.stringify(event)).not.toMatch(/signature="[A-Za-z0-9+/=]{20,}"/);
    const headerNames = Object.keys(event.data.request.headers).map((h) => h.toLowerCase());
    expect(headerNames).toEqual(expect.arrayContaining(["opc-retry-token", "x-content-sha256", "x-date", "host"]));
    expect(event.data.response.headers["opc-request-id"]).toEqual([opcRequestId]);
    expect(event.data.response.headers.ETag).toHaveLength(1);
  });

  it("records a failed call with OCI's error as payload and message", async () => {
    const { sim, clients } = suite();
    const error = await clients.management.getKey({ keyId: "ocid1.key.oc1.iad.ejsppeqvaafyi.abuwcljsnosuchkey" }).catch((e: { opcRequestId: string }) => e);
    const event = sim.audit.events().find((e) => e.data.request.id === error.opcRequestId)!;
    expect(event.data.response).toMatchObject({ status: "404", payload: { code: "NotAuthorizedOrNotFound" }, message: expect.stringContaining("not found") });
  });

  it("uses the key sets of the real ListEvents sample and of the committed example export", async () => {
    const { sim, clients } = suite();
    await clients.vault.getVault({ vaultId: EXAMPLE.vaultId });
    for (const event of sim.audit.events()) {
      for (const reference of [sample, exported]) {
        expect(keys(event)).toEqual(keys(reference));
        expect(keys(event.data)).toEqual(keys(reference.data));
        expect(keys(event.data.identity)).toEqual(keys(reference.data.identity));
        expect(keys(event.data.request)).toEqual(keys(reference.data.request));
        expect(keys(event.data.response)).toEqual(keys(reference.data.response));
        expect(keys(event.data.stateChange!)).toEqual(keys(reference.data.stateChange));
      }
    }
  });

  it("records one event per served call, and every event imports through keyproof's normaliser", () => {
    const { sim } = suite();
    const audited = sim.calls.filter((c) => c.principal && c.status > 0);
    const events = sim.audit.events();
    expect(events.map((e) => e.data.request.id)).toEqual(audited.map((c) => c.requestId));
    for (const event of events) {
      const outcome = normalizeAuditRecord(JSON.parse(JSON.stringify(event)));
      expect(outcome.ok, JSON.stringify(outcome)).toBe(true);
    }
  });
});

describe("audit delivery delay", () => {
  const suite = useSimulator({ auditDeliveryDelayMs: 5 * 60_000 });

  it("makes an event visible only once the simulator clock reaches its processing time", async () => {
    const { sim, clients } = suite();
    const { opcRequestId } = await clients.vault.getVault({ vaultId: EXAMPLE.vaultId });
    const visible = () => sim.audit.events().some((e) => e.data.request.id === opcRequestId);
    expect(visible()).toBe(false);
    const pending = sim.audit.query({ includePending: true }).find((r) => r.event.data.request.id === opcRequestId)!;
    expect(Date.parse(pending.processedAt) - Date.parse(pending.event.eventTime)).toBe(5 * 60_000);
    sim.clock.advance(5 * 60_000);
    expect(visible()).toBe(true);
    sim.clock.advance(-5 * 60_000);
  });
});
