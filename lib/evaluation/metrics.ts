/**
 * Measuring a trained model: loss and accuracy, predictions, errors, confusion matrix.
 *
 * @module
 */
import { type LayersModel, type Tensor, tf } from "../tf.ts";

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
 * const { accuracy } = await evaluate(model, x, y); // e.g. 0.98
 * ```
 */
export async function evaluate(
  model: LayersModel,
  x: Tensor,
  y: Tensor,
  batchSize = 256,
): Promise<Evaluation> {
  if (x.shape[0] !== y.shape[0]) {
    throw new Error(`x holds ${x.shape[0]} samples but y holds ${y.shape[0]}`);
  }
  const scalars = model.evaluate(x, y, { batchSize }) as Tensor[];
  const [loss, accuracy] = await Promise.all(scalars.map(async (s) => (await s.data())[0]));
  tf.dispose(scalars);
  return { loss, accuracy };
}

/**
 * The class with the highest probability for each row of `x` [N, features] → N classes.
 *
 * @example
 * ```ts
 * const predicted = await predictClasses(model, x); // Uint8Array of N labels
 * ```
 */
export async function predictClasses(
  model: LayersModel,
  x: Tensor,
  batchSize = 256,
): Promise<Uint8Array> {
  const classes = tf.tidy(() => tf.argMax(model.predict(x, { batchSize }) as Tensor, -1));
  const values = await classes.data();
  classes.dispose();
  return Uint8Array.from(values);
}

function checkSameLength(labels: ArrayLike<number>, predicted: ArrayLike<number>) {
  if (labels.length !== predicted.length) {
    throw new Error(
      `${labels.length} labels but ${predicted.length} predictions: expected as many`,
    );
  }
}

/**
 * Indices of the samples whose prediction differs from the label, in order.
 *
 * @example
 * ```ts
 * misclassified([1, 2, 3], [1, 0, 3]); // [1]
 * ```
 */
export function misclassified(labels: ArrayLike<number>, predicted: ArrayLike<number>): number[] {
  checkSameLength(labels, predicted);
  const wrong: number[] = [];
  for (let i = 0; i < labels.length; i++) if (labels[i] !== predicted[i]) wrong.push(i);
  return wrong;
}

/**
 * A classes×classes confusion matrix: row = true class, column = predicted class.
 *
 * @example
 * ```ts
 * confusionMatrix([0, 1, 1], [0, 1, 0], 2); // [[1, 0], [1, 1]]
 * ```
 */
export function confusionMatrix(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes = 10,
): number[][] {
  checkSameLength(labels, predicted);
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const [t, p] = [labels[i], predicted[i]];
    if (!(t >= 0 && t < classes && p >= 0 && p < classes)) {
      throw new Error(
        `sample ${i}: label ${t}, prediction ${p}: expected classes 0–${classes - 1}`,
      );
    }
    matrix[t][p]++;
  }
  return matrix;
}
