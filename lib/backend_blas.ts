/**
 * The "blas" TensorFlow.js backend: the cpu backend's kernels, with matrix products done by a
 * system BLAS (OpenBLAS or Accelerate) through `Deno.dlopen` and the hot elementwise kernels of
 * MLP training rewritten as tight typed-array loops.
 *
 * @example
 * ```ts
 * import { tf } from "./tf.ts";
 * import { registerBlasBackend } from "./backend_blas.ts";
 *
 * if (registerBlasBackend()) await tf.setBackend("blas");
 * ```
 *
 * @module
 */
import { tf } from "./tf.ts";
import { BlasBackend, type KernelConfig } from "./blas_backend_class.ts";
import { findBlasLibrary, openBlas } from "./blas_ffi.ts";
import { batchMatMulKernel, fusedMatMulKernel } from "./blas_matmul.ts";
import { adamUpdateKernel } from "./blas_adam.ts";
import { elementwiseKernels } from "./blas_elementwise.ts";
import { gatherKernel } from "./blas_gather.ts";
import { crossentropyGradient, lossKernels } from "./blas_loss.ts";
import { meanKernel, softmaxKernel, sumKernel } from "./blas_reduce.ts";

export { findBlasLibrary } from "./blas_ffi.ts";
export { fusedAdam, FusedAdamOptimizer } from "./blas_adam.ts";
export { fuseCrossentropy } from "./blas_loss.ts";

/** Name under which the backend is registered with TensorFlow.js. */
export const BLAS_BACKEND = "blas";

/** Thread count for BLAS: `MLP_BLAS_THREADS` if set, else the number of logical cores. */
export function blasThreads(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): number {
  const text = env.MLP_BLAS_THREADS;
  if (text === undefined || text === "") return navigator.hardwareConcurrency;
  const count = Number(text);
  if (!Number.isInteger(count) || count < 1) {
    throw new Error(`MLP_BLAS_THREADS must be a positive integer, got "${text}"`);
  }
  return count;
}

/**
 * Whether a cpu kernel can never leave its output holding its input's array other than through
 * the input's reference count (Identity, Reshape, and Cast except to complex64, which aliases).
 */
function keepsNoView(kernelName: string, attrs: Record<string, unknown> | undefined): boolean {
  if (kernelName === tf.Identity || kernelName === tf.Reshape) return true;
  return kernelName === tf.Cast && attrs?.dtype !== "complex64";
}

/**
 * A cpu kernel registered under `backendName`, marking its inputs as seen so that their arrays
 * are never recycled (the kernel may keep a view of them, as Slice does).
 */
function cpuKernelFor(config: KernelConfig, backendName: string): KernelConfig {
  const cpu = config.kernelFunc;
  return {
    ...config,
    backendName,
    kernelFunc: (args) => {
      if (!keepsNoView(config.kernelName, args.attrs as Record<string, unknown>)) {
        const backend = args.backend as BlasBackend;
        for (const input of Object.values(args.inputs)) if (input) backend.expose(input.dataId);
      }
      return cpu(args);
    },
  };
}

/**
 * Registers the "blas" backend (at priority 0, so it is used only when selected), with
 * `MLP_BLAS_THREADS` (default: all cores) BLAS threads.
 *
 * Returns true when it is registered (now or before), false when no BLAS library is found or
 * it cannot be loaded, in which case nothing is registered. Throws when `MLP_BLAS_LIB` names a
 * file that does not exist.
 */
export function registerBlasBackend(): boolean {
  if (tf.findBackendFactory(BLAS_BACKEND) !== null) return true;
  const path = findBlasLibrary();
  if (path === undefined) return false;
  let blas;
  try {
    blas = openBlas(path);
  } catch {
    return false;
  }
  blas.setThreads(blasThreads());
  // The cpu kernels first: the blas kernels below fall back to them for what they don't cover.
  for (const config of tf.getKernelsForBackend("cpu")) {
    tf.registerKernel(cpuKernelFor(config, BLAS_BACKEND));
  }
  const overrides = [
    batchMatMulKernel(blas, BLAS_BACKEND),
    fusedMatMulKernel(blas, BLAS_BACKEND),
    gatherKernel(BLAS_BACKEND),
    sumKernel(BLAS_BACKEND),
    meanKernel(BLAS_BACKEND),
    softmaxKernel(BLAS_BACKEND),
    ...elementwiseKernels(BLAS_BACKEND),
    adamUpdateKernel(BLAS_BACKEND),
    ...lossKernels(BLAS_BACKEND),
  ];
  for (const config of overrides) {
    if (tf.getKernel(config.kernelName, BLAS_BACKEND)) {
      tf.unregisterKernel(config.kernelName, BLAS_BACKEND);
    }
    tf.registerKernel(config);
  }
  tf.registerGradient(crossentropyGradient);
  tf.registerBackend(BLAS_BACKEND, () => new BlasBackend(), 0);
  return true;
}
