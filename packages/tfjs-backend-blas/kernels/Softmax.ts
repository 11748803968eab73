/**
 * The float32 Softmax kernel over the last axis, row by row.
 *
 * @module
 */
import {
  type KernelConfig,
  Softmax,
  type SoftmaxAttrs,
  type SoftmaxInputs,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import { type BlasKernelArgs, blasKernelConfig, cpuFallback } from "../kernel_config.ts";

const cpuSoftmax = cpuFallback(Softmax);

/**
 * exp(x − max) / Σ exp(x − max) over the last axis of logits [..., classes]; other axes and
 * dtypes go to the cpu kernel.
 */
export function softmax(
  args: BlasKernelArgs<SoftmaxInputs, SoftmaxAttrs>,
): TensorInfo | TensorInfo[] {
  const { inputs: { logits }, backend, attrs: { dim } } = args;
  const rank = logits.shape.length;
  const values = backend.floatValues(logits);
  if (values === undefined || rank === 0 || (dim !== -1 && dim !== rank - 1)) {
    return cpuSoftmax(args);
  }
  const out = backend.allocate(values.length);
  softmaxRows(values, out, logits.shape[rank - 1]);
  return backend.makeTensorInfo(logits.shape, "float32", out);
}

/**
 * The softmax of each row of `values` [rows, width] into `out` (which may be `values`): the
 * exponentials of the row less its maximum, stored as float32, over their sum.
 */
export function softmaxRows(values: Float32Array, out: Float32Array, width: number): void {
  for (let row = 0; row < out.length; row += width) {
    let max = -Infinity;
    for (let j = row; j < row + width; j++) if (values[j] > max) max = values[j];
    let sum = 0;
    for (let j = row; j < row + width; j++) {
      out[j] = Math.exp(values[j] - max);
      sum += out[j];
    }
    const total = Math.fround(sum);
    for (let j = row; j < row + width; j++) out[j] /= total;
  }
}

/** The Softmax kernel of the "blas" backend. */
export const softmaxConfig: KernelConfig = blasKernelConfig(Softmax, softmax);
