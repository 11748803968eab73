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
import { stopError, watchStop } from "./stop.ts";
import type { BatchProgress, History, TrainOptions } from "./types.ts";

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

/** The Error that stops a run whose loss is NaN or ±Infinity. */
function diverged(
  where: { what: string; epoch: number; step: number },
  value: number,
  checkpointDir: string | undefined,
  best: number,
) {
  const kept = checkpointDir && best > 0
    ? ` (${checkpointDir} keeps the model of epoch ${best})`
    : "";
  const { message } = checkError(
    `train: ${where.what}`,
    "a finite number",
    `${value}; training stopped and wrote no checkpoint from this state${kept}`,
  );
  return new DivergedError(message, where.epoch, where.step);
}

/** The Error that ends a run stopped by Jupyter's interrupt or `options.signal`. */
function stopped(
  where: string,
  checkpointDir: string | undefined,
  best: number,
): Error {
  const kept = !checkpointDir
    ? "no checkpoint was kept (no checkpointDir)"
    : best === 0
    ? `${checkpointDir} holds no model of this run yet (no epoch finished with validation)`
    : `${checkpointDir} keeps the best model so far (epoch ${best}), untouched: ` +
      `loadCheckpoint("${checkpointDir}") and train(model, x, y, { ...sameSettings, resume: true }) ` +
      `go on from it`;
  return stopError("train", where, kept);
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
  const settings: RunSettings = { seed, shuffle, batchSize, samples: n };
  const resumed = resume ? resumeState(model, settings, epochs) : undefined;
  const owned: Tensor[] = [];
  const [xTrain, yTrain] = n === x.shape[0] ? [x, y] : [tf.slice(x, 0, n), tf.slice(y, 0, n)];
  if (xTrain !== x) owned.push(xTrain, yTrain);
  let validation = options.validationData;
  if (!validation && n < x.shape[0]) {
    validation = [tf.slice(x, n), tf.slice(y, n)];
    owned.push(...validation);
  }

  using stop = watchStop(options.signal);
  const random = createRandom(seed);
  const steps = Math.ceil(n / batchSize);
  const history: History = resumed?.history ?? {
    loss: [],
    acc: [],
    val_loss: [],
    val_acc: [],
    seconds: [],
    bestEpoch: 0,
  };
  const firstEpoch = (resumed?.epoch ?? 0) + 1;
  // One permutation per epoch: a resumed run skips those of the epochs already done.
  if (shuffle) {
    for (let epoch = 1; epoch < firstEpoch; epoch++) shuffledIndices(n, random);
  }
  try {
    for (let epoch = firstEpoch; epoch <= epochs; epoch++) {
      const start = performance.now();
      const order = shuffle ? shuffledIndices(n, random) : undefined;
      await options.onEpochBegin?.({ epoch, epochs, steps });
      let lossSum = 0;
      let accSum = 0;
      let seen = 0;
      for (let step = 1; step <= steps; step++) {
        const from = (step - 1) * batchSize;
        const size = Math.min(batchSize, n - from);
        const [xb, yb] = tf.tidy(() => {
          if (!order) return [tf.slice(xTrain, from, size), tf.slice(yTrain, from, size)];
          const indices = tf.tensor1d(order.subarray(from, from + size), "int32");
          return [tf.gather(xTrain, indices), tf.gather(yTrain, indices)];
        });
        const [loss, acc] = await model.trainOnBatch(xb, yb) as number[];
        tf.dispose([xb, yb]);
        if (!Number.isFinite(loss)) {
          const what = `training loss at epoch ${epoch}, step ${step} of ${steps}`;
          throw diverged({ what, epoch, step }, loss, options.checkpointDir, history.bestEpoch);
        }
        lossSum += loss * size;
        accSum += acc * size;
        seen += size;
        const batch: BatchProgress = {
          epoch,
          epochs,
          step,
          steps,
          loss: lossSum / seen,
          acc: accSum / seen,
          batchLoss: loss,
          batchAcc: acc,
          elapsed: (performance.now() - start) / 1000,
        };
        await options.onBatchEnd?.(batch);
        if (stop.requested) {
          const where = `epoch ${epoch}, step ${step} of ${steps}`;
          throw stopped(where, options.checkpointDir, history.bestEpoch);
        }
      }
      history.loss.push(lossSum / seen);
      history.acc.push(accSum / seen);
      let savedTo: string | undefined;
      if (validation) {
        const { loss, accuracy } = await evaluate(model, ...validation, batchSize);
        if (!Number.isFinite(loss)) {
          const what = `validation loss after epoch ${epoch}`;
          const where = { what, epoch, step: 0 };
          throw diverged(where, loss, options.checkpointDir, history.bestEpoch);
        }
        history.val_loss.push(loss);
        history.val_acc.push(accuracy);
        const best = history.bestEpoch ? history.val_acc[history.bestEpoch - 1] : -Infinity;
        if (accuracy > best) {
          history.bestEpoch = epoch;
          if (options.checkpointDir) {
            const state: TrainingState = {
              ...settings,
              epoch,
              // This epoch's seconds so far: the save is not yet done.
              history: {
                ...history,
                seconds: [...history.seconds, (performance.now() - start) / 1000],
              },
            };
            await writeCheckpoint(options.checkpointDir, await serializeModel(model), {
              metadata: { [TRAINING_METADATA]: state },
            });
            savedTo = options.checkpointDir;
          }
        }
      }
      history.seconds.push((performance.now() - start) / 1000);
      await options.onEpochEnd?.({ epoch, epochs, history, savedTo });
    }
  } finally {
    tf.dispose(owned);
    await options.onTrainEnd?.();
  }
  return history;
}
