/**
 * The MNIST MLP study's library, its front door: the path every notebook and a learner's own code
 * walks — data → preprocessing → model → training → evaluation, with the pictures and the notebook
 * display. Everything else (the study's protocol and claims, the statistics over seeds, the
 * inspection of a trained model, the rest of the pictures) is in the folders' own entry points
 * (`lib/study/mod.ts`, `lib/evaluation/mod.ts`, `lib/inspection/mod.ts`, …). The notebooks' one
 * rule: import from this file what it offers, and the rest from the entry point of the folder that
 * holds it.
 *
 * The folders are floors: each imports only the floors below it, and no file imports itself back
 * through others (`tests/imports_test.ts` checks both). The floors, bottom to top: `backend` →
 * `data` → `preprocessing` → `model` → `pictures` → `evaluation` → `training` → `display` →
 * `inspection` → `step` → `study`. The files at lib/'s root (the checks, the settings, tfjs, Stop
 * in Jupyter and the kernel's private plumbing) lie below them all, and this file above them all.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildMlp, initBackend, loadConfig, loadDataset, toTensors, train } from "./mod.ts";
 *
 * await initBackend();
 * const data = await loadDataset({ ...loadConfig(), trainLimit: 1000 });
 * const { x, y } = toTensors(data.train);
 * const history = await train(buildMlp(), x, y, { epochs: 1 });
 * assert.equal(history.val_acc.length, 1); // one epoch, validated on the last 200 images
 * assert.ok(history.val_acc[0] > 0.3); // about 0.65 after 4 steps of 256 images; chance is 0.1
 * ```
 *
 * @module
 */
export { type Config, loadConfig, STUDY_CONFIG } from "./config.ts";
export { type Tensor, tf } from "./tf.ts";
export { initBackend } from "./backend/init.ts";

export { loadDataset } from "./data/dataset.ts";
export { classCounts, imageAt, meanImages } from "./data/explore.ts";
export { type Dataset, loadFashionMnist, loadMnist, type Split } from "./data/mnist.ts";
export { splitValidation } from "./data/splits.ts";

export { addGaussianNoise, withNoisyCopies } from "./preprocessing/noise.ts";
export { createRandom, shuffledIndices } from "./preprocessing/random.ts";
export { normalize, oneHot, toTensors } from "./preprocessing/tensors.ts";

export { buildMlp } from "./model/mlp.ts";
export { summarizeLayers } from "./model/summary.ts";

export { requestStop } from "./stop.ts";
export { loadCheckpoint, saveCheckpoint } from "./training/checkpoint.ts";
export { train } from "./training/train.ts";
export type { History, TrainOptions } from "./training/types.ts";

export { confusionMatrix, evaluate, misclassified, predictClasses } from "./evaluation/metrics.ts";
export { median, percent, recordResults } from "./evaluation/results.ts";

export { barChart, heatmap, lineChart } from "./pictures/charts.ts";
export { annotatedDigitSvg, digitsWithTitlesSvg } from "./pictures/digits.ts";
export { dotPlot } from "./pictures/dot_plot.ts";
export { modelDiagramSvg } from "./pictures/model_diagram.ts";
export { digitGridPng, digitPng } from "./pictures/png.ts";
export { htmlTable } from "./pictures/tables.ts";

export { accuracyCurve, notebookProgress } from "./display/progress_notebook.ts";
export { terminalProgress } from "./display/progress_terminal.ts";
export { seedProgress } from "./display/progress_seeds.ts";
export { showChart } from "./display/chart.ts";
export { showFigure, showHtml, showPng, showText } from "./display/show.ts";
