/**
 * Training with seeded shuffling, Keras's validation split, best-only checkpoints and progress.
 *
 * @module
 */
import { checkError, checkInteger } from "../checks.ts";
import { STUDY_CONFIG } from "../config.ts";
import { validationSplitAt } from "../data/splits.ts";
import { evaluate } from "../evaluation/metrics.ts";
import { createRandom, shuffledIndices } from "../preprocessing/random.ts";
import { type LayersModel, type Tensor, tf } from "../tf.ts";
import { serializeModel, TRAINING_METADATA, writeCheckpoint } from "./checkpoint/mod.ts";
import { stopError, watchStop } from "../stop.ts";
import { type EpochOutcome, trainEpoch } from "./epoch.ts";
import type { History, TrainOptions } from "./types.ts";

function checkInputs(x: Tensor, y: Tensor, what: string) {
  if (x.rank !== 2 || y.rank !== 2) {
    throw checkError(
      `train: ${what}`,
      "x and y of rank 2",
      `x of shape [${x.shape}] and y of shape [${y.shape}]`,
    );
  }
  if (x.shape[0] !== y.shape[0]) {
    throw checkError(
      `train: ${what}`,
      "as many samples in y as in x",
      `${x.shape[0]} in x and ${y.shape[0]} in y`,
    );
  }
}

/** The settings that fix a run's sequence of shuffles and dropout masks. */
interface RunSettings {
  seed: number;
  shuffle: boolean;
  batchSize: number;
  /** Training samples per epoch. */
  samples: number;
}

/**
 * What train keeps in a checkpoint's model.json (`userDefinedMetadata.training`) to resume from
 * it; the weights, the optimizer state and the dropout layers' mask counts are in the checkpoint
 * itself.
 */
interface TrainingState extends RunSettings {
  /** The epoch whose model the checkpoint holds. */
  epoch: number;
  /** The history up to that epoch. */
  history: History;
}

/** The training state of a model loaded from a checkpoint that train wrote, checked. */
function resumeState(model: LayersModel, settings: RunSettings, epochs: number): TrainingState {
  const metadata = model.getUserDefinedMetadata() as Record<string, unknown> | undefined;
  const state = metadata?.[TRAINING_METADATA] as TrainingState | undefined;
  if (typeof state?.epoch !== "number" || typeof state.history?.loss !== "object") {
    throw checkError(
      "train: resume",
      "a model that loadCheckpoint loaded from a checkpointDir of train (its model.json holds " +
        "userDefinedMetadata.training)",
      "a model without training state",
    );
  }
  for (const key of ["seed", "shuffle", "batchSize", "samples"] as const) {
    if (state[key] !== settings[key]) {
      throw checkError(
        `train: resume: ${key}`,
        `${state[key]} as in the run that saved the checkpoint (the same seed, shuffle, ` +
          "batchSize and training data continue its sequence)",
        `${settings[key]}`,
      );
    }
  }
  if (state.epoch > epochs) {
    throw checkError(
      "train: resume: epochs",
      `at least ${state.epoch}, the checkpoint's epoch`,
      `${epochs}`,
    );
  }
  return structuredClone(state);
}

/** The Error that stops a run whose loss left the numbers: it names the epoch and the step. */
export class DivergedError extends Error {
  /**
   * @param message What diverged and where.
   * @param epoch The 1-based epoch it happened in.
   * @param step The 1-based step within that epoch (0: at the epoch's validation).
   */
  constructor(message: string, readonly epoch: number, readonly step: number) {
    super(message);
    this.name = "DivergedError";
  }
}

/** The checkpoint folder of a run (if any) and the epoch it holds (0: none yet). */
interface Kept {
  dir: string | undefined;
  best: number;
}

/** The Error that stops a run whose loss is NaN or ±Infinity. */
function diverged(where: { what: string; epoch: number; step: number }, value: number, kept: Kept) {
  const held = kept.dir && kept.best > 0
    ? ` (${kept.dir} keeps the model of epoch ${kept.best})`
    : "";
  const { message } = checkError(
    `train: ${where.what}`,
    "a finite number",
    `${value}; training stopped and wrote no checkpoint from this state${held}`,
  );
  return new DivergedError(message, where.epoch, where.step);
}

