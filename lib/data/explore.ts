/**
 * Looking at a data set: one image, class counts, mean images.
 *
 * @module
 */
import type { Split } from "./mnist.ts";
import { pixelsPerImage } from "./splits.ts";

/**
 * The pixels of image `index` (a view, no copy): rows×cols bytes.
 *
 * @example
 * ```ts
 * const first = imageAt(data.train, 0); // Uint8Array(784)
 * ```
 */
export function imageAt(split: Split, index: number): Uint8Array {
  const size = pixelsPerImage(split);
  if (!Number.isInteger(index) || index < 0 || index >= split.labels.length) {
    throw new Error(`image index ${index}: expected an integer in [0, ${split.labels.length})`);
  }
  return split.images.subarray(index * size, (index + 1) * size);
}

/**
 * How many samples each class has.
 *
 * @example
 * ```ts
 * classCounts(Uint8Array.from([1, 1, 0]), 3); // [1, 2, 0]
 * ```
 */
export function classCounts(labels: Uint8Array, classes = 10): number[] {
  const counts = new Array<number>(classes).fill(0);
  labels.forEach((label, i) => {
    if (label >= classes) {
      throw new Error(`label ${label} at index ${i}: expected 0–${classes - 1}`);
    }
    counts[label]++;
  });
  return counts;
}

/**
 * The mean image of each class, in [0, 1]: classes×(rows·cols) floats, class by class.
 *
 * A class without samples gets a black image.
 *
 * @example
 * ```ts
 * const means = meanImages(data.train); // Float32Array(10 * 784)
 * ```
 */
export function meanImages(split: Split, classes = 10): Float32Array {
  const size = pixelsPerImage(split);
  const sums = new Float64Array(classes * size);
  const counts = classCounts(split.labels, classes);
  split.labels.forEach((label, i) => {
    const offset = label * size;
    for (let p = 0; p < size; p++) sums[offset + p] += split.images[i * size + p];
  });
  const means = new Float32Array(classes * size);
  for (let c = 0; c < classes; c++) {
    for (let p = 0; p < size; p++) {
      means[c * size + p] = counts[c] ? sums[c * size + p] / counts[c] / 255 : 0;
    }
  }
  return means;
}
