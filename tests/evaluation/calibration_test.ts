import assert from "node:assert/strict";
import { initBackend } from "../../lib/backend/init.ts";
import {
  calibrate,
  expectedCalibrationError,
  perClassAccuracy,
  predictProbabilities,
  reliabilityBins,
} from "../../lib/evaluation/calibration.ts";
import { loadDataset } from "../../lib/data/dataset.ts";
import { evaluate, predictClasses } from "../../lib/evaluation/metrics.ts";
import { buildMlp } from "../../lib/model/mlp.ts";
import { toTensors } from "../../lib/preprocessing/tensors.ts";
import { train } from "../../lib/training/train.ts";
import { type Tensor, tf } from "../../lib/tf.ts";

await initBackend();

/**
 * Eight hand-made rows of 3 classes (every value exact in float32) with their labels; with 5 bins
 * (edges 0.2, 0.4, 0.6, 0.8, 1) they fall as the comments say.
 */
const ROWS = [
  [[0.5, 0.25, 0.25], 0], //        confidence 0.5, predicted 0, right → bin 2
  [[0.25, 0.5, 0.25], 2], //        0.5, predicted 1, wrong → bin 2
  [[0.75, 0.125, 0.125], 0], //     0.75, right → bin 3
  [[0.125, 0.125, 0.75], 2], //     0.75, right → bin 3
  [[0.0625, 0.6875, 0.25], 0], //   0.6875, predicted 1, wrong → bin 3
  [[0.375, 0.3125, 0.3125], 1], //  0.375, predicted 0, wrong → bin 1
  [[1, 0, 0], 0], //                1, right → bin 4
  [[0.4375, 0.4375, 0.125], 1], //  0.4375, a tie: the first max, 0, is predicted; wrong → bin 2
] as const;
const PROBABILITIES = Float32Array.from(ROWS.flatMap(([row]) => row));
const LABELS = ROWS.map(([, label]) => label);

Deno.test("reliabilityBins: count, mean confidence and accuracy per bin, as computed by hand", () => {
  const bins = reliabilityBins(PROBABILITIES, LABELS, { bins: 5, classes: 3 });
  assert.deepEqual(bins, [
    { low: 0, high: 0.2, count: 0, confidence: NaN, accuracy: NaN },
    { low: 0.2, high: 0.4, count: 1, confidence: 0.375, accuracy: 0 },
    { low: 0.4, high: 0.6, count: 3, confidence: (0.5 + 0.5 + 0.4375) / 3, accuracy: 1 / 3 },
    { low: 0.6, high: 0.8, count: 3, confidence: (0.75 + 0.75 + 0.6875) / 3, accuracy: 2 / 3 },
    { low: 0.8, high: 1, count: 1, confidence: 1, accuracy: 1 },
  ]);
});

Deno.test("reliabilityBins: a bin includes its upper edge, and a confidence of 0 goes to bin 0", () => {
  // Four bins, edges 0.25, 0.5, 0.75 (exact in float32); two classes.
  const p = Float32Array.of(0.5, 0.5, 0.25, 0.25, 0.75, 0.25, 0, 0, 1, 0);
  const bins = reliabilityBins(p, [0, 1, 0, 1, 0], { bins: 4, classes: 2 });
  assert.deepEqual(bins.map((b) => b.count), [2, 1, 1, 1]); // 0.25 and 0 | 0.5 | 0.75 | 1
  assert.deepEqual(bins.map((b) => b.confidence), [0.125, 0.5, 0.75, 1]);
  assert.deepEqual(bins.map((b) => b.accuracy), [0, 1, 1, 1]); // the all-zero row predicts 0
  // Float32 0.7 is 0.69999999 (bin 6 of 10), float32 0.3 is 0.30000001 (bin 3, above the edge).
  const tenths = reliabilityBins(Float32Array.of(0.7, 0.3, 0.3, 0.7), [0, 1], {
    bins: 10,
    classes: 2,
  });
  assert.deepEqual(tenths.map((b) => b.count), [0, 0, 0, 0, 0, 0, 2, 0, 0, 0]);
  assert.equal(tenths[6].confidence, Math.fround(0.7));
  // The default: 15 bins of 10 classes.
  const tenClasses = Float32Array.from({ length: 20 }, (_, i) => (i % 10 === 3 ? 1 : 0));
  const defaults = reliabilityBins(tenClasses, [3, 4]);
  assert.equal(defaults.length, 15);
  assert.deepEqual([defaults[14].count, defaults[14].accuracy], [2, 0.5]);
});

