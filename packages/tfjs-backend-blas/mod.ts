/**
 * A TensorFlow.js backend for Deno that multiplies matrices with the system's BLAS (OpenBLAS or
 * Apple's Accelerate, through `Deno.dlopen`) and runs the hot elementwise kernels of MLP
 * training as tight typed-array loops; every other kernel is tfjs-backend-cpu's.
 *
 * The training fusions (a fused Adam, and cross-entropy and accuracy as single kernels for a
 * tfjs-layers model) are in `@mnist-mlp/tfjs-backend-blas/training`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { registerBlasBackend } from "@mnist-mlp/tfjs-backend-blas";
 *
 * const blas = registerBlasBackend({ threads: 2 });
 * if (blas.registered) await tf.setBackend(blas.name); // else blas.reason says why not
 * assert.deepEqual(await tf.matMul([[1, 2]], [[3], [4]]).array(), [[11]]); // by cblas_sgemm
 * ```
 *
 * @module
 */
export { asBlasBackend, BlasBackend } from "./backend_blas.ts";
export {
  type Blas,
  BLAS_CANDIDATES,
  findBlasLibrary,
  type FindBlasOptions,
  openBlas,
} from "./blas_library.ts";
export { BLAS_BACKEND_NAME } from "./kernel_config.ts";
export { ADAM_UPDATE, type AdamUpdateAttrs } from "./kernels/AdamUpdate.ts";
export { ACCURACY } from "./kernels/CategoricalAccuracy.ts";
export {
  CROSSENTROPY,
  CROSSENTROPY_GRAD,
  type CrossentropyAttrs,
} from "./kernels/CategoricalCrossentropy.ts";
export { BLAS_KERNEL_CONFIGS, registerAllKernels } from "./register_all_kernels.ts";
export {
  type BlasBackendOptions,
  type BlasRegistration,
  registerBlasBackend,
} from "./register_backend.ts";
