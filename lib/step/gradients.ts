/**
 * A model's loss and the gradients of its weights on one batch, by tfjs's automatic
 * differentiation, and the measures that compare two computations of the same numbers.
 *
 * @module
 */
import { checkError } from "../checks.ts";
import { disposeModel } from "../model/mlp.ts";
import { type LayersModel, type Scalar, type Tensor, tf, type Variable } from "../tf.ts";

/** What {@linkcode weightGradients} returns. */
export interface WeightGradients {
  /** The batch's mean categorical cross-entropy, dropout on. */
  loss: number;
  /** The weights' names, e.g. "dense_1/kernel", in the order of `model.getWeights()`. */
  names: string[];
  /** ∂loss/∂weight for each weight, its shape. */
  gradients: Tensor[];
}

/**
 * The gradient of the mean categorical cross-entropy of `model` on `x` [B, inputs] and one-hot
 * `y` [B, classes], in training mode (dropout on), with respect to each trainable weight, by
 * `tf.variableGrads`: tfjs's own backward pass. It draws the dropout layers' next masks, as a
 * training step does, but changes no weight.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { buildMlp } from "../model/mlp.ts";
 * import { initBackend } from "../backend/init.ts";
 * import { tf } from "../tf.ts";
 *
 * await initBackend();
 * const model = buildMlp({ seed: 1 });
 * const x = tf.ones([2, 784]);
 * const y = tf.oneHot(tf.tensor1d([3, 7], "int32"), 10);
 * const { loss, names, gradients } = weightGradients(model, x, y);
 * assert.ok(loss > 0);
 * assert.equal(names[0], "dense_1/kernel");
 * assert.deepEqual(gradients[0].shape, [784, 256]);
 * ```
 */
export function weightGradients(model: LayersModel, x: Tensor, y: Tensor): WeightGradients {
  const weights = model.trainableWeights;
  const variables = weights.map((w) => w.read() as Variable);
  const { value, grads } = tf.variableGrads(() => {
    const p = model.apply(x, { training: true }) as Tensor;
    return tf.mean(tf.metrics.categoricalCrossentropy(y, p)) as Scalar;
  }, variables);
  const loss = value.dataSync()[0];
  value.dispose();
  return {
    loss,
    names: weights.map((w) => w.originalName),
    gradients: variables.map((v) => grads[v.name]),
  };
}

function values(what: string, a: Tensor | ArrayLike<number>): ArrayLike<number> {
  if (a instanceof tf.Tensor) return a.dataSync();
  if (typeof a?.length !== "number") throw checkError(what, "a tensor or an array", String(a));
  return a;
}

/** The values of `a` and `b` as arrays of one length, or an Error naming `fn`. */
function pair(fn: string, a: Tensor | ArrayLike<number>, b: Tensor | ArrayLike<number>) {
  const [u, v] = [values(`${fn}: a`, a), values(`${fn}: b`, b)];
  if (u.length !== v.length) {
    throw checkError(`${fn}: a`, `${v.length} values, as b`, `${u.length}`);
  }
  return [u, v];
}

/**
 * The largest |a − b| over the elements of two tensors (or arrays) of one size.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(largestDifference([1, 2.5], [1, 2]), 0.5);
 * ```
 */
export function largestDifference(
  a: Tensor | ArrayLike<number>,
  b: Tensor | ArrayLike<number>,
): number {
  const [u, v] = pair("largestDifference", a, b);
  let difference = 0;
  for (let i = 0; i < u.length; i++) difference = Math.max(difference, Math.abs(u[i] - v[i]));
  return difference;
}

/**
 * The largest |a − b| over the elements of two tensors (or arrays) of one size, divided by the
 * largest |b|: how far a computation `a` is from a reference `b`, relative to the numbers' scale.
 * Float32 rounding gives about 1e-7 to 1e-6; an error in a formula, 1e-2 or more.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(relativeDifference([1, 2.5], [1, 2]), 0.25); // 0.5 off, the largest value 2
 * assert.equal(relativeDifference([0, 0], [0, 0]), 0);
 * ```
 */
export function relativeDifference(
  a: Tensor | ArrayLike<number>,
  b: Tensor | ArrayLike<number>,
): number {
  const [u, v] = pair("relativeDifference", a, b);
  const difference = largestDifference(u, v);
  if (difference === 0) return 0;
  let scale = 0;
  for (let i = 0; i < v.length; i++) scale = Math.max(scale, Math.abs(v[i]));
  return difference / scale;
}

/** What {@linkcode tfjsStep} returns. */
export interface TfjsStep {
  /** The loss `trainOnBatch` reported: the batch's, before the step. */
  loss: number;
  /** Copies of the weights after the step, in the order of `model.getWeights()`. */
  weights: Tensor[];
}

/**
 * One training step as tfjs takes it: `model.trainOnBatch(x, y)` (the forward pass, the backward
 * pass and the optimizer's update in one call), then copies of the weights it left; the model and
 * its optimizer are disposed, so pass a model made for the purpose, e.g. a fresh `buildMlp`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../backend/init.ts";
 * import { buildMlp } from "../model/mlp.ts";
 * import { tf } from "../tf.ts";
 *
 * await initBackend();
 * const [x, y] = [tf.ones([2, 784]), tf.oneHot(tf.tensor1d([3, 7], "int32"), 10)];
 * const before = buildMlp({ seed: 1 }).getWeights();
 * const { loss, weights } = await tfjsStep(buildMlp({ seed: 1 }), x, y);
 * assert.ok(loss > 0);
 * assert.ok(largestDifference(weights[0], before[0]) > 0); // Adam moved the weights
 * ```
 */
export async function tfjsStep(model: LayersModel, x: Tensor, y: Tensor): Promise<TfjsStep> {
  try {
    const reported = await model.trainOnBatch(x, y);
    const loss = Array.isArray(reported) ? reported[0] : reported;
    return { loss, weights: model.getWeights().map((w) => tf.clone(w)) };
  } finally {
    disposeModel(model);
  }
}
