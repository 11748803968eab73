/**
 * The shared library of the MNIST MLP notebooks: data → preprocess → model → train →
 * checkpoint → evaluate, with the backend and the run's settings.
 *
 * @example
 * ```ts
 * import { buildMlp, initBackend, loadMnist, toTensors, train } from "../lib/mod.ts";
 * await initBackend();
 * const { x, y } = toTensors((await loadMnist()).train);
 * const history = await train(buildMlp(), x, y, { checkpointDir: "checkpoints/mlp_1" });
 * ```
 *
 * @module
 */
export * from "./backend.ts";
export * from "./backend_wasm_fast.ts";
export * from "./chart_digits.ts";
export * from "./chart_model.ts";
export { renderSvg } from "./chart_render.ts";
export * from "./charts.ts";
export * from "./checkpoint.ts";
export * from "./config.ts";
export * from "./dataset.ts";
export * from "./display.ts";
export * from "./evaluate.ts";
export * from "./explore.ts";
export * from "./idx.ts";
export * from "./mnist.ts";
export * from "./model.ts";
export * from "./noise.ts";
export type { DigitShape, Pixels } from "./pixels.ts";
export * from "./png.ts";
export * from "./preprocess.ts";
export * from "./progress_html.ts";
export * from "./progress_notebook.ts";
export * from "./random.ts";
export * from "./raster.ts";
export * from "./results.ts";
export * from "./robustness.ts";
export * from "./seeded_dropout.ts";
export * from "./tables.ts";
export * from "./tf.ts";
export * from "./train.ts";
