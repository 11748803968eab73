/**
 * Categorical cross-entropy and accuracy as one kernel each on the "blas" backend, with the
 * cross-entropy's gradient as one more.
 *
 * tfjs-layers computes the loss of a softmax output with eight small ops (normalize, clip, log,
 * multiply, sum, negate), its gradient with about twenty-five, and accuracy with five; on a
 * [256, 10] batch their dispatch costs far more than their arithmetic. These kernels repeat
 * those ops' float32 roundings one by one, so losses, gradients and accuracies are bit for bit
 * tfjs's, and a model loaded from a checkpoint (which gets tfjs's own loss) trains the same.
 *
 * @module
 */
import type { BlasBackend, KernelConfig, KernelFunc, TensorInfo } from "./blas_backend_class.ts";
import { type LayersModel, type Tensor, tf } from "./tf.ts";

/** Name of the cross-entropy kernel: yTrue, yPred [..., classes] → loss [...]. */
export const CROSSENTROPY = "BlasCategoricalCrossentropy";
/** Name of its gradient kernel: dy [...], yTrue, yPred [..., classes] → dyPred [..., classes]. */
export const CROSSENTROPY_GRAD = "BlasCategoricalCrossentropyGrad";
/** Name of the accuracy kernel: yTrue, yPred [..., classes] → 1 or 0 per row [...]. */
export const ACCURACY = "BlasCategoricalAccuracy";

/** The clip bounds of tfjs-layers' cross-entropy: [epsilon, 1 − epsilon]. */
interface ClipAttrs {
  epsilon: number;
}

/** The float32 values of `yTrue` and `yPred` (one shape, rank ≥ 1), or undefined. */
function pair(
  backend: BlasBackend,
  yTrue: TensorInfo,
  yPred: TensorInfo,
): [Float32Array, Float32Array] | undefined {
  const t = backend.floatValues(yTrue);
  const p = backend.floatValues(yPred);
  const sameShape = tf.util.arraysEqual(yTrue.shape, yPred.shape) && yPred.shape.length > 0;
  return t && p && sameShape ? [t, p] : undefined;
}

/** Σ of `p` [k] from `start`, summed in float64 in order and rounded, as the Sum kernel does. */
function rowSum(p: Float32Array, start: number, k: number): number {
  let sum = 0;
  for (let j = start; j < start + k; j++) sum += p[j];
  return Math.fround(sum);
}

/** x clipped to [lo, hi] as tfjs's ClipByValue kernel does (NaN stays NaN), in float32. */
function clip(x: number, lo: number, hi: number): number {
  return Math.fround(x > hi ? hi : x < lo ? lo : x);
}

/**
 * Creates the cross-entropy kernel: −Σ yTrue · log(clip(yPred / Σ yPred, ε, 1 − ε)) over the
 * last axis, as tfjs-layers' `categoricalCrossentropy` of a probability output.
 */
function crossentropyKernel(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as BlasBackend;
    const { yTrue, yPred } = args.inputs as { yTrue: TensorInfo; yPred: TensorInfo };
    const { epsilon } = args.attrs as unknown as ClipAttrs;
    const values = pair(backend, yTrue, yPred);
    if (values === undefined) throw new Error(`${CROSSENTROPY}: expected float32 yTrue, yPred`);
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
  };
  return { kernelName: CROSSENTROPY, backendName, kernelFunc };
}

/**
 * Creates the gradient kernel of the cross-entropy with respect to yPred: the chain rule through
 * negate, sum, multiply, log, clip and normalize, in the order and roundings of tfjs's gradients.
 */
function crossentropyGradKernel(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as BlasBackend;
    const { dy, yTrue, yPred } = args.inputs as Record<"dy" | "yTrue" | "yPred", TensorInfo>;
    const { epsilon } = args.attrs as unknown as ClipAttrs;
    const values = pair(backend, yTrue, yPred);
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
  };
  return { kernelName: CROSSENTROPY_GRAD, backendName, kernelFunc };
}

