/**
 * Gaussian noise for the robustness experiments.
 *
 * @module
 */
import { checkError, checkInteger, checkNumber, checkOneOf } from "../checks.ts";
import { STUDY_CONFIG } from "../config.ts";
import type { Split } from "../data/mnist.ts";
import { pixelsPerImage } from "../data/splits.ts";
import { normalize, NUM_CLASSES, oneHot } from "./tensors.ts";
import { createRandom } from "./random.ts";
import { type Tensor, type Tensor2D, tf } from "../tf.ts";

/** Options of {@linkcode addGaussianNoise}. */
export interface NoiseOptions {
  /** Mean of the noise (default 0). */
  mean?: number;
  /** Standard deviation of the noise, ≥ 0 (default 0.1, the study's value). */
  std?: number;
  /** Seed: the same seed gives the same noise. */
  seed: number;
}

/**
 * Writes `values` plus N(mean, std²) noise, clipped to [0, 1], into `out` (same length).
 *
 * The normal numbers come from the seeded generator of `createRandom` (Box–Muller).
 */
function writeNoisy(
  values: Float32Array,
  out: Float32Array,
  options: NoiseOptions,
  fn: string,
  input: string,
) {
  const { mean = 0, std = STUDY_CONFIG.noiseStd, seed } = options;
  checkNumber(`${fn}: mean`, mean);
  checkNumber(`${fn}: std`, std, { min: 0 });
  checkInteger(`${fn}: seed`, seed);
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) checkNumber(`${fn}: ${input}[${bad}]`, values[bad]);
  const random = createRandom(seed);
  const clip = (v: number) => Math.min(1, Math.max(0, v));
  for (let i = 0; i < values.length; i += 2) {
    const radius = std * Math.sqrt(-2 * Math.log(1 - random.float()));
    const angle = 2 * Math.PI * random.float();
    out[i] = clip(values[i] + mean + radius * Math.cos(angle));
    if (i + 1 < values.length) out[i + 1] = clip(values[i + 1] + mean + radius * Math.sin(angle));
  }
}

/**
 * Adds normal noise N(mean, std²) to pixel values in [0, 1] and clips the result to [0, 1].
 *
 * `x` keeps its shape, e.g. [N, 784]; the caller disposes the returned tensor. The noise is
 * written straight into the output, so the only memory used is the output itself.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf } from "../tf.ts";
 *
 * await tf.setBackend("cpu");
 * const x = tf.fill([2, 784], 0.5);
 * const noisy = addGaussianNoise(x, { std: 0.1, seed: 42 });
 * assert.deepEqual(noisy.shape, [2, 784]);
 * assert.ok(noisy.dataSync().every((v) => v >= 0 && v <= 1)); // clipped to [0, 1]
 * assert.deepEqual(noisy.dataSync(), addGaussianNoise(x, { seed: 42 }).dataSync()); // same seed
 * ```
 */
export function addGaussianNoise<T extends Tensor>(x: T, options: NoiseOptions): T {
  checkOneOf("addGaussianNoise: x.dtype", x.dtype, ["float32"]);
  const out = new Float32Array(x.size);
  writeNoisy(x.dataSync() as Float32Array, out, options, "addGaussianNoise", "x.dataSync()");
  return tf.tensor(out, x.shape, "float32") as T;
}

/**
 * A split's images twice, clean then with noise, as model inputs: `x` [2N, P] and one-hot
 * `y` [2N, classes] — the study's data augmentation. The noisy half equals
 * `addGaussianNoise` of the clean half with the same options. With `into`, `x` holds that array
 * (on the cpu-based backends, without a copy), so a caller can reuse one large array.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadMnist } from "../data/mnist.ts";
 * import { firstSamples } from "../data/splits.ts";
 * import { tf } from "../tf.ts";
 *
 * await tf.setBackend("cpu");
 * const train = firstSamples((await loadMnist()).train, 1000);
 * const { x, y } = withNoisyCopies(train, { std: 0.1, seed: 44 });
 * assert.deepEqual(x.shape, [2000, 784]); // the study's 48,000 training images give 96,000
 * assert.deepEqual(y.shape, [2000, 10]);
 * ```
 */
export function withNoisyCopies(
  split: Split,
  options: NoiseOptions & {
    /** An array of 2 × the split's pixels to write `x`'s values into (else a new one). */
    into?: Float32Array;
  },
  classes = NUM_CLASSES,
): { x: Tensor2D; y: Tensor2D } {
  const n = split.labels.length;
  const size = pixelsPerImage(split);
  const pixels = split.images.length;
  const { into } = options;
  if (into !== undefined && into.length !== 2 * pixels) {
    const expected = `${2 * pixels} values (2 × ${n} images of ${size} pixels)`;
    throw checkError("withNoisyCopies: into.length", expected, `${into.length}`);
  }
  const x = into ?? new Float32Array(2 * pixels);
  const clean = normalize(split.images, x.subarray(0, pixels));
  writeNoisy(clean, x.subarray(pixels), options, "withNoisyCopies", "normalized split.images");
  const labels = oneHot(split.labels, classes);
  const y = new Float32Array(2 * labels.length);
  y.set(labels);
  y.set(labels, labels.length);
  return {
    x: tf.tensor2d(x, [2 * n, size]),
    y: tf.tensor2d(y, [2 * n, classes]),
  };
}
