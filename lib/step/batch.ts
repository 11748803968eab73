/**
 * The first batch of a training run: the images that `train` feeds to its first step.
 *
 * @module
 */
import { checkInteger } from "../checks.ts";
import { STUDY_CONFIG } from "../config.ts";
import type { Split } from "../data/mnist.ts";
import { takeSamples, validationSplitAt } from "../data/splits.ts";
import { createRandom, shuffledIndices } from "../preprocessing/random.ts";

/** The settings of a run that decide its batches; the defaults are the study's. */
export interface BatchSettings {
  /** Images per step (default 256). */
  batchSize?: number;
  /** Fraction held out from the end for validation (default 0.2). */
  validationSplit?: number;
  /** Seed of the shuffling (default 42). */
  seed?: number;
}

/**
 * The images and labels of the first step of `train(model, x, y, settings)` on the whole of
 * `split`: the first `batchSize` of the seeded shuffle of the training part (the split's first
 * 1 − validationSplit), in the order the step sees them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadDataset } from "../data/dataset.ts";
 *
 * const data = await loadDataset({ dataset: "mnist", trainLimit: 1000 });
 * const batch = firstBatch(data.train, { batchSize: 32 });
 * assert.equal(batch.labels.length, 32);
 * assert.equal(batch.images.length, 32 * 784);
 * ```
 */
export function firstBatch(split: Split, settings: BatchSettings = {}): Split {
  const {
    batchSize = STUDY_CONFIG.batchSize,
    validationSplit = STUDY_CONFIG.validationSplit,
    seed = STUDY_CONFIG.seed,
  } = settings;
  checkInteger("firstBatch: batchSize", batchSize, { min: 1 });
  const n = validationSplitAt(split.labels.length, validationSplit);
  const order = shuffledIndices(n, createRandom(seed));
  return takeSamples(split, order.subarray(0, Math.min(batchSize, n)));
}
