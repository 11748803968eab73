/**
 * One seed of the study: notebook 05's four models — clean, noisy, clean + noisy with the
 * original's leaky validation, clean + noisy split first — trained with one seed and measured,
 * so notebook 06 can repeat the study over several seeds.
 *
 * @module
 */
import { checkError, checkInteger, checkNumber } from "../checks.ts";
import type { Config } from "../config.ts";
import type { Dataset } from "../data/mnist.ts";
import { splitValidation } from "../data/splits.ts";
import { buildMlp } from "../model/mlp.ts";
import { addGaussianNoise, withNoisyCopies } from "../preprocessing/noise.ts";
import { toTensors } from "../preprocessing/tensors.ts";
import { type LayersModel, type Tensor, tf } from "../tf.ts";
import { loadCheckpoint } from "../training/checkpoint.ts";
import { stopError, watchStop } from "../training/stop.ts";
import { train } from "../training/train.ts";
import type { TrainCallbacks, TrainOptions } from "../training/types.ts";
import { evaluate } from "./metrics.ts";

/** The study's four models, in the order {@linkcode runStudySeed} trains them. */
export const STUDY_MODELS: readonly string[] = Object.freeze([
  "clean",
  "noisy",
  "clean + noisy, leaky validation",
  "clean + noisy, split first",
]);

/** The results keys of the values {@linkcode runStudySeed} measures, in its order. */
export const SEED_METRIC_KEYS: readonly string[] = Object.freeze([
  "clean.test_accuracy",
  "clean.noisy_test_accuracy",
  "noisy.noisy_test_accuracy",
  "noisy.clean_test_accuracy",
  "leaky.best_val_accuracy",
  "robust.best_val_accuracy",
  "robust.clean_test_accuracy",
  "robust.noisy_test_accuracy",
]);

/** The settings {@linkcode runStudySeed} reads; the notebooks pass `loadConfig()`. */
export type StudySeedConfig = Pick<
  Config,
  "epochs" | "batchSize" | "validationSplit" | "dropout" | "noiseStd"
>;

/** Options of {@linkcode runStudySeed}. */
export interface StudySeedOptions {
  /**
   * The seed of the models' weights and dropout masks and of the shuffling; the noise takes
   * `seed + 1` (training images), `seed + 2` and `seed + 3` (the split-first training and
   * validation sets) and `seed + 100` (the noisy test set).
   */
  seed: number;
  /**
   * Folder that keeps the checkpoints (`mlp_1_reference`, `mlp_1_noisy`, `mlp_1_robust`); by
   * default they go to a temporary folder that is removed once the models are measured.
   */
  keepDir?: string;
  /**
   * Called before each model is trained, with its index in {@linkcode STUDY_MODELS} and its
   * name; the callbacks it returns follow that training (e.g. a progress bar).
   */
  onModel?: (index: number, name: string) => TrainCallbacks | void;
}

/**
 * Arrays of training images that a finished seed gave back, for the next seed to reuse, so that
 * memory does not grow with the number of seeds while the garbage collector lags.
 */
const spare = new Set<Float32Array>();

/** A spare array of `length`, taken out of `spare`, else a new one. */
function takeBuffer(length: number): Float32Array {
  for (const buffer of spare) {
    spare.delete(buffer);
    if (buffer.length === length) return buffer;
  }
  return new Float32Array(length);
}

