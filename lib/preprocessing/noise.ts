/**
 * Gaussian noise for the robustness experiments.
 *
 * @module
 */
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
function writeNoisy(values: Float32Array, out: Float32Array, options: NoiseOptions, what: string) {
  const { mean = 0, std = STUDY_CONFIG.noiseStd, seed } = options;
  if (!Number.isFinite(mean)) throw new Error(`noise mean ${mean}: expected a finite number`);
  if (!Number.isFinite(std) || std < 0) {
    throw new Error(`noise std ${std}: expected a finite number ≥ 0`);
  }
  if (!Number.isSafeInteger(seed)) throw new Error(`noise seed ${seed}: expected an integer`);
  if (!values.every(Number.isFinite)) throw new Error(`${what} holds NaN or infinite values`);
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
 * const noisy = addGaussianNoise(x, { std: 0.1, seed: 42 });
 * ```
 */
export function addGaussianNoise<T extends Tensor>(x: T, options: NoiseOptions): T {
  if (x.dtype !== "float32") throw new Error(`noise input of dtype ${x.dtype}: expected float32`);
  const out = new Float32Array(x.size);
  writeNoisy(x.dataSync() as Float32Array, out, options, `noise input of shape [${x.shape}]`);
  return tf.tensor(out, x.shape, "float32") as T;
}

/**
 * A split's images twice, clean then with noise, as model inputs: `x` [2N, P] and one-hot
 * `y` [2N, classes] — the study's data augmentation. The noisy half equals
 * `addGaussianNoise` of the clean half with the same options.
 *
 * @example
 * ```ts
 * const { x, y } = withNoisyCopies(parts.train, { std: 0.1, seed: 44 }); // 96,000 images
 * ```
 */
export function withNoisyCopies(
  split: Split,
  options: NoiseOptions,
  classes = NUM_CLASSES,
): { x: Tensor2D; y: Tensor2D } {
  const n = split.labels.length;
  const size = pixelsPerImage(split);
  const pixels = split.images.length;
  const x = new Float32Array(2 * pixels);
  const clean = normalize(split.images, x.subarray(0, pixels));
  writeNoisy(clean, x.subarray(pixels), options, "noise input");
  const labels = oneHot(split.labels, classes);
  const y = new Float32Array(2 * labels.length);
  y.set(labels);
  y.set(labels, labels.length);
  return {
    x: tf.tensor2d(x, [2 * n, size]),
    y: tf.tensor2d(y, [2 * n, classes]),
  };
}
