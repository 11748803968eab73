/**
 * Every step's loss at several learning rates, one panel per optimizer, as a Vega-Lite chart: too
 * small a rate crawls, too large a one blows up.
 *
 * @module
 */
import { checkError, checkInteger, checkNumber, checkValues } from "../checks.ts";
import { type Chart, MIN_FONT_SIZE } from "./render.ts";

/** One run of {@linkcode learningRateChart}. */
export interface LearningRateCurve {
  /** The panel it is drawn in, e.g. "Adam". */
  optimizer: string;
  /** Its learning rate η (> 0): its colour. */
  rate: number;
  /** Every step's loss on its batch, from step 1 (≥ 0). */
  losses: number[];
  /** The 1-based step at which it diverged, marked and labelled; undefined: it did not. */
  divergedAt?: number;
}

/** Input of {@linkcode learningRateChart}. */
export interface LearningRateChartInput {
  /** The runs; the panels follow the order of their optimizers. */
  runs: LearningRateCurve[];
  /** The loss above which a run counts as diverged: the top of the y axis, drawn dashed. */
  ceiling: number;
  /** Title above the chart. */
  title: string;
}

/** The panel width of a chart of two panels, so the pair spans about one default chart. */
const PANEL_WIDTH = 300;

/**
 * Draws each run's loss per step, one panel per optimizer and one colour per learning rate,
 * clipped at the divergence ceiling (dashed); a cross marks where a run diverged, labelled
 * "diverged at step N".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "./render.ts";
 *
 * const svg = await renderSvg(learningRateChart({
 *   runs: [
 *     { optimizer: "Adam", rate: 0.001, losses: [2.3, 1.9, 1.2] },
 *     { optimizer: "Adam", rate: 0.1, losses: [2.3, 9.5], divergedAt: 2 },
 *   ],
 *   ceiling: 4.6,
 *   title: "Loss at four learning rates",
 * }));
 * assert.ok(svg.includes("diverged at step 2"));
 * ```
 */
export function learningRateChart(input: LearningRateChartInput): Chart {
  const fn = "learningRateChart";
  const { runs, ceiling } = input;
  if (runs.length === 0) throw checkError(`${fn}: runs`, "at least one run", "none");
  checkNumber(`${fn}: ceiling`, ceiling, { above: 0 });
  const rows = runs.flatMap((run, r) => {
    const what = `${fn}: runs[${r}]`;
    checkNumber(`${what}.rate`, run.rate, { above: 0 });
    checkValues(`${what}.losses`, run.losses, { min: 0 });
    if (run.divergedAt !== undefined) {
      checkInteger(`${what}.divergedAt`, run.divergedAt, { min: 1 });
    }
    const eta = `η = ${run.rate}`;
    return run.losses.map((loss, i) => ({ optimizer: run.optimizer, eta, step: i + 1, loss }));
  });
  const optimizers = [...new Set(runs.map((r) => r.optimizer))];
  const rates = [...new Set(runs.map((r) => r.rate))].sort((a, b) => a - b);
  const diverged = runs.filter((r) => r.divergedAt !== undefined).map((r) => ({
    optimizer: r.optimizer,
    eta: `η = ${r.rate}`,
    step: r.divergedAt,
    loss: ceiling,
    label: `η = ${r.rate}: diverged at step ${r.divergedAt}`,
  }));
  const color = {
    field: "eta",
    type: "nominal",
    sort: rates.map((rate) => `η = ${rate}`),
    legend: { title: "learning rate", symbolType: "stroke", symbolStrokeWidth: 3 },
  } as const;
  const x = { field: "step", type: "quantitative", title: "Step" } as const;
  const y = {
    field: "loss",
    type: "quantitative",
    title: "Loss on the step's batch",
    scale: { domain: [0, ceiling] },
  } as const;
  return {
    title: input.title,
    data: { values: [...rows, ...diverged] },
    facet: { column: { field: "optimizer", type: "nominal", sort: optimizers, title: null } },
    spec: {
      width: PANEL_WIDTH,
      height: 280,
      layer: [
        {
          transform: [{ filter: "datum.label == null" }],
          mark: { type: "line", strokeWidth: 1.2, clip: true },
          encoding: { x, y, color },
        },
        {
          transform: [{ filter: "datum.label == null" }],
          mark: { type: "rule", color: "#888", strokeDash: [5, 4] },
          encoding: { y: { datum: ceiling } },
        },
        {
          transform: [{ filter: "datum.label != null" }],
          mark: { type: "point", shape: "cross", filled: true, size: 140, opacity: 1 },
          encoding: { x, y, color },
        },
        {
          transform: [{ filter: "datum.label != null" }],
          mark: {
            type: "text",
            align: "left",
            dx: 8,
            dy: 14,
            fontSize: MIN_FONT_SIZE,
            color: "#222",
          },
          encoding: {
            x,
            y,
            text: { field: "label" },
          },
        },
      ],
    },
    // deno-lint-ignore no-explicit-any
  } as any;
}
