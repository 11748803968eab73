/**
 * BatchMatMul and _FusedMatMul kernels that call `cblas_sgemm`, for the "blas" backend.
 *
 * Transposes are passed to BLAS as flags, batch dimensions broadcast like TensorFlow's, and
 * _FusedMatMul adds its bias and applies its activation in one pass over the product.
 *
 * @module
 */
import type { BlasBackend, KernelConfig, KernelFunc, TensorInfo } from "./blas_backend_class.ts";
import { tf } from "./tf.ts";
import type { Blas } from "./blas_ffi.ts";

/** Index into a batch of shape `inShape` that broadcasts to batch `index` of `outShape`. */
function broadcastBatchIndex(index: number, outShape: number[], inShape: number[]): number {
  let result = 0;
  let inStride = 1;
  for (let d = 1; d <= outShape.length; d++) {
    const outDim = outShape[outShape.length - d];
    const coord = index % outDim;
    index = (index - coord) / outDim;
    const inDim = d <= inShape.length ? inShape[inShape.length - d] : 1;
    if (inDim !== 1) result += coord * inStride;
    inStride *= inDim;
  }
  return result;
}

/** Shape and values of the product of a [...batch, m, k] and b [...batch, k, n] (or transposed). */
interface Product {
  shape: number[];
  values: Float32Array;
  /** Number of columns n of every [m, n] matrix in `values`. */
  n: number;
}

/** Multiplies float32 `a` by `b` with sgemm, or returns undefined for other dtypes. */
function product(
  blas: Blas,
  backend: BlasBackend,
  a: TensorInfo,
  b: TensorInfo,
  transposeA: boolean,
  transposeB: boolean,
): Product | undefined {
  const aValues = backend.floatValues(a);
  const bValues = backend.floatValues(b);
  if (aValues === undefined || bValues === undefined) return undefined;
  const aRank = a.shape.length;
  const bRank = b.shape.length;
  const k = transposeA ? a.shape[aRank - 2] : a.shape[aRank - 1];
  const kB = transposeB ? b.shape[bRank - 1] : b.shape[bRank - 2];
  if (k !== kB) {
    throw new Error(
      `matMul: inner dimensions ${k} and ${kB} of shapes [${a.shape}] and [${b.shape}] ` +
        `(transposeA=${transposeA}, transposeB=${transposeB}) must match`,
    );
  }
  const m = transposeA ? a.shape[aRank - 1] : a.shape[aRank - 2];
  const n = transposeB ? b.shape[bRank - 2] : b.shape[bRank - 1];
  const aBatchShape = a.shape.slice(0, -2);
  const bBatchShape = b.shape.slice(0, -2);
  const batchShape = tf.broadcast_util.assertAndGetBroadcastShape(aBatchShape, bBatchShape);
  const batch = tf.util.sizeFromShape(batchShape);
  const values = backend.allocate(batch * m * n);
  if (k === 0) values.fill(0);
  else {
    for (let i = 0; i < batch; i++) {
      const aOffset = broadcastBatchIndex(i, batchShape, aBatchShape) * m * k;
      const bOffset = broadcastBatchIndex(i, batchShape, bBatchShape) * k * n;
      blas.sgemm(
        transposeA,
        transposeB,
        m,
        n,
        k,
        aValues.subarray(aOffset, aOffset + m * k),
        bValues.subarray(bOffset, bOffset + k * n),
        values.subarray(i * m * n, (i + 1) * m * n),
      );
    }
  }
  return { shape: [...batchShape, m, n], values, n };
}

/** Per-column values of `t` if it broadcasts along all but the last axis of [..., n], else undefined. */
function rowVector(backend: BlasBackend, t: TensorInfo, n: number): Float32Array | undefined {
  const values = backend.floatValues(t);
  if (values === undefined) return undefined;
  const last = t.shape.length === 0 ? 1 : t.shape[t.shape.length - 1];
  const leadingOnes = t.shape.slice(0, -1).every((d) => d === 1);
  if (!leadingOnes || (last !== n && last !== 1)) return undefined;
  if (last === n) return values;
  return new Float32Array(n).fill(values[0]);
}

/** Activation functions applied elementwise in place; prelu reads per-column `alpha`. */
const ACTIVATIONS: Record<
  string,
  (y: Float32Array, n: number, alpha: Float32Array | undefined, leak: number) => void
