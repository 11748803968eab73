/**
 * Looking at a data set: one image, class counts, mean images.
 *
 * @module
 */
import { checkIndex } from "../checks.ts";
import type { Split } from "./mnist.ts";
import { pixelsPerImage } from "./splits.ts";

/**
 * The pixels of image `index` (a view, no copy): rows×cols bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadMnist } from "./mnist.ts";
 *
 * const data = await loadMnist();
 * const first = imageAt(data.train, 0);
 * assert.equal(first.length, 784); // 28×28 bytes
 * ```
 */
export function imageAt(split: Split, index: number): Uint8Array {
  const size = pixelsPerImage(split);
  checkIndex("imageAt: index", index, split.labels.length);
  return split.images.subarray(index * size, (index + 1) * size);
}

/**
 * How many samples each class has.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(classCounts(Uint8Array.from([1, 1, 0]), 3), [1, 2, 0]);
 * ```
 */
export function classCounts(labels: Uint8Array, classes = 10): number[] {
  const counts = new Array<number>(classes).fill(0);
  labels.forEach((label, i) => {
    checkIndex(`classCounts: labels[${i}]`, label, classes);
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
 * import assert from "node:assert/strict";
 * import { loadMnist } from "./mnist.ts";
 *
 * const data = await loadMnist();
 * const means = meanImages(data.train);
 * assert.equal(means.length, 10 * 784); // class 0's mean image first, then class 1's, …
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
