/**
 * Test accuracy of several models as the noise on the test images grows.
 *
 * @module
 */
import { evaluate } from "./metrics.ts";
import { addGaussianNoise } from "../preprocessing/noise.ts";
import { type LayersModel, type Tensor, tf } from "../tf.ts";

/** The noise levels of the robustness curve. */
export const NOISE_LEVELS: readonly number[] = Object.freeze([0, 0.05, 0.1, 0.2, 0.3, 0.5]);

/** Accuracy per model at each noise level. */
export interface RobustnessCurve {
  /** Noise standard deviations, the x axis. */
  stds: number[];
  /** One series per model: its test accuracy at each std. */
  series: { name: string; values: number[] }[];
}

/**
 * Evaluates each model on `x` [N, 784] with N(0, std²) noise (clipped to [0, 1]) at each std;
 * all models see the same noisy images at a given level.
 *
 * @example
 * ```ts
 * const curve = await robustnessCurve({ clean, noisy, robust }, xTest, yTest, { seed: 42 });
 * ```
 */
export async function robustnessCurve(
  models: Record<string, LayersModel>,
  x: Tensor,
  y: Tensor,
  options: { seed: number; stds?: readonly number[] },
): Promise<RobustnessCurve> {
  const stds = [...(options.stds ?? NOISE_LEVELS)];
  const series = Object.keys(models).map((name) => ({ name, values: [] as number[] }));
  for (const [level, std] of stds.entries()) {
    const noisy = addGaussianNoise(x, { std, seed: options.seed + level });
    try {
      for (const s of series) s.values.push((await evaluate(models[s.name], noisy, y)).accuracy);
    } finally {
      tf.dispose(noisy);
    }
  }
  return { stds, series };
}
