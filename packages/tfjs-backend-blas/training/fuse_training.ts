/**
 * The blas package's training fusions applied in one call, with one set of guards, to a model that
 * was just compiled or just loaded.
 *
 * @module
 */
import { fuseCrossentropy } from "./crossentropy.ts";
import { fuseDenseTraining } from "./dense_training.ts";

/**
 * Applies every training fusion that fits a compiled tfjs-layers model: the fused cross-entropy
 * and accuracy when its loss is categorical cross-entropy on one output, and the one-pass training
 * step of a dense stack (which runs only on the blas backend with `fusedAdam`, tfjs's own step
 * otherwise). Returns whether the cross-entropy was fused.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tfl from "@tensorflow/tfjs-layers";
 * import { fusedAdam } from "./fused_adam.ts";
 *
 * const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 3 })] });
 * model.compile({ optimizer: fusedAdam(0.001), loss: "categoricalCrossentropy" });
 * assert.equal(fuseTraining(model), true);
 * model.compile({ optimizer: "sgd", loss: "meanSquaredError" });
 * assert.equal(fuseTraining(model), false); // another loss: tfjs's own, unchanged
 * ```
 */
export function fuseTraining(
  model: { readonly loss?: unknown; readonly outputs?: readonly unknown[] },
): boolean {
  const crossentropy = model.loss === "categoricalCrossentropy" && model.outputs?.length === 1 &&
    fuseCrossentropy(model);
  fuseDenseTraining(model);
  return crossentropy;
}