/**
 * Trains the study's four models ({@linkcode STUDY_MODELS}) with one seed as notebook 05 does,
 * keeps each one's epoch of best validation accuracy, and returns the values of
 * {@linkcode SEED_METRIC_KEYS} (accuracies in [0, 1]) by key.
 *
 * `data.train` (N images, e.g. 60,000 × 28 × 28) trains the clean and noisy models with the last
 * `validationSplit` of it as validation; its N clean and N noisy copies train the leaky model (the
 * validation split taken after concatenating); the split-first model trains on the first part's
 * clean and noisy copies and validates on the last part's. Accuracy is measured on `data.test`
 * (M images) and on a noisy copy of it. Every tensor, model and optimizer made here is disposed
 * before it returns, also when it throws. The training images of all four models take turns in
 * one array of 2N images, which the next call reuses (memory does not grow with the seeds).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../backend/init.ts";
 * import { STUDY_CONFIG } from "../config.ts";
 * import { loadDataset } from "../data/dataset.ts";
 *
 * await initBackend();
 * const data = await loadDataset({ dataset: "mnist", trainLimit: 500, testLimit: 100 });
 * const metrics = await runStudySeed(data, { ...STUDY_CONFIG, epochs: 1 }, { seed: 42 });
 * assert.deepEqual(Object.keys(metrics), SEED_METRIC_KEYS); // 8 values, "clean.test_accuracy"…
 * assert.ok(Object.values(metrics).every((v) => v >= 0 && v <= 1)); // the study's: about 0.98
 * ```
 */
