/**
 * How sensitive a model is to its inputs: the size of each sample's loss gradient with respect
 * to its pixels (Bishop 1995: training with input noise penalizes this sensitivity).
 *
 * @module
 */
import { checkError, checkInteger } from "../checks.ts";
import { type LayersModel, type Tensor, tf } from "../tf.ts";
import { stopError, watchStop } from "../training/stop.ts";
import { quantiles } from "./seeds.ts";

/** Throws unless `x` [N, features] and `y` [N, classes] fit the model's input and output sizes. */
function checkShapes(model: LayersModel, x: Tensor, y: Tensor): void {
  const fn = "inputGradientNorms";
  for (const [name, t, kind] of [["x", x, "features"], ["y", y, "classes"]] as const) {
    if (t.rank !== 2) {
      throw checkError(`${fn}: ${name}`, `a rank-2 tensor [N, ${kind}]`, `shape [${t.shape}]`);
    }
  }
  if (y.shape[0] !== x.shape[0]) {
    const expected = `${x.shape[0]} (one row per sample of x)`;
    throw checkError(`${fn}: y.shape[0]`, expected, `${y.shape[0]}`);
  }
  const features = model.inputs[0].shape[1];
  if (x.shape[1] !== features) {
    throw checkError(`${fn}: x.shape[1]`, `${features} (the model's inputs)`, `${x.shape[1]}`);
  }
  const classes = model.outputs[0].shape[1];
  if (y.shape[1] !== classes) {
    throw checkError(`${fn}: y.shape[1]`, `${classes} (the model's outputs)`, `${y.shape[1]}`);
  }
}

/**
 * For each sample of `x` [N, features] with one-hot `y` [N, classes], the Euclidean norm of the
 * gradient of its own categorical cross-entropy with respect to its input, in inference mode
 * (dropout off) → N norms.
 *
 * The loss is the one the model trains on (tfjs's, with the probabilities clipped to
 * [ε, 1 − ε], ε = the backend's epsilon), per sample rather than the batch mean, so the norms do
 * not depend on `batchSize`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../backend/init.ts";
 * import { buildMlp } from "../model/mlp.ts";
 * import { tf } from "../tf.ts";
 *
 * await initBackend();
 * const model = buildMlp({ inputSize: 4, hiddenUnits: [8], seed: 1 }); // 10 classes
 * const x = tf.randomUniform([3, 4], 0, 1, "float32", 7);
 * const y = tf.oneHot([0, 5, 9], 10);
 * const norms = await inputGradientNorms(model, x, y); // one per sample
 * assert.equal(norms.length, 3);
 * assert.ok(norms.every((g) => g > 0 && Number.isFinite(g)));
 * ```
 */
export async function inputGradientNorms(
  model: LayersModel,
  x: Tensor,
  y: Tensor,
  batchSize = 256,
): Promise<Float32Array> {
  checkShapes(model, x, y);
  checkInteger("inputGradientNorms: batchSize", batchSize, { min: 1 });
  const n = x.shape[0];
  const epsilon = tf.backend().epsilon();
  const norms = new Float32Array(n);
  using stop = watchStop();
  for (let start = 0; start < n; start += batchSize) {
    if (stop.requested) throw stopError("inputGradientNorms", `sample ${start} of ${n}`);
    const size = Math.min(batchSize, n - start);
    const batchNorms = tf.tidy(() => {
      const xb = tf.slice(x, [start, 0], [size, -1]);
      const yb = tf.cast(tf.slice(y, [start, 0], [size, -1]), "float32");
      // The sum of the per-sample losses: sample i's gradient is that of its own loss alone.
      const totalLoss = (input: Tensor) => {
        const p = model.apply(input, { training: false }) as Tensor;
        const scaled = tf.div(p, tf.sum(p, -1, true));
        const clipped = tf.clipByValue(scaled, epsilon, 1 - epsilon);
        return tf.neg(tf.sum(tf.mul(yb, tf.log(clipped))));
      };
      const gradient = tf.grad(totalLoss)(xb);
      return tf.sqrt(tf.sum(tf.square(gradient), 1));
    });
    try {
      norms.set(await batchNorms.data(), start);
    } finally {
      batchNorms.dispose();
    }
  }
  return norms;
}

/** The spread of per-sample input-gradient norms, as notebook 08's table shows it. */
export interface NormSummary {
  /** Their mean. */
  mean: number;
  /** The share of samples whose norm is exactly 0 (the loss flat where the model is sure). */
  zeroShare: number;
  /** The norms at the quantiles asked for, in their order. */
  at: number[];
}

/**
 * Summarizes N per-sample norms (e.g. of {@linkcode inputGradientNorms}): their mean, the share
 * exactly 0, and their values at the quantiles `ps` (each in [0, 1]).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const summary = summarizeNorms(Float32Array.of(0, 0, 1, 3), [0.5, 1]);
 * assert.deepEqual(summary, { mean: 1, zeroShare: 0.5, at: [0.5, 3] });
 * ```
 */
export function summarizeNorms(norms: Float32Array, ps: readonly number[]): NormSummary {
  const at = quantiles(norms, ps); // also checks that there is a norm and that all are finite
  let [sum, zeros] = [0, 0];
  for (const v of norms) {
    sum += v;
    if (v === 0) zeros++;
  }
  return { mean: sum / norms.length, zeroShare: zeros / norms.length, at };
}
