/**
 * Training, epoch by epoch: a slider over the epochs of a run shows the first layer's weights as
 * they were after that epoch (recorded during training) beside the run's loss curves, with the
 * epoch marked (a Vega-Lite parameter bound to a range input, which JupyterLab and VSCode draw
 * live; the PNG shows the initial epoch).
 *
 * @module
 */
import { checkError, checkIndex, checkValues } from "../checks.ts";
import { pngDataUrl } from "./png.ts";
import { type Chart, CHART_HEIGHT, MIN_FONT_SIZE } from "./render.ts";
import { weightGridPng, weightLimit } from "./weights.ts";

/** Input of {@linkcode epochExplorer}. */
export interface EpochExplorerInput {
  /** The first layer's kernel [784·units] before training, then after each epoch. */
  kernels: Float32Array[];
  /** Units of the layer, the kernel's second dimension. */
  units: number;
  /** The units to draw (16 fit the 4×4 grid), in order. */
  indices: number[];
  /** The run's mean training loss and validation loss of each epoch. */
  history: { loss: number[]; val_loss: number[] };
  /** The epoch the slider starts at, and the PNG shows (0: before training). */
  initial: number;
  /** Title above the chart. */
  title: string;
}

/** The side of the weights' grid beside the chart, in CSS pixels. */
const GRID = CHART_HEIGHT;
const SERIES = ["training", "validation"];

/**
 * Draws a run's training and validation loss per epoch and, beside it, the first layer's weights
 * of the chosen units after the epoch a slider ("epoch") picks, as 28×28 images in a 4×4 grid,
 * red negative and blue positive on one scale for every epoch (±the 99th percentile of |w|); the
 * chosen epoch is a dashed rule on the loss chart, and its losses are printed under the grid.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "./render.ts";
 *
 * const kernel = (scale: number) => Float32Array.from({ length: 784 * 16 }, (_, i) => scale * Math.sin(i));
 * const svg = await renderSvg(epochExplorer({
 *   kernels: [kernel(0.05), kernel(0.1)],
 *   units: 16,
 *   indices: [0, 1, 2, 3],
 *   history: { loss: [0.31], val_loss: [0.15] },
 *   initial: 1,
 *   title: "Training, epoch by epoch",
 * }));
 * assert.match(svg, /After epoch 1/); // the grid's caption at the initial epoch
 * assert.match(svg, /validation loss 0\.1500/); // its losses
 * ```
 */
export function epochExplorer(input: EpochExplorerInput): Chart {
  const fn = "epochExplorer";
  const { kernels, units, indices, history, initial } = input;
  const epochs = history.loss.length;
  checkValues(`${fn}: history.loss`, history.loss, { above: 0 });
  checkValues(`${fn}: history.val_loss`, history.val_loss, { above: 0 });
  if (history.val_loss.length !== epochs) {
    const expected = `${epochs} (as many as history.loss)`;
    throw checkError(`${fn}: history.val_loss.length`, expected, `${history.val_loss.length}`);
  }
  if (kernels.length !== epochs + 1) {
    const expected = `${epochs + 1} (before training and after each of ${epochs} epochs)`;
    throw checkError(`${fn}: kernels.length`, expected, `${kernels.length}`);
  }
  checkIndex(`${fn}: initial`, initial, kernels.length);
  const grid = { inputs: 784, units, indices };
  const limit = weightLimit(`${fn}: kernels`, kernels, grid, 0.01);
  const options = { units, indices, columns: 4, limit, block: 1, gap: 1 };
  const images = kernels.map((kernel, epoch) => ({
    epoch,
    url: pngDataUrl(weightGridPng(kernel, options)),
    caption: epoch === 0 ? "Before training" : `After epoch ${epoch}`,
    losses: epoch === 0
      ? "no loss measured yet"
      : `training loss ${history.loss[epoch - 1].toFixed(4)}, ` +
        `validation loss ${history.val_loss[epoch - 1].toFixed(4)}`,
  }));
  const losses = history.loss.flatMap((loss, i) => [
    { epoch: i + 1, set: SERIES[0], loss },
    { epoch: i + 1, set: SERIES[1], loss: history.val_loss[i] },
  ]);
  const x = {
    field: "epoch",
    type: "quantitative",
    title: "Epoch",
    scale: { domain: [0, epochs], nice: false },
    axis: { tickMinStep: 1, format: "d" },
  } as const;
  const atEpoch = [{ filter: "datum.epoch == epoch" }];
  const below = (dy: number) => ({ x: { value: GRID / 2 }, y: { value: GRID + dy } });
  return {
    title: input.title,
    params: [{
      name: "epoch",
      value: initial,
      bind: { input: "range", min: 0, max: epochs, step: 1, name: "epoch " },
    }],
    hconcat: [
      {
        width: 400,
        height: CHART_HEIGHT,
        layer: [
          {
            data: { values: losses },
            mark: { type: "line", point: { size: 36, filled: true }, strokeWidth: 2 },
            encoding: {
              x,
              y: { field: "loss", type: "quantitative", title: "Loss (cross-entropy)" },
              color: {
                field: "set",
                type: "nominal",
                sort: SERIES,
                legend: { orient: "bottom", direction: "horizontal", title: null },
              },
            },
          },
          {
            data: { values: [{ epoch: 0 }, ...losses.filter((r) => r.set === SERIES[0])] },
            transform: atEpoch,
            mark: { type: "rule", strokeDash: [5, 4], color: "#666", tooltip: null },
            encoding: { x },
          },
        ],
      },
      {
        width: GRID,
        height: GRID,
        data: { values: images },
        transform: atEpoch,
        layer: [
          {
            mark: { type: "image", width: GRID, height: GRID, smooth: false },
            encoding: {
              url: { field: "url", type: "nominal" },
              x: { value: GRID / 2 },
              y: { value: GRID / 2 },
              tooltip: [{ field: "caption" }, { field: "losses" }],
            },
          },
          {
            mark: { type: "text", baseline: "bottom", dy: -6, fontSize: MIN_FONT_SIZE + 2 },
            encoding: { text: { field: "caption" }, x: { value: GRID / 2 }, y: { value: 0 } },
          },
          {
            mark: { type: "text", baseline: "top", fontSize: MIN_FONT_SIZE + 1 },
            encoding: { text: { field: "losses" }, ...below(8) },
          },
          {
            mark: { type: "text", baseline: "top", fontSize: MIN_FONT_SIZE, color: "#555" },
            encoding: {
              text: {
                value: `${indices.length} units of the first layer: red −, blue +, ` +
                  `±${limit.toPrecision(2)}`,
              },
              ...below(26),
            },
          },
        ],
      },
    ],
    spacing: 30,
    // deno-lint-ignore no-explicit-any
  } as any;
}
