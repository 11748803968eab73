/**
 * Registers the "blas" backend's kernels: every kernel of the cpu backend, then the blas
 * kernels over them, and the gradient of the fused cross-entropy.
 *
 * @module
 */
import {
  getKernel,
  getKernelsForBackend,
  type KernelConfig,
  registerGradient,
  registerKernel,
  unregisterKernel,
} from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import { cpuKernelFor } from "./kernel_config.ts";
import { adamUpdateConfig } from "./kernels/AdamUpdate.ts";
import { batchMatMulConfig } from "./kernels/BatchMatMul.ts";
import {
  addConfig,
  multiplyConfig,
  realDivConfig,
  subConfig,
} from "./kernels/binary_elementwise.ts";
import { categoricalAccuracyConfig } from "./kernels/CategoricalAccuracy.ts";
import {
  categoricalCrossentropyConfig,
  categoricalCrossentropyGradConfig,
  categoricalCrossentropyGradKernelConfig,
} from "./kernels/CategoricalCrossentropy.ts";
import { fusedMatMulConfig } from "./kernels/_FusedMatMul.ts";
import { gatherV2Config } from "./kernels/GatherV2.ts";
import { meanConfig } from "./kernels/Mean.ts";
import { softmaxConfig } from "./kernels/Softmax.ts";
import { sumConfig } from "./kernels/Sum.ts";
import {
  floorConfig,
  reluConfig,
  sqrtConfig,
  squareConfig,
  stepConfig,
} from "./kernels/unary_elementwise.ts";

/** The kernels the "blas" backend has in place of the cpu backend's, or in addition to them. */
export const BLAS_KERNEL_CONFIGS: readonly KernelConfig[] = [
  batchMatMulConfig,
  fusedMatMulConfig,
  gatherV2Config,
  sumConfig,
  meanConfig,
  softmaxConfig,
  addConfig,
  subConfig,
  multiplyConfig,
  realDivConfig,
  sqrtConfig,
  squareConfig,
  floorConfig,
  reluConfig,
  stepConfig,
  adamUpdateConfig,
  categoricalCrossentropyConfig,
  categoricalCrossentropyGradKernelConfig,
  categoricalAccuracyConfig,
];

/**
 * Registers every cpu kernel under `backendName`, then {@linkcode BLAS_KERNEL_CONFIGS} over
 * them, and the gradient of the fused cross-entropy kernel.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { getKernel } from "@tensorflow/tfjs-core";
 *
 * registerAllKernels("blas-copy"); // registerBlasBackend does this for "blas"
 * assert.equal(getKernel("Slice", "blas-copy")?.backendName, "blas-copy"); // a cpu kernel
 * assert.equal(getKernel("BatchMatMul", "blas-copy")?.backendName, "blas-copy"); // a blas one
 * ```
 */
export function registerAllKernels(backendName: string): void {
  const register = (config: KernelConfig) => {
    if (getKernel(config.kernelName, backendName)) {
      unregisterKernel(config.kernelName, backendName);
    }
    registerKernel({ ...config, backendName });
  };
  // The cpu kernels first, then the blas kernels over them.
  for (const config of getKernelsForBackend("cpu")) register(cpuKernelFor(config, backendName));
  for (const config of BLAS_KERNEL_CONFIGS) register(config);
  registerGradient(categoricalCrossentropyGradConfig);
}
