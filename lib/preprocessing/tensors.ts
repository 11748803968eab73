/**
 * From bytes to model inputs: normalization, one-hot labels, and tensors.
 *
 * @module
 */
import { checkError, checkIndex } from "../checks.ts";
import type { Split } from "../data/mnist.ts";
import { pixelsPerImage } from "../data/splits.ts";
import { type Tensor2D, tf } from "../tf.ts";

/** Number of classes of MNIST and Fashion-MNIST. */
export const NUM_CLASSES = 10;

/**
 * Scales pixel bytes 0–255 to float32 values in [0, 1] (divides by 255, as the study does),
 * into `out` when given (same length), else into a new array.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(normalize(Uint8Array.of(0, 51, 255)), Float32Array.of(0, 0.2, 1));
 * ```
 */
export function normalize(
  pixels: Uint8Array,
  out: Float32Array = new Float32Array(pixels.length),
): Float32Array {
  if (out.length !== pixels.length) {
    throw checkError("normalize: out.length", `${pixels.length} (one per pixel)`, `${out.length}`);
  }
  for (let i = 0; i < pixels.length; i++) out[i] = pixels[i] / 255;
  return out;
}

/**
 * One-hot rows for class labels: N labels → N×classes floats.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(oneHot(Uint8Array.of(2), 4), Float32Array.of(0, 0, 1, 0));
 * ```
 */
export function oneHot(labels: Uint8Array, classes = NUM_CLASSES): Float32Array {
  const out = new Float32Array(labels.length * classes);
  labels.forEach((label, i) => {
    checkIndex(`oneHot: labels[${i}]`, label, classes);
    out[i * classes + label] = 1;
  });
  return out;
}

/**
 * Model inputs for a split: `x` N×P normalized pixels, `y` N×classes one-hot labels.
 *
 * Only the two returned tensors stay allocated; dispose them when done.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadMnist } from "../data/mnist.ts";
 * import { tf } from "../tf.ts";
 *
 * await tf.setBackend("cpu");
 * const dataset = await loadMnist();
 * const { x, y } = toTensors(dataset.test);
 * assert.deepEqual(x.shape, [10000, 784]);
 * assert.deepEqual(y.shape, [10000, 10]);
 * x.dispose();
 * y.dispose();
 * ```
 */
export function toTensors(
  split: Split,
  classes = NUM_CLASSES,
): { x: Tensor2D; y: Tensor2D } {
  const size = pixelsPerImage(split);
  const n = split.labels.length;
  const y = oneHot(split.labels, classes);
  return { x: tf.tensor2d(normalize(split.images), [n, size]), y: tf.tensor2d(y, [n, classes]) };
}
