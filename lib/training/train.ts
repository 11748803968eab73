/**
 * Training with seeded shuffling, Keras's validation split, best-only checkpoints and progress.
 *
 * @module
 */
import { saveCheckpoint } from "./checkpoint.ts";
import { evaluate } from "../evaluation/metrics.ts";
import { validationSplitAt } from "../preprocessing/tensors.ts";
import { TerminalProgress } from "../display/progress_terminal.ts";
import { createRandom, shuffledIndices } from "../preprocessing/random.ts";
import { type LayersModel, type Tensor, tf } from "../tf.ts";

/** Metrics per epoch, named as Keras's `history.history`. */
export interface History {
  /** Mean training loss of each epoch. */
  loss: number[];
  /** Mean training accuracy of each epoch. */
  acc: number[];
  /** Validation loss after each epoch (empty without validation data). */
  val_loss: number[];
  /** Validation accuracy after each epoch (empty without validation data). */
  val_acc: number[];
  /** Wall-clock seconds of each epoch, validation included. */
  seconds: number[];
  /** 1-based epoch of the highest validation accuracy, the one checkpointed (0: none). */
  bestEpoch: number;
}

/** What a per-batch callback receives. */
export interface BatchProgress {
  /** 1-based epoch. */
  epoch: number;
  /** Number of epochs. */
  epochs: number;
  /** 1-based step within the epoch. */
  step: number;
  /** Steps per epoch. */
  steps: number;
  /** Running mean of the epoch's training loss so far. */
  loss: number;
  /** Running mean of the epoch's training accuracy so far. */
  acc: number;
  /** Seconds since the epoch began. */
  elapsed: number;
}

/** What a per-epoch callback receives. */
export interface EpochProgress {
  /** 1-based epoch. */
  epoch: number;
  /** Number of epochs. */
  epochs: number;
  /** The history so far, this epoch included. */
  history: History;
  /** Whether this epoch's model was checkpointed as the best so far. */
  saved: boolean;
}

/** Options of {@linkcode train}; the defaults are the study's. */
export interface TrainOptions {
  /** Passes over the training data (default 10). */
  epochs?: number;
  /** Samples per step (default 256). */
  batchSize?: number;
  /** Fraction taken from the end, before shuffling, as validation set (default 0.2). */
  validationSplit?: number;
  /** An explicit validation set `[x, y]`, used instead of `validationSplit`. */
  validationData?: [Tensor, Tensor];
  /** Shuffle the training samples before each epoch (default true). */
  shuffle?: boolean;
  /** Seed of the shuffling (default 42). */
  seed?: number;
  /** Folder that keeps the model with the best validation accuracy (default: none). */
  checkpointDir?: string;
  /** Print a Keras-like progress line (default: when stdout is a terminal). */
  verbose?: boolean;
  /** Called after every step. */
  onBatchEnd?: (progress: BatchProgress) => void | Promise<void>;
  /** Called after every epoch, after validation and checkpointing. */
  onEpochEnd?: (progress: EpochProgress) => void | Promise<void>;
}

function checkInputs(x: Tensor, y: Tensor, what: string) {
  if (x.rank !== 2 || y.rank !== 2) {
    throw new Error(
      `${what}: x of shape [${x.shape}] and y of shape [${y.shape}]: expected rank 2`,
    );
  }
  if (x.shape[0] !== y.shape[0]) {
    throw new Error(`${what}: x holds ${x.shape[0]} samples but y holds ${y.shape[0]}`);
  }
}

/**
 * Trains a compiled model on `x` [N, features] and one-hot `y` [N, classes].
 *
 * Shuffles with a seeded generator (tfjs's `fit` uses Math.random), so the same seed on the
 * same backend gives the same history. With `checkpointDir`, the model of the epoch with the
 * highest validation accuracy is saved there.
 *
 * @example
 * ```ts
 * const history = await train(model, x, y, { epochs: 10, checkpointDir: "checkpoints/mlp_1" });
 * ```
 */
export async function train(
  model: LayersModel,
  x: Tensor,
  y: Tensor,
  options: TrainOptions = {},
): Promise<History> {
  const {
    epochs = 10,
    batchSize = 256,
    validationSplit = 0.2,
    shuffle = true,
    seed = 42,
    verbose = Deno.stdout.isTerminal(),
  } = options;
  if (!Number.isInteger(epochs) || epochs <= 0) {
    throw new Error(`epochs ${epochs}: expected a positive integer`);
  }
  if (!Number.isInteger(batchSize) || batchSize <= 0) {
    throw new Error(`batchSize ${batchSize}: expected a positive integer`);
  }
  checkInputs(x, y, "training data");
  if (options.validationData) checkInputs(...options.validationData, "validation data");

  const n = options.validationData ? x.shape[0] : validationSplitAt(x.shape[0], validationSplit);
  if (n === 0) throw new Error(`training data of ${x.shape[0]} samples leaves none to train on`);
  if (options.checkpointDir && !options.validationData && n === x.shape[0]) {
    throw new Error(
      `checkpointDir ${options.checkpointDir} keeps the best validation accuracy, but there is no ` +
        `validation set: expected validationSplit > 0 or validationData`,
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

  const random = createRandom(seed);
  const steps = Math.ceil(n / batchSize);
  const history: History = {
    loss: [],
    acc: [],
    val_loss: [],
    val_acc: [],
    seconds: [],
    bestEpoch: 0,
  };
  const progress = verbose ? new TerminalProgress() : undefined;
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
      const start = performance.now();
      const order = shuffle ? shuffledIndices(n, random) : undefined;
      progress?.startEpoch(epoch, epochs, steps);
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
          elapsed: (performance.now() - start) / 1000,
        };
        progress?.update(batch);
        await options.onBatchEnd?.(batch);
      }
      history.loss.push(lossSum / seen);
      history.acc.push(accSum / seen);
      let saved = false;
      if (validation) {
        const { loss, accuracy } = await evaluate(model, ...validation, batchSize);
        history.val_loss.push(loss);
        history.val_acc.push(accuracy);
        const best = history.bestEpoch ? history.val_acc[history.bestEpoch - 1] : -Infinity;
        if (accuracy > best) {
          history.bestEpoch = epoch;
          if (options.checkpointDir) {
            await saveCheckpoint(model, options.checkpointDir);
            saved = true;
          }
        }
      }
      history.seconds.push((performance.now() - start) / 1000);
      progress?.endEpoch(history, saved ? options.checkpointDir : undefined);
      await options.onEpochEnd?.({ epoch, epochs, history, saved });
    }
  } finally {
    progress?.stop();
    tf.dispose(owned);
  }
  return history;
}
