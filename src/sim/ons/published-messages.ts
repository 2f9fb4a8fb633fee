/**
 * The messages PublishMessage accepted, kept in the simulator state (plain data, so the "not
 * applied" fault rolls them back) for tests to read as `sim.messages`; they also drive the
 * per-topic rate limit.
 */
import type { SimState } from "../state/sim-state.js";

/** One published message, as the subscribers would receive it. */
export interface PublishedMessage {
  messageId: string;
  topicId: string;
  title: string | null;
  body: string;
  messageType: "JSON" | "RAW_TEXT";
  /** Simulator time of publication (ISO). */
  timeStamp: string;
  /** The user who published it. */
  principalId: string;
}

const KEY = "ons";

/** Every message published so far, in order. */
export function publishedMessages(state: SimState): readonly PublishedMessage[] {
  return (state.extensions[KEY] as PublishedMessage[] | undefined) ?? [];
}

export function appendPublishedMessage(state: SimState, message: PublishedMessage): void {
  state.extensions[KEY] = [...publishedMessages(state), message];
}
