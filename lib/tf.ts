/**
 * The one place in lib/ that loads TensorFlow.js: core, the cpu and wasm backends, and layers
 * (the blas backend package imports core and cpu itself, which share this engine).
 *
 * The backends are imported right after core so that their registrations land in
 * the same engine; every other module of lib/ imports `tf` from here.
 *
 * @module
 */
import * as core from "@tensorflow/tfjs-core";
import "@tensorflow/tfjs-backend-cpu";
import "@tensorflow/tfjs-backend-wasm";
import * as layers from "@tensorflow/tfjs-layers";

// Production mode only silences tfjs's console warnings, such as the cpu backend's advice to
// install tfjs-node (which needs a download at install time and is not used here).
core.enableProdMode();

/** TensorFlow.js core ops and the layers API under one name, e.g. `tf.tensor2d(...)`, `tf.sequential(...)`. */
export const tf = { ...core, ...layers };

export type { io, Scalar, Tensor, Tensor2D, Variable } from "@tensorflow/tfjs-core";
export type { LayersModel } from "@tensorflow/tfjs-layers";
