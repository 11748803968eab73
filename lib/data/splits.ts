/**
 * Subsets of a split: its first samples, chosen indices, and Keras's validation split.
 *
 * @module
 */
import type { Split } from "./mnist.ts";

/**
 * Pixels per image of a split (images length / labels count), refusing splits that do not
 * hold N > 0 whole images.
 *
 * @example
 * ```ts
 * pixelsPerImage(dataset.train); // 784
 * ```
 */
export function pixelsPerImage(split: Split): number {
  const n = split.labels.length;
  if (n === 0 || split.images.length % n !== 0) {
    throw new Error(
      `a split of ${split.images.length} pixels and ${n} labels: expected N > 0 labels ` +
        `and N whole images`,
    );
  }
  return split.images.length / n;
}

/**
 * The samples at the given indices, in that order (images and labels copied).
 *
 * @example
 * ```ts
 * const firstTwo = takeSamples(dataset.train, [0, 1]);
 * ```
 */
export function takeSamples(split: Split, indices: ArrayLike<number>): Split {
  const size = pixelsPerImage(split);
  const n = split.labels.length;
  const images = new Uint8Array(indices.length * size);
  const labels = new Uint8Array(indices.length);
  for (let k = 0; k < indices.length; k++) {
    const i = indices[k];
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new Error(`index ${i} at position ${k}: expected an integer in [0, ${n})`);
    }
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
 * firstSamples(dataset.train, 6000).labels.length; // 6000
 * ```
 */
export function firstSamples(split: Split, limit?: number): Split {
  if (limit === undefined || limit >= split.labels.length) return split;
  if (!Number.isInteger(limit) || limit <= 0) {
    throw new Error(`limit ${limit}: expected a positive integer`);
  }
  const size = pixelsPerImage(split);
  return {
    images: split.images.subarray(0, limit * size),
    labels: split.labels.subarray(0, limit),
  };
}

/** Number of training samples Keras keeps for a `validation_split`: ⌊N·(1−fraction)⌋. */
export function validationSplitAt(n: number, fraction: number): number {
  if (!(fraction >= 0 && fraction < 1)) {
    throw new Error(`validation fraction ${fraction}: expected a number in [0, 1)`);
  }
  return Math.floor(n * (1 - fraction));
}

/**
 * Splits like Keras's `validation_split`: the last `fraction` of the samples, before any
 * shuffling, is the validation set (no copy).
 *
 * @example
 * ```ts
 * const { train, validation } = splitValidation(dataset.train, 0.2); // 48,000 / 12,000
 * ```
 */
export function splitValidation(
  split: Split,
  fraction: number,
): { train: Split; validation: Split } {
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
 * const { train, validation } = splitByIndices(dataset.train, [0, 5, 9]);
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
    if (!Number.isInteger(i) || i < 0 || i >= n) {
      throw new Error(`validation index ${i}: expected an integer in [0, ${n})`);
    }
    if (isValidation[i]) throw new Error(`validation index ${i} is listed twice`);
    isValidation[i] = 1;
  }
  const trainIndices: number[] = [];
  for (let i = 0; i < n; i++) if (!isValidation[i]) trainIndices.push(i);
  return {
    train: takeSamples(split, trainIndices),
    validation: takeSamples(split, validationIndices),
  };
}