/** The Error of an epoch that ended before its last step. */
function endedEarly(
  outcome: Exclude<EpochOutcome, { kind: "done" }>,
  epoch: number,
  steps: number,
  kept: Kept,
): Error {
  const where = `epoch ${epoch}, step ${outcome.step} of ${steps}`;
  if (outcome.kind === "stopped") return stopped(where, kept);
  const what = `training loss at ${where}`;
  return diverged({ what, epoch, step: outcome.step }, outcome.loss, kept);
}

/** The Error that ends a run stopped by Jupyter's interrupt or `options.signal`. */
function stopped(where: string, { dir, best }: Kept): Error {
  const kept = !dir
    ? "no checkpoint was kept (no checkpointDir)"
    : best === 0
    ? `${dir} holds no model of this run yet (no epoch finished with validation)`
    : `${dir} keeps the best model so far (epoch ${best}), untouched: ` +
      `loadCheckpoint("${dir}") and train(model, x, y, { ...sameSettings, resume: true }) ` +
      `go on from it`;
  return stopError("train", where, kept);
}

/** A history with no epoch yet. */
function emptyHistory(): History {
  return { loss: [], acc: [], val_loss: [], val_acc: [], seconds: [], bestEpoch: 0 };
}

/** The samples train on and the validation set, checked; `owned` are the slices train made. */
function trainingSets(x: Tensor, y: Tensor, options: TrainOptions, validationSplit: number) {
  checkInputs(x, y, "training data");
  if (options.validationData) checkInputs(...options.validationData, "validation data");
  const n = options.validationData ? x.shape[0] : validationSplitAt(x.shape[0], validationSplit);
  if (n === 0) {
    throw checkError(
      "train: training data",
      "at least one sample to train on",
      options.validationData
        ? "an x of 0 samples"
        : `none of x's ${x.shape[0]}: validationSplit ${validationSplit} takes them all`,
    );
  }
  if (options.checkpointDir && !options.validationData && n === x.shape[0]) {
    throw checkError(
      `train: checkpointDir ${options.checkpointDir} keeps the best validation accuracy`,
      "a validation set (validationSplit > 0 or validationData)",
      "none",
    );
  }
  const owned: Tensor[] = [];
  const [xTrain, yTrain] = n === x.shape[0] ? [x, y] : [tf.slice(x, 0, n), tf.slice(y, 0, n)];
  if (xTrain !== x) owned.push(xTrain, yTrain);
  let validation = options.validationData;
  if (!validation && n < x.shape[0]) {
    validation = [tf.slice(x, n), tf.slice(y, n)];
    owned.push(...validation);
  }
  return { x: xTrain, y: yTrain, validation, owned };
}

/** What {@linkcode validate} needs besides the model, the set and the history. */
interface ValidationStep {
  epoch: number;
  /** When the epoch began (performance.now()), for the seconds saved with a checkpoint. */
  start: number;
  batchSize: number;
  settings: RunSettings;
  /** The checkpoint folder (if any) to keep the best model in. */
  kept: Kept;
}

/**
 * Measures the model on the validation set after an epoch, adds the result to `history`, and keeps
 * the model in the checkpoint folder when its accuracy is the best so far; returns that folder when
 * it saved there.
 */
async function validate(
  model: LayersModel,
  [xv, yv]: [Tensor, Tensor],
  history: History,
  step: ValidationStep,
): Promise<string | undefined> {
  const { epoch, kept: { dir } } = step;
  const { loss, accuracy } = await evaluate(model, xv, yv, step.batchSize);
  if (!Number.isFinite(loss)) {
    const what = `validation loss after epoch ${epoch}`;
    throw diverged({ what, epoch, step: 0 }, loss, step.kept);
  }
  history.val_loss.push(loss);
  history.val_acc.push(accuracy);
  const best = history.bestEpoch ? history.val_acc[history.bestEpoch - 1] : -Infinity;
  if (!(accuracy > best)) return undefined;
  history.bestEpoch = epoch;
  if (!dir) return undefined;
  const state: TrainingState = {
    ...step.settings,
    epoch,
    // This epoch's seconds so far: the save is not yet done.
    history: { ...history, seconds: [...history.seconds, (performance.now() - step.start) / 1000] },
  };
  await writeCheckpoint(dir, await serializeModel(model), {
    metadata: { [TRAINING_METADATA]: state },
  });
  return dir;
}

