/**
 * The shared library of the MNIST MLP notebooks: data → preprocess → model → train →
 * checkpoint → evaluate, with the backend and the run's settings.
 *
 * @example
 * ```ts
 * import { buildMlp, initBackend, loadMnist, toTensors, train } from "./mod.ts";
 * await initBackend();
 * const { x, y } = toTensors((await loadMnist()).train);
 * const history = await train(buildMlp(), x, y, { checkpointDir: "checkpoints/mlp_1" });
 * ```
 *
 * @module
 */
export * from "./backend/init.ts";
export * from "./backend/wasm_fast.ts";
export * from "./pictures/digits.ts";
export * from "./pictures/model_diagram.ts";
export { renderSvg } from "./pictures/render.ts";
export * from "./pictures/charts.ts";
export * from "./training/checkpoint.ts";
export * from "./config.ts";
export * from "./data/dataset.ts";
export * from "./display/show.ts";
export * from "./evaluation/metrics.ts";
export * from "./data/explore.ts";
export * from "./data/idx.ts";
export * from "./data/mnist.ts";
export * from "./model/mlp.ts";
export * from "./preprocessing/noise.ts";
export type { DigitShape, Pixels } from "./pictures/pixels.ts";
export * from "./pictures/png.ts";
export * from "./preprocessing/tensors.ts";
export * from "./display/progress_html.ts";
export * from "./display/progress_notebook.ts";
export * from "./preprocessing/random.ts";
export * from "./pictures/raster.ts";
export * from "./evaluation/results.ts";
export * from "./evaluation/robustness.ts";
export * from "./model/seeded_dropout.ts";
export * from "./pictures/tables.ts";
export * from "./tf.ts";
export * from "./training/train.ts";
