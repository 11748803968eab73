/**
 * Training with seeded shuffling, Keras's validation split, best-only checkpoints and progress.
 *
 * @module
 */
import { STUDY_CONFIG } from "../config.ts";
import { validationSplitAt } from "../data/splits.ts";
import { evaluate } from "../evaluation/metrics.ts";
import { createRandom, shuffledIndices } from "../preprocessing/random.ts";
import { type LayersModel, type Tensor, tf } from "../tf.ts";
import { saveCheckpoint } from "./checkpoint.ts";
import type { BatchProgress, History, TrainOptions } from "./types.ts";

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
    epochs = STUDY_CONFIG.epochs,
    batchSize = STUDY_CONFIG.batchSize,
    validationSplit = STUDY_CONFIG.validationSplit,
    shuffle = true,
    seed = STUDY_CONFIG.seed,
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
  try {
    for (let epoch = 1; epoch <= epochs; epoch++) {
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
        await options.onBatchEnd?.(batch);
      }
      history.loss.push(lossSum / seen);
      history.acc.push(accSum / seen);
      let savedTo: string | undefined;
      if (validation) {
        const { loss, accuracy } = await evaluate(model, ...validation, batchSize);
        history.val_loss.push(loss);
        history.val_acc.push(accuracy);
        const best = history.bestEpoch ? history.val_acc[history.bestEpoch - 1] : -Infinity;
        if (accuracy > best) {
          history.bestEpoch = epoch;
          if (options.checkpointDir) {
            await saveCheckpoint(model, options.checkpointDir);
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
