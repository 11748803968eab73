import assert from "node:assert/strict";
import { initBackend } from "../../lib/backend/init.ts";
import { lossIncreaseUnderNoise } from "../../lib/evaluation/sensitivity.ts";
import { buildMlp } from "../../lib/model/mlp.ts";
import { addGaussianNoise } from "../../lib/preprocessing/noise.ts";
import { type LayersModel, type Tensor, tf } from "../../lib/tf.ts";
import { requestStop } from "../../lib/stop.ts";

await initBackend();

const [N, INPUTS, CLASSES] = [20, 6, 10];

/** A small model of the study's shape: [6] → Dense(5, relu) → Dropout → [10] softmax. */
function smallModel(dropout = 0.5): LayersModel {
  return buildMlp({ inputSize: INPUTS, hiddenUnits: [5], dropout, seed: 3 });
}

/** N samples in [0, 1) with labels 0, 1, …, 9, 0, 1, … one-hot. */
function samples(): { x: Tensor; y: Tensor } {
  const x = tf.randomUniform([N, INPUTS], 0, 1, "float32", 5);
  const y = tf.oneHot(Array.from({ length: N }, (_, i) => i % CLASSES), CLASSES);
  return { x, y };
}

/**
 * Sample `x`'s categorical cross-entropy (label `label`) under the model's weights, computed again
 * in float64: relu(x·W1 + b1)·W2 + b2 → softmax → clipped to [ε, 1 − ε] → −log p[label].
 */
function lossOf(weights: Float64Array[], x: ArrayLike<number>, label: number, epsilon: number) {
  const [w1, b1, w2, b2] = weights;
  const hidden = Array.from(b1, (b, j) => {
    let sum = b;
    for (let i = 0; i < INPUTS; i++) sum += x[i] * w1[i * b1.length + j];
    return Math.max(sum, 0);
  });
  const logits = Array.from(b2, (b, k) => {
    let sum = b;
    for (let j = 0; j < hidden.length; j++) sum += hidden[j] * w2[j * CLASSES + k];
    return sum;
  });
  const top = Math.max(...logits);
  const exps = logits.map((z) => Math.exp(z - top));
  const p = exps[label] / exps.reduce((a, b) => a + b);
  return -Math.log(Math.min(Math.max(p, epsilon), 1 - epsilon));
}

/** The mean float64 loss of the N rows of `x` [N, INPUTS] (labels i mod 10). */
function meanLoss(weights: Float64Array[], x: Tensor, epsilon: number): number {
  const rows = x.arraySync() as number[][];
  return rows.reduce((sum, row, i) => sum + lossOf(weights, row, i % CLASSES, epsilon), 0) / N;
}

Deno.test("lossIncreaseUnderNoise: the mean loss on addGaussianNoise's draws minus the clean one", async () => {
  const model = smallModel();
  const { x, y } = samples();
  const weights = model.getWeights().map((w) => Float64Array.from(w.dataSync()));
  assert.deepEqual(weights.map((w) => w.length), [INPUTS * 5, 5, 5 * CLASSES, CLASSES]);
  const epsilon = tf.backend().epsilon();
  const [std, seed, draws] = [0.3, 11, 3];
  const clean = meanLoss(weights, x, epsilon);
  const perDraw = Array.from({ length: draws }, (_, d) => {
    const noisy = addGaussianNoise(x, { std, seed: seed + d }); // draw d uses seed + d
    const increase = meanLoss(weights, noisy, epsilon) - clean;
    noisy.dispose();
    return increase;
  });
  const r = await lossIncreaseUnderNoise(model, x, y, { std, seed, draws });
  const close = (a: number, b: number, what: string) =>
    assert.ok(Math.abs(a - b) <= 1e-5 * Math.abs(b) + 1e-6, `${what}: ${a} vs ${b}`);
  close(r.clean, clean, "clean");
  assert.equal(r.perDraw.length, draws);
  r.perDraw.forEach((v, d) => close(v, perDraw[d], `draw ${d}`));
  close(r.increase, perDraw.reduce((a, b) => a + b) / draws, "increase");
  close(r.noisy, r.clean + r.increase, "noisy");
  // The draws differ (or this proves little about the seeds), and the noise moves the loss.
  assert.equal(new Set(r.perDraw).size, draws, `${r.perDraw}`);
  assert.ok(r.perDraw.every((v) => Math.abs(v) > 1e-4), `${r.perDraw}`);
  tf.dispose([x, y]);
});

