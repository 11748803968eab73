/**
 * Gaussian noise for the robustness experiments.
 *
 * @module
 */
import { createRandom } from "./random.ts";
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
 * `x` keeps its shape, e.g. [N, 784]; the caller disposes the returned tensor. The normal
 * numbers come from the seeded generator of `createRandom` (Box–Muller), written straight into
 * the output, so the only memory used is the output itself.
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
  const values = x.dataSync() as Float32Array;
  const random = createRandom(seed);
  const out = new Float32Array(values.length);
  for (let i = 0; i < values.length; i += 2) {
    const radius = std * Math.sqrt(-2 * Math.log(1 - random.float()));
    const angle = 2 * Math.PI * random.float();
    out[i] = values[i] + mean + radius * Math.cos(angle);
    if (i + 1 < values.length) out[i + 1] = values[i + 1] + mean + radius * Math.sin(angle);
  }
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(values[i])) {
      throw new Error(`noise input of shape [${x.shape}] holds NaN or infinite values`);
    }
    out[i] = Math.min(1, Math.max(0, out[i]));
  }
  return tf.tensor(out, x.shape, "float32") as T;
}
