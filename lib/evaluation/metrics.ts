/**
 * Measuring a trained model: loss and accuracy, predictions, errors, confusion matrix.
 *
 * @module
 */
import { checkError, checkIndex } from "../checks.ts";
import { type LayersModel, type Tensor, tf } from "../tf.ts";
import { stopError, watchStop } from "../stop.ts";

/** Loss and accuracy of a model on a labelled set. */
export interface Evaluation {
  /** Mean categorical cross-entropy. */
  loss: number;
  /** Fraction of samples classified correctly, in [0, 1]. */
  accuracy: number;
}

/**
 * Loss and accuracy of a compiled model on `x` [N, features] and one-hot `y` [N, classes].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../backend/init.ts";
 * import { loadDataset } from "../data/dataset.ts";
 * import { buildMlp } from "../model/mlp.ts";
 * import { toTensors } from "../preprocessing/tensors.ts";
 * import { train } from "../training/train.ts";
 *
 * await initBackend();
 * const data = await loadDataset({ dataset: "mnist", trainLimit: 1000, testLimit: 1000 });
 * const model = buildMlp();
 * const [trainSet, test] = [toTensors(data.train), toTensors(data.test)];
 * await train(model, trainSet.x, trainSet.y, { epochs: 1 });
 * const { loss, accuracy } = await evaluate(model, test.x, test.y);
 * assert.ok(accuracy > 0.3 && loss > 0); // about 0.6 after 4 steps; the study's model: 0.98
 * ```
 */
export async function evaluate(
  model: LayersModel,
  x: Tensor,
  y: Tensor,
  batchSize = 256,
): Promise<Evaluation> {
  if (x.shape[0] !== y.shape[0]) {
    const expected = `${x.shape[0]} (one row per sample of x)`;
    throw checkError("evaluate: y.shape[0]", expected, `${y.shape[0]}`);
  }
  // One tfjs call: Stop cannot cut it short, but the kernel survives it and the cell stops after.
  using stop = watchStop();
  const scalars = model.evaluate(x, y, { batchSize }) as Tensor[];
  const [loss, accuracy] = await Promise.all(scalars.map(async (s) => (await s.data())[0]));
  tf.dispose(scalars);
  if (stop.requested) throw stopError("evaluate", `all ${x.shape[0]} samples`);
  return { loss, accuracy };
}

/**
 * The class with the highest probability for each row of `x` [N, features] → N classes.
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
 * const { x } = toTensors((await loadDataset({ dataset: "mnist", testLimit: 5 })).test);
 * const predicted = await predictClasses(buildMlp(), x); // an untrained model's guesses
 * assert.equal(predicted.length, 5); // one class 0–9 per image
 * assert.ok(predicted.every((c) => c <= 9));
 * ```
 */
export async function predictClasses(
  model: LayersModel,
  x: Tensor,
  batchSize = 256,
): Promise<Uint8Array> {
  using stop = watchStop();
  const classes = tf.tidy(() => tf.argMax(model.predict(x, { batchSize }) as Tensor, -1));
  const values = await classes.data();
  classes.dispose();
  if (stop.requested) throw stopError("predictClasses", `all ${x.shape[0]} samples`);
  return Uint8Array.from(values);
}

function checkSameLength(fn: string, labels: ArrayLike<number>, predicted: ArrayLike<number>) {
  if (labels.length !== predicted.length) {
    const expected = `${labels.length} (one per label)`;
    throw checkError(`${fn}: predicted.length`, expected, `${predicted.length}`);
  }
}

/**
 * Indices of the samples whose prediction differs from the label, in order.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(misclassified([1, 2, 3], [1, 0, 3]), [1]); // sample 1: label 2, predicted 0
 * ```
 */
export function misclassified(labels: ArrayLike<number>, predicted: ArrayLike<number>): number[] {
  checkSameLength("misclassified", labels, predicted);
  const wrong: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] !== predicted[i]) wrong.push(i);
  return wrong;
}

/**
 * A classes×classes confusion matrix: row = true class, column = predicted class.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // labels 0, 1, 1 predicted as 0, 1, 0: one 1 taken for a 0
 * assert.deepEqual(confusionMatrix([0, 1, 1], [0, 1, 0], 2), [[1, 0], [1, 1]]);
 * ```
 */
export function confusionMatrix(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes = 10,
): number[][] {
  checkSameLength("confusionMatrix", labels, predicted);
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const [t, p] = [labels[i], predicted[i]];
    checkIndex(`confusionMatrix: labels[${i}]`, t, classes);
    checkIndex(`confusionMatrix: predicted[${i}]`, p, classes);
    matrix[t][p]++;
  }
  return matrix;
}
