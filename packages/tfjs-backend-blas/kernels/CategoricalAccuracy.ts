/**
 * Categorical accuracy as one kernel, "BlasCategoricalAccuracy" (tfjs-layers uses five ops).
 * `fuseCrossentropy` of `./training.ts` makes a model's accuracy metric run it.
 *
 * @module
 */
import type { KernelConfig, NamedAttrMap, TensorInfo } from "@tensorflow/tfjs-core";
import { type BlasKernelArgs, blasKernelConfig } from "../kernel_config.ts";
import { type CrossentropyInputs, labelsAndPredictions } from "./CategoricalCrossentropy.ts";

/** Name of the accuracy kernel: yTrue, yPred [..., classes] → 1 or 0 per row [...]. */
export const ACCURACY = "BlasCategoricalAccuracy";

/** Index of the first largest of `x` [k] from `start`, as tfjs's ArgMax kernel picks it. */
export function argMax(x: Float32Array, start: number, k: number): number {
  let max = x[start];
  let index = 0;
  for (let j = 1; j < k; j++) {
    if (x[start + j] > max) {
      max = x[start + j];
      index = j;
    }
  }
  return index;
}

/** 1 where argMax(yTrue) = argMax(yPred) on the last axis of [..., classes], else 0 → [...]. */
export function categoricalAccuracy(
  args: BlasKernelArgs<CrossentropyInputs, NamedAttrMap>,
): TensorInfo {
  const { inputs: { yTrue, yPred }, backend } = args;
  const values = labelsAndPredictions(backend, yTrue, yPred);
  if (values === undefined) {
    throw new Error(`${ACCURACY}: expected numeric yTrue and float32 yPred of one shape`);
  }
  const [t, p] = values;
  const k = yPred.shape[yPred.shape.length - 1];
  const out = backend.allocate(k === 0 ? 0 : p.length / k);
  for (let row = 0, start = 0; row < out.length; row++, start += k) {
    out[row] = +(argMax(t, start, k) === argMax(p, start, k));
  }
  return backend.makeTensorInfo(yPred.shape.slice(0, -1), "float32", out);
}

/** The accuracy kernel of the "blas" backend. */
export const categoricalAccuracyConfig: KernelConfig = blasKernelConfig(
  ACCURACY,
  categoricalAccuracy,
);
