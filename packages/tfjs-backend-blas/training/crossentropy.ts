/**
 * The fused cross-entropy: a tfjs-layers model's categorical cross-entropy, its gradient and its
 * accuracy as one blas kernel each, repeating tfjs's float32 roundings so that the numbers are
 * tfjs's bit for bit.
 *
 * @module
 */
import { backend, engine, getBackend, getKernel, type Tensor, util } from "@tensorflow/tfjs-core";
import { ACCURACY } from "../kernels/CategoricalAccuracy.ts";
import { CROSSENTROPY } from "../kernels/CategoricalCrossentropy.ts";
import { compiledFields, type LossOrMetricFn } from "./tfjs_internals.ts";

/** Loss and metric functions made by this file, so that fusing twice changes nothing. */
const fusedFunctions = new WeakSet<LossOrMetricFn>();

/** Labels the fused kernels read: float32, or int32 and bool (such as `tf.oneHot`'s) as float32. */
const LABEL_DTYPES = new Set(["float32", "int32", "bool"]);

/**
 * Whether `kernelName` runs on the current backend for numeric yTrue and float32 yPred of one
 * shape.
 */
function fusable(kernelName: string, yTrue: Tensor, yPred: Tensor): boolean {
  return getKernel(kernelName, getBackend()) !== undefined &&
    LABEL_DTYPES.has(yTrue.dtype) && yPred.dtype === "float32" && yPred.rank > 0 &&
    util.arraysEqual(yTrue.shape, yPred.shape);
}

/** tfjs-layers' categorical cross-entropy as one kernel where it runs, else `original`. */
function fusedCrossentropy(original: LossOrMetricFn): LossOrMetricFn {
  const loss = (yTrue: Tensor, yPred: Tensor) => {
    if (!fusable(CROSSENTROPY, yTrue, yPred)) return original(yTrue, yPred);
    const attrs = { epsilon: backend().epsilon() };
    return engine().runKernel<Tensor>(CROSSENTROPY, { yTrue, yPred }, attrs);
  };
  fusedFunctions.add(loss);
  return loss;
}

/**
 * tfjs-layers' categorical accuracy as one kernel where it runs, else `original` (also for
 * one-unit outputs, whose "acc" tfjs-layers computes as binary accuracy).
 */
function fusedAccuracy(original: LossOrMetricFn): LossOrMetricFn {
  const accuracy = (yTrue: Tensor, yPred: Tensor) => {
    const oneUnit = yPred.rank > 0 && yPred.shape[yPred.rank - 1] === 1;
    if (oneUnit || !fusable(ACCURACY, yTrue, yPred)) return original(yTrue, yPred);
    return engine().runKernel<Tensor>(ACCURACY, { yTrue, yPred });
  };
  fusedFunctions.add(accuracy);
  return accuracy;
}

/**
 * Makes a tfjs-layers model compiled with categorical cross-entropy (and accuracy) compute them
 * with one kernel each wherever the backend has them; its names, results and config are
 * unchanged. Returns true when fused, false when this tfjs-layers lacks the fields it rewrites
 * (after a one-line notice; the model keeps tfjs's own loss and accuracy).
 *
 * Throws when the model is not compiled with loss "categoricalCrossentropy" or has several outputs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import * as tfl from "@tensorflow/tfjs-layers";
 *
 * await tf.setBackend("cpu"); // the fused kernels run on "blas"; elsewhere tfjs's own
 * const model = tfl.sequential();
 * model.add(tfl.layers.dense({ inputShape: [784], units: 10, activation: "softmax" }));
 * model.compile({ optimizer: "adam", loss: "categoricalCrossentropy", metrics: ["accuracy"] });
 * assert.equal(fuseCrossentropy(model), true);
 * assert.throws(() => fuseCrossentropy({ loss: "meanSquaredError" }));
 * ```
 */
export function fuseCrossentropy(model: { readonly loss?: unknown }): boolean {
  if (model.loss !== "categoricalCrossentropy") {
    throw new Error(
      `fuseCrossentropy: expected a model compiled with loss "categoricalCrossentropy", ` +
        `got ${JSON.stringify(model.loss)}`,
    );
  }
  const fields = compiledFields(model);
  if (fields === undefined) return false;
  const { lossFunctions, metricsTensors, metricsNames } = fields;
  if (lossFunctions.length !== 1) {
    throw new Error(
      `fuseCrossentropy: expected a model with one output, got ${lossFunctions.length}`,
    );
  }
  if (!fusedFunctions.has(lossFunctions[0])) {
    lossFunctions[0] = fusedCrossentropy(lossFunctions[0]);
  }
  metricsTensors.forEach((entry, i) => {
    if (metricsNames[i + 1] === "acc" && !fusedFunctions.has(entry[0])) {
      entry[0] = fusedAccuracy(entry[0]);
    }
  });
  return true;
}
