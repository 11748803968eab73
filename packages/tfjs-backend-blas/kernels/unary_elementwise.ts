/**
 * The float32 unary elementwise kernels Sqrt, Square, Floor, Relu and Step as tight typed-array
 * loops (the cpu backend's generic loops cost 5–20 ns per element, these about 1); other dtypes
 * go to the cpu kernel.
 *
 * @module
 */
import {
  Floor,
  type KernelConfig,
  type NamedAttrMap,
  Relu,
  Sqrt,
  Square,
  Step,
  type StepAttrs,
  type UnaryInputs,
} from "@tensorflow/tfjs-core";
import { blasKernelConfig, cpuFallback } from "../kernel_config.ts";

/** Writes `out[i] = op(x[i])`; `attrs` are the kernel's attributes (Step's alpha). */
type UnaryLoop<A = NamedAttrMap> = (x: Float32Array, out: Float32Array, attrs: A) => void;

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
const stepLoop: UnaryLoop<StepAttrs> = (x, out, { alpha }) => {
  const n = out.length;
  if (alpha === 0) {
    for (let i = 0; i < n; i++) out[i] = +(x[i] > 0);
  } else {
    for (let i = 0; i < n; i++) out[i] = x[i] > 0 ? 1 : alpha;
  }
  for (let i = 0; i < n; i++) if (x[i] !== x[i]) out[i] = NaN;
};

/** A float32 unary kernel running `loop`, with the cpu kernel for other dtypes. */
function unaryKernel<A extends object>(kernelName: string, loop: UnaryLoop<A>): KernelConfig {
  const fallback = cpuFallback(kernelName);
  return blasKernelConfig<UnaryInputs, A>(kernelName, (args) => {
    const { inputs: { x }, backend, attrs } = args;
    const values = backend.floatValues(x);
    if (values === undefined) return fallback(args);
    const out = backend.allocate(values.length);
    loop(values, out, attrs);
    return backend.makeTensorInfo(x.shape, "float32", out);
  });
}

/** The Sqrt kernel of the "blas" backend. */
export const sqrtConfig: KernelConfig = unaryKernel(Sqrt, sqrtLoop);
/** The Square kernel of the "blas" backend. */
export const squareConfig: KernelConfig = unaryKernel(Square, squareLoop);
/** The Floor kernel of the "blas" backend. */
export const floorConfig: KernelConfig = unaryKernel(Floor, floorLoop);
/** The Relu kernel of the "blas" backend. */
export const reluConfig: KernelConfig = unaryKernel(Relu, reluLoop);
/** The Step kernel of the "blas" backend: 1 where x > 0, else alpha (relu's gradient). */
export const stepConfig: KernelConfig = unaryKernel(Step, stepLoop);
