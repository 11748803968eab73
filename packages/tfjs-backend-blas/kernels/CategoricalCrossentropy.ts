/**
 * Categorical cross-entropy of probabilities as one kernel, "BlasCategoricalCrossentropy", and
 * its gradient as another, "BlasCategoricalCrossentropyGrad".
 *
 * tfjs-layers computes the loss of a softmax output with eight small ops (normalize, clip, log,
 * multiply, sum, negate) and its gradient with about twenty-five; on a [256, 10] batch their
 * dispatch costs far more than their arithmetic. These kernels repeat those ops' float32
 * roundings one by one, so losses and gradients are bit for bit tfjs's. `fuseCrossentropy` of
 * `./training.ts` makes a model's loss run them.
 *
 * @module
 */
import {
  clipByValue,
  div,
  engine,
  expandDims,
  type GradConfig,
  type KernelConfig,
  log,
  mul,
  neg,
  sum,
  type Tensor,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";
import type { BlasBackend } from "../backend_blas.ts";
import { type BlasKernelArgs, blasKernelConfig } from "../kernel_config.ts";

/** Name of the cross-entropy kernel: yTrue, yPred [..., classes] → loss [...]. */
export const CROSSENTROPY = "BlasCategoricalCrossentropy";
/** Name of its gradient kernel: dy [...], yTrue, yPred [..., classes] → dyPred [..., classes]. */
export const CROSSENTROPY_GRAD = "BlasCategoricalCrossentropyGrad";

/** Inputs of the cross-entropy kernel: one-hot (or soft) labels and probabilities. */
export type CrossentropyInputs = Record<"yTrue" | "yPred", TensorInfo>;
/** Inputs of its gradient kernel: the upstream gradient per row, labels and probabilities. */
export type CrossentropyGradInputs = Record<"dy" | "yTrue" | "yPred", TensorInfo>;
/** The clip bounds of tfjs-layers' cross-entropy: [epsilon, 1 − epsilon]. */
export type CrossentropyAttrs = { epsilon: number };

/**
 * The values of `yTrue` (float32, or int32 and bool as float32) and of `yPred` (float32), of one
 * shape of rank ≥ 1, or undefined.
 */
export function labelsAndPredictions(
  backend: BlasBackend,
  yTrue: TensorInfo,
  yPred: TensorInfo,
): [Float32Array, Float32Array] | undefined {
  const t = backend.numericValues(yTrue);
  const p = backend.floatValues(yPred);
  const sameShape = util.arraysEqual(yTrue.shape, yPred.shape) && yPred.shape.length > 0;
  return t && p && sameShape ? [t, p] : undefined;
}

/** Σ of `p` [k] from `start`, summed in float64 in order and rounded, as the Sum kernel does. */
export function rowSum(p: Float32Array, start: number, k: number): number {
  let sum = 0;
  for (let j = start; j < start + k; j++) sum += p[j];
  return Math.fround(sum);
}

/** x clipped to [lo, hi] as tfjs's ClipByValue kernel does (NaN stays NaN), in float32. */
export function clip(x: number, lo: number, hi: number): number {
  return Math.fround(x > hi ? hi : x < lo ? lo : x);
}

/**
 * −Σ yTrue · log(clip(yPred / Σ yPred, ε, 1 − ε)) over the last axis, as tfjs-layers'
 * `categoricalCrossentropy` of a probability output: yTrue, yPred [..., classes] → [...].
 */
export function categoricalCrossentropy(
  args: BlasKernelArgs<CrossentropyInputs, CrossentropyAttrs>,
): TensorInfo {
  const { inputs: { yTrue, yPred }, backend, attrs: { epsilon } } = args;
  const values = labelsAndPredictions(backend, yTrue, yPred);
  if (values === undefined) {
    throw new Error(`${CROSSENTROPY}: expected numeric yTrue and float32 yPred of one shape`);
  }
  const [t, p] = values;
  const k = yPred.shape[yPred.shape.length - 1];
  const out = backend.allocate(k === 0 ? 0 : p.length / k);
  for (let row = 0, start = 0; row < out.length; row++, start += k) {
    const s = rowSum(p, start, k);
    let sum = 0;
    for (let j = start; j < start + k; j++) {
      const c = clip(Math.fround(p[j] / s), epsilon, 1 - epsilon);
      sum += Math.fround(t[j] * Math.fround(Math.log(c)));
    }
    out[row] = -Math.fround(sum);
  }
  return backend.makeTensorInfo(yPred.shape.slice(0, -1), "float32", out);
}

/**
 * The cross-entropy's gradient with respect to yPred [..., classes]: the chain rule through
 * negate, sum, multiply, log, clip and normalize, in the order and roundings of tfjs's gradients.
 */
export function categoricalCrossentropyGrad(
  args: BlasKernelArgs<CrossentropyGradInputs, CrossentropyAttrs>,
): TensorInfo {
  const { inputs: { dy, yTrue, yPred }, backend, attrs: { epsilon } } = args;
  const values = labelsAndPredictions(backend, yTrue, yPred);
  const upstream = backend.floatValues(dy);
  if (values === undefined || upstream === undefined) {
    throw new Error(`${CROSSENTROPY_GRAD}: expected float32 dy, yTrue, yPred`);
  }
  const [t, p] = values;
  const k = yPred.shape[yPred.shape.length - 1];
  // The clip's gradient compares with its bounds as float32 scalars.
  const lo = Math.fround(epsilon);
  const hi = Math.fround(1 - epsilon);
  const out = backend.allocate(p.length);
  for (let row = 0, start = 0; row < upstream.length; row++, start += k) {
    const s = rowSum(p, start, k);
    const dLoss = -upstream[row];
    let dSum = 0;
    for (let j = start; j < start + k; j++) {
      const q = Math.fround(p[j] / s);
      const dLog = Math.fround(Math.fround(dLoss * t[j]) / clip(q, epsilon, 1 - epsilon));
      const dq = q >= lo && q <= hi ? dLog : 0;
      out[j] = dq / s;
      dSum += Math.fround(dq * p[j]);
    }
    const dS = -Math.fround(Math.fround(dSum) / Math.fround(s * s));
    for (let j = start; j < start + k; j++) out[j] += dS;
  }
  return backend.makeTensorInfo(yPred.shape, "float32", out);
}

/** The cross-entropy kernel of the "blas" backend. */
export const categoricalCrossentropyConfig: KernelConfig = blasKernelConfig(
  CROSSENTROPY,
  categoricalCrossentropy,
);

/** The cross-entropy's gradient kernel of the "blas" backend. */
export const categoricalCrossentropyGradKernelConfig: KernelConfig = blasKernelConfig(
  CROSSENTROPY_GRAD,
  categoricalCrossentropyGrad,
);

/** The gradient of the cross-entropy kernel (for yTrue, tfjs's ops; never needed in training). */
export const categoricalCrossentropyGradConfig: GradConfig = {
  kernelName: CROSSENTROPY,
  inputsToSave: ["yTrue", "yPred"],
  gradFunc: (grad, saved, attrs) => {
    const dy = grad as Tensor;
    const [yTrue, yPred] = saved;
    const { epsilon } = attrs as CrossentropyAttrs;
    return {
      yPred: () => engine().runKernel<Tensor>(CROSSENTROPY_GRAD, { dy, yTrue, yPred }, { epsilon }),
      yTrue: () => {
        const normalized = div(yPred, sum(yPred, -1, true));
        const logs = log(clipByValue(normalized, epsilon, 1 - epsilon));
        return mul(expandDims(neg(dy), -1), logs);
      },
    };
  },
};
