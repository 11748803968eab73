/**
 * One seed of the study: notebook 06's four models (`STUDY_MODELS`) trained with one seed and
 * measured, through the protocol's own steps, so notebook 07 can repeat the study over seeds; and
 * a fifth, the clean model trained for as many steps as the clean + noisy one, which tells the
 * gain of noisy copies from the gain of more steps.
 *
 * @module
 */
import { checkError, checkInteger, checkNumber } from "../checks.ts";
import type { Dataset } from "../data/mnist.ts";
import { disposeModel } from "../model/mlp.ts";
import { type Tensor, tf } from "../tf.ts";
import { loadCheckpoint } from "../training/checkpoint.ts";
import { stopError, watchStop } from "../stop.ts";
import type { History, TrainCallbacks } from "../training/types.ts";
import {
  cleanAndNoisy,
  type LabelledSet,
  splitFirst,
  STUDY_MODELS,
  type StudyConfig,
  type StudyModel,
  testAccuracy,
  type TestSets,
  testSets,
  trainStudyModel,
} from "./protocol.ts";

/** The results keys of the values {@linkcode runStudySeed} measures, in its order. */
export const SEED_METRIC_KEYS = Object.freeze(
  [
    "clean.test_accuracy",
    "clean.noisy_test_accuracy",
    "noisy.noisy_test_accuracy",
    "noisy.clean_test_accuracy",
    "leaky.best_val_accuracy",
    "robust.best_val_accuracy",
    "robust.clean_test_accuracy",
    "robust.noisy_test_accuracy",
    "long.test_accuracy",
    "long.noisy_test_accuracy",
  ] as const,
);

/** A value {@linkcode runStudySeed} measures, by its results key: a typo is a type error. */
export type SeedMetricKey = typeof SEED_METRIC_KEYS[number];

/**
 * The step-count control: the clean model trained for twice the epochs, so that it takes as many
 * steps as the clean + noisy model, whose training set is twice as large (3,760 steps against
 * 3,750 with the study's settings).
 */
export const STEP_CONTROL: StudyModel = Object.freeze({
  key: "long",
  name: "Clean, as many steps as clean + noisy",
  checkpoint: "mlp_1_long",
});

/**
 * The models {@linkcode runStudySeed} trains, in its order: the study's first three, the control
 * (while the clean images are at hand), then the split-first clean + noisy model.
 */
export const SEED_MODELS: readonly StudyModel[] = Object.freeze([
  ...STUDY_MODELS.slice(0, 3),
  STEP_CONTROL,
  STUDY_MODELS[3],
]);

