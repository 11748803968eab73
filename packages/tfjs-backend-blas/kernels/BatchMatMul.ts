/**
 * The BatchMatMul kernel: `cblas_sgemm` per batch, with transposes passed to BLAS as flags and
 * batch dimensions broadcast like TensorFlow's.
 *
 * @module
 */
import {
  BatchMatMul,
  type BatchMatMulAttrs,
  type BatchMatMulInputs,
  broadcast_util,
  type KernelConfig,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";
import type { BlasBackend } from "../backend_blas.ts";
import { type BlasKernelArgs, blasKernelConfig, cpuFallback } from "../kernel_config.ts";

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
export interface Product {
  shape: number[];
  values: Float32Array;
  /** Number of columns n of every [m, n] matrix in `values`. */
  n: number;
}

/**
 * Multiplies float32 a [...batch, m, k] by b [...batch, k, n] (either stored transposed) with
 * sgemm into [...batch, m, n]; undefined for other dtypes.
 */
export function product(
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
  const batchShape = broadcast_util.assertAndGetBroadcastShape(aBatchShape, bBatchShape);
  const batch = util.sizeFromShape(batchShape);
  const values = backend.allocate(batch * m * n);
  if (k === 0) values.fill(0);
  else {
    for (let i = 0; i < batch; i++) {
      const aOffset = broadcastBatchIndex(i, batchShape, aBatchShape) * m * k;
      const bOffset = broadcastBatchIndex(i, batchShape, bBatchShape) * k * n;
      backend.blas.sgemm(
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

const cpuBatchMatMul = cpuFallback(BatchMatMul);

/** a [...batch, m, k] · b [...batch, k, n] → [...batch, m, n]; non-float32 inputs go to cpu. */
export function batchMatMul(
  args: BlasKernelArgs<BatchMatMulInputs, BatchMatMulAttrs>,
): TensorInfo | TensorInfo[] {
  const { inputs: { a, b }, backend, attrs: { transposeA, transposeB } } = args;
  const result = product(backend, a, b, transposeA, transposeB);
  if (result === undefined) return cpuBatchMatMul(args);
  return backend.makeTensorInfo(result.shape, "float32", result.values);
}

/** The BatchMatMul kernel of the "blas" backend. */
export const batchMatMulConfig: KernelConfig = blasKernelConfig(BatchMatMul, batchMatMul);
