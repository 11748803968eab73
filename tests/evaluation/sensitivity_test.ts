import assert from "node:assert/strict";
import { initBackend } from "../../lib/backend/init.ts";
import { inputGradientNorms, summarizeNorms } from "../../lib/evaluation/sensitivity.ts";
import { buildMlp } from "../../lib/model/mlp.ts";
import { type LayersModel, type Tensor, tf } from "../../lib/tf.ts";

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
function lossOf(weights: Float64Array[], x: number[], label: number, epsilon: number): number {
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

Deno.test("inputGradientNorms matches central finite differences of each sample's own loss", async () => {
  const model = smallModel();
  const { x, y } = samples();
  const weights = model.getWeights().map((w) => Float64Array.from(w.dataSync()));
  assert.deepEqual(weights.map((w) => w.length), [INPUTS * 5, 5, 5 * CLASSES, CLASSES]);
  const epsilon = tf.backend().epsilon();
  const rows = x.arraySync() as number[][];

  // The float64 loss is the model's: its probabilities agree with model.predict's.
  const predicted = model.predict(x) as Tensor;
  const p = predicted.arraySync() as number[][];
  predicted.dispose();
  rows.forEach((row, i) => {
    const reference = Math.exp(-lossOf(weights, row, i % CLASSES, epsilon));
    assert.ok(Math.abs(reference - p[i][i % CLASSES]) < 1e-6, `sample ${i}`);
  });

  const norms = await inputGradientNorms(model, x, y);
  assert.equal(norms.length, N);
  // Differences of the float64 loss with step h: error ≈ h² · (third derivative), far below the
  // float32 gradient's own rounding (float32 differences would need h ≈ 1e-2 and a loose bound).
  const h = 1e-4;
  rows.forEach((row, i) => {
    const gradient = row.map((_, j) => {
      const [plus, minus] = [[...row], [...row]];
      plus[j] += h;
      minus[j] -= h;
      const label = i % CLASSES;
      return (lossOf(weights, plus, label, epsilon) - lossOf(weights, minus, label, epsilon)) /
        (2 * h);
    });
    const expected = Math.hypot(...gradient);
    const error = Math.abs(norms[i] - expected);
    assert.ok(
      error <= 1e-5 * expected + 1e-7,
      `sample ${i}: ${norms[i]} vs differences ${expected}`,
    );
  });
  // Some samples switch every hidden unit off (gradient 0); most must not, or this proves little.
  assert.ok(norms.filter((g) => g > 1e-2).length >= 15, `norms ${norms}`);
  tf.dispose([x, y]);
});

Deno.test("inputGradientNorms: dropout off, independent of batchSize, no tensor left", async () => {
  const { x, y } = samples();
  const withDropout = smallModel(0.5);
  const without = smallModel(0);
  // Identical weights: the two models differ only in their dropout rate.
  const [a, b] = [withDropout.getWeights(), without.getWeights()];
  a.forEach((w, i) => assert.deepEqual(w.dataSync(), b[i].dataSync()));

  const before = tf.memory().numTensors;
  const norms = await inputGradientNorms(withDropout, x, y);
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(await inputGradientNorms(withDropout, x, y), norms); // no mask drawn
  assert.deepEqual(await inputGradientNorms(without, x, y), norms);
  for (const batchSize of [1, 7]) {
    const batched = await inputGradientNorms(withDropout, x, y, batchSize);
    assert.equal(tf.memory().numTensors, before);
    batched.forEach((g, i) => {
      assert.ok(Math.abs(g - norms[i]) <= 1e-5 * norms[i], `batchSize ${batchSize}, sample ${i}`);
    });
  }
  tf.dispose([x, y]);
});

Deno.test("inputGradientNorms names the argument that does not fit the model", async () => {
  const model = smallModel();
  const { x, y } = samples();
  const cases: [Tensor, Tensor, string][] = [
    [tf.zeros([6]), y, "x: expected a rank-2 tensor [N, features], got shape [6]"],
    [x, tf.zeros([N, 2, 5]), "y: expected a rank-2 tensor [N, classes], got shape [20,2,5]"],
    [x, tf.zeros([3, CLASSES]), "y.shape[0]: expected 20 (one row per sample of x), got 3"],
    [tf.zeros([N, 7]), y, "x.shape[1]: expected 6 (the model's inputs), got 7"],
    [x, tf.zeros([N, 9]), "y.shape[1]: expected 10 (the model's outputs), got 9"],
  ];
  for (const [xs, ys, message] of cases) {
    await assert.rejects(() => inputGradientNorms(model, xs, ys), {
      message: `inputGradientNorms: ${message}`,
    });
  }
  await assert.rejects(() => inputGradientNorms(model, x, y, 0), {
    message: "inputGradientNorms: batchSize: expected a positive integer, got 0",
  });
  tf.dispose([x, y, ...cases.flatMap(([xs, ys]) => [xs, ys])]);
});

Deno.test("summarizeNorms: mean, share exactly 0 and quantiles of the norms", () => {
  const norms = Float32Array.from({ length: 101 }, (_, i) => (i < 20 ? 0 : i));
  const { mean, zeroShare, at } = summarizeNorms(norms, [0, 0.5, 0.99, 1]);
  const sum = Array.from(norms).reduce((a, b) => a + b, 0);
  assert.equal(mean, sum / 101);
  assert.equal(zeroShare, 20 / 101);
  assert.deepEqual(at, [0, 50, 99, 100]);
  assert.throws(() => summarizeNorms(new Float32Array(0), [0.5]), {
    message: "quantiles: values: expected at least 1 numbers, got 0",
  });
  assert.throws(() => summarizeNorms(Float32Array.of(1, NaN), [0.5]), {
    message: "quantiles: values[1]: expected a finite number, got NaN",
  });
});
