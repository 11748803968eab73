/**
 * One epoch of training, the loop a lesson shows: the training images a batch at a time, one step
 * (forward pass, loss, backpropagation, update) per batch, the epoch's running loss and accuracy.
 *
 * @module
 */
import { type LayersModel, type Tensor, tf } from "../tf.ts";
import type { BatchProgress } from "./types.ts";

/** Options of {@linkcode trainEpoch}. */
export interface EpochOptions {
  /** This epoch's number, from 1. */
  epoch: number;
  /** The run's number of epochs. */
  epochs: number;
  /** Samples per step. */
  batchSize: number;
  /** The order to take the samples in, a permutation of 0 … N − 1 (undefined: as they are). */
  order?: Int32Array;
  /** Called after every step with the epoch's progress. */
  onBatchEnd?: (progress: BatchProgress) => void | Promise<void>;
  /** Asked after every step: true ends the epoch there (Jupyter's Stop, an AbortSignal). */
  stopRequested?: () => boolean;
}

/** How an epoch ended: all its steps done, a loss that is not a number, or a Stop after a step. */
export type EpochOutcome =
  | { kind: "done"; loss: number; acc: number }
  | { kind: "diverged"; step: number; loss: number }
  | { kind: "stopped"; step: number };

/** The batch of `size` samples from position `from` of `order` (or of x and y as they are). */
function batchAt(x: Tensor, y: Tensor, order: Int32Array | undefined, from: number, size: number) {
  return tf.tidy(() => {
    if (!order) return [tf.slice(x, from, size), tf.slice(y, from, size)];
    const indices = tf.tensor1d(order.subarray(from, from + size), "int32");
    return [tf.gather(x, indices), tf.gather(y, indices)];
  });
}

/**
 * Trains a compiled model for one epoch on `x` [N, features] and one-hot `y` [N, classes]:
 * `ceil(N / batchSize)` steps of `model.trainOnBatch`, each on the next `batchSize` samples of
 * `order`; returns the epoch's mean loss and accuracy (weighted by batch size), or the step where
 * the loss stopped being a number or a Stop was asked for.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../backend/init.ts";
 * import { buildMlp } from "../model/mlp.ts";
 * import { tf } from "../tf.ts";
 *
 * await initBackend();
 * const x = tf.randomUniform([100, 784], 0, 1, "float32", 1);
 * const y = tf.oneHot(tf.tensor1d(Array.from({ length: 100 }, (_, i) => i % 10), "int32"), 10);
 * const steps: number[] = [];
 * const outcome = await trainEpoch(buildMlp(), x, y, {
 *   epoch: 1, epochs: 1, batchSize: 32, onBatchEnd: (p) => void steps.push(p.step),
 * });
 * assert.deepEqual(steps, [1, 2, 3, 4]); // 32 + 32 + 32 + 4 samples
 * assert.equal(outcome.kind, "done");
 * ```
 */
export async function trainEpoch(
  model: LayersModel,
  x: Tensor,
  y: Tensor,
  options: EpochOptions,
): Promise<EpochOutcome> {
  const { epoch, epochs, batchSize, order, onBatchEnd, stopRequested } = options;
  const n = x.shape[0];
  const steps = Math.ceil(n / batchSize);
  const start = performance.now();
  let [lossSum, accSum, seen] = [0, 0, 0];
  for (let step = 1; step <= steps; step++) {
    const from = (step - 1) * batchSize;
    const size = Math.min(batchSize, n - from);
    const [xb, yb] = batchAt(x, y, order, from, size);
    const [loss, acc] = await model.trainOnBatch(xb, yb) as number[];
    tf.dispose([xb, yb]);
    if (!Number.isFinite(loss)) return { kind: "diverged", step, loss };
    lossSum += loss * size;
    accSum += acc * size;
    seen += size;
    const elapsed = (performance.now() - start) / 1000;
    const [meanLoss, meanAcc] = [lossSum / seen, accSum / seen];
    await onBatchEnd?.({
      epoch,
      epochs,
      step,
      steps,
      loss: meanLoss,
      acc: meanAcc,
      batchLoss: loss,
      batchAcc: acc,
      elapsed,
    });
    if (stopRequested?.()) return { kind: "stopped", step };
  }
  return { kind: "done", loss: lossSum / seen, acc: accSum / seen };
}
