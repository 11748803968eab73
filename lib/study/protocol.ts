/**
 * The study's protocol in one place: its four models, the seeds it derives from one seed, the
 * sets each model trains and is tested on, and the steps that train and measure a model. Notebook
 * 06 runs these steps cell by cell; `runStudySeed` runs them for each seed of notebook 07.
 *
 * @module
 */
import type { Config } from "../config.ts";
import type { Split } from "../data/mnist.ts";
import { splitValidation } from "../data/splits.ts";
import { buildMlp, disposeModel } from "../model/mlp.ts";
import { addGaussianNoise, withNoisyCopies } from "../preprocessing/noise.ts";
import { toTensors } from "../preprocessing/tensors.ts";
import { type LayersModel, type Tensor, tf } from "../tf.ts";
import { train } from "../training/train.ts";
import type { History, TrainCallbacks } from "../training/types.ts";
import { evaluate } from "../evaluation/metrics.ts";

/** One of the study's models: what it trains on, and where its best epoch is kept. */
export interface StudyModel {
  /** The results keys' prefix: "clean", "noisy", "leaky" or "robust". */
  key: string;
  /** Its name in progress bars and tables. */
  name: string;
  /** The checkpoint folder's name under `checkpoints/` (null: the model is not kept). */
  checkpoint: string | null;
}

/** The study's four models, in the order notebook 06 and `runStudySeed` train them. */
export const STUDY_MODELS: readonly StudyModel[] = Object.freeze([
  { key: "clean", name: "Clean reference", checkpoint: "mlp_1_reference" },
  { key: "noisy", name: "Noisy model", checkpoint: "mlp_1_noisy" },
  { key: "leaky", name: "Clean + noisy, leaky validation", checkpoint: null },
  { key: "robust", name: "Clean + noisy, split first", checkpoint: "mlp_1_robust" },
]);

/** The settings the protocol reads; the notebooks pass `loadConfig()`. */
export type StudyConfig = Pick<
  Config,
  | "epochs"
  | "batchSize"
  | "validationSplit"
  | "hiddenUnits"
  | "dropout"
  | "learningRate"
  | "optimizer"
  | "noiseStd"
>;

/** The seeds the study derives from its seed, one per source of randomness. */
export interface StudySeeds {
  /** The models' initial weights and dropout masks, and the shuffling: the seed itself. */
  model: number;
  /** The noisy copies of the training images: seed + 1. */
  trainingNoise: number;
  /** The split-first model's training set's noise: seed + 2. */
  splitFirstTraining: number;
  /** The split-first model's validation set's noise: seed + 3. */
  splitFirstValidation: number;
  /** The noisy test set: seed + 100. */
  testNoise: number;
  /** The noise of the robustness curve: seed + 200. */
  robustness: number;
}

/**
 * The seeds of every source of randomness of the study, derived from one seed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const seeds = studySeeds(42);
 * assert.equal(seeds.trainingNoise, 43);
 * assert.equal(seeds.testNoise, 142);
 * ```
 */
export function studySeeds(seed: number): StudySeeds {
  return {
    model: seed,
    trainingNoise: seed + 1,
    splitFirstTraining: seed + 2,
    splitFirstValidation: seed + 3,
    testNoise: seed + 100,
    robustness: seed + 200,
  };
}

/** Images [N, 784] and one-hot labels [N, 10], the caller's to dispose. */
export interface LabelledSet {
  /** Pixel values in [0, 1], [N, 784]. */
  x: Tensor;
  /** One-hot labels, [N, 10]. */
  y: Tensor;
}

/** The clean training images and their noisy copies, whole and as halves that share its memory. */
export interface CleanAndNoisy extends LabelledSet {
  /** The first half: the clean images [N, 784] and their labels, the clean model's set. */
  clean: LabelledSet;
  /** The second half: the noisy copies [N, 784] and the same labels, the noisy model's set. */
  noisy: LabelledSet;
}

/**
 * The training images and their noisy copies (noise seed + 1) as one set of 2N images, e.g.
 * [120,000, 784] from MNIST's 60,000: its `clean` half trains the clean model, its `noisy` half
 * the noisy one, and the whole the leaky one (Keras's validation split taken after
 * concatenating). With `into` (2N × 784 floats), `x` holds that array. Dispose every tensor of it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadMnist } from "../data/mnist.ts";
 * import { firstSamples } from "../data/splits.ts";
 * import { tf } from "../tf.ts";
 *
 * await tf.setBackend("cpu");
 * const train = firstSamples((await loadMnist()).train, 100);
 * const both = cleanAndNoisy(train, { noiseStd: 0.1 }, 42);
 * assert.deepEqual([both.x.shape, both.noisy.x.shape], [[200, 784], [100, 784]]);
 * assert.deepEqual(both.clean.x.dataSync(), both.x.dataSync().subarray(0, 100 * 784));
 * tf.dispose([both.x, both.y, both.clean.x, both.clean.y, both.noisy.x]);
 * ```
 */
export function cleanAndNoisy(
  train: Split,
  config: Pick<StudyConfig, "noiseStd">,
  seed: number,
  into?: Float32Array,
): CleanAndNoisy {
  const std = config.noiseStd;
  const { x, y } = withNoisyCopies(train, { std, seed: studySeeds(seed).trainingNoise, into });
  const n = train.labels.length;
  const labels = tf.slice(y, 0, n);
  return {
    x,
    y,
    clean: { x: tf.slice(x, 0, n), y: labels },
    noisy: { x: tf.slice(x, n, n), y: labels },
  };
}

