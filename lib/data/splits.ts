/**
 * Subsets of a split: its first samples, chosen indices, and Keras's validation split.
 *
 * @module
 */
import { checkError, checkIndex, checkInteger, checkNumber } from "../checks.ts";
import type { Split } from "./mnist.ts";

/**
 * Pixels per image of a split (images length / labels count), refusing splits that do not
 * hold N > 0 whole images.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const twoDigits = { images: new Uint8Array(2 * 784), labels: new Uint8Array(2) };
 * assert.equal(pixelsPerImage(twoDigits), 784);
 * assert.throws(() => pixelsPerImage({ images: new Uint8Array(5), labels: new Uint8Array(2) }));
 * ```
 */
export function pixelsPerImage(split: Split): number {
  const n = split.labels.length;
  if (n === 0 || split.images.length % n !== 0) {
    throw checkError(
      "pixelsPerImage: split",
      "N > 0 labels and N whole images",
      `${split.images.length} pixels and ${n} labels`,
    );
  }
  return split.images.length / n;
}

/**
 * The samples at the given indices, in that order (images and labels copied).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // three 2-pixel images labelled 7, 8, 9
 * const split = { images: Uint8Array.of(1, 1, 2, 2, 3, 3), labels: Uint8Array.of(7, 8, 9) };
 * const picked = takeSamples(split, [2, 0]);
 * assert.deepEqual(picked.labels, Uint8Array.from([9, 7]));
 * assert.deepEqual(picked.images, Uint8Array.from([3, 3, 1, 1]));
 * ```
 */
export function takeSamples(split: Split, indices: ArrayLike<number>): Split {
  const size = pixelsPerImage(split);
  const n = split.labels.length;
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    checkIndex(`takeSamples: indices[${k}]`, i, n);
    images.set(split.images.subarray(i * size, (i + 1) * size), k * size);
    labels[k] = split.labels[i];
  }
  return { images, labels };
}

/**
 * The first `limit` samples (all of them when `limit` is undefined), without copying.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadMnist } from "./mnist.ts";
 *
 * const dataset = await loadMnist();
 * const first = firstSamples(dataset.train, 6000);
 * assert.equal(first.labels.length, 6000);
 * assert.equal(first.images.length, 6000 * 784);
 * ```
 */
export function firstSamples(split: Split, limit?: number): Split {
  if (limit === undefined || limit >= split.labels.length) return split;
  checkInteger("firstSamples: limit", limit, { min: 1 });
  const size = pixelsPerImage(split);
  return {
    images: split.images.subarray(0, limit * size),
    labels: split.labels.subarray(0, limit),
  };
}

/** Number of training samples Keras keeps for a `validation_split`: ⌊N·(1−fraction)⌋. */
export function validationSplitAt(n: number, fraction: number): number {
  checkNumber("validationSplitAt: fraction", fraction, { min: 0, below: 1 });
  return Math.floor(n * (1 - fraction));
}

/**
 * Splits like Keras's `validation_split`: the last `fraction` of the samples, before any
 * shuffling, is the validation set (no copy).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadMnist } from "./mnist.ts";
 *
 * const dataset = await loadMnist();
 * const { train, validation } = splitValidation(dataset.train, 0.2);
 * assert.equal(train.labels.length, 48000);
 * assert.equal(validation.labels.length, 12000); // the last 12,000 images
 * ```
 */
export function splitValidation(
  split: Split,
  fraction: number,
): { train: Split; validation: Split } {
  checkNumber("splitValidation: fraction", fraction, { min: 0, below: 1 });
  const size = pixelsPerImage(split);
  const at = validationSplitAt(split.labels.length, fraction);
  return {
    train: { images: split.images.subarray(0, at * size), labels: split.labels.subarray(0, at) },
    validation: { images: split.images.subarray(at * size), labels: split.labels.subarray(at) },
  };
}

/**
 * Splits by explicit indices: the samples listed in `validationIndices` form the validation
 * set, all others (in their order) the training set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // four 1-pixel images labelled 0, 1, 2, 3
 * const split = { images: Uint8Array.of(10, 11, 12, 13), labels: Uint8Array.of(0, 1, 2, 3) };
 * const { train, validation } = splitByIndices(split, [3, 1]);
 * assert.deepEqual(validation.labels, Uint8Array.from([3, 1]));
 * assert.deepEqual(train.labels, Uint8Array.from([0, 2]));
 * ```
 */
export function splitByIndices(
  split: Split,
  validationIndices: ArrayLike<number>,
): { train: Split; validation: Split } {
  const n = split.labels.length;
  const isValidation = new Uint8Array(n);
  for (let k = 0; k < validationIndices.length; k++) {
    const i = validationIndices[k];
    const what = `splitByIndices: validationIndices[${k}]`;
    checkIndex(what, i, n);
    if (isValidation[i]) throw checkError(what, "an index listed once", `${i} again`);
    isValidation[i] = 1;
  }
  const trainIndices: number[] = [];
  for (let i = 0; i < n; i++) if (!isValidation[i]) trainIndices.push(i);
  return {
    train: takeSamples(split, trainIndices),
    validation: takeSamples(split, validationIndices),
  };
}
