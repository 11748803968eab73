/**
 * Tight typed-array versions of the float32 elementwise kernels that dominate MLP training on
 * the cpu backend (its generic loops cost 5–20 ns per element, these about 1).
 *
 * Each kernel handles float32 inputs (broadcasting like the cpu kernels, fastest when a side is
 * a scalar or a bias row); other dtypes go to the cpu kernel.
 *
 * @module
 */
import type { BlasBackend, KernelConfig, KernelFunc, TensorInfo } from "./blas_backend_class.ts";
import { tf } from "./tf.ts";

/** Whether `shape`, without leading 1s, is a suffix of `outShape`, so its values tile the output. */
function tiles(shape: number[], outShape: number[]): boolean {
  let start = 0;
  while (start < shape.length && shape[start] === 1) start++;
  const tail = shape.length - start;
  if (tail > outShape.length) return false;
  for (let i = 0; i < tail; i++) {
    if (shape[start + i] !== outShape[outShape.length - tail + i]) return false;
  }
  return true;
}

/** Copies `values` of `shape` broadcast to `outShape` (rank ≥ 1) into a new array. */
function broadcastTo(values: Float32Array, shape: number[], outShape: number[]): Float32Array {
  const rank = outShape.length;
  const padded = [...new Array(rank - shape.length).fill(1), ...shape];
  const strides = new Array<number>(rank);
  for (let d = rank - 1, stride = 1; d >= 0; d--) {
    strides[d] = padded[d] === 1 ? 0 : stride;
    stride *= padded[d];
  }
  const out = new Float32Array(tf.util.sizeFromShape(outShape));
  const width = outShape[rank - 1];
  const step = strides[rank - 1];
  const index = new Array<number>(rank).fill(0);
  let source = 0;
  for (let row = 0; row < out.length; row += width) {
    for (let j = 0; j < width; j++) out[row + j] = values[source + j * step];
    for (let d = rank - 2; d >= 0; d--) {
      source += strides[d];
      if (++index[d] < outShape[d]) break;
      source -= strides[d] * outShape[d];
      index[d] = 0;
    }
  }
  return out;
}

/**
 * Writes `out[i] = a[i] op b[i]`, where the shorter of `a` and `b` repeats to the length of
 * `out` (a scalar or a bias row). One literal loop per op, so that V8 compiles each tightly.
 */
type BinaryLoop = (a: Float32Array, b: Float32Array, out: Float32Array) => void;

const addLoop: BinaryLoop = (a, b, out) => {
  const n = out.length, wa = a.length, wb = b.length;
  if (wa === n && wb === n) {
    for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
    return;
  }
  for (let i = 0, ia = 0, ib = 0; i < n; i++) {
    out[i] = a[ia] + b[ib];
    if (++ia === wa) ia = 0;
    if (++ib === wb) ib = 0;
  }
};

const subLoop: BinaryLoop = (a, b, out) => {
  const n = out.length, wa = a.length, wb = b.length;
  if (wa === n && wb === n) {
    for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
    return;
  }
  for (let i = 0, ia = 0, ib = 0; i < n; i++) {
    out[i] = a[ia] - b[ib];
    if (++ia === wa) ia = 0;
    if (++ib === wb) ib = 0;
  }
};

const mulLoop: BinaryLoop = (a, b, out) => {
  const n = out.length, wa = a.length, wb = b.length;
  if (wa === n && wb === n) {
    for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
    return;
  }
  for (let i = 0, ia = 0, ib = 0; i < n; i++) {
    out[i] = a[ia] * b[ib];
    if (++ia === wa) ia = 0;
    if (++ib === wb) ib = 0;
  }
};

const divLoop: BinaryLoop = (a, b, out) => {
  const n = out.length, wa = a.length, wb = b.length;
  if (wa === n && wb === n) {
    for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
    return;
  }
  for (let i = 0, ia = 0, ib = 0; i < n; i++) {
    out[i] = a[ia] / b[ib];
    if (++ia === wa) ia = 0;
    if (++ib === wb) ib = 0;
  }
};