Deno.test("lossIncreaseUnderNoise: dropout off, seeded, independent of batchSize, no tensor left", async () => {
  const { x, y } = samples();
  const withDropout = smallModel(0.5);
  const without = smallModel(0);
  // Identical weights: the two models differ only in their dropout rate.
  const [a, b] = [withDropout.getWeights(), without.getWeights()];
  a.forEach((w, i) => assert.deepEqual(w.dataSync(), b[i].dataSync()));

  const options = { std: 0.2, seed: 4, draws: 2 };
  const before = tf.memory().numTensors;
  const r = await lossIncreaseUnderNoise(withDropout, x, y, options);
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(await lossIncreaseUnderNoise(withDropout, x, y, options), r); // no mask drawn
  assert.deepEqual(await lossIncreaseUnderNoise(without, x, y, options), r);
  const first = await lossIncreaseUnderNoise(without, x, y, { ...options, draws: 1 });
  assert.deepEqual(first.perDraw, [r.perDraw[0]]); // the first draw's seed is `seed`
  const other = await lossIncreaseUnderNoise(without, x, y, { ...options, seed: 5 });
  assert.equal(other.perDraw[0], r.perDraw[1]); // …and the next one's seed + 1
  for (const batchSize of [1, 7]) {
    const batched = await lossIncreaseUnderNoise(withDropout, x, y, { ...options, batchSize });
    assert.equal(tf.memory().numTensors, before);
    assert.ok(Math.abs(batched.increase - r.increase) <= 1e-6, `batchSize ${batchSize}`);
  }
  const none = await lossIncreaseUnderNoise(without, x, y, { std: 0, seed: 1 });
  assert.deepEqual([none.increase, none.perDraw.length], [0, 5]); // no noise; 5 draws by default
  tf.dispose([x, y]);
});

Deno.test("lossIncreaseUnderNoise names the argument that does not fit", async () => {
  const model = smallModel();
  const { x, y } = samples();
  const options = { std: 0.1, seed: 1 };
  const cases: [Tensor, Tensor, Partial<typeof options> & { draws?: number }, string][] = [
    [tf.zeros([6]), y, {}, "x: expected a rank-2 tensor [N, features], got shape [6]"],
    [x, tf.zeros([N, 2, 5]), {}, "y: expected a rank-2 tensor [N, classes], got shape [20,2,5]"],
    [
      tf.zeros([0, INPUTS]),
      tf.zeros([0, CLASSES]),
      {},
      "x.shape[0]: expected at least 1 sample, got 0",
    ],
    [x, tf.zeros([3, CLASSES]), {}, "y.shape[0]: expected 20 (one row per sample of x), got 3"],
    [tf.zeros([N, 7]), y, {}, "x.shape[1]: expected 6 (the model's inputs), got 7"],
    [x, tf.zeros([N, 9]), {}, "y.shape[1]: expected 10 (the model's outputs), got 9"],
    [tf.fill([N, INPUTS], 2), y, {}, "x: expected pixel values in [0, 1], got values in [2, 2]"],
    [
      tf.fill([N, INPUTS], NaN),
      y,
      {},
      "x: expected pixel values in [0, 1], got values in [NaN, NaN]",
    ],
    [x, y, { std: -0.1 }, "std: expected a finite number ≥ 0, got -0.1"],
    [x, y, { seed: 1.5 }, "seed: expected an integer, got 1.5"],
    [x, y, { draws: 0 }, "draws: expected a positive integer, got 0"],
  ];
  for (const [xs, ys, changed, message] of cases) {
    await assert.rejects(() => lossIncreaseUnderNoise(model, xs, ys, { ...options, ...changed }), {
      message: `lossIncreaseUnderNoise: ${message}`,
    });
  }
  await assert.rejects(() => lossIncreaseUnderNoise(model, x, y, { ...options, batchSize: 0 }), {
    message: "lossIncreaseUnderNoise: batchSize: expected a positive integer, got 0",
  });
  tf.dispose([x, y, ...cases.flatMap(([xs, ys]) => [xs, ys])]);
});

Deno.test("lossIncreaseUnderNoise stops at its next batch, leaving no tensor", async () => {
  const model = smallModel();
  const { x, y } = samples();
  const first = model.layers[0];
  const apply = first.apply.bind(first);
  let calls = 0;
  first.apply = (...args: Parameters<typeof first.apply>) => {
    if (++calls === 6) requestStop(); // the 5 clean batches of 4 done, then the first noisy one
    return apply(...args);
  };
  const before = tf.memory().numTensors;
  await assert.rejects(lossIncreaseUnderNoise(model, x, y, { std: 0.1, seed: 1, batchSize: 4 }), {
    message:
      "lossIncreaseUnderNoise: stopped at noise draw 1 of 5, sample 4 of 20 (Stop / interrupt)",
  });
  assert.equal(tf.memory().numTensors, before, "tensors left behind");
  tf.dispose([x, y]);
});
