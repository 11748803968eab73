/**
 * How the "blas" backend's kernels are declared, and how the cpu backend's kernels run on it:
 * for every kernel it does not replace, and as the fallback of those it does (other dtypes,
 * shapes it does not cover).
 *
 * @module
 */
import {
  Cast,
  getKernel,
  Identity,
  type KernelConfig,
  type KernelFunc,
  type NamedAttrMap,
  type NamedTensorInfoMap,
  Reshape,
  type TensorInfo,
} from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { asBlasBackend, type BlasBackend } from "./backend_blas.ts";

/** Name under which the backend and its kernels are registered unless told otherwise. */
export const BLAS_BACKEND_NAME = "blas";

/** A kernel's inputs with the tensors it needs present (tfjs's `*Inputs` types allow undefined). */
export type Present<I> = { [K in keyof I]: NonNullable<I[K]> };

/**
 * What a blas kernel function receives: tfjs's inputs and attributes types, e.g. `SumInputs`,
 * `SumAttrs`, and the backend.
 */
export interface BlasKernelArgs<I extends object, A extends object> {
  inputs: Present<I>;
  backend: BlasBackend;
  attrs: A;
}

/** A blas kernel function: one tensor out, or several (e.g. the fused Adam update). */
export type BlasKernelFunc<I extends object, A extends object> = (
  args: BlasKernelArgs<I, A>,
) => TensorInfo | TensorInfo[];

/**
 * The `KernelConfig` of a blas kernel for the "blas" backend: `kernelFunc` receives typed inputs
 * and attributes, and the backend checked to be a {@linkcode BlasBackend}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type NamedAttrMap, Sqrt, type UnaryInputs } from "@tensorflow/tfjs-core";
 *
 * const sqrtConfig = blasKernelConfig<UnaryInputs, NamedAttrMap>(Sqrt, ({ inputs, backend }) => {
 *   const x = backend.floatValues(inputs.x)!; // float32 only: a real kernel falls back to cpu's
 *   const out = backend.allocate(x.length);
 *   for (let i = 0; i < x.length; i++) out[i] = Math.sqrt(x[i]);
 *   return backend.makeTensorInfo(inputs.x.shape, "float32", out);
 * });
 * assert.equal(sqrtConfig.backendName, "blas"); // ready for registerKernel
 * ```
 */
export function blasKernelConfig<I extends object, A extends object>(
  kernelName: string,
  kernelFunc: BlasKernelFunc<I, A>,
): KernelConfig {
  return {
    kernelName,
    backendName: BLAS_BACKEND_NAME,
    kernelFunc: (args) =>
      kernelFunc({
        inputs: args.inputs as unknown as Present<I>,
        backend: asBlasBackend(args.backend),
        attrs: (args.attrs ?? {}) as A,
      }),
  };
}

/**
 * Whether a cpu kernel can never leave its output holding its input's array other than through
 * the input's reference count (Identity, Reshape, and Cast except to complex64, which aliases).
 */
function keepsNoView(kernelName: string, attrs: NamedAttrMap | undefined): boolean {
  if (kernelName === Identity || kernelName === Reshape) return true;
  return kernelName === Cast && attrs?.dtype !== "complex64";
}

/** Marks every input of a kernel call as seen, so that its array is never recycled. */
function exposeInputs(inputs: NamedTensorInfoMap, backend: BlasBackend): void {
  for (const input of Object.values(inputs)) if (input) backend.expose(input.dataId);
}

/**
 * The cpu kernel `config` registered under `backendName`, marking its inputs as seen so that
 * their arrays are never recycled (the kernel may keep a view of them, as Slice does).
 */
export function cpuKernelFor(config: KernelConfig, backendName: string): KernelConfig {
  const cpu = config.kernelFunc;
  return {
    ...config,
    backendName,
    kernelFunc: (args) => {
      if (!keepsNoView(config.kernelName, args.attrs)) {
        exposeInputs(args.inputs, asBlasBackend(args.backend));
      }
      return cpu(args);
    },
  };
}

/**
 * The cpu backend's `kernelName` kernel as a blas kernel's fallback: marks the inputs as seen,
 * then runs the cpu kernel on the blas kernel's arguments as they are.
 */
export function cpuFallback(
  kernelName: string,
): (args: BlasKernelArgs<object, object>) => TensorInfo | TensorInfo[] {
  let cpu: KernelFunc | undefined;
  return ({ inputs, backend, attrs }) => {
    cpu ??= getKernel(kernelName, "cpu")?.kernelFunc;
    if (cpu === undefined) {
      throw new Error(`blas: expected the cpu backend's ${kernelName} kernel, got none`);
    }
    const named = inputs as NamedTensorInfoMap;
    exposeInputs(named, backend);
    return cpu({ inputs: named, backend, attrs: attrs as NamedAttrMap });
  };
}
