/**
 * How far a model's confidence can be trusted: its softmax probabilities, reliability bins and
 * expected calibration error (Guo et al. 2017), and accuracy per true class.
 *
 * @module
 */
import { checkError, checkIndex, checkInteger, checkNumber } from "../checks.ts";
import type { LayersModel, Tensor } from "../tf.ts";
import { stopError, watchStop } from "../stop.ts";

/**
 * The softmax outputs of `model` for `x` [N, features], in inference mode (dropout off):
 * [N, classes] flattened row-major.
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
 * const p = await predictProbabilities(model, x); // row i: p.subarray(10 * i, 10 * i + 10)
 * assert.equal(p.length, 3 * 10);
 * assert.ok(Math.abs(p.subarray(0, 10).reduce((a, b) => a + b) - 1) < 1e-5);
 * ```
 */
export async function predictProbabilities(
  model: LayersModel,
  x: Tensor,
  batchSize = 256,
): Promise<Float32Array> {
  checkFeatures("predictProbabilities", model, x);
  checkInteger("predictProbabilities: batchSize", batchSize, { min: 1 });
  // One tfjs call: Stop cannot cut it short, but the kernel survives it and the cell stops after.
  using stop = watchStop();
  const probabilities = model.predict(x, { batchSize }) as Tensor;
  try {
    if (stop.requested) throw stopError("predictProbabilities", `all ${x.shape[0]} samples`);
    // A copy: a backend may reuse the memory of a disposed tensor.
    return Float32Array.from(await probabilities.data());
  } finally {
    probabilities.dispose();
  }
}

/** Throws unless `x` is [N, features] with the model's number of input features. */
function checkFeatures(fn: string, model: LayersModel, x: Tensor): void {
  if (x.rank !== 2) {
    throw checkError(`${fn}: x`, "a rank-2 tensor [N, features]", `shape [${x.shape}]`);
  }
  const features = model.inputs[0].shape[1];
  if (x.shape[1] !== features) {
    throw checkError(`${fn}: x.shape[1]`, `${features} (the model's inputs)`, `${x.shape[1]}`);
  }
}

/** One equal-width confidence bin (low, high] of a reliability diagram. */
export interface ReliabilityBin {
  /** Lower edge, excluded (bin 0 also takes a confidence of exactly 0). */
  low: number;
  /** Upper edge, included. */
  high: number;
  /** Number of samples whose confidence falls in the bin. */
  count: number;
  /** Mean confidence (max probability) of those samples; NaN when count is 0. */
  confidence: number;
  /** Fraction of those samples classified correctly; NaN when count is 0. */
  accuracy: number;
}

/**
 * Sorts `labels.length` rows of `probabilities` [N, classes] (row-major) into `bins` equal-width
 * bins by confidence (a row's max probability; its prediction is the arg-max, the first on
 * ties): bin i holds confidences in (i/bins, (i+1)/bins].
 *
 * The edges are compared as doubles, so a float32 confidence just above an edge lands in the bin
 * above it (0.3 in float32 is 0.30000001).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // Two classes, three samples with labels 0, 1, 1: confidences 0.9 (right), 0.6, 0.8 (wrong).
 * const p = Float32Array.of(0.9, 0.1, 0.4, 0.6, 0.8, 0.2);
 * const bins = reliabilityBins(p, [0, 1, 1], { bins: 2, classes: 2 });
 * assert.deepEqual(bins.map((b) => [b.low, b.high, b.count, b.accuracy]), [
 *   [0, 0.5, 0, NaN],
 *   [0.5, 1, 3, 2 / 3],
 * ]);
 * ```
 */
export function reliabilityBins(
  probabilities: Float32Array,
  labels: ArrayLike<number>,
  opts: { bins?: number; classes?: number } = {},
): ReliabilityBin[] {
  const { bins = 15, classes = 10 } = opts;
  checkInteger("reliabilityBins: opts.bins", bins, { min: 1 });
  checkInteger("reliabilityBins: opts.classes", classes, { min: 1 });
  const n = labels.length;
  if (probabilities.length !== n * classes) {
    const expected = `${n * classes} (labels.length × classes = ${n} × ${classes})`;
    throw checkError("reliabilityBins: probabilities.length", expected, `${probabilities.length}`);
  }
  const edge = (i: number) => i / bins;
  const counts = new Array<number>(bins).fill(0);
  const confidenceSums = new Array<number>(bins).fill(0);
  const correct = new Array<number>(bins).fill(0);
  for (let row = 0; row < n; row++) {
    const label = labels[row];
    if (!(Number.isInteger(label) && label >= 0 && label < classes)) {
      checkIndex(`reliabilityBins: labels[${row}]`, label, classes);
    }
    let predicted = 0;
    let confidence = -1;
    for (let k = 0; k < classes; k++) {
      const p = probabilities[row * classes + k];
      if (!(p >= 0 && p <= 1)) {
        checkNumber(`reliabilityBins: probabilities[${row * classes + k}]`, p, { min: 0, max: 1 });
      }
      if (p > confidence) [predicted, confidence] = [k, p];
    }
    // The smallest i with confidence ≤ (i+1)/bins; ceil's rounding corrected against the edges.
    let bin = Math.min(Math.max(Math.ceil(confidence * bins) - 1, 0), bins - 1);
    if (bin > 0 && confidence <= edge(bin)) bin--;
    else if (bin < bins - 1 && confidence > edge(bin + 1)) bin++;
    counts[bin]++;
    confidenceSums[bin] += confidence;
    if (predicted === label) correct[bin]++;
  }
  return counts.map((count, i) => ({
    low: edge(i),
    high: edge(i + 1),
    count,
    confidence: count === 0 ? NaN : confidenceSums[i] / count,
    accuracy: count === 0 ? NaN : correct[i] / count,
  }));
}