/**
 * Trains a compiled model on `x` [N, features] and one-hot `y` [N, classes].
 *
 * Shuffles with a seeded generator (tfjs's `fit` uses Math.random), so the same seed on the
 * same backend gives the same history. With `checkpointDir`, the model of the epoch with the
 * highest validation accuracy is saved there, with the history so far and the run's settings.
 *
 * With `resume: true`, `model` is one that `loadCheckpoint` loaded from such a folder:
 * training goes on after the checkpoint's epoch with the same sequence of shuffles and dropout
 * masks, so the same seed, shuffle, batchSize and data give the same weights and history (seconds
 * aside) as a run that was never interrupted; the returned history starts at epoch 1.
 *
 * Stops with a {@linkcode DivergedError} naming the epoch and step when the loss becomes NaN or
 * ±Infinity, before any checkpoint is written from that state. An Error (or interrupt) in a
 * callback leaves the best checkpoint so far intact. In Deno's Jupyter kernel, Stop (Kernel → Interrupt) ends the
 * run after its current step with an Error naming the epoch, the step and the checkpoint to
 * resume from, and the kernel keeps its variables; `options.signal` does the same anywhere.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../backend/init.ts";
 * import { loadDataset } from "../data/dataset.ts";
 * import { buildMlp } from "../model/mlp.ts";
 * import { toTensors } from "../preprocessing/tensors.ts";
 *
 * await initBackend();
 * const { x, y } = toTensors((await loadDataset({ dataset: "mnist", trainLimit: 1000 })).train);
 * const dir = await Deno.makeTempDir(); // the notebooks use "checkpoints/mlp_1"
 * const history = await train(buildMlp(), x, y, { epochs: 1, checkpointDir: `${dir}/mlp_1` });
 * assert.equal(history.val_acc.length, 1); // validated on the last 200 images
 * assert.equal(history.bestEpoch, 1); // so the model was saved to `${dir}/mlp_1`
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function train(
  model: LayersModel,
  x: Tensor,
  y: Tensor,
  options: TrainOptions = {},
): Promise<History> {
  const {
    epochs = STUDY_CONFIG.epochs,
    batchSize = STUDY_CONFIG.batchSize,
    validationSplit = STUDY_CONFIG.validationSplit,
    shuffle = true,
    seed = STUDY_CONFIG.seed,
    resume = false,
  } = options;
  checkInteger("train: epochs", epochs, { min: 1 });
  checkInteger("train: batchSize", batchSize, { min: 1 });
  const sets = trainingSets(x, y, options, validationSplit);
  const n = sets.x.shape[0];
  const settings: RunSettings = { seed, shuffle, batchSize, samples: n };
  const resumed = resume ? resumeState(model, settings, epochs) : undefined;
  using stop = watchStop(options.signal);
  const random = createRandom(seed);
  const steps = Math.ceil(n / batchSize);
  const history: History = resumed?.history ?? emptyHistory();
  const firstEpoch = (resumed?.epoch ?? 0) + 1;
  // One permutation per epoch: a resumed run skips those of the epochs already done.
  if (shuffle) {
    for (let epoch = 1; epoch < firstEpoch; epoch++) shuffledIndices(n, random);
  }
  const kept = () => ({ dir: options.checkpointDir, best: history.bestEpoch });
  try {
    for (let epoch = firstEpoch; epoch <= epochs; epoch++) {
      const start = performance.now();
      const order = shuffle ? shuffledIndices(n, random) : undefined;
      await options.onEpochBegin?.({ epoch, epochs, steps });
      const outcome = await trainEpoch(model, sets.x, sets.y, {
        epoch,
        epochs,
        batchSize,
        order,
        onBatchEnd: options.onBatchEnd,
        stopRequested: () => stop.requested,
      });
      if (outcome.kind !== "done") throw endedEarly(outcome, epoch, steps, kept());
      history.loss.push(outcome.loss);
      history.acc.push(outcome.acc);
      const step = { epoch, start, batchSize, settings, kept: kept() };
      const savedTo = sets.validation
        ? await validate(model, sets.validation, history, step)
        : undefined;
      history.seconds.push((performance.now() - start) / 1000);
      await options.onEpochEnd?.({ epoch, epochs, history, savedTo });
    }
  } finally {
    tf.dispose(sets.owned);
    await options.onTrainEnd?.();
  }
  return history;
}
