/**
 * How much timeline detail `summary.pdf` shows (cases.md B32). A month can hold 250,000 timeline
 * entries; the PDF shows the first entries of every subject up to a per-subject and a total cap,
 * shares the total fairly between subjects, and states for each subject how many more entries
 * are in which `evidence.xlsx` sheet. Nothing is dropped without a note. Pure function.
 */
import type { Timeline } from "../../timeline/timeline.js";

/** Sheets of `evidence.xlsx` holding every timeline entry (keep in step with the XLSX renderer). */
export const TIMELINE_SHEETS = { key: "KeyTimeline", resource: "ResourceTimeline" } as const;

export interface TimelineDetailLimits {
  /** Most entries shown for one subject. */
  maxEntriesPerSubject: number;
  /** Most entries shown in the whole PDF. */
  maxTotalEntries: number;
}

export const DEFAULT_TIMELINE_LIMITS: TimelineDetailLimits = { maxEntriesPerSubject: 200, maxTotalEntries: 2000 };

export interface SubjectDetail {
  timeline: Timeline;
  group: "key" | "resource";
  /** The first `shown` entries are drawn. */
  shown: number;
  /** Entries not drawn: `timeline.entries.length - shown`. */
  omitted: number;
  sheet: string;
}

export interface TimelineDetailPlan {
  keys: SubjectDetail[];
  resources: SubjectDetail[];
  shownTotal: number;
  omittedTotal: number;
  /** Omitted entries per sheet name, for the section's summary note. */
  omittedBySheet: Record<string, number>;
  limits: TimelineDetailLimits;
}

/**
 * Allocates the total cap by water-filling: subjects with few entries show them all and leave
 * their share to the larger ones; each gets at most `maxEntriesPerSubject`. Deterministic: ties
 * are broken by input order (keys first, then resources).
 */
export function planTimelineDetail(
  keyTimelines: readonly Timeline[],
  resourceTimelines: readonly Timeline[],
  limits: TimelineDetailLimits = DEFAULT_TIMELINE_LIMITS,
): TimelineDetailPlan {
  const all = [
    ...keyTimelines.map((t) => ({ t, group: "key" as const })),
    ...resourceTimelines.map((t) => ({ t, group: "resource" as const })),
  ];
  const order = all.map((_, i) => i).sort((a, b) => (all[a]?.t.entries.length ?? 0) - (all[b]?.t.entries.length ?? 0) || a - b);
  const shown = new Array<number>(all.length).fill(0);
  let remaining = Math.max(0, limits.maxTotalEntries);
  order.forEach((idx, rank) => {
    // ceil: the cap is used up, and a leftover goes to the smaller subjects first.
    const fairShare = Math.ceil(remaining / (order.length - rank));
    const n = Math.min(all[idx]?.t.entries.length ?? 0, limits.maxEntriesPerSubject, fairShare);
    shown[idx] = n;
    remaining -= n;
  });
  const omittedBySheet: Record<string, number> = {};
  let shownTotal = 0;
  let omittedTotal = 0;
  const details = all.map(({ t, group }, i): SubjectDetail => {
    const s = shown[i] ?? 0;
    const omitted = t.entries.length - s;
    const sheet = TIMELINE_SHEETS[group];
    shownTotal += s;
    omittedTotal += omitted;
    if (omitted > 0) omittedBySheet[sheet] = (omittedBySheet[sheet] ?? 0) + omitted;
    return { timeline: t, group, shown: s, omitted, sheet };
  });
  return {
    keys: details.filter((d) => d.group === "key"),
    resources: details.filter((d) => d.group === "resource"),
    shownTotal,
    omittedTotal,
    omittedBySheet,
    limits,
  };
}
