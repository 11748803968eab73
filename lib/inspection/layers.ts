/**
 * What a trained model holds and computes inside: a Dense layer's kernel, a layer's activations.
 *
 * @module
 */
import { checkError, checkInteger } from "../checks.ts";
import { type LayersModel, type Tensor, tf } from "../tf.ts";
import { stopError, watchStop } from "../stop.ts";

/** A Dense layer's kernel, copied out of the model. */
export interface Kernel {
  /** [inputs, units] row-major: the weight from input p to unit u is `values[p * units + u]`. */
  values: Float32Array;
  /** Inputs of the layer (784 for the first layer of the MLP). */
  inputs: number;
  /** Units of the layer. */
  units: number;
}

function layerNamed(fn: string, model: LayersModel, name: string) {
  const index = model.layers.findIndex((l) => l.name === name);
  if (index < 0) {
    const names = model.layers.map((l) => l.name).join(", ");
    throw checkError(`${fn}: layer`, `one of ${names}`, JSON.stringify(name));
  }
  return index;
}

/**
 * Copies the kernel of the Dense layer `name` of `model` → [inputs, units].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../backend/init.ts";
 * import { buildMlp } from "../model/mlp.ts";
 *
 * await initBackend();
 * const { values, inputs, units } = denseKernel(buildMlp({ seed: 1 }), "dense_1");
 * assert.deepEqual([inputs, units, values.length], [784, 256, 784 * 256]);
 * assert.ok(values.every((w) => Math.abs(w) <= Math.sqrt(6 / (784 + 256)))); // Glorot uniform
 * ```
 */
export function denseKernel(model: LayersModel, name: string): Kernel {
  const layer = model.layers[layerNamed("denseKernel", model, name)];
  const kernel = layer.weights[0];
  if (layer.getClassName() !== "Dense") {
    throw checkError(
      "denseKernel: layer",
      "a Dense layer with a kernel",
      `${name}, a ${layer.getClassName()}`,
    );
  }
  const [inputs, units] = kernel.shape as [number, number];
  return { values: (kernel.read().dataSync() as Float32Array).slice(), inputs, units };
}

/**
 * The `count` units whose incoming weights changed most from `before` to `after` (two kernels of
 * one layer, e.g. at initialization and after training), largest ‖after − before‖ first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // 2 inputs into 3 units: unit 2 moved by 5, unit 0 by 1, unit 1 not at all
 * const before = { values: Float32Array.of(0, 0, 0, 0, 0, 0), inputs: 2, units: 3 };
 * const after = { values: Float32Array.of(1, 0, 3, 0, 0, 4), inputs: 2, units: 3 };
 * assert.deepEqual(mostChangedUnits(before, after, 2), [2, 0]);
 * ```
 */
export function mostChangedUnits(before: Kernel, after: Kernel, count: number): number[] {
  const { inputs, units } = after;
  if (before.inputs !== inputs || before.units !== units) {
    const got = `[${before.inputs}, ${before.units}] and [${inputs}, ${units}]`;
    throw checkError("mostChangedUnits: kernels", "two kernels of one shape", got);
  }
  checkInteger("mostChangedUnits: count", count, { min: 1, max: units });
  const change = new Float64Array(units);
  for (let p = 0; p < inputs; p++) {
    for (let u = 0; u < units; u++) {
      change[u] += (after.values[p * units + u] - before.values[p * units + u]) ** 2;
    }
  }
  const order = Array.from({ length: units }, (_, u) => u);
  return order.sort((a, b) => change[b] - change[a] || a - b).slice(0, count);
}

/**
 * The output of layer `name` for every row of `x` [N, features] → [N, units] row-major, the
 * model in inference mode (dropout off), computed `batchSize` rows at a time.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../backend/init.ts";
 * import { buildMlp } from "../model/mlp.ts";
 * import { tf } from "../tf.ts";
 *
 * await initBackend();
 * const x = tf.ones([3, 784]);
 * const hidden = await layerActivations(buildMlp(), x, "dense_2"); // the second hidden layer
 * assert.equal(hidden.length, 3 * 256);
 * assert.ok(hidden.every((v) => v >= 0)); // after ReLU
 * x.dispose();
 * ```
 */
export async function layerActivations(
  model: LayersModel,
  x: Tensor,
  name: string,
  batchSize = 256,
): Promise<Float32Array> {
  const last = layerNamed("layerActivations", model, name);
  checkInteger("layerActivations: batchSize", batchSize, { min: 1 });
  const features = model.layers[0].batchInputShape?.[1];
  if (x.rank !== 2 || x.shape[1] !== features) {
    throw checkError("layerActivations: x", `shape [N, ${features}]`, `[${x.shape}]`);
  }
  const n = x.shape[0];
  const units = model.layers[last].outputShape.at(-1) as number;
  const out = new Float32Array(n * units);
  using stop = watchStop();
  for (let from = 0; from < n; from += batchSize) {
    if (stop.requested) throw stopError("layerActivations", `sample ${from} of ${n}`);
    const batch = tf.tidy(() => {
      let h = tf.slice(x, from, Math.min(batchSize, n - from));
      for (const layer of model.layers.slice(0, last + 1)) {
        h = layer.apply(h, { training: false }) as Tensor;
      }
      return h;
    });
    out.set(await batch.data() as Float32Array, from * units);
    batch.dispose();
  }
  return out;
}
