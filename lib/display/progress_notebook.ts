/**
 * Live training progress in a notebook: a progress bar and an accuracy curve (a live Vega-Lite
 * chart beside its PNG) updated in place.
 *
 * @module
 */
import { lineChart } from "../pictures/charts.ts";
import type { Chart } from "../pictures/render.ts";
import { chartBundle } from "./chart.ts";
import { inJupyter, liveOutput } from "./show.ts";
import { progressHtml, type ProgressInfo, progressText } from "./progress_html.ts";
import type { History, TrainCallbacks } from "../training/types.ts";

/**
 * The train vs validation accuracy curve of a history, per epoch, as a chart.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "../pictures/render.ts";
 *
 * const history = {
 *   loss: [0.32, 0.13], acc: [0.9, 0.96], val_loss: [0.15, 0.11], val_acc: [0.95, 0.97],
 *   seconds: [1.4, 1.4], bestEpoch: 2,
 * };
 * const svg = await renderSvg(accuracyCurve(history, "Clean model"));
 * assert.match(svg, /<title>Clean model<\/title>/);
 * // in a notebook: await showChart(accuracyCurve(history, "Clean model"));
 * ```
 */
export function accuracyCurve(history: History, title: string): Chart {
  const series = [{ name: "train", values: history.acc }];
  if (history.val_acc.length > 0) series.push({ name: "validation", values: history.val_acc });
  return lineChart({ series, title, xTitle: "Epoch", yTitle: "Accuracy" });
}

/**
 * Opens the live outputs of a training run and returns the callbacks that update them: the
 * progress bar at most every `everyMs` milliseconds and at each epoch's end, the accuracy curve
 * after each epoch.
 *
 * Outside Jupyter the callbacks do nothing.
 *
 * @example
 * ```ts
 * import { initBackend } from "../backend/init.ts";
 * import { loadDataset } from "../data/dataset.ts";
 * import { buildMlp } from "../model/mlp.ts";
 * import { toTensors } from "../preprocessing/tensors.ts";
 * import { train } from "../training/train.ts";
 *
 * await initBackend();
 * const { x, y } = toTensors((await loadDataset({ dataset: "mnist", trainLimit: 1000 })).train);
 * // in a notebook: a live progress bar, then the accuracy curve; here: nothing
 * await train(buildMlp(), x, y, { epochs: 1, ...notebookProgress("Clean model") });
 * ```
 */
export function notebookProgress(
  title: string,
  everyMs = 250,
): Required<Pick<TrainCallbacks, "onBatchEnd" | "onEpochEnd">> {
  const bar = liveOutput();
  const curve = liveOutput();
  let last = 0;
  let latest: ProgressInfo | undefined;
  const draw = (info: ProgressInfo) =>
    bar.update({ "text/html": progressHtml(info), "text/plain": progressText(info) });
  return {
    async onBatchEnd(batch) {
      latest = { ...latest, ...batch };
      const now = performance.now();
      if (batch.step < batch.steps && now - last < everyMs) return;
      last = now;
      await draw(latest);
    },
    async onEpochEnd({ history }) {
      const i = history.val_acc.length - 1;
      if (latest && i >= 0) {
        latest = { ...latest, valLoss: history.val_loss[i], valAcc: history.val_acc[i] };
        await draw(latest);
      }
      if (!inJupyter()) return; // no need to draw the curve
      const figure = await chartBundle(accuracyCurve(history, title));
      await curve.update(figure.bundle, figure.metadata);
    },
  };
}
