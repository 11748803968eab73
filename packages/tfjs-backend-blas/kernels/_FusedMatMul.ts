/**
 * The _FusedMatMul kernel: activation(a · b + bias) with `cblas_sgemm`, adding the bias and
 * applying the activation in one pass over the product.
 *
 * @module
 */
import {
  _FusedMatMul,
  type _FusedMatMulAttrs,
  type _FusedMatMulInputs,
  Add,
  type KernelConfig,
  Prelu,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import type { BlasBackend } from "../backend_blas.ts";
import { type BlasKernelArgs, blasKernelConfig, cpuFallback } from "../kernel_config.ts";
import { product } from "./BatchMatMul.ts";

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

/** An activation applied elementwise in place; prelu reads per-column `alpha`. */
type ActivationLoop = (
  y: Float32Array,
  n: number,
  alpha: Float32Array | undefined,
  leak: number,
) => void;

/** The activations of `_FusedMatMulAttrs`, each as a loop over the product. */
const ACTIVATIONS: Record<_FusedMatMulAttrs["activation"], ActivationLoop> = {
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

const cpuFusedMatMul = cpuFallback(_FusedMatMul);
const cpuAdd = cpuFallback(Add);
const cpuPrelu = cpuFallback(Prelu);

/**
 * activation(a [...batch, m, k] · b [...batch, k, n] + bias) → [...batch, m, n]. A bias or prelu
 * alpha that is not a per-column vector goes to the cpu Add or Prelu kernel.
 */
export function fusedMatMul(
  args: BlasKernelArgs<_FusedMatMulInputs, _FusedMatMulAttrs>,
): TensorInfo | TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const { a, b, bias, preluActivationWeights } = inputs;
  const { transposeA, transposeB, activation, leakyreluAlpha } = attrs;
  const apply = ACTIVATIONS[activation];
  if (apply === undefined) {
    throw new Error(`fused matMul: unknown activation "${activation}"`);
  }
  const result = product(backend, a, b, transposeA, transposeB);
  if (result === undefined) return cpuFusedMatMul(args);
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
    const alpha = rowVector(backend, preluActivationWeights as TensorInfo, n);
    if (alpha === undefined) {
      const inputs = { x: out, alpha: preluActivationWeights };
      const activated = cpuPrelu({ inputs, backend, attrs: {} }) as TensorInfo;
      backend.disposeIntermediateTensorInfo(out);
      return activated;
    }
    apply(outValues, n, alpha, leakyreluAlpha as number);
  } else {
    apply(outValues, n, undefined, leakyreluAlpha as number);
  }
  return out;
}

/** The _FusedMatMul kernel of the "blas" backend. */
export const fusedMatMulConfig: KernelConfig = blasKernelConfig(_FusedMatMul, fusedMatMul);
