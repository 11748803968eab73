/**
 * The loss along the gradient's direction: a one-dimensional slice through the loss surface of a
 * model's 269,322 weights, where the step of gradient descent lands.
 *
 * @module
 */
import { checkError, checkValues } from "../checks.ts";
import { type Tensor, tf } from "../tf.ts";

/**
 * The length ‖g‖ = √(Σ g²) of the gradients of all the weights taken together.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf } from "../tf.ts";
 *
 * await tf.setBackend("cpu");
 * assert.equal(gradientNorm([tf.tensor1d([3]), tf.tensor2d([[4]])]), 5);
 * ```
 */
export function gradientNorm(gradients: Tensor[]): number {
  return Math.sqrt(
    gradients.reduce((sum, g) => sum + tf.tidy(() => tf.sum(tf.square(g)).dataSync()[0]), 0),
  );
}

/**
 * The loss at W − s·g/‖g‖ for each step length `s` in `sizes`: `lossAt` evaluated with every
 * weight moved against its gradient, all together, by a total distance s. Gradient descent with
 * learning rate η lands at s = η·‖g‖.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { type Tensor, tf } from "../tf.ts";
 *
 * await tf.setBackend("cpu");
 * // L(w) = w² at w = 3: gradient 6; one step of length 3 reaches the minimum.
 * const lossAt = ([w]: Tensor[]) => tf.square(w).dataSync()[0];
 * const losses = lossSlice(lossAt, [tf.scalar(3)], [tf.scalar(6)], [0, 3, 6]);
 * assert.deepEqual(losses, [9, 0, 9]);
 * ```
 */
export function lossSlice(
  lossAt: (weights: Tensor[]) => number,
  weights: Tensor[],
  gradients: Tensor[],
  sizes: number[],
): number[] {
  checkValues("lossSlice: sizes", sizes, { min: 0 });
  if (gradients.length !== weights.length) {
    throw checkError(
      "lossSlice: gradients",
      `${weights.length} (one per weight)`,
      `${gradients.length}`,
    );
  }
  const norm = gradientNorm(gradients);
  if (norm === 0) throw checkError("lossSlice: gradients", "a non-zero gradient", "all zeros");
  return sizes.map((s) => {
    const moved = tf.tidy(() => weights.map((w, i) => tf.sub(w, tf.mul(gradients[i], s / norm))));
    try {
      return lossAt(moved);
    } finally {
      tf.dispose(moved);
    }
  });
}