/** A float32 binary kernel computing `op` elementwise, with the cpu kernel as fallback. */
function binaryKernel(kernelName: string, backendName: string, loop: BinaryLoop): KernelConfig {
  const fallback = tf.getKernel(kernelName, backendName)!.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as BlasBackend;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const aValues = backend.floatValues(a);
    const bValues = backend.floatValues(b);
    if (aValues === undefined || bValues === undefined) return fallback(args);
    const outShape = tf.broadcast_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const out = backend.allocate(tf.util.sizeFromShape(outShape));
    if (out.length === 0) return backend.makeTensorInfo(outShape, "float32", out);
    const aTiled = tiles(a.shape, outShape) ? aValues : broadcastTo(aValues, a.shape, outShape);
    const bTiled = tiles(b.shape, outShape) ? bValues : broadcastTo(bValues, b.shape, outShape);
    loop(aTiled, bTiled, out);
    return backend.makeTensorInfo(outShape, "float32", out);
  };
  return { kernelName, backendName, kernelFunc };
}

/** Writes `out[i] = op(x[i])`; `attrs` are the kernel's attributes (Step's alpha). */
type UnaryLoop = (x: Float32Array, out: Float32Array, attrs: Record<string, unknown>) => void;

const sqrtLoop: UnaryLoop = (x, out) => {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]);
};

const squareLoop: UnaryLoop = (x, out) => {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = x[i] * x[i];
};

const floorLoop: UnaryLoop = (x, out) => {
  const n = out.length;
  for (let i = 0; i < n; i++) out[i] = Math.floor(x[i]);
};

/**
 * max(0, x) as (x + |x|) / 2, exact and branch-free (random signs defeat branch prediction);
 * only -Infinity, which would give NaN, takes a (never mispredicted) branch.
 */
const reluLoop: UnaryLoop = (x, out) => {
  const n = out.length;
  for (let i = 0; i < n; i++) {
    const v = x[i];
    out[i] = v === -Infinity ? 0 : (v + Math.abs(v)) * 0.5;
  }
};

/** 1 where x > 0, else alpha (NaN stays NaN); branch-free for relu's gradient (alpha 0). */
const stepLoop: UnaryLoop = (x, out, attrs) => {
  const n = out.length;
  const alpha = attrs.alpha as number;
  if (alpha === 0) {
    for (let i = 0; i < n; i++) out[i] = +(x[i] > 0);
  } else {
    for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? 1 : alpha;
  }
  for (let i = 0; i < n; i++) if (x[i] !== x[i]) out[i] = NaN;
};

/** A float32 unary kernel running `loop`, with the cpu kernel for other dtypes. */
function unaryKernel(kernelName: string, backendName: string, loop: UnaryLoop): KernelConfig {
  const fallback = tf.getKernel(kernelName, backendName)!.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as BlasBackend;
    const { x } = args.inputs as { x: TensorInfo };
    const values = backend.floatValues(x);
    if (values === undefined) return fallback(args);
    const out = backend.allocate(values.length);
    loop(values, out, (args.attrs ?? {}) as Record<string, unknown>);
    return backend.makeTensorInfo(x.shape, "float32", out);
  };
  return { kernelName, backendName, kernelFunc };
}

/** The elementwise kernels of the "blas" backend, registered under `backendName`. */
export function elementwiseKernels(backendName: string): KernelConfig[] {
  return [
    binaryKernel(tf.Add, backendName, addLoop),
    binaryKernel(tf.Sub, backendName, subLoop),
    binaryKernel(tf.Multiply, backendName, mulLoop),
    binaryKernel(tf.RealDiv, backendName, divLoop),
    unaryKernel(tf.Sqrt, backendName, sqrtLoop),
    unaryKernel(tf.Square, backendName, squareLoop),
    unaryKernel(tf.Floor, backendName, floorLoop),
    unaryKernel(tf.Relu, backendName, reluLoop),
    unaryKernel(tf.Step, backendName, stepLoop),
  ];
}
