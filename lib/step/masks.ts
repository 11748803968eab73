/**
 * The dropout masks of a model's next training step, read without drawing them.
 *
 * @module
 */
import { checkInteger } from "../checks.ts";
import { SeededDropout } from "../model/seeded_dropout.ts";
import { type LayersModel, type Tensor2D, tf } from "../tf.ts";

/**
 * The mask [batch, units] that each dropout layer of `model` will multiply its input by at the
 * model's next training call on `batch` samples, in layer order: each element 0 (dropped) or
 * 1/(1 − rate) (kept and scaled up). The layers' sequences do not advance, so the next
 * `trainOnBatch` (or training-mode `apply`) uses exactly these masks.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../backend/init.ts";
 * import { buildMlp } from "../model/mlp.ts";
 *
 * await initBackend();
 * const model = buildMlp({ seed: 1 });
 * const [first] = nextDropoutMasks(model, 4);
 * assert.deepEqual(first.shape, [4, 256]);
 * const values = new Set(first.dataSync());
 * assert.deepEqual([...values].sort(), [0, 1.25]); // dropped, or kept and scaled by 1 / 0.8
 * ```
 */
export function nextDropoutMasks(model: LayersModel, batch: number): Tensor2D[] {
  checkInteger("nextDropoutMasks: batch", batch, { min: 1 });
  return model.layers.filter((layer) => layer instanceof SeededDropout).map((layer) => {
    const units = (layer.outputShape as number[]).at(-1)!;
    const mask = new Float32Array(batch * units);
    if (layer.rate === 0) mask.fill(1);
    else layer.peekDropoutMask(mask);
    return tf.tensor2d(mask, [batch, units]);
  });
}
