/**
 * Test accuracy of several models as the noise on the test images grows.
 *
 * @module
 */
import { evaluate } from "./metrics.ts";
import { addGaussianNoise } from "../preprocessing/noise.ts";
import { type LayersModel, type Tensor, tf } from "../tf.ts";
import { stopError, watchStop } from "../stop.ts";

/** The noise levels of the robustness curve. */
const NOISE_LEVELS: readonly number[] = Object.freeze([0, 0.05, 0.1, 0.2, 0.3, 0.5]);

/** Accuracy per model at each noise level. */
export interface RobustnessCurve {
  /** Noise standard deviations, the x axis. */
  stds: number[];
  /** One series per model: its test accuracy at each std. */
  series: { name: string; values: number[] }[];
  /** The first image of `x` at each std, as the models saw it (its features, e.g. 784 pixels). */
  first: Float32Array[];
}

/**
 * Evaluates each model on `x` [N, 784] with N(0, std²) noise (clipped to [0, 1]) at each std;
 * all models see the same noisy images at a given level.
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
 * const { x, y } = toTensors((await loadDataset({ dataset: "mnist", testLimit: 200 })).test);
 * const models = { a: buildMlp({ seed: 1 }), b: buildMlp({ seed: 2 }) }; // the notebook: 3 trained
 * const curve = await robustnessCurve(models, x, y, { seed: 42, stds: [0, 0.5] });
 * assert.deepEqual(curve.stds, [0, 0.5]); // default: NOISE_LEVELS
 * assert.deepEqual(curve.series.map((s) => [s.name, s.values.length]), [["a", 2], ["b", 2]]);
 * assert.equal(curve.first[1].length, 784); // test image 0 under std 0.5
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
  const first: Float32Array[] = [];
  using stop = watchStop();
  for (const [level, std] of stds.entries()) {
    const noisy = addGaussianNoise(x, { std, seed: options.seed + level });
    try {
      const row = tf.slice(noisy, 0, 1);
      first.push(row.dataSync() as Float32Array);
      row.dispose();
      for (const s of series) {
        const where = `noise std ${std}, model ${s.name}`;
        // evaluate stops after its call too; the sweep says where it was.
        const result = await evaluate(models[s.name], noisy, y).catch((error) => {
          throw stop.requested ? stopError("robustnessCurve", where) : error;
        });
        s.values.push(result.accuracy);
        if (stop.requested) throw stopError("robustnessCurve", where);
      }
    } finally {
      tf.dispose(noisy);
    }
  }
  return { stds, series, first };
}
