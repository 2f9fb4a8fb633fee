/**
 * What an audit record proves about a call's result, from its HTTP status alone (DESIGN §3 rule 5:
 * a 200 or a 202 is never proof that a re-key finished; verdicts need more than this).
 */
import type { EntryOutcome } from "./timeline.js";
import { asText, block, type Obj } from "./record-fields.js";

/**
 * 2xx except 202 → succeeded; 202 → accepted (a work request was started); 4xx / 5xx → failed;
 * missing, non-numeric, 1xx or 3xx → unknown.
 */
export function entryOutcomeOf(status: string | null): EntryOutcome {
  if (status === null) return "unknown";
  const trimmed = status.trim();
  if (!/^\d{3}$/.test(trimmed)) return "unknown";
  const code = Number(trimmed);
  if (code === 202) return "accepted";
  if (code >= 200 && code < 300) return "succeeded";
  if (code >= 400 && code < 600) return "failed";
  return "unknown";
}

/**
 * The error OCI answered, for a failed entry's detail: `response.message`, else the payload's
 * `message`, prefixed with the payload's error `code` when it has one ("IncorrectState: ...").
 */
export function failureDetailOf(data: Obj, status: string | null): string {
  const payload = block(data, "response", "payload");
  const message = asText(block(data, "response")?.message) ?? asText(payload?.message);
  const code = asText(payload?.code);
  if (message && code && !message.startsWith(code)) return `${code}: ${message}`;
  return message ?? code ?? `HTTP ${status ?? "?"} without a message`;
}
