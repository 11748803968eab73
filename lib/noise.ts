/**
 * Gaussian noise for the robustness experiments.
 *
 * @module
 */
import { type Tensor, tf } from "./tf.ts";

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
 * Adds normal noise N(mean, std²) to pixel values in [0, 1] and clips the result to [0, 1].
 *
 * `x` keeps its shape, e.g. [N, 784]; the caller disposes the returned tensor.
 *
 * @example
 * ```ts
 * const noisy = addGaussianNoise(x, { std: 0.1, seed: 42 });
 * ```
 */
export function addGaussianNoise<T extends Tensor>(x: T, options: NoiseOptions): T {
  const { mean = 0, std = 0.1, seed } = options;
  if (!Number.isFinite(mean)) throw new Error(`noise mean ${mean}: expected a finite number`);
  if (!Number.isFinite(std) || std < 0) {
    throw new Error(`noise std ${std}: expected a finite number ≥ 0`);
  }
  if (!Number.isSafeInteger(seed)) throw new Error(`noise seed ${seed}: expected an integer`);
  if (x.dtype !== "float32") throw new Error(`noise input of dtype ${x.dtype}: expected float32`);
  const finite = tf.tidy(() => tf.all(tf.isFinite(x)).dataSync()[0]);
  if (!finite) throw new Error(`noise input of shape [${x.shape}] holds NaN or infinite values`);
  return tf.tidy(() => {
    const noise = tf.randomNormal(x.shape, mean, std, "float32", seed);
    return tf.clipByValue(tf.add(x, noise), 0, 1) as T;
  });
}
