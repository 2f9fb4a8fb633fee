/**
 * Renders summary.pdf in a child process, for tests that need their own heap cap or TZ.
 *   render-pdf-child.script.ts OUT.pdf default           the default test pack
 *   render-pdf-child.script.ts OUT.pdf large KEYS PER_KEY KEYS × PER_KEY key timeline entries (B32)
 * Prints one JSON line: entries, bytes, pages, elapsed ms, heap after building the data, peak heap
 * used and max RSS (MB).
 */
import { renderSummaryPdf } from "../../src/evidence/render-pdf.js";
import { buildLargeKeyTimelines, buildPackData, packSourceOf } from "../helpers/pack-data-factory.js";

const [out, mode = "default", keysArg = "50", perKeyArg = "5000"] = process.argv.slice(2);
if (!out || (mode !== "default" && mode !== "large")) throw new Error("usage: render-pdf-child.script.ts OUT.pdf default|large [KEYS PER_KEY]");

let peakHeap = 0;
const sample = () => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
};
setInterval(sample, 10).unref();

const data =
  mode === "large"
    ? buildPackData({ keyTimelines: buildLargeKeyTimelines(Number(keysArg), Number(perKeyArg)), resourceTimelines: [] })
    : buildPackData();
sample();
const dataHeap = process.memoryUsage().heapUsed;
const started = performance.now();
const result = await renderSummaryPdf(packSourceOf(data, []), out);
const ms = Math.round(performance.now() - started);
sample();
const mb = (n: number) => Math.round((n / 1024 / 1024) * 10) / 10;
console.log(
  JSON.stringify({
    entries: data.counts.timelineEntries,
    bytes: result.bytes,
    pages: result.pages,
    ms,
    heapAfterDataMB: mb(dataHeap),
    peakHeapMB: mb(peakHeap),
    maxRssMB: mb(process.resourceUsage().maxRSS * 1024),
  }),
);
