/**
 * Notifications data plane (`NotificationDataPlaneClient`, oci-ons, OCI-NOTES §2.9): PublishMessage
 * `POST /20181201/topics/{topicId}/messages` with header `messageType: JSON | RAW_TEXT` (JSON when
 * absent) and body `{title?, body}` → `{messageId, timeStamp}`. JSON bodies must be an object with
 * a string `default` key; a message (title + body, UTF-8) may be at most 64 KB; a topic takes 60
 * messages per minute of simulator time (429 TooManyRequests above, which the SDK retries only if
 * the caller configured retries). Topics come from the seed; messages are kept as `sim.messages`.
 */
import { randomUUID } from "node:crypto";
import { appendPublishedMessage, publishedMessages } from "../ons/published-messages.js";
import { invalid, missing, notFound, SimError } from "../sim-error.js";
import type { OpContext, SimService } from "../sim-service.js";

export const MAX_MESSAGE_BYTES = 64 * 1024;
export const MESSAGES_PER_MINUTE_PER_TOPIC = 60;

function messageTypeOf(ctx: OpContext): "JSON" | "RAW_TEXT" {
  const value = ctx.headers.get("messagetype") ?? "JSON";
  if (value !== "JSON" && value !== "RAW_TEXT") throw invalid("messageType", `must be JSON or RAW_TEXT, got ${value}`);
  return value;
}

function checkJsonBody(body: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw invalid("body", "messageType JSON needs a JSON object body");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) throw invalid("body", "messageType JSON needs a JSON object body");
  if (typeof (parsed as Record<string, unknown>)["default"] !== "string") throw invalid("body", 'messageType JSON needs a "default" key with a string value');
}

function publishMessage(ctx: OpContext) {
  const topic = ctx.state.topics.get(ctx.params["topicId"]!);
  if (!topic) throw notFound("Topic", ctx.params["topicId"]!);
  Object.assign(ctx.audit, { compartmentId: topic.compartmentId, resourceId: topic.id, resourceName: topic.name });
  const messageType = messageTypeOf(ctx);
  const details = ctx.body as { title?: unknown; body?: unknown } | undefined;
  if (details?.body === undefined || details.body === null) throw missing("body");
  if (typeof details.body !== "string") throw invalid("body", "must be a string");
  const title = details.title === undefined || details.title === null ? null : String(details.title);
  const bytes = Buffer.byteLength(details.body) + Buffer.byteLength(title ?? "");
  if (bytes > MAX_MESSAGE_BYTES) throw invalid("body", `the message is ${bytes} bytes; the limit is ${MAX_MESSAGE_BYTES} (64 KB)`);
  if (messageType === "JSON") checkJsonBody(details.body);
  const since = new Date(ctx.now.getTime() - 60_000).toISOString();
  const recent = publishedMessages(ctx.state).filter((m) => m.topicId === topic.id && m.timeStamp > since).length;
  if (recent >= MESSAGES_PER_MINUTE_PER_TOPIC) {
    throw new SimError("TooManyRequests", `Too many requests: topic ${topic.id} accepts ${MESSAGES_PER_MINUTE_PER_TOPIC} messages per minute`, { "retry-after": "60" });
  }
  const message = {
    messageId: randomUUID(), topicId: topic.id, title, body: details.body, messageType,
    timeStamp: ctx.now.toISOString(), principalId: ctx.principal.id,
  };
  appendPublishedMessage(ctx.state, message);
  ctx.audit.payload = { messageId: message.messageId };
  return { body: { messageId: message.messageId, timeStamp: message.timeStamp } };
}

export const onsService: SimService = {
  name: "ons",
  basePath: "/ons",
  auditSource: "NotificationService",
  operations: [{ name: "PublishMessage", method: "POST", path: "/20181201/topics/:topicId/messages", write: true, handle: publishMessage }],
};
