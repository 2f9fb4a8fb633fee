import { describe, expect, it } from "vitest";
import { entryOutcomeOf, failureDetailOf } from "../../src/timeline/entry-outcome.js";

describe("entryOutcomeOf", () => {
  it.each([
    ["200", "succeeded"],
    ["201", "succeeded"],
    ["204", "succeeded"],
    [" 200 ", "succeeded"],
    ["202", "accepted"],
    ["400", "failed"],
    ["401", "failed"],
    ["404", "failed"],
    ["409", "failed"],
    ["429", "failed"],
    ["500", "failed"],
    ["503", "failed"],
    ["100", "unknown"],
    ["302", "unknown"],
    ["600", "unknown"],
    ["", "unknown"],
    ["OK", "unknown"],
    ["2000", "unknown"],
  ] as const)("maps HTTP status %j to %s", (status, outcome) => {
    expect(entryOutcomeOf(status)).toBe(outcome);
  });

  it("calls a record without a status unknown", () => {
    expect(entryOutcomeOf(null)).toBe("unknown");
  });
});

describe("failureDetailOf", () => {
  const data = (response: unknown) => ({ response });

  it("uses response.message, prefixed with the payload's error code", () => {
    expect(failureDetailOf(data({ message: "Volume is busy", payload: { code: "IncorrectState" } }), "409")).toBe("IncorrectState: Volume is busy");
  });

  it("does not repeat a code the message already starts with", () => {
    expect(failureDetailOf(data({ message: "NotAuthorizedOrNotFound: no bucket", payload: { code: "NotAuthorizedOrNotFound" } }), "404")).toBe(
      "NotAuthorizedOrNotFound: no bucket",
    );
  });

  it("falls back to the payload's message, then its code, then the status", () => {
    expect(failureDetailOf(data({ message: null, payload: { message: "Bucket has no kmsKeyId" } }), "400")).toBe("Bucket has no kmsKeyId");
    expect(failureDetailOf(data({ payload: { code: "TooManyRequests" } }), "429")).toBe("TooManyRequests");
    expect(failureDetailOf({}, "500")).toBe("HTTP 500 without a message");
  });
});