/**
 * The split-first model's sets: the training images' first part and its noisy copies (seed + 2),
 * and the last `validationSplit` part and its noisy copies (seed + 3) as validation, so that no
 * validation image has a copy in training. With `into` (2N × 784 floats), both sets live in it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadMnist } from "../data/mnist.ts";
 * import { firstSamples } from "../data/splits.ts";
 * import { tf } from "../tf.ts";
 *
 * await tf.setBackend("cpu");
 * const train = firstSamples((await loadMnist()).train, 100);
 * const sets = splitFirst(train, { noiseStd: 0.1, validationSplit: 0.2 }, 42);
 * assert.deepEqual([sets.train.x.shape, sets.validation.x.shape], [[160, 784], [40, 784]]);
 * tf.dispose([sets.train.x, sets.train.y, sets.validation.x, sets.validation.y]);
 * ```
 */
export function splitFirst(
  train: Split,
  config: Pick<StudyConfig, "noiseStd" | "validationSplit">,
  seed: number,
  into?: Float32Array,
): { train: LabelledSet; validation: LabelledSet } {
  const parts = splitValidation(train, config.validationSplit);
  const seeds = studySeeds(seed);
  const trainPixels = 2 * parts.train.images.length;
  const std = config.noiseStd;
  return {
    train: withNoisyCopies(parts.train, {
      std,
      seed: seeds.splitFirstTraining,
      into: into?.subarray(0, trainPixels),
    }),
    validation: withNoisyCopies(parts.validation, {
      std,
      seed: seeds.splitFirstValidation,
      into: into?.subarray(trainPixels),
    }),
  };
}

/** The test images, clean and with noise (seed + 100): every model is measured on both. */
export interface TestSets extends LabelledSet {
  /** The test images with noise, [M, 784]. */
  xNoisy: Tensor;
}

/**
 * The test set and its noisy copy (noise seed + 100), the caller's to dispose.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadMnist } from "../data/mnist.ts";
 * import { firstSamples } from "../data/splits.ts";
 * import { tf } from "../tf.ts";
 *
 * await tf.setBackend("cpu");
 * const test = testSets(firstSamples((await loadMnist()).test, 10), { noiseStd: 0.1 }, 42);
 * assert.deepEqual(test.xNoisy.shape, [10, 784]);
 * tf.dispose([test.x, test.y, test.xNoisy]);
 * ```
 */
export function testSets(
  test: Split,
  config: Pick<StudyConfig, "noiseStd">,
  seed: number,
): TestSets {
  const { x, y } = toTensors(test);
  const xNoisy = addGaussianNoise(x, { std: config.noiseStd, seed: studySeeds(seed).testNoise });
  return { x, y, xNoisy };
}

/** Options of {@linkcode trainStudyModel}. */
export interface TrainStudyModelOptions extends TrainCallbacks {
  /** The model's seed (initial weights, dropout masks, shuffling). */
  seed: number;
  /** Validation images and labels; default: the last `validationSplit` of the training set. */
  validationData?: [Tensor, Tensor];
  /** Folder for the epoch of best validation accuracy (default: none kept). */
  checkpointDir?: string;
}

/**
 * Trains one of the study's models from scratch: the study's MLP (its hidden sizes, dropout and
 * learning rate, seeded) on `set` for the study's epochs and batch size. The model and its optimizer are disposed once trained,
 * also when training throws; the best epoch lives on in `checkpointDir`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../backend/init.ts";
 * import { STUDY_CONFIG } from "../config.ts";
 * import { loadDataset } from "../data/dataset.ts";
 * import { toTensors } from "../preprocessing/tensors.ts";
 *
 * await initBackend();
 * const set = toTensors((await loadDataset({ dataset: "mnist", trainLimit: 500 })).train);
 * const history = await trainStudyModel(set, { ...STUDY_CONFIG, epochs: 1 }, { seed: 42 });
 * assert.equal(history.val_acc.length, 1); // validated on the last 100 of the 500 images
 * ```
 */
export async function trainStudyModel(
  set: LabelledSet,
  config: StudyConfig,
  options: TrainStudyModelOptions,
): Promise<History> {
  const { epochs, batchSize, validationSplit, hiddenUnits, dropout, learningRate, optimizer } =
    config;
  const { seed, ...rest } = options;
  const model: LayersModel = buildMlp({ hiddenUnits, dropout, learningRate, optimizer, seed });
  try {
    return await train(model, set.x, set.y, { epochs, batchSize, validationSplit, seed, ...rest });
  } finally {
    disposeModel(model);
  }
}

/**
 * A model's accuracy on the clean and on the noisy test set, in [0, 1].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../backend/init.ts";
 * import { loadMnist } from "../data/mnist.ts";
 * import { firstSamples } from "../data/splits.ts";
 * import { buildMlp, disposeModel } from "../model/mlp.ts";
 *
 * await initBackend();
 * const test = testSets(firstSamples((await loadMnist()).test, 100), { noiseStd: 0.1 }, 42);
 * const { clean, noisy } = await testAccuracy(buildMlp({ seed: 42 }), test);
 * assert.ok(clean >= 0 && noisy <= 1); // untrained: about 0.1 each
 * ```
 */
export async function testAccuracy(
  model: LayersModel,
  test: TestSets,
): Promise<{ clean: number; noisy: number }> {
  const clean = (await evaluate(model, test.x, test.y)).accuracy;
  const noisy = (await evaluate(model, test.xNoisy, test.y)).accuracy;
  return { clean, noisy };
}
