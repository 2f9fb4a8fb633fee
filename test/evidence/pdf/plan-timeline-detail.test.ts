import { describe, expect, it } from "vitest";
import { planTimelineDetail } from "../../../src/evidence/pdf/plan-timeline-detail.js";
import { buildTimeline, buildTimelineEntry } from "../../helpers/pack-data-factory.js";

const withEntries = (n: number, id: string) => buildTimeline({ subjectId: id, entries: Array.from({ length: n }, (_, i) => buildTimelineEntry({ eventId: `${id}-${i}` })) });

describe("planTimelineDetail", () => {
  it("shows everything when the month is under both caps", () => {
    const plan = planTimelineDetail([withEntries(3, "k1")], [withEntries(2, "r1")], { maxEntriesPerSubject: 10, maxTotalEntries: 100 });
    expect(plan.keys.map((d) => [d.shown, d.omitted])).toEqual([[3, 0]]);
    expect(plan.resources.map((d) => [d.shown, d.omitted, d.sheet])).toEqual([[2, 0, "ResourceTimeline"]]);
    expect(plan.omittedTotal).toBe(0);
  });

  it("caps each subject and the total, and counts what is left out per sheet", () => {
    const keys = Array.from({ length: 50 }, (_, k) => withEntries(5_000, `k${k}`));
    const plan = planTimelineDetail(keys, [], { maxEntriesPerSubject: 200, maxTotalEntries: 2_000 });
    expect(plan.keys.every((d) => d.shown === 40 && d.omitted === 4_960 && d.sheet === "KeyTimeline")).toBe(true);
    expect(plan.shownTotal).toBe(2_000);
    expect(plan.omittedBySheet).toEqual({ KeyTimeline: 248_000 });
  });

  it("gives the share small subjects do not need to the large ones", () => {
    const plan = planTimelineDetail([withEntries(2, "small"), withEntries(500, "big")], [withEntries(1, "r")], { maxEntriesPerSubject: 1_000, maxTotalEntries: 100 });
    expect(plan.keys.map((d) => d.shown)).toEqual([2, 97]);
    expect(plan.resources.map((d) => d.shown)).toEqual([1]);
    expect(plan.shownTotal).toBe(100);
  });

  it("uses the whole total cap even when there are more subjects than rows", () => {
    const keys = Array.from({ length: 7 }, (_, k) => withEntries(1, `k${k}`));
    const plan = planTimelineDetail(keys, [], { maxEntriesPerSubject: 10, maxTotalEntries: 4 });
    expect(plan.keys.map((d) => d.shown)).toEqual([1, 1, 1, 1, 0, 0, 0]);
    expect(plan.shownTotal + plan.omittedTotal).toBe(7);
  });
});
