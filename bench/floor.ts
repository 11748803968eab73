/**
 * The floor of an epoch: its matrix products alone — each training step's eight (three forward,
 * three kernel gradients, two input gradients) and validation's three per batch — timed through a
 * BLAS handle, as no training loop that multiplies with that library can be faster.
 *
 * @module
 */
import type { Blas } from "../packages/tfjs-backend-blas/mod.ts";
import { median } from "../lib/evaluation/results.ts";
import { EPOCH_IMAGES, SETTINGS, TRAIN_IMAGES } from "./options.ts";

/** One matrix product C[m, n] = op(A)[m, k] · op(B)[k, n], as `Blas.sgemm` takes it. */
export interface Product {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
}

/**
 * The products of one training step of a dense stack of `sizes` (inputs, hidden units…, classes)
 * on `batch` rows: x · W forward per layer, xᵀ · δ per kernel gradient, and δ · Wᵀ per layer but
 * the first (its input's gradient is not needed).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const products = stepProducts([784, 256, 256, 10], 256);
 * assert.equal(products.length, 8);
 * assert.deepEqual(products[0], { transA: false, transB: false, m: 256, n: 256, k: 784 });
 * ```
 */
export function stepProducts(sizes: readonly number[], batch: number): Product[] {
  const layers = sizes.slice(1).map((units, l) => ({ inputs: sizes[l], units }));
  const forward = forwardProducts(sizes, batch);
  const kernels = layers.map(({ inputs, units }) => ({
    transA: true,
    transB: false,
    m: inputs,
    n: units,
    k: batch,
  }));
  const deltas = layers.slice(1).map(({ inputs, units }) => ({
    transA: false,
    transB: true,
    m: batch,
    n: inputs,
    k: units,
  }));
  return [...forward, ...kernels, ...deltas];
}

/** The forward products of a dense stack of `sizes` on `batch` rows, one per layer. */
export function forwardProducts(sizes: readonly number[], batch: number): Product[] {
  return sizes.slice(1).map((units, l) => ({
    transA: false,
    transB: false,
    m: batch,
    n: units,
    k: sizes[l],
  }));
}

/** Sizes of the batches that split `images` into batches of `batchSize`, the last one smaller. */
function batchSizes(images: number, batchSize: number): number[] {
  return Array.from(
    { length: Math.ceil(images / batchSize) },
    (_, i) => Math.min(batchSize, images - i * batchSize),
  );
}

/**
 * The products of one epoch: every training step's on `trainImages`, then validation's forward
 * products on `validationImages`, in batches of `batchSize`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const products = epochProducts([784, 256, 256, 10], 48_000, 12_000, 256);
 * assert.equal(products.length, 188 * 8 + 47 * 3);
 * ```
 */
export function epochProducts(
  sizes: readonly number[],
  trainImages: number,
  validationImages: number,
  batchSize: number,
): Product[] {
  return [
    ...batchSizes(trainImages, batchSize).flatMap((batch) => stepProducts(sizes, batch)),
    ...batchSizes(validationImages, batchSize).flatMap((batch) => forwardProducts(sizes, batch)),
  ];
}

/**
 * Seconds that `blas` takes for `products`, run in order on arrays of values in [-0.5, 0.5): the
 * median of `repeats` runs after one to warm up.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findBlasLibrary, openBlas } from "../packages/tfjs-backend-blas/mod.ts";
 *
 * const path = findBlasLibrary();
 * if (path !== undefined) {
 *   const seconds = productSeconds(openBlas(path), stepProducts([784, 256, 10], 64), 3);
 *   assert.ok(seconds > 0 && seconds < 1);
 * }
 * ```
 */
export function productSeconds(blas: Blas, products: readonly Product[], repeats = 5): number {
  const most = (size: (p: Product) => number) => Math.max(...products.map(size));
  const filled = (n: number) =>
    Float32Array.from({ length: n }, (_, i) => (i * 0.618034) % 1 - 0.5);
  const a = filled(most((p) => p.m * p.k));
  const b = filled(most((p) => p.k * p.n));
  const c = new Float32Array(most((p) => p.m * p.n));
  const run = () => {
    const start = performance.now();
    for (const { transA, transB, m, n, k } of products) {
      blas.sgemm(transA, transB, m, n, k, a, b, c);
    }
    return (performance.now() - start) / 1000;
  };
  run();
  return median(Array.from({ length: repeats }, run));
}

/**
 * Seconds of a bench epoch's floor through `blas`: the products of the study's MLP on `inputs`
 * features and `classes` classes, 48,000 training and 12,000 validation images in batches of
 * `SETTINGS.batchSize` (see {@linkcode epochProducts} and {@linkcode productSeconds}).
 */
export function epochFloorSeconds(blas: Blas, inputs: number, classes: number): number {
  const sizes = [inputs, ...SETTINGS.hiddenUnits, classes];
  const { batchSize } = SETTINGS;
  return productSeconds(
    blas,
    epochProducts(sizes, TRAIN_IMAGES, EPOCH_IMAGES - TRAIN_IMAGES, batchSize),
  );
}
