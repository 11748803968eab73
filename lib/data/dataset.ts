/**
 * The data set a run uses, as its settings choose it.
 *
 * @module
 */
import type { Config } from "../config.ts";
import { type Dataset, loadFashionMnist, loadMnist } from "./mnist.ts";
import { firstSamples } from "./splits.ts";

/**
 * Loads MNIST or Fashion-MNIST (`config.dataset`), keeping the first `trainLimit` training and
 * `testLimit` test images when those are set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // the notebooks pass loadConfig(): MLP_DATASET, MLP_TRAIN_LIMIT, MLP_TEST_LIMIT
 * const data = await loadDataset({ dataset: "mnist", trainLimit: 1000, testLimit: 500 });
 * assert.equal(data.train.labels.length, 1000);
 * assert.equal(data.test.labels.length, 500);
 * ```
 */
export async function loadDataset(
  config: Pick<Config, "dataset" | "trainLimit" | "testLimit">,
): Promise<Dataset> {
  const data = config.dataset === "fashion-mnist" ? await loadFashionMnist() : await loadMnist();
  return {
    ...data,
    train: firstSamples(data.train, config.trainLimit),
    test: firstSamples(data.test, config.testLimit),
  };
}