/**
 * Expected calibration error of reliability bins (Guo et al. 2017): Σ_b (n_b / N) ·
 * |accuracy_b − confidence_b| over the bins with samples; NaN when no bin has any.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // 4 samples at confidence 0.75, 3 right: calibrated. 4 at 1.0, 2 right: off by 0.5.
 * const p = Float32Array.of(...Array(4).fill([0.75, 0.25]).flat(), ...Array(4).fill([1, 0]).flat());
 * const labels = [0, 0, 0, 1, 0, 0, 1, 1];
 * const bins = reliabilityBins(p, labels, { bins: 4, classes: 2 });
 * assert.equal(expectedCalibrationError(bins), (4 / 8) * 0 + (4 / 8) * 0.5);
 * ```
 */
export function expectedCalibrationError(bins: readonly ReliabilityBin[]): number {
  bins.forEach((b, i) =>
    checkInteger(`expectedCalibrationError: bins[${i}].count`, b.count, {
      min: 0,
    })
  );
  const total = bins.reduce((sum, b) => sum + b.count, 0);
  if (total === 0) return NaN;
  return bins.reduce(
    (sum, b) => b.count === 0 ? sum : sum + (b.count / total) * Math.abs(b.accuracy - b.confidence),
    0,
  );
}

/** How well a model's confidence matches its accuracy on one labelled set. */
export interface Calibration {
  /** The reliability bins of its predictions. */
  bins: ReliabilityBin[];
  /** Their expected calibration error, in [0, 1]. */
  ece: number;
  /** Fraction of the set classified correctly. */
  accuracy: number;
  /** Mean confidence (largest probability): above `accuracy` overconfident, below it under. */
  confidence: number;
}

/**
 * Measures the calibration of `model` on `x` [N, features] with N `labels`: its predictions'
 * reliability bins, expected calibration error, accuracy and mean confidence (dropout off).
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
 * const { test } = await loadDataset({ dataset: "mnist", testLimit: 100 });
 * const { x } = toTensors(test);
 * const { bins, ece, accuracy } = await calibrate(buildMlp(), x, test.labels, { bins: 10 });
 * assert.equal(bins.reduce((n, b) => n + b.count, 0), 100); // every image in one bin
 * assert.ok(ece >= 0 && ece <= 1 && accuracy <= 1); // untrained: low confidence, about 10% right
 * ```
 */
export async function calibrate(
  model: LayersModel,
  x: Tensor,
  labels: ArrayLike<number>,
  opts: { bins?: number } = {},
): Promise<Calibration> {
  const probabilities = await predictProbabilities(model, x);
  const classes = probabilities.length / Math.max(1, x.shape[0]);
  const bins = reliabilityBins(probabilities, labels, { bins: opts.bins, classes });
  const total = (value: (b: ReliabilityBin) => number) =>
    bins.reduce((sum, b) => sum + (b.count > 0 ? b.count * value(b) : 0), 0) / labels.length;
  return {
    bins,
    ece: expectedCalibrationError(bins),
    accuracy: total((b) => b.accuracy),
    confidence: total((b) => b.confidence),
  };
}

/**
 * The fraction of each true class's samples predicted correctly: `classes` numbers, NaN for a
 * class with no sample.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // class 0: 2 of 2 right; class 1: 1 of 2; class 2: no sample
 * assert.deepEqual(perClassAccuracy([0, 1, 1, 0], [0, 1, 0, 0], 3), [1, 0.5, NaN]);
 * ```
 */
export function perClassAccuracy(
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classes = 10,
): number[] {
  checkInteger("perClassAccuracy: classes", classes, { min: 1 });
  if (labels.length !== predicted.length) {
    const expected = `${labels.length} (one per label)`;
    throw checkError("perClassAccuracy: predicted.length", expected, `${predicted.length}`);
  }
  const counts = new Array<number>(classes).fill(0);
  const correct = new Array<number>(classes).fill(0);
  for (let i = 0; i < labels.length; i++) {
    const [t, p] = [labels[i], predicted[i]];
    checkIndex(`perClassAccuracy: labels[${i}]`, t, classes);
    checkIndex(`perClassAccuracy: predicted[${i}]`, p, classes);
    counts[t]++;
    if (t === p) correct[t]++;
  }
  return counts.map((count, c) => count === 0 ? NaN : correct[c] / count);
}
