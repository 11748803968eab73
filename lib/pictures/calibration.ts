/**
 * Reliability diagrams as Vega-Lite charts (Guo et al. 2017, "On calibration of modern neural networks"):
 * predictions binned by confidence, each bin's accuracy as a bar against the diagonal of perfect
 * calibration, and the expected calibration error (ECE).
 *
 * @module
 */
import { checkError, checkInteger, checkNumber } from "../checks.ts";
import { checkPositiveInt } from "./pixels.ts";
import { type Chart, MIN_FONT_SIZE, PRIMARY } from "./render.ts";

/** One confidence bin: the predictions whose top probability lies in [low, high). */
export interface CalibrationBin {
  /** Lower end of the bin, 0–1. */
  low: number;
  /** Upper end of the bin, 0–1, above `low`. */
  high: number;
  /** Predictions in the bin (0: drawn empty, and confidence and accuracy may be NaN). */
  count: number;
  /** Mean top probability of the bin's predictions, 0–1. */
  confidence: number;
  /** Share of the bin's predictions that are right, 0–1. */
  accuracy: number;
}

/** One panel of {@linkcode reliabilityDiagram}: a model on a test set. */
export interface ReliabilityPanel {
  /** Title above the panel, e.g. "Clean model, noisy test set". */
  title: string;
  /** The bins, in order of confidence. */
  bins: CalibrationBin[];
  /** Expected calibration error as a share, 0–1 (printed as a percentage). */
  ece: number;
}

/** Input of {@linkcode reliabilityDiagram}. */
export interface ReliabilityInput {
  /** The panels, row by row. */
  panels: ReliabilityPanel[];
  /** Panels per row (default 3). */
  columns?: number;
  /** Title above the figure. */
  title: string;
}

/** Side of one panel's plot in CSS pixels: three panels and their axes in under 1000 px. */
const PANEL_SIZE = 220;
/** The legend's three shades: the bar, and the gap between its top and the mean confidence. */
export const RELIABILITY_SHADES = {
  accuracy: "accuracy: the top of each bar",
  over: "overconfident: mean confidence above accuracy",
  under: "underconfident: accuracy above mean confidence",
} as const;
const SHADES = [RELIABILITY_SHADES.accuracy, RELIABILITY_SHADES.over, RELIABILITY_SHADES.under];
/** Pink above a bar where accuracy falls short, light blue capping it where it exceeds. */
const [OVER_FILL, OVER_STROKE] = ["#f8c4c4", "#d62728"];
const [UNDER_FILL, UNDER_STROKE] = ["#a9cbe8", PRIMARY];

/**
 * Draws one reliability diagram per panel: each bin's accuracy as a bar over its confidence
 * range, the gap between the bar's top and the bin's mean confidence shaded (pink above the bar
 * where the model is overconfident, light blue capping the bar where it is underconfident, both
 * named in the legend as in {@linkcode RELIABILITY_SHADES}), the dashed diagonal of perfect
 * calibration, each bin's count printed above the plot, and the ECE under the title.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "./render.ts";
 *
 * const svg = await renderSvg(reliabilityDiagram({
 *   panels: [{
 *     title: "Clean model",
 *     bins: [
 *       { low: 0, high: 0.5, count: 0, confidence: NaN, accuracy: NaN },
 *       { low: 0.5, high: 0.75, count: 100, confidence: 0.7, accuracy: 0.6 }, // overconfident
 *       { low: 0.75, high: 1, count: 9400, confidence: 0.98, accuracy: 0.99 }, // underconfident
 *     ],
 *     ece: 0.0123,
 *   }],
 *   title: "Calibration",
 * }));
 * assert.ok(svg.includes("ECE 1.23%"));
 * // Both shaded gaps are named in the legend.
 * assert.ok(svg.includes("overconfident: mean confidence above accuracy"));
 * assert.ok(svg.includes("underconfident: accuracy above mean confidence"));
 * ```
 */