/** A 10-class row whose maximum, `confidence`, is at `predicted`; the rest shared equally. */
function row(confidence: number, predicted: number): number[] {
  return Array.from(
    { length: 10 },
    (_, k) => (k === predicted ? confidence : (1 - confidence) / 9),
  );
}

Deno.test("expectedCalibrationError is 0 where each bin's accuracy equals its confidence", () => {
  // Confidences exact in float32, with as many right as the confidence says: 1 of 2 at 0.5,
  // 5 of 8 at 0.625, 3 of 4 at 0.75, 3 of 3 at 1 (bins 7, 9, 11 and 14 of the default 15).
  const groups = [[0.5, 2, 1], [0.625, 8, 5], [0.75, 4, 3], [1, 3, 3]];
  const rows: number[][] = [];
  const labels: number[] = [];
  groups.forEach(([confidence, n, right], g) => {
    for (let i = 0; i < n; i++) {
      rows.push(row(confidence, g));
      labels.push(i < right ? g : g + 1); // wrong: the next class
    }
  });
  const bins = reliabilityBins(Float32Array.from(rows.flat()), labels);
  assert.deepEqual(bins.flatMap((b, i) => (b.count > 0 ? [[i, b.count]] : [])), [
    [7, 2],
    [9, 8],
    [11, 4],
    [14, 3],
  ]);
  assert.equal(expectedCalibrationError(bins), 0);
});

Deno.test("expectedCalibrationError of miscalibrated sets equals the hand value", () => {
  // The hand-made rows: (1/8)·|0 − 0.375| + (3/8)·|1/3 − 1.4375/3| + (3/8)·|2/3 − 2.1875/3| + 0
  // = 0.046875 + 0.0546875 + 0.0234375 = 0.125.
  const bins = reliabilityBins(PROBABILITIES, LABELS, { bins: 5, classes: 3 });
  assert.ok(Math.abs(expectedCalibrationError(bins) - 0.125) < 1e-15);
  // Overconfident: 4 samples at confidence 1, half of them right.
  const sure = Float32Array.from([0, 1, 2, 3].flatMap(() => row(1, 0)));
  assert.equal(expectedCalibrationError(reliabilityBins(sure, [0, 0, 1, 2])), 0.5);
  // No samples at all: undefined.
  assert.ok(Number.isNaN(expectedCalibrationError(reliabilityBins(new Float32Array(0), []))));
});

Deno.test("perClassAccuracy: fraction right per true class, NaN for an absent class", () => {
  const labels = [0, 0, 0, 1, 1, 2, 2, 2, 2];
  const predicted = Uint8Array.of(0, 1, 0, 1, 1, 2, 0, 0, 2);
  assert.deepEqual(perClassAccuracy(labels, predicted, 4), [2 / 3, 1, 0.5, NaN]);
  assert.equal(perClassAccuracy([7], [7]).length, 10);
});

Deno.test("predictProbabilities: rows sum to 1, equal model.predict's, dropout off, no leak", async () => {
  const model = buildMlp({ inputSize: 6, hiddenUnits: [5], dropout: 0.5, seed: 3 });
  const x = tf.randomUniform([40, 6], 0, 1, "float32", 11);
  const before = tf.memory().numTensors;
  const p = await predictProbabilities(model, x);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(p.length, 40 * 10);
  for (let i = 0; i < 40; i++) {
    const sum = p.subarray(10 * i, 10 * i + 10).reduce((a, b) => a + b);
    assert.ok(Math.abs(sum - 1) < 1e-6, `row ${i} sums to ${sum}`);
  }
  const predicted = model.predict(x, { batchSize: 256 }) as Tensor;
  assert.deepEqual(p, await predicted.data());
  predicted.dispose();
  assert.deepEqual(await predictProbabilities(model, x), p); // inference: no dropout mask drawn
  const oneByOne = await predictProbabilities(model, x, 1);
  assert.ok(oneByOne.every((v, i) => Math.abs(v - p[i]) < 1e-6));
  x.dispose();
});

