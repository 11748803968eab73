/**
 * One training step by hand: what notebook 04 needs beside the formulas it writes out — the batch
 * and the dropout masks of the training run's first step, tfjs's own gradients of a model's
 * weights and tfjs's own step, the measures that compare two computations, a float64 gradient
 * check, and the loss along the gradient's direction.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../backend/init.ts";
 * import { buildMlp } from "../model/mlp.ts";
 * import { nextDropoutMasks } from "./mod.ts";
 *
 * await initBackend();
 * const masks = nextDropoutMasks(buildMlp(), 256); // the first step's, one per dropout layer
 * assert.deepEqual(masks.map((m) => m.shape), [[256, 256], [256, 256]]);
 * ```
 *
 * @module
 */
export { type BatchSettings, firstBatch } from "./batch.ts";
export {
  centralDifference,
  type CheckedWeight,
  gradientCheck,
  type GradientCheckOptions,
  mlpLoss64,
  relativeError,
} from "./finite_differences.ts";
export {
  largestDifference,
  relativeDifference,
  type TfjsStep,
  tfjsStep,
  type WeightGradients,
  weightGradients,
} from "./gradients.ts";
export { gradientNorm, lossSlice } from "./loss_slice.ts";
export { nextDropoutMasks } from "./masks.ts";
