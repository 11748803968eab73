/**
 * Training fusions for the "blas" backend: Adam as one SIMD pass per variable and step
 * ({@linkcode fusedAdam}), a tfjs-layers model's categorical cross-entropy and accuracy as one
 * kernel each ({@linkcode fuseCrossentropy}), and a dense stack's whole training step and
 * evaluation as one pass ({@linkcode fuseDenseTraining}); {@linkcode fuseTraining} applies all
 * that fit a model. On any other backend, tfjs's own Adam,
 * loss, accuracy and step run, unchanged; on blas the results are tfjs's too (Adam's within
 * float32 rounding, the rest bit for bit).
 *
 * Also what a checkpoint of such a model needs: {@linkcode saveWithOptimizerState} around
 * `model.save`, and {@linkcode restoreFusedAdam} after `tf.loadLayersModel`, so that a loaded
 * model trains on exactly as the saved one would have.
 *
 * One file per fusion (`fused_adam.ts`, `crossentropy.ts`, `dense_training.ts`); every access to
 * tfjs internals — the private moments of tfjs-core's `AdamOptimizer`, and the loss and metric
 * functions and the train and test functions of a compiled tfjs-layers model — is in
 * `tfjs_internals.ts`, which checks the fields (as tfjs {@linkcode TFJS_CHECKED} has them) and,
 * where they are missing, prints a one-line notice and leaves tfjs's own Adam, loss, accuracy and
 * step in place. None of them imports tfjs-layers.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import * as tfl from "@tensorflow/tfjs-layers";
 * import { registerBlasBackend } from "@mnist-mlp/tfjs-backend-blas";
 * import { fuseCrossentropy, fusedAdam } from "@mnist-mlp/tfjs-backend-blas/training";
 *
 * const blas = registerBlasBackend();
 * await tf.setBackend(blas.registered ? blas.name : "cpu"); // on cpu: tfjs's own Adam and loss
 * const model = tfl.sequential();
 * model.add(tfl.layers.dense({ inputShape: [4], units: 3, activation: "softmax" }));
 * model.compile({
 *   optimizer: fusedAdam(0.001),
 *   loss: "categoricalCrossentropy",
 *   metrics: ["accuracy"],
 * });
 * fuseCrossentropy(model);
 * await model.fit(tf.randomUniform([8, 4]), tf.oneHot([0, 1, 2, 0, 1, 2, 0, 1], 3), { epochs: 1 });
 * ```
 *
 * @module
 */
export { fuseCrossentropy } from "./crossentropy.ts";
export { fuseDenseTraining, type MaskedDropout } from "./dense_training.ts";
export { fuseTraining } from "./fuse_training.ts";
export {
  fusedAdam,
  FusedAdamOptimizer,
  type NamedGradients,
  restoreFusedAdam,
} from "./fused_adam.ts";
export { saveWithOptimizerState, TFJS_CHECKED } from "./tfjs_internals.ts";