/** Index of the first largest of `x` [k] from `start`, as tfjs's ArgMax kernel picks it. */
function argMax(x: Float32Array, start: number, k: number): number {
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

/** Creates the accuracy kernel: 1 where argMax(yTrue) = argMax(yPred) on the last axis, else 0. */
function accuracyKernel(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as BlasBackend;
    const { yTrue, yPred } = args.inputs as { yTrue: TensorInfo; yPred: TensorInfo };
    const values = pair(backend, yTrue, yPred);
    if (values === undefined) throw new Error(`${ACCURACY}: expected float32 yTrue, yPred`);
    const [t, p] = values;
    const k = yPred.shape[yPred.shape.length - 1];
    const out = backend.allocate(k === 0 ? 0 : p.length / k);
    for (let row = 0, start = 0; row < out.length; row++, start += k) {
      out[row] = +(argMax(t, start, k) === argMax(p, start, k));
    }
    return backend.makeTensorInfo(yPred.shape.slice(0, -1), "float32", out);
  };
  return { kernelName: ACCURACY, backendName, kernelFunc };
}

/** The loss and accuracy kernels of the "blas" backend, registered under `backendName`. */
export function lossKernels(backendName: string): KernelConfig[] {
  return [
    crossentropyKernel(backendName),
    crossentropyGradKernel(backendName),
    accuracyKernel(backendName),
  ];
}

/** The gradient of the cross-entropy kernel (for yTrue, tfjs's ops; never needed in training). */
export const crossentropyGradient: Parameters<typeof tf.registerGradient>[0] = {
  kernelName: CROSSENTROPY,
  inputsToSave: ["yTrue", "yPred"],
  gradFunc: (grad, saved, attrs) => {
    const dy = grad as Tensor;
    const [yTrue, yPred] = saved;
    const { epsilon } = attrs as unknown as ClipAttrs;
    return {
      yPred: () =>
        tf.engine().runKernel(CROSSENTROPY_GRAD, { dy, yTrue, yPred }, { epsilon }) as Tensor,
      yTrue: () => {
        const normalized = tf.div(yPred, tf.sum(yPred, -1, true));
        const log = tf.log(tf.clipByValue(normalized, epsilon, 1 - epsilon));
        return tf.mul(tf.expandDims(tf.neg(dy), -1), log);
      },
    };
  },
};

/** Whether `kernelName` runs on the current backend for float32 yTrue and yPred of one shape. */
function fused(kernelName: string, yTrue: Tensor, yPred: Tensor): boolean {
  return tf.getKernel(kernelName, tf.getBackend()) !== undefined &&
    yTrue.dtype === "float32" && yPred.dtype === "float32" && yPred.rank > 0 &&
    tf.util.arraysEqual(yTrue.shape, yPred.shape);
}

/** tfjs-layers' categorical cross-entropy of probabilities yTrue, yPred [..., classes] → [...]. */
function categoricalCrossentropy(yTrue: Tensor, yPred: Tensor): Tensor {
  if (!fused(CROSSENTROPY, yTrue, yPred)) return tf.metrics.categoricalCrossentropy(yTrue, yPred);
  const attrs = { epsilon: tf.backend().epsilon() };
  return tf.engine().runKernel(CROSSENTROPY, { yTrue, yPred }, attrs) as Tensor;
}

/** tfjs-layers' categorical accuracy of yTrue, yPred [..., classes] → 1 or 0 per row [...]. */
function categoricalAccuracy(yTrue: Tensor, yPred: Tensor): Tensor {
  if (!fused(ACCURACY, yTrue, yPred)) return tf.metrics.categoricalAccuracy(yTrue, yPred);
  return tf.engine().runKernel(ACCURACY, { yTrue, yPred }) as Tensor;
}

/**
 * Makes a model compiled with categorical cross-entropy and accuracy compute them with the
 * fused kernels wherever the backend has them (its names, results and config are unchanged).
 *
 * @example
 * ```ts
 * model.compile({ optimizer: "adam", loss: "categoricalCrossentropy", metrics: ["accuracy"] });
 * fuseCrossentropy(model);
 * ```
 */
export function fuseCrossentropy(model: LayersModel): void {
  // A Sequential trains through the LayersModel it wraps, in a field its typings mark private.
  const inner = model instanceof tf.Sequential
    ? (model as unknown as { model: LayersModel }).model
    : model;
  if (inner.loss !== "categoricalCrossentropy" || inner.lossFunctions?.length !== 1) {
    throw new Error(
      `fuseCrossentropy: expected a model compiled with loss "categoricalCrossentropy", ` +
        `got ${JSON.stringify(inner.loss)}`,
    );
  }
  inner.lossFunctions[0] = categoricalCrossentropy;
  inner.metricsTensors.forEach((entry: [unknown, number], i: number) => {
    if (inner.metricsNames[i + 1] === "acc") entry[0] = categoricalAccuracy;
  });
}