export function reliabilityDiagram(input: ReliabilityInput): Chart {
  const fn = "reliabilityDiagram";
  const { panels, columns = 3 } = input;
  if (panels.length === 0) throw checkError(`${fn}: panels`, "at least one panel", "none");
  checkPositiveInt(fn, "columns", columns);
  const color = {
    scale: { domain: SHADES, range: [PRIMARY, OVER_FILL, UNDER_FILL] },
    // One entry a row: side by side, each would be as wide as the longest.
    legend: { title: null, orient: "bottom", direction: "vertical", labelLimit: 0 },
  };
  const unit = (title: string) =>
    ({
      type: "quantitative",
      title,
      scale: { domain: [0, 1] },
      axis: { values: [0, 0.2, 0.4, 0.6, 0.8, 1] },
    }) as const;
  const [x, y] = [unit("Confidence"), unit("Accuracy")];
  const specs = panels.map((panel, p) => {
    const what = `${fn}: panels[${p}]`;
    checkNumber(`${what}.ece`, panel.ece, { min: 0, max: 1 });
    const bins = checkBins(`${what}.bins`, panel.bins).map((b) => ({
      ...b,
      middle: (b.low + b.high) / 2,
      label: b.count.toLocaleString("en-US"),
      description: `accuracy ${round(b.accuracy)} of ${b.count} predictions with confidence ` +
        `${round(b.low)}–${round(b.high)} (mean ${round(b.confidence)})`,
      gap: `${b.confidence > b.accuracy ? "overconfident" : "underconfident"} by ` +
        `${round(Math.abs(b.confidence - b.accuracy))}: mean confidence ${round(b.confidence)}, ` +
        `accuracy ${round(b.accuracy)}`,
    }));
    return {
      title: {
        text: panel.title,
        subtitle: `ECE ${(panel.ece * 100).toFixed(2)}%`,
        fontSize: 13,
        fontWeight: "normal",
        subtitleFontSize: 12,
        subtitleColor: "#444",
      },
      width: PANEL_SIZE,
      height: PANEL_SIZE,
      data: { values: bins },
      layer: [
        {
          mark: { type: "rect", stroke: "white", strokeWidth: 0.5 },
          encoding: {
            x: { ...x, field: "low" },
            x2: { field: "high" },
            y: { ...y, field: "accuracy" },
            y2: { datum: 0 },
            color: { ...color, datum: RELIABILITY_SHADES.accuracy },
            description: { field: "description" },
          },
        },
        gap("over", OVER_STROKE, color),
        gap("under", UNDER_STROKE, color),
        {
          data: { values: [{ from: 0, to: 1 }] },
          mark: { type: "rule", color: "#333", strokeWidth: 1.5 },
          encoding: {
            x: { field: "from", type: "quantitative" },
            x2: { field: "to" },
            y: { field: "from", type: "quantitative" },
            y2: { field: "to" },
            strokeDash: {
              datum: "perfect calibration",
              scale: { range: [[5, 4]] },
              legend: { title: null, orient: "bottom", symbolSize: 200, labelLimit: 0 },
            },
          },
        },
        // Counts above the plot, upright so that neighbours never overlap.
        {
          mark: {
            type: "text",
            angle: 270,
            align: "left",
            baseline: "middle",
            fontSize: MIN_FONT_SIZE,
            color: "#444",
          },
          encoding: {
            x: { field: "middle", type: "quantitative" },
            y: { value: -5 },
            text: { field: "label" },
          },
        },
        {
          data: { values: [{ text: "count" }] },
          mark: {
            type: "text",
            align: "right",
            baseline: "bottom",
            fontSize: MIN_FONT_SIZE,
            fontStyle: "italic",
            color: "#444",
          },
          encoding: { x: { value: -6 }, y: { value: -5 }, text: { field: "text" } },
        },
      ],
    };
  });
  return {
    title: input.title,
    columns: Math.min(columns, panels.length),
    concat: specs,
    // Laid out by the plots' sizes alone: vega's estimate of a title's width (no canvas here)
    // exceeds the real one, and would widen a column. The spacing holds axes, titles and counts.
    bounds: "flush",
    spacing: { row: 150, column: 76 },
    // deno-lint-ignore no-explicit-any
  } as any;
}

/**
 * The layer that shades, over each bin whose mean confidence is above its accuracy ("over") or
 * below it ("under"), the strip between the two, opaque so that its colour is the legend's.
 */
function gap(side: "over" | "under", stroke: string, color: object) {
  return {
    transform: [{ filter: `datum.confidence ${side === "over" ? ">" : "<"} datum.accuracy` }],
    mark: { type: "rect", stroke, strokeWidth: 1 },
    encoding: {
      x: { field: "low", type: "quantitative" },
      x2: { field: "high" },
      y: { field: "accuracy", type: "quantitative" },
      y2: { field: "confidence" },
      color: { ...color, datum: RELIABILITY_SHADES[side] },
      description: { field: "gap" },
    },
  };
}

/** Throws unless every bin is in [0, 1] with a count; returns the bins that hold predictions. */
function checkBins(what: string, bins: CalibrationBin[]): CalibrationBin[] {
  if (bins.length === 0) throw checkError(what, "at least one bin", "none");
  bins.forEach((bin, i) => {
    checkNumber(`${what}[${i}].low`, bin.low, { min: 0, below: 1 });
    checkNumber(`${what}[${i}].high`, bin.high, { above: bin.low, max: 1 });
    checkInteger(`${what}[${i}].count`, bin.count, { min: 0 });
    if (bin.count === 0) return;
    checkNumber(`${what}[${i}].confidence`, bin.confidence, { min: 0, max: 1 });
    checkNumber(`${what}[${i}].accuracy`, bin.accuracy, { min: 0, max: 1 });
  });
  return bins.filter((bin) => bin.count > 0);
}

/** Three decimals at most, for the bars' descriptions. */
function round(v: number): number {
  return Number(v.toFixed(3));
}