/** Options of {@linkcode runStudySeed}. */
export interface StudySeedOptions {
  /** The study's seed; the protocol derives the noise seeds from it (`studySeeds`). */
  seed: number;
  /**
   * Folder that keeps the checkpoints (`mlp_1_reference`, `mlp_1_noisy`, `mlp_1_robust`); by
   * default they go to a temporary folder that is removed once the models are measured.
   */
  keepDir?: string;
  /**
   * Called before each model is trained, with its index in {@linkcode SEED_MODELS} and its name;
   * the callbacks it returns follow that training (e.g. a progress bar).
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
 * Trains the study's four models ({@linkcode STUDY_MODELS}) with one seed as notebook 06 does,
 * and {@linkcode STEP_CONTROL}, in the order of {@linkcode SEED_MODELS}; keeps each one's epoch of best validation accuracy, and returns
 * the values of {@linkcode SEED_METRIC_KEYS} (accuracies in [0, 1]) by key.
 *
 * `data.train` (N images, e.g. 60,000 × 28 × 28) trains the clean and noisy models, and the
 * control for twice the epochs, with the last `validationSplit` of it as validation; its N clean and N noisy copies train the leaky model (the
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
 * assert.deepEqual(Object.keys(metrics), SEED_METRIC_KEYS); // 10 values, "clean.test_accuracy"…
 * assert.ok(Object.values(metrics).every((v) => v >= 0 && v <= 1)); // the study's: about 0.98
 * ```
 */
export async function runStudySeed(
  data: Pick<Dataset, "train" | "test">,
  config: StudyConfig,
  options: StudySeedOptions,
): Promise<Record<SeedMetricKey, number>> {
  checkStudySeed(data, config, options);
  const { seed, keepDir, onModel } = options;
  // One watch over the whole seed, so that a Stop between trainings (while a model is loaded or
  // measured) stops the seed too, instead of the kernel.
  using stop = watchStop();
  const tensors: Tensor[] = [];
  let release = () => {};
  const dir = keepDir ?? await Deno.makeTempDir({ prefix: "mlp-seed-" });
  try {
    const test = testSets(data.test, config, seed);
    tensors.push(test.x, test.y, test.xNoisy);
    const run = modelRunner({ seed, dir, test, stopped: () => stop.requested, onModel });
    // One array holds every training set of the seed in turn, so that memory does not grow with
    // a new 2 × 188 MB array per model: first the clean images and their noisy copies, whose
    // halves train the clean and the noisy model and whose whole trains the leaky one; then the
    // split-first sets.
    const buffer = takeBuffer(2 * data.train.images.length);
    release = () => spare.add(buffer);
    const both = cleanAndNoisy(data.train, config, seed, buffer);
    const bothTensors = [both.x, both.y, both.clean.x, both.clean.y, both.noisy.x];
    tensors.push(...bothTensors);
    const clean = await run(0, both.clean, config);
    const noisy = await run(1, both.noisy, config);
    const leaky = await run(2, both, config);
    const long = await run(3, both.clean, { ...config, epochs: 2 * config.epochs });
    tf.dispose(bothTensors);

    const sets = splitFirst(data.train, config, seed, buffer);
    tensors.push(sets.train.x, sets.train.y, sets.validation.x, sets.validation.y);
    const robust = await run(4, sets.train, config, [sets.validation.x, sets.validation.y]);
    return seedValues({ clean, noisy, leaky, long, robust });
  } finally {
    tf.dispose(tensors); // those disposed already are skipped
    release();
    if (keepDir === undefined) await Deno.remove(dir, { recursive: true });
  }
}

/** Refuses, naming the value, a seed, settings, folder or data that runStudySeed cannot use. */
function checkStudySeed(
  data: Pick<Dataset, "train" | "test">,
  config: StudyConfig,
  { seed, keepDir }: StudySeedOptions,
): void {
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
}

/** What one of the seed's models gave: its history, and its test accuracies if it is kept. */
interface ModelRun {
  history: History;
  /** Its best epoch on the clean and on the noisy test set (undefined: no checkpoint). */
  accuracy?: { clean: number; noisy: number };
}

/**
 * Trains `SEED_MODELS[index]` on a set, keeps its best epoch in `dir` (if the model has a
 * checkpoint) and measures it there on both test sets; a Stop asked for before stops the seed.
 */
function modelRunner(context: {
  seed: number;
  dir: string;
  test: TestSets;
  stopped: () => boolean;
  onModel?: StudySeedOptions["onModel"];
}) {
  const { seed, dir, test, stopped, onModel } = context;
  return async (
    index: number,
    set: LabelledSet,
    config: StudyConfig,
    validationData?: [Tensor, Tensor],
  ): Promise<ModelRun> => {
    const model = SEED_MODELS[index];
    if (stopped()) {
      throw stopError("runStudySeed", `seed ${seed}, before model "${model.name}"`);
    }
    const { onEpochBegin, onBatchEnd, onEpochEnd, onTrainEnd } = onModel?.(index, model.name) ??
      {};
    const callbacks = { onEpochBegin, onBatchEnd, onEpochEnd, onTrainEnd };
    const checkpointDir = model.checkpoint === null ? undefined : `${dir}/${model.checkpoint}`;
    const options = { seed, checkpointDir, ...(validationData ? { validationData } : {}) };
    const history = await trainStudyModel(set, config, { ...options, ...callbacks });
    if (checkpointDir === undefined) return { history };
    const trained = await loadCheckpoint(checkpointDir);
    try {
      return { history, accuracy: await testAccuracy(trained, test) };
    } finally {
      disposeModel(trained);
    }
  };
}

/** The seed's values by results key, in the order of {@linkcode SEED_METRIC_KEYS}. */
function seedValues(
  runs: Record<"clean" | "noisy" | "leaky" | "long" | "robust", ModelRun>,
): Record<SeedMetricKey, number> {
  const { clean, noisy, leaky, long, robust } = runs;
  return {
    "clean.test_accuracy": clean.accuracy!.clean,
    "clean.noisy_test_accuracy": clean.accuracy!.noisy,
    "noisy.noisy_test_accuracy": noisy.accuracy!.noisy,
    "noisy.clean_test_accuracy": noisy.accuracy!.clean,
    "leaky.best_val_accuracy": Math.max(...leaky.history.val_acc),
    "robust.best_val_accuracy": Math.max(...robust.history.val_acc),
    "robust.clean_test_accuracy": robust.accuracy!.clean,
    "robust.noisy_test_accuracy": robust.accuracy!.noisy,
    "long.test_accuracy": long.accuracy!.clean,
    "long.noisy_test_accuracy": long.accuracy!.noisy,
  };
}
