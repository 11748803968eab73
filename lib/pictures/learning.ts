/**
 * How training went, as Vega-Lite line charts: loss and accuracy per batch and per epoch, and the
 * weights' norms and update sizes per layer.
 *
 * @module
 */
import { checkError, checkInteger, checkNumber, checkValues } from "../checks.ts";
import { epochAxis, logScale, zoomX } from "./axes.ts";
import { type Chart, CHART_HEIGHT, MIN_FONT_SIZE, PRIMARY } from "./render.ts";

/** One training batch's metrics, as tfjs's `onBatchEnd` gives them, with where it fell. */
export interface BatchMetrics {
  /** The epoch, from 1. */
  epoch: number;
  /** The batch within the epoch, 0 to steps (drawn at x = epoch − 1 + step/steps). */
  step: number;
  /** Batches per epoch. */
  steps: number;
  /** The batch's training loss (> 0). */
  loss: number;
  /** The batch's training accuracy, 0–1. */
  acc: number;
}

/** Per-epoch metrics, as Keras's and tfjs's `history.history`: one value per epoch each. */
export interface EpochHistory {
  /** Mean training loss of each epoch. */
  loss: number[];
  /** Mean training accuracy of each epoch. */
  acc: number[];
  /** Validation loss after each epoch. */
  val_loss: number[];
  /** Validation accuracy after each epoch. */
  val_acc: number[];
}

/** Input of {@linkcode trainingCurves}. */
export interface TrainingCurvesInput {
  /** Every batch of the run, in order. */
  batches: BatchMetrics[];
  /** The run's per-epoch history. */
  history: EpochHistory;
  /** Title above the figure. */
  title: string;
}

/** One layer's kernel over the epochs, for {@linkcode layerDynamics}. */
export interface LayerDynamics {
  /** The layer's name, e.g. "dense_1". */
  name: string;
  /** Frobenius norm ‖W‖ of the kernel after each epoch. */
  norm: number[];
  /** ‖ΔW‖/‖W‖ of the last update of each epoch (> 0). */
  updateRatio: number[];
}

/** Input of {@linkcode layerDynamics}. */
export interface LayerDynamicsInput {
  /** The layers, in the model's order. */
  layers: LayerDynamics[];
  /** Title above the figure. */
  title: string;
}

/** Width of one of two panels side by side, so that a figure stays under 1000 px. */
const PANEL_WIDTH = 330;
const BATCH_COLOR = "#a9c6e2";
const VALIDATION_COLOR = "#f58518";
const SERIES = ["training, per batch", "training, epoch mean", "validation"];
const legend = { orient: "bottom", direction: "horizontal", title: null, labelLimit: 0 } as const;
const panelTitle = (text: string) => ({ text, fontSize: 13, fontWeight: "normal" }) as const;

/**
 * Draws loss (left, log scale) and accuracy (right) over the epochs: every batch's training
 * value as a thin light line, the training epoch means and the validation values as points.
 * The batches are one dataset that both panels draw.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "./render.ts";
 *
 * const svg = await renderSvg(trainingCurves({
 *   batches: [
 *     { epoch: 1, step: 1, steps: 2, loss: 2.3, acc: 0.1 },
 *     { epoch: 1, step: 2, steps: 2, loss: 0.9, acc: 0.7 },
 *   ],
 *   history: { loss: [1.6], acc: [0.4], val_loss: [0.5], val_acc: [0.85] },
 *   title: "Training",
 * }));
 * assert.match(svg, /<title>Training<\/title>/);
 * ```
 */