Deno.test("calibration functions name the function and the argument in their errors", () => {
  const p = Float32Array.of(0.5, 0.5, 1, 0);
  assert.throws(
    () => reliabilityBins(p, [0, 1, 1], { classes: 2 }),
    {
      message:
        "reliabilityBins: probabilities.length: expected 6 (labels.length × classes = 3 × 2), got 4",
    },
  );
  assert.throws(
    () => reliabilityBins(p, [0, 2], { classes: 2 }),
    { message: "reliabilityBins: labels[1]: expected an integer in [0, 2), got 2" },
  );
  assert.throws(
    () => reliabilityBins(Float32Array.of(0.5, 1.5), [0], { classes: 2 }),
    { message: "reliabilityBins: probabilities[1]: expected a number in [0, 1], got 1.5" },
  );
  assert.throws(
    () => reliabilityBins(Float32Array.of(NaN, 0.5), [0], { classes: 2 }),
    { message: "reliabilityBins: probabilities[0]: expected a number in [0, 1], got NaN" },
  );
  assert.throws(
    () => reliabilityBins(p, [0, 1], { bins: 0, classes: 2 }),
    { message: "reliabilityBins: opts.bins: expected a positive integer, got 0" },
  );
  const bad = { low: 0, high: 1, count: -1, confidence: 0, accuracy: 0 };
  assert.throws(
    () => expectedCalibrationError([bad]),
    { message: "expectedCalibrationError: bins[0].count: expected an integer ≥ 0, got -1" },
  );
  assert.throws(
    () => perClassAccuracy([0, 1], [0]),
    { message: "perClassAccuracy: predicted.length: expected 2 (one per label), got 1" },
  );
  assert.throws(
    () => perClassAccuracy([0, 3], [0, 1], 3),
    { message: "perClassAccuracy: labels[1]: expected an integer in [0, 3), got 3" },
  );
});

Deno.test("predictProbabilities refuses an x that does not fit the model", async () => {
  const model = buildMlp({ inputSize: 6, hiddenUnits: [5], seed: 3 });
  const [flat, wide] = [tf.zeros([6]), tf.zeros([2, 7])];
  await assert.rejects(
    () => predictProbabilities(model, flat),
    { message: "predictProbabilities: x: expected a rank-2 tensor [N, features], got shape [6]" },
  );
  await assert.rejects(
    () => predictProbabilities(model, wide),
    { message: "predictProbabilities: x.shape[1]: expected 6 (the model's inputs), got 7" },
  );
  tf.dispose([flat, wide]);
});

Deno.test("calibrate: bins of every prediction, their ECE, and evaluate's accuracy", async () => {
  const data = await loadDataset({ dataset: "mnist", trainLimit: 2000, testLimit: 500 });
  const [trainSet, test] = [toTensors(data.train), toTensors(data.test)];
  const model = buildMlp({ seed: 4 });
  await train(model, trainSet.x, trainSet.y, { epochs: 2, seed: 4 });
  const { bins, ece, accuracy, confidence } = await calibrate(model, test.x, data.test.labels);
  assert.equal(bins.length, 15);
  assert.equal(bins.reduce((n, b) => n + b.count, 0), 500);
  assert.equal(ece, expectedCalibrationError(bins));
  const predicted = await predictClasses(model, test.x);
  const right = predicted.filter((p, i) => p === data.test.labels[i]).length;
  assert.equal(accuracy * 500, right);
  assert.ok(Math.abs(accuracy - (await evaluate(model, test.x, test.y)).accuracy) < 1e-6);
  const probabilities = await predictProbabilities(model, test.x);
  let sum = 0;
  for (let i = 0; i < 500; i++) sum += Math.max(...probabilities.subarray(10 * i, 10 * i + 10));
  assert.ok(Math.abs(confidence - sum / 500) < 1e-6, `${confidence} vs ${sum / 500}`);
  tf.dispose([trainSet.x, trainSet.y, test.x, test.y]);
  model.dispose();
});
