/**
 * Float32 Sum, Mean and Softmax kernels for the "blas" backend that reduce in place instead of
 * transposing first (the cpu Sum transposes a [batch, units] gradient to sum over the batch).
 *
 * Sums accumulate in float64 in index order, like the cpu kernel, so results are deterministic.
 *
 * @module
 */
import type { BlasBackend, KernelConfig, KernelFunc, TensorInfo } from "./blas_backend_class.ts";
import { tf } from "./tf.ts";

/** Sums x viewed as [outer, inner] over its outer axis into `out` [inner]. */
function sumOuter(x: Float32Array, out: Float32Array): void {
  const inner = out.length;
  const acc = new Float64Array(inner);
  for (let row = 0; row < x.length; row += inner) {
    for (let j = 0; j < inner; j++) acc[j] += x[row + j];
  }
  out.set(acc);
}

/** Sums x viewed as [outer, inner] over its inner axis into `out` [outer]. */
function sumInner(x: Float32Array, out: Float32Array): void {
  const inner = out.length === 0 ? 0 : x.length / out.length;
  for (let i = 0; i < out.length; i++) {
    let sum = 0;
    const start = i * inner;
    for (let j = start; j < start + inner; j++) sum += x[j];
    out[i] = sum;
  }
}

/**
 * Creates the Sum kernel: sums over `axis` when the summed axes are leading or trailing
 * (e.g. a bias gradient [batch, units] → [units]); other cases go to the cpu kernel.
 */
export function sumKernel(backendName: string): KernelConfig {
  const fallback = tf.getKernel(tf.Sum, backendName)!.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as BlasBackend;
    const { x } = args.inputs as { x: TensorInfo };
    const { axis, keepDims } = args.attrs as { axis: number | number[]; keepDims: boolean };
    const values = backend.floatValues(x);
    if (values === undefined || x.shape.length === 0) return fallback(args);
    const rank = x.shape.length;
    const axes = tf.util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
    const leading = axes.every((a, i) => a === i);
    const trailing = axes.every((a, i) => a === rank - axes.length + i);
    if (!leading && !trailing) return fallback(args);
    const kept = x.shape.filter((_, d) => !axes.includes(d));
    const keptSize = tf.util.sizeFromShape(kept);
    const out = backend.allocate(keptSize);
    if (leading && axes.length > 0) sumOuter(values, out);
    else sumInner(values, out);
    const shape = keepDims ? x.shape.map((d, i) => axes.includes(i) ? 1 : d) : kept;
    return backend.makeTensorInfo(shape, "float32", out);
  };
  return { kernelName: tf.Sum, backendName, kernelFunc };
}

/**
 * Creates the Mean kernel: like the cpu kernel, divides every element by the number summed
 * (rounding to float32), then sums over `axis` with the Sum kernel.
 */
export function meanKernel(backendName: string): KernelConfig {
  const fallback = tf.getKernel(tf.Mean, backendName)!.kernelFunc;
  const sum = sumKernel(backendName).kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as BlasBackend;
    const { x } = args.inputs as { x: TensorInfo };
    const { axis } = args.attrs as { axis: number | number[] };
    const values = backend.floatValues(x);
    if (values === undefined) return fallback(args);
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const count = Math.fround(axes.reduce((n, a) => n * x.shape[a], 1));
    const scaled = backend.allocate(values.length);
    for (let i = 0; i < values.length; i++) scaled[i] = values[i] / count;
    const input = backend.makeTensorInfo(x.shape, "float32", scaled);
    const out = sum({ inputs: { x: input }, backend, attrs: args.attrs }) as TensorInfo;
    backend.disposeIntermediateTensorInfo(input);
    return out;
  };
  return { kernelName: tf.Mean, backendName, kernelFunc };
}

/** Creates the Softmax kernel over the last axis: exp(x - max) / Σ exp(x - max), row by row. */
export function softmaxKernel(backendName: string): KernelConfig {
  const fallback = tf.getKernel(tf.Softmax, backendName)!.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as BlasBackend;
    const { logits } = args.inputs as { logits: TensorInfo };
    const { dim } = args.attrs as { dim: number };
    const rank = logits.shape.length;
    const values = backend.floatValues(logits);
    if (values === undefined || rank === 0 || (dim !== -1 && dim !== rank - 1)) {
      return fallback(args);
    }
    const width = logits.shape[rank - 1];
    const out = backend.allocate(values.length);
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
    return backend.makeTensorInfo(logits.shape, "float32", out);
  };
  return { kernelName: tf.Softmax, backendName, kernelFunc };
}
