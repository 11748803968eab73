/**
 * How much a model's loss grows when its inputs get the study's noise: E[L(x + ε)] − L(x), the
 * quantity that Bishop (1995) showed training with input noise adds to the loss it minimizes.
 *
 * @module
 */
import { checkError, checkInteger, checkNumber } from "../checks.ts";
import { addGaussianNoise } from "../preprocessing/noise.ts";
import { type LayersModel, type Tensor, tf } from "../tf.ts";
import { stopError, watchStop } from "../stop.ts";

const FN = "lossIncreaseUnderNoise";

/** Throws unless `x` [N, features] and `y` [N, classes] fit the model's input and output sizes. */
function checkShapes(model: LayersModel, x: Tensor, y: Tensor): void {
  for (const [name, t, kind] of [["x", x, "features"], ["y", y, "classes"]] as const) {
    if (t.rank !== 2) {
      throw checkError(`${FN}: ${name}`, `a rank-2 tensor [N, ${kind}]`, `shape [${t.shape}]`);
    }
  }
  if (x.shape[0] === 0) throw checkError(`${FN}: x.shape[0]`, "at least 1 sample", "0");
  if (y.shape[0] !== x.shape[0]) {
    const expected = `${x.shape[0]} (one row per sample of x)`;
    throw checkError(`${FN}: y.shape[0]`, expected, `${y.shape[0]}`);
  }
  const features = model.inputs[0].shape[1];
  if (x.shape[1] !== features) {
    throw checkError(`${FN}: x.shape[1]`, `${features} (the model's inputs)`, `${x.shape[1]}`);
  }
  const classes = model.outputs[0].shape[1];
  if (y.shape[1] !== classes) {
    throw checkError(`${FN}: y.shape[1]`, `${classes} (the model's outputs)`, `${y.shape[1]}`);
  }
  const [low, high] = tf.tidy(() => [tf.min(x), tf.max(x)].map((t) => t.dataSync()[0]));
  if (!(low >= 0 && high <= 1)) {
    throw checkError(`${FN}: x`, "pixel values in [0, 1]", `values in [${low}, ${high}]`);
  }
}

/**
 * The sum of the per-sample categorical cross-entropies of `x` [N, features] with one-hot `y`
 * [N, classes], in batches, in inference mode, computed as the model trains on it (tfjs's loss:
 * the probabilities clipped to [ε, 1 − ε], ε = the backend's epsilon); `where` names the input
 * in a Stop error.
 */
async function lossSum(
  model: LayersModel,
  x: Tensor,
  y: Tensor,
  batchSize: number,
  where: string,
  stop: { requested: boolean },
): Promise<number> {
  const n = x.shape[0];
  const epsilon = tf.backend().epsilon();
  let sum = 0;
  for (let start = 0; start < n; start += batchSize) {
    if (stop.requested) throw stopError(FN, `${where}, sample ${start} of ${n}`);
    const size = Math.min(batchSize, n - start);
    const losses = tf.tidy(() => {
      const p = model.apply(tf.slice(x, [start, 0], [size, -1]), { training: false }) as Tensor;
      const scaled = tf.div(p, tf.sum(p, -1, true));
      const clipped = tf.clipByValue(scaled, epsilon, 1 - epsilon);
      const yb = tf.cast(tf.slice(y, [start, 0], [size, -1]), "float32");
      return tf.neg(tf.sum(tf.mul(yb, tf.log(clipped)), -1));
    });
    try {
      for (const loss of await losses.data()) sum += loss; // summed in float64
    } finally {
      losses.dispose();
    }
  }
  return sum;
}

/** Options of {@linkcode lossIncreaseUnderNoise}. */
export interface LossUnderNoiseOptions {
  /** Standard deviation σ of the noise, ≥ 0 (the study's is 0.1). */
  std: number;
  /** Seed of the first draw: draw d (from 0) uses `seed + d`, as `addGaussianNoise` draws it. */
  seed: number;
  /** How many noise draws to average over, ≥ 1 (default 5). */
  draws?: number;
  /** Samples per forward pass (default 256); the result does not depend on it. */
  batchSize?: number;
}

/** The mean loss of a model on clean inputs and on the same inputs with noise. */
export interface LossUnderNoise {
  /** L(x): the mean loss on the clean inputs. */
  clean: number;
  /** E[L(x + ε)]: the mean loss on the noisy inputs, over the samples and the draws. */
  noisy: number;
  /** `noisy − clean`: how much the noise raises the mean loss. */
  increase: number;
  /** The increase with each draw alone, in draw order: their spread is the draws' own luck. */
  perDraw: number[];
}

/**
 * The mean categorical cross-entropy of the model on `x` [N, features] (pixels in [0, 1]) with
 * one-hot `y` [N, classes], clean and with N(0, σ²) noise clipped to [0, 1] (`addGaussianNoise`), averaged
 * over the samples and over `draws` seeded draws, in inference mode (dropout off).
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
 * const x = tf.randomUniform([3, 4], 0, 1, "float32", 7); // 3 samples in [0, 1)
 * const y = tf.oneHot([0, 5, 9], 10);
 * const r = await lossIncreaseUnderNoise(model, x, y, { std: 0.1, seed: 42, draws: 3 });
 * assert.equal(r.perDraw.length, 3); // one mean increase per draw
 * assert.ok(Math.abs(r.noisy - r.clean - r.increase) < 1e-12);
 * const none = await lossIncreaseUnderNoise(model, x, y, { std: 0, seed: 42 });
 * assert.equal(none.increase, 0); // no noise, no increase
 * ```
 */
export async function lossIncreaseUnderNoise(
  model: LayersModel,
  x: Tensor,
  y: Tensor,
  options: LossUnderNoiseOptions,
): Promise<LossUnderNoise> {
  const { std, seed, draws = 5, batchSize = 256 } = options;
  checkShapes(model, x, y);
  checkNumber(`${FN}: std`, std, { min: 0 });
  checkInteger(`${FN}: seed`, seed);
  checkInteger(`${FN}: draws`, draws, { min: 1 });
  checkInteger(`${FN}: batchSize`, batchSize, { min: 1 });
  const n = x.shape[0];
  using stop = watchStop();
  const clean = await lossSum(model, x, y, batchSize, "the clean inputs", stop) / n;
  const perDraw: number[] = [];
  for (let d = 0; d < draws; d++) {
    const noisy = addGaussianNoise(x, { std, seed: seed + d });
    try {
      const where = `noise draw ${d + 1} of ${draws}`;
      perDraw.push(await lossSum(model, noisy, y, batchSize, where, stop) / n - clean);
    } finally {
      noisy.dispose();
    }
  }
  const increase = perDraw.reduce((a, b) => a + b) / draws;
  return { clean, noisy: clean + increase, increase, perDraw };
}
