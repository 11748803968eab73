/**
 * The float32 Sum kernel: reduces in place instead of transposing first (the cpu Sum transposes
 * a [batch, units] gradient to sum over the batch).
 *
 * Sums accumulate in float64 in index order, like the cpu kernel, so results are deterministic.
 *
 * @module
 */
import {
  type KernelConfig,
  Sum,
  type SumAttrs,
  type SumInputs,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";
import { type BlasKernelArgs, blasKernelConfig, cpuFallback } from "../kernel_config.ts";

/** Sums x viewed as [outer, inner] over its outer axis into `out` [inner]. */
export function sumOuter(x: Float32Array, out: Float32Array): void {
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

const cpuSum = cpuFallback(Sum);

/**
 * x summed over `axis` when the summed axes are leading or trailing (e.g. a bias gradient
 * [batch, units] → [units]); other cases, and other dtypes, go to the cpu kernel.
 */
export function sum(args: BlasKernelArgs<SumInputs, SumAttrs>): TensorInfo | TensorInfo[] {
  const { inputs: { x }, backend, attrs: { axis, keepDims } } = args;
  const values = backend.floatValues(x);
  if (values === undefined || x.shape.length === 0) return cpuSum(args);
  const rank = x.shape.length;
  const axes = util.parseAxisParam(axis, x.shape).sort((p, q) => p - q);
  const leading = axes.every((a, i) => a === i);
  const trailing = axes.every((a, i) => a === rank - axes.length + i);
  if (!leading && !trailing) return cpuSum(args);
  const kept = x.shape.filter((_, d) => !axes.includes(d));
  const keptSize = util.sizeFromShape(kept);
  const out = backend.allocate(keptSize);
  if (leading && axes.length > 0) sumOuter(values, out);
  else sumInner(values, out);
  const shape = keepDims ? x.shape.map((d, i) => axes.includes(i) ? 1 : d) : kept;
  return backend.makeTensorInfo(shape, "float32", out);
}

/** The Sum kernel of the "blas" backend. */
export const sumConfig: KernelConfig = blasKernelConfig(Sum, sum);
