/**
 * Training and validation loss with and without dropout, as a Vega-Lite line chart: where each
 * run starts to overfit.
 *
 * @module
 */
import { checkError, checkInteger, checkValues } from "../checks.ts";
import { epochAxis, logScale, zoomX } from "./axes.ts";
import { type Chart, CHART_HEIGHT, CHART_WIDTH } from "./render.ts";

/** One training run of {@linkcode dropoutCurves}. */
export interface DropoutCurve {
  /** Legend name, e.g. "dropout 0.2". */
  name: string;
  /** Mean training loss of each epoch (> 0). */
  loss: number[];
  /** Validation loss after each epoch (> 0), as many as `loss`. */
  valLoss: number[];
  /** The epoch (from 1) of the lowest validation loss, marked on the curve. */
  overfitEpoch: number;
}

/** Input of {@linkcode dropoutCurves}. */
export interface DropoutCurvesInput {
  /** The runs, coloured in order. */
  runs: DropoutCurve[];
  /** Title above the chart. */
  title: string;
}

/**
 * Draws each run's training loss (solid) and validation loss (dashed) per epoch on a log scale,
 * colour by run, with a diamond where the run's validation loss is lowest.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "./render.ts";
 *
 * const svg = await renderSvg(dropoutCurves({
 *   runs: [{ name: "dropout 0", loss: [0.3, 0.1, 0.05], valLoss: [0.15, 0.1, 0.12], overfitEpoch: 2 }],
 *   title: "Loss with and without dropout",
 * }));
 * assert.ok(svg.includes("lowest validation loss"));
 * ```
 */
export function dropoutCurves(input: DropoutCurvesInput): Chart {
  const fn = "dropoutCurves";
  const { runs } = input;
  if (runs.length === 0) throw checkError(`${fn}: runs`, "at least one run", "none");
  const rows = runs.flatMap((run, r) => {
    const what = `${fn}: runs[${r}] ("${run.name}")`;
    checkValues(`${what}.loss`, run.loss, { above: 0 });
    checkValues(`${what}.valLoss`, run.valLoss, { above: 0 });
    if (run.valLoss.length !== run.loss.length) {
      const expected = `${run.loss.length} (one per epoch, as loss)`;
      throw checkError(`${what}.valLoss.length`, expected, `${run.valLoss.length}`);
    }
    checkInteger(`${what}.overfitEpoch`, run.overfitEpoch, { min: 1, max: run.loss.length });
    return run.loss.flatMap((loss, i) => [
      { run: run.name, curve: "training", x: i + 1, loss },
      { run: run.name, curve: "validation", x: i + 1, loss: run.valLoss[i] },
    ]);
  });
  const losses = rows.map((r) => r.loss);
  const lowest = runs.map((run) => ({
    run: run.name,
    x: run.overfitEpoch,
    loss: run.valLoss[run.overfitEpoch - 1],
  }));
  const color = {
    field: "run",
    type: "nominal",
    sort: runs.map((r) => r.name),
    legend: { title: "run", symbolType: "stroke", symbolStrokeWidth: 3 },
  } as const;
  return {
    title: input.title,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    encoding: {
      x: { ...epochAxis, scale: { nice: false }, axis: { format: "d", tickMinStep: 1 } },
      y: {
        field: "loss",
        type: "quantitative",
        title: "Loss (log scale)",
        ...logScale(losses, "~g"),
      },
      color,
    },
    layer: [
      {
        data: { values: rows },
        params: [zoomX("zoom")],
        mark: { type: "line", strokeWidth: 2 },
        encoding: {
          strokeDash: {
            field: "curve",
            type: "nominal",
            scale: { domain: ["training", "validation"], range: [[1, 0], [6, 4]] },
            legend: { title: "curve", symbolStrokeWidth: 2, symbolSize: 500 },
          },
        },
      },
      {
        data: { values: lowest },
        mark: {
          type: "point",
          filled: true,
          opacity: 1,
          size: 110,
          stroke: "#222",
          strokeWidth: 1,
        },
        encoding: {
          shape: {
            datum: "lowest validation loss",
            scale: { range: ["diamond"] },
            legend: { title: null, labelLimit: 0 },
          },
        },
      },
    ],
    // deno-lint-ignore no-explicit-any
  } as any;
}