> = {
  linear: () => {},
  relu: (y) => {
    for (let i = 0; i < y.length; i++) {
      const v = y[i];
      y[i] = v === -Infinity ? 0 : (v + Math.abs(v)) * 0.5;
    }
  },
  relu6: (y) => {
    for (let i = 0; i < y.length; i++) {
      const v = y[i];
      y[i] = v < 0 ? 0 : v > 6 ? 6 : v;
    }
  },
  elu: (y) => {
    for (let i = 0; i < y.length; i++) if (y[i] < 0) y[i] = Math.exp(y[i]) - 1;
  },
  leakyrelu: (y, _n, _alpha, leak) => {
    for (let i = 0; i < y.length; i++) if (y[i] < 0) y[i] *= leak;
  },
  prelu: (y, n, alpha) => {
    const a = alpha as Float32Array;
    for (let row = 0; row < y.length; row += n) {
      for (let j = 0; j < n; j++) if (y[row + j] < 0) y[row + j] *= a[j];
    }
  },
  sigmoid: (y) => {
    for (let i = 0; i < y.length; i++) y[i] = 1 / (1 + Math.exp(-y[i]));
  },
};

/** Adds a per-column `bias` of length n to every row of `y` in place. */
function addRowVector(y: Float32Array, n: number, bias: Float32Array): void {
  for (let row = 0; row < y.length; row += n) {
    for (let j = 0; j < n; j++) y[row + j] += bias[j];
  }
}

/** Creates the BatchMatMul kernel: a [...batch, m, k] · b [...batch, k, n] → [...batch, m, n]. */
export function batchMatMulKernel(blas: Blas, backendName: string): KernelConfig {
  const fallback = tf.getKernel(tf.BatchMatMul, backendName)!.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as BlasBackend;
    const { a, b } = args.inputs as { a: TensorInfo; b: TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const result = product(blas, backend, a, b, transposeA, transposeB);
    if (result === undefined) return fallback(args);
    return backend.makeTensorInfo(result.shape, "float32", result.values);
  };
  return { kernelName: tf.BatchMatMul, backendName, kernelFunc };
}

/**
 * Creates the _FusedMatMul kernel: activation(a · b + bias) → [...batch, m, n].
 *
 * A bias or prelu alpha that is not a per-column vector is handled by the cpu Add/Prelu kernels.
 */
export function fusedMatMulKernel(blas: Blas, backendName: string): KernelConfig {
  const fallback = tf.getKernel(tf._FusedMatMul, backendName)!.kernelFunc;
  const cpuAdd = tf.getKernel(tf.Add, backendName)!.kernelFunc;
  const cpuPrelu = tf.getKernel(tf.Prelu, backendName)!.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as BlasBackend;
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, TensorInfo>;
    const { transposeA, transposeB, activation, leakyreluAlpha } = args.attrs as {
      transposeA: boolean;
      transposeB: boolean;
      activation: string;
      leakyreluAlpha: number;
    };
    const apply = ACTIVATIONS[activation];
    if (apply === undefined) {
      throw new Error(`fused matMul: unknown activation "${activation}"`);
    }
    const result = product(blas, backend, a, b, transposeA, transposeB);
    if (result === undefined) return fallback(args);
    const { values, n } = result;
    let out = backend.makeTensorInfo(result.shape, "float32", values);
    if (bias !== undefined && bias !== null) {
      const biasRow = rowVector(backend, bias, n);
      if (biasRow !== undefined) {
        addRowVector(values, n, biasRow);
      } else {
        const sum = cpuAdd({ inputs: { a: out, b: bias }, backend, attrs: {} }) as TensorInfo;
        backend.disposeIntermediateTensorInfo(out);
        out = sum;
      }
    }
    const outValues = backend.data.get(out.dataId).values as Float32Array;
    if (activation === "prelu") {
      const alpha = rowVector(backend, preluActivationWeights, n);
      if (alpha === undefined) {
        const inputs = { x: out, alpha: preluActivationWeights };
        const activated = cpuPrelu({ inputs, backend, attrs: {} }) as TensorInfo;
        backend.disposeIntermediateTensorInfo(out);
        return activated;
      }
      apply(outValues, n, alpha, leakyreluAlpha);
    } else {
      apply(outValues, n, undefined, leakyreluAlpha);
    }
    return out;
  };
  return { kernelName: tf._FusedMatMul, backendName, kernelFunc };
}