export function trainingCurves(input: TrainingCurvesInput): Chart {
  const fn = "trainingCurves";
  const { batches, history } = input;
  if (batches.length === 0) throw checkError(`${fn}: batches`, "at least one batch", "none");
  const uniform = batches.every((b) => b.steps === batches[0].steps);
  const batchRows = batches.map((b, i) => {
    const what = `${fn}: batches[${i}]`;
    checkInteger(`${what}.epoch`, b.epoch, { min: 1 });
    checkInteger(`${what}.steps`, b.steps, { min: 1 });
    checkInteger(`${what}.step`, b.step, { min: 0, max: b.steps });
    checkNumber(`${what}.loss`, b.loss, { above: 0 });
    checkNumber(`${what}.acc`, b.acc, { min: 0, max: 1 });
    const { epoch, step, steps, loss, acc } = b;
    return uniform ? { epoch, step, loss, acc } : { epoch, step, steps, loss, acc };
  });
  // Where a step is drawn, epoch − 1 + step/steps, computed by vega: fewer bytes than an x each.
  const position = `datum.epoch - 1 + datum.step / ${uniform ? batches[0].steps : "datum.steps"}`;
  const epochs = history.loss.length;
  if (epochs === 0) throw checkError(`${fn}: history.loss`, "at least one epoch", "none");
  for (const key of ["loss", "acc", "val_loss", "val_acc"] as const) {
    const isLoss = key.endsWith("loss");
    checkValues(`${fn}: history.${key}`, history[key], isLoss ? { above: 0 } : { min: 0, max: 1 });
    if (history[key].length !== epochs) {
      const expected = `${epochs} (as many as history.loss)`;
      throw checkError(`${fn}: history.${key}.length`, expected, `${history[key].length}`);
    }
  }
  const epochRows = history.loss.flatMap((loss, i) => [
    { x: i + 1, loss, acc: history.acc[i], series: SERIES[1] },
    { x: i + 1, loss: history.val_loss[i], acc: history.val_acc[i], series: SERIES[2] },
  ]);
  const losses = [...batchRows.map((r) => r.loss), ...history.loss, ...history.val_loss];
  const lastEpoch = Math.max(epochs, ...batches.map((b) => b.epoch));
  // From the batches' 1st percentile: the first few batches' low accuracy would squash the rest.
  const low = Math.min(
    percentile(batchRows.map((r) => r.acc), 0.01),
    ...history.acc,
    ...history.val_acc,
  );
  const color = {
    field: "series",
    type: "nominal",
    scale: { domain: SERIES, range: [BATCH_COLOR, PRIMARY, VALIDATION_COLOR] },
    legend: { ...legend, symbolType: "stroke", symbolStrokeWidth: 3 },
  } as const;
  const value = (field: "loss" | "acc") =>
    field === "loss" ? { field, title: "loss", format: ".4f" } : {
      field,
      title: "accuracy",
      format: ".2%",
    };
  const panel = (field: "loss" | "acc", title: string, y: object) => ({
    title: panelTitle(title),
    width: PANEL_WIDTH,
    height: CHART_HEIGHT,
    encoding: {
      x: { ...epochAxis, scale: { domain: [0, lastEpoch], nice: false }, axis: { format: "d" } },
      y: { field, type: "quantitative", title: null, ...y },
      color,
    },
    layer: [
      {
        data: { name: "batches" },
        transform: [
          { calculate: position, as: "x" },
          { calculate: `'${SERIES[0]}'`, as: "series" },
        ],
        params: [zoomX(`zoom_${field}`)],
        mark: { type: "line", strokeWidth: 1, clip: true },
        encoding: {
          tooltip: [{ field: "epoch" }, { field: "step" }, value(field), { field: "series" }],
        },
      },
      {
        data: { name: "epochs" },
        mark: { type: "line", strokeWidth: 2, point: { size: 36, filled: true } },
        encoding: {
          tooltip: [{ field: "x", title: "epoch" }, value(field), { field: "series" }],
        },
      },
    ],
  });
  return {
    title: input.title,
    datasets: { batches: batchRows, epochs: epochRows },
    hconcat: [
      panel("loss", "Loss (cross-entropy, log scale)", logScale(losses, "~g")),
      panel("acc", "Accuracy", {
        scale: { domain: [Math.min(0.99, Math.floor(low * 100) / 100), 1], nice: false },
        axis: { format: ".1~%" },
      }),
    ],
    spacing: 24,
    // deno-lint-ignore no-explicit-any
  } as any;
}

