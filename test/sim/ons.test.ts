import * as common from "oci-common";
import { NotificationDataPlaneClient, type requests } from "oci-ons";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createSimClock } from "../../src/sim/sim-clock.js";
import { EXAMPLE, exampleSeed, useSimulator } from "../helpers/sim.js";

const NOW = "2026-07-10T10:00:00.000Z";
const TOPIC = exampleSeed().topics![0]!;
const JSON_TYPE = "JSON" as requests.PublishMessageRequest.MessageType;
const RAW = "RAW_TEXT" as requests.PublishMessageRequest.MessageType;

describe("Notifications PublishMessage through NotificationDataPlaneClient", () => {
  const suite = useSimulator({ clock: createSimClock({ start: NOW }), maxClockSkewMs: Infinity });
  let ons: NotificationDataPlaneClient;
  beforeAll(() => {
    const { sim, provider } = suite();
    ons = new NotificationDataPlaneClient({ authenticationDetailsProvider: provider }, { circuitBreaker: new common.CircuitBreaker({ disableClientCircuitBreaker: true }) });
    ons.endpoint = sim.endpoints.ons;
  });
  afterAll(() => ons?.close());
  const publish = (body: string, messageType?: requests.PublishMessageRequest.MessageType, topicId = TOPIC.id, title?: string) =>
    ons.publishMessage({ topicId, messageDetails: { body, ...(title ? { title } : {}) }, ...(messageType ? { messageType } : {}) });

  it("publishes a JSON message with a default key and keeps it for tests to read", async () => {
    const { sim } = suite();
    const body = JSON.stringify({ default: "Key rotated", EMAIL: "Key backup-objects-key rotated" });
    const { publishResult, opcRequestId } = await publish(body, JSON_TYPE, TOPIC.id, "keyproof");
    expect(publishResult.messageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(publishResult.timeStamp as unknown as string).toBe(NOW);
    expect(opcRequestId).toMatch(/\S/);
    expect(sim.messages.at(-1)).toEqual({
      messageId: publishResult.messageId, topicId: TOPIC.id, title: "keyproof", body, messageType: "JSON", timeStamp: NOW, principalId: EXAMPLE.user.id,
    });
    expect(sim.audit.events().at(-1)).toMatchObject({
      eventType: "com.oraclecloud.NotificationService.PublishMessage", data: { compartmentId: EXAMPLE.securityId, resourceId: TOPIC.id, resourceName: "keyproof-alerts" },
    });
  });

  it("takes any text as RAW_TEXT but needs a JSON object with a string default key for JSON (the default type)", async () => {
    const { sim } = suite();
    await publish("plain text, not JSON", RAW);
    expect(sim.messages.at(-1)).toMatchObject({ body: "plain text, not JSON", messageType: "RAW_TEXT", title: null });
    for (const body of ["plain text", JSON.stringify({ EMAIL: "no default" }), JSON.stringify(["default"]), JSON.stringify({ default: 1 })]) {
      await expect(publish(body, JSON_TYPE)).rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    }
    await expect(publish("plain text")).rejects.toMatchObject({ statusCode: 400, serviceCode: "InvalidParameter" });
    await expect(publish("x", RAW, "ocid1.onstopic.oc1.iad.aaaaaaaanosuchtopic")).rejects.toMatchObject({ statusCode: 404, serviceCode: "NotAuthorizedOrNotFound" });
  });

  it("accepts a message of exactly 64 KB and rejects one byte more", async () => {
    const { sim } = suite();
    sim.clock.advance(60_000);
    await publish("a".repeat(64 * 1024), RAW);
    expect(sim.messages.at(-1)!.body).toHaveLength(65_536);
    await expect(publish("a".repeat(64 * 1024 + 1), RAW)).rejects.toMatchObject({ statusCode: 400, message: expect.stringContaining("64 KB") });
    await expect(publish("é".repeat(32 * 1024 + 1), RAW)).rejects.toMatchObject({ statusCode: 400 }); // UTF-8 bytes, not characters
  });

  it("takes 60 messages per minute per topic and answers 429 TooManyRequests to the 61st, until the minute has passed", async () => {
    const { sim } = suite();
    sim.clock.advance(60_000);
    const before = sim.messages.length;
    for (let i = 0; i < 60; i++) await publish(`message ${i}`, RAW);
    await expect(publish("message 60", RAW)).rejects.toMatchObject({ statusCode: 429, serviceCode: "TooManyRequests" });
    expect(sim.messages.length - before).toBe(60);
    sim.clock.advance(60_000);
    await publish("message 61", RAW);
    expect(sim.messages.at(-1)!.body).toBe("message 61");
  });
});
