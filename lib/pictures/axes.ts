/**
 * Axes shared by the charts: epochs along x, a log scale with 1-2-5 ticks, and the zoom and pan
 * that a live chart binds to its x axis.
 *
 * @module
 */
import type { SelectionParameter } from "vega-lite/build/src/selection.js";

/** An x encoding of epochs, from the rows' `x` field. */
export const epochAxis = { field: "x", type: "quantitative", title: "Epoch" } as const;

/**
 * A log scale over `values` from the 1-2-5 step below the least to the one above the greatest,
 * with a labelled tick at each 1-2-5 step (at each power of ten when they span over 4 decades).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const { scale, axis } = logScale([0.031, 0.42], "~g");
 * assert.deepEqual(scale.domain, [0.02, 0.5]);
 * assert.deepEqual(axis.values, [0.02, 0.05, 0.1, 0.2, 0.5]);
 * ```
 */
export function logScale(values: number[], format: string) {
  const low = Math.min(...values);
  const high = Math.max(...values);
  const steps = [];
  for (let k = Math.floor(Math.log10(low)); k <= Math.ceil(Math.log10(high)); k++) {
    steps.push(...[1, 2, 5].map((m) => Number(`${m}e${k}`)));
  }
  const from = steps.findLast((v) => v <= low) ?? low;
  const to = steps.find((v) => v >= high && v > from) ?? 10 * from;
  const shown = steps.filter((v) => v >= from && v <= to);
  const ticks = to / from > 1e4 ? shown.filter((v) => Number.isInteger(Math.log10(v))) : shown;
  return {
    scale: { type: "log", domain: [from, to], nice: false },
    axis: { values: ticks, format },
  } as const;
}

/**
 * A Vega-Lite parameter that binds the x scale to the mouse where the chart is shown live: the
 * wheel zooms and a drag pans along x, a double click resets. Static drawings ignore it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(zoomX("zoom").bind, "scales");
 * ```
 */
export function zoomX(name: string): SelectionParameter<"interval"> {
  return { name, select: { type: "interval", encodings: ["x"] }, bind: "scales" };
}