/**
 * Draws each layer's kernel norm ‖W‖ per epoch (left) and its relative update ‖ΔW‖/‖W‖ per epoch
 * on a log scale (right), with the 1e-3 rule of thumb as a dashed line.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "./render.ts";
 *
 * const svg = await renderSvg(layerDynamics({
 *   layers: [{ name: "dense_1", norm: [19.6, 21.0, 22.1], updateRatio: [4e-3, 2e-3, 1.5e-3] }],
 *   title: "Weights per epoch",
 * }));
 * assert.ok(svg.includes(">1e-3 rule of thumb</text>")); // beside the dashed line
 * ```
 */
export function layerDynamics(input: LayerDynamicsInput): Chart {
  const fn = "layerDynamics";
  const { layers } = input;
  if (layers.length === 0) throw checkError(`${fn}: layers`, "at least one layer", "none");
  const rows = layers.flatMap((layer, l) => {
    const what = `${fn}: layers[${l}] ("${layer.name}")`;
    checkValues(`${what}.norm`, layer.norm, { min: 0 });
    checkValues(`${what}.updateRatio`, layer.updateRatio, { above: 0 });
    if (layer.updateRatio.length !== layer.norm.length) {
      const expected = `${layer.norm.length} (one per epoch, as norm)`;
      throw checkError(`${what}.updateRatio.length`, expected, `${layer.updateRatio.length}`);
    }
    return layer.norm.map((norm, i) => ({
      layer: layer.name,
      x: i + 1,
      norm,
      ratio: layer.updateRatio[i],
    }));
  });
  const color = {
    field: "layer",
    type: "nominal",
    sort: layers.map((l) => l.name),
    legend: { ...legend, title: "layer" },
  } as const;
  const x = { ...epochAxis, scale: { nice: false }, axis: { format: "d", tickMinStep: 1 } };
  const line = { type: "line", strokeWidth: 2, point: { size: 36, filled: true } } as const;
  const epochTip = { field: "x", title: "epoch" };
  const rule = { ratio: 1e-3 };
  const ratios = [...rows.map((r) => r.ratio), rule.ratio];
  return {
    title: input.title,
    data: { values: rows },
    hconcat: [
      {
        title: panelTitle("Kernel norm ‖W‖ (Frobenius)"),
        width: PANEL_WIDTH,
        height: CHART_HEIGHT,
        params: [zoomX("zoom_norm")],
        mark: line,
        encoding: {
          x,
          y: { field: "norm", type: "quantitative", title: null },
          color,
          tooltip: [epochTip, { field: "layer" }, { field: "norm", title: "‖W‖", format: ".2f" }],
        },
      },
      {
        title: panelTitle("Relative update ‖ΔW‖ / ‖W‖, last step of the epoch"),
        width: PANEL_WIDTH,
        height: CHART_HEIGHT,
        encoding: {
          y: { field: "ratio", type: "quantitative", title: null, ...logScale(ratios, ".0e") },
        },
        layer: [
          {
            params: [zoomX("zoom_ratio")],
            mark: line,
            encoding: {
              x,
              color,
              tooltip: [epochTip, { field: "layer" }, {
                field: "ratio",
                title: "‖ΔW‖ / ‖W‖",
                format: ".2e",
              }],
            },
          },
          {
            data: { values: [rule] },
            mark: { type: "rule", strokeDash: [6, 4], color: "#555" },
          },
          {
            data: { values: [rule] },
            // Right of the plot, where no line runs.
            mark: {
              type: "text",
              text: "1e-3 rule of thumb",
              align: "left",
              baseline: "middle",
              fontSize: MIN_FONT_SIZE,
              color: "#555",
            },
            encoding: { x: { value: PANEL_WIDTH + 6 } },
          },
        ],
      },
    ],
    spacing: 24,
    // deno-lint-ignore no-explicit-any
  } as any;
}

/** The value below which a share `q` of `values` falls (nearest rank). */
function percentile(values: number[], q: number): number {
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