export async function runStudySeed(
  data: Pick<Dataset, "train" | "test">,
  config: StudySeedConfig,
  options: StudySeedOptions,
): Promise<Record<string, number>> {
  const { seed, keepDir, onModel } = options;
  const { epochs, batchSize, validationSplit, dropout, noiseStd } = config;
  checkInteger("runStudySeed: seed", seed, { min: 0 });
  checkInteger("runStudySeed: config.epochs", epochs, { min: 1 });
  checkInteger("runStudySeed: config.batchSize", batchSize, { min: 1 });
  checkNumber("runStudySeed: config.validationSplit", validationSplit, { above: 0, below: 1 });
  checkNumber("runStudySeed: config.dropout", dropout, { min: 0, below: 1 });
  checkNumber("runStudySeed: config.noiseStd", noiseStd, { min: 0 });
  if (keepDir !== undefined && (typeof keepDir !== "string" || keepDir === "")) {
    throw checkError("runStudySeed: keepDir", "a folder path", JSON.stringify(keepDir));
  }
  for (const part of ["train", "test"] as const) {
    const n = data[part]?.labels?.length ?? 0;
    if (n === 0) {
      throw checkError(`runStudySeed: data.${part}.labels.length`, "at least 1 image", `${n}`);
    }
  }

  const settings: TrainOptions = { epochs, batchSize, validationSplit, seed };
  const noise = (t: Tensor, s: number) => addGaussianNoise(t, { std: noiseStd, seed: s });
  // One watch over the whole seed, so that a Stop between trainings (while a model is loaded or
  // measured) stops the seed too, instead of the kernel.
  using stop = watchStop();
  const callbacks = (index: number): TrainCallbacks => {
    if (stop.requested) {
      throw stopError("runStudySeed", `seed ${seed}, before model "${STUDY_MODELS[index]}"`);
    }
    const { onEpochBegin, onBatchEnd, onEpochEnd, onTrainEnd } =
      onModel?.(index, STUDY_MODELS[index]) ?? {};
    return { onEpochBegin, onBatchEnd, onEpochEnd, onTrainEnd };
  };
  // What is still to dispose if something throws; a model's dispose() leaves its optimizer
  // (Adam's moments), which buildMlp and loadCheckpoint create for it: dispose both.
  const tensors: Tensor[] = [];
  const models = new Set<LayersModel>();
  const track = <T extends Tensor>(tensor: T): T => (tensors.push(tensor), tensor);
  const open = (model: LayersModel) => (models.add(model), model);
  const dispose = (model: LayersModel) => {
    models.delete(model);
    model.optimizer?.dispose();
    model.dispose();
  };
  let release = () => {};
  const dir = keepDir ?? await Deno.makeTempDir({ prefix: "mlp-seed-" });
  try {
    // One array holds every training set of the seed in turn, so that memory does not grow with
    // a new 2 × 188 MB array per model: first the clean images and their noisy copies (noise seed
    // + 1, as noise(x, seed + 1) gives them), whose halves train the clean and the noisy model and
    // whose whole trains the leaky one; then the split-first sets.
    const n = data.train.labels.length;
    const buffer = takeBuffer(2 * data.train.images.length);
    release = () => spare.add(buffer);
    const both = withNoisyCopies(data.train, { std: noiseStd, seed: seed + 1, into: buffer });
    tensors.push(both.x, both.y);
    const [x, xNoisy, y] = [
      track(tf.slice(both.x, 0, n)),
      track(tf.slice(both.x, n, n)),
      track(tf.slice(both.y, 0, n)),
    ];
    const test = toTensors(data.test);
    tensors.push(test.x, test.y);
    const testNoisy = track(noise(test.x, seed + 100));
    const onTest = async (checkpoint: string) => {
      const model = open(await loadCheckpoint(`${dir}/${checkpoint}`));
      const clean = (await evaluate(model, test.x, test.y)).accuracy;
      const noisy = (await evaluate(model, testNoisy, test.y)).accuracy;
      dispose(model);
      return { clean, noisy };
    };

    // Clean reference (05: mlp_1_reference)
    const cleanModel = open(buildMlp({ dropout, seed }));
    await train(cleanModel, x, y, {
      ...settings,
      checkpointDir: `${dir}/mlp_1_reference`,
      ...callbacks(0),
    });
    dispose(cleanModel);
    const clean = await onTest("mlp_1_reference");

    // Noisy model (05: mlp_1_noisy)
    const noisyModel = open(buildMlp({ dropout, seed }));
    await train(noisyModel, xNoisy, y, {
      ...settings,
      checkpointDir: `${dir}/mlp_1_noisy`,
      ...callbacks(1),
    });
    dispose(noisyModel);
    const noisy = await onTest("mlp_1_noisy");

    // Clean + noisy, split after concatenating: the leak
    const leakyModel = open(buildMlp({ dropout, seed }));
    const leaky = await train(leakyModel, both.x, both.y, {
      ...settings,
      ...callbacks(2),
    });
    dispose(leakyModel);
    tf.dispose([x, xNoisy, y, both.x, both.y]);

    // Clean + noisy, split first (05: mlp_1_robust), in the same array
    const parts = splitValidation(data.train, validationSplit);
    const trainPixels = 2 * parts.train.images.length;
    const trainSet = withNoisyCopies(parts.train, {
      std: noiseStd,
      seed: seed + 2,
      into: buffer.subarray(0, trainPixels),
    });
    tensors.push(trainSet.x, trainSet.y);
    const validationSet = withNoisyCopies(parts.validation, {
      std: noiseStd,
      seed: seed + 3,
      into: buffer.subarray(trainPixels),
    });
    tensors.push(validationSet.x, validationSet.y);
    const robustModel = open(buildMlp({ dropout, seed }));
    const robustHistory = await train(robustModel, trainSet.x, trainSet.y, {
      ...settings,
      validationData: [validationSet.x, validationSet.y],
      checkpointDir: `${dir}/mlp_1_robust`,
      ...callbacks(3),
    });
    tf.dispose([trainSet.x, trainSet.y, validationSet.x, validationSet.y]);
    dispose(robustModel);
    const robust = await onTest("mlp_1_robust");

    return {
      "clean.test_accuracy": clean.clean,
      "clean.noisy_test_accuracy": clean.noisy,
      "noisy.noisy_test_accuracy": noisy.noisy,
      "noisy.clean_test_accuracy": noisy.clean,
      "leaky.best_val_accuracy": Math.max(...leaky.val_acc),
      "robust.best_val_accuracy": Math.max(...robustHistory.val_acc),
      "robust.clean_test_accuracy": robust.clean,
      "robust.noisy_test_accuracy": robust.noisy,
    };
  } finally {
    tf.dispose(tensors); // those disposed already are skipped
    release();
    for (const model of models) dispose(model);
    if (keepDir === undefined) await Deno.remove(dir, { recursive: true });
  }
}
