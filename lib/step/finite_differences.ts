/**
 * A gradient check independent of tfjs: the MLP's loss in float64 in plain TypeScript, and
 * central finite differences of it for weights drawn at random.
 *
 * @module
 */
import { checkError, checkInteger, checkNumber } from "../checks.ts";
import { createRandom, shuffledIndices } from "../preprocessing/random.ts";

/**
 * The loss of an MLP in float64: `params` are its weights in layer order, kernel [inputs, units]
 * (row-major) then bias [units], as `model.getWeights()` lists them; every layer but the last is
 * ReLU followed by its dropout mask (`masks[l]`, [B, units]: the factors 0 or 1/keep), the last
 * is softmax. Returns the mean cross-entropy −(1/B) Σ y·log p over the batch `x` [B, inputs]
 * and one-hot `y` [B, classes].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // One layer, all weights 0: the softmax gives 1/2 to each of two classes, loss ln 2.
 * const params = [new Float64Array(3 * 2), new Float64Array(2)];
 * const loss = mlpLoss64(params, Float32Array.of(1, 2, 3), Float32Array.of(0, 1), []);
 * assert.ok(Math.abs(loss - Math.LN2) < 1e-15);
 * ```
 */
export function mlpLoss64(
  params: Float64Array[],
  x: Float32Array,
  y: Float32Array,
  masks: Float32Array[],
): number {
  const layers = params.length / 2;
  if (!Number.isInteger(layers) || layers < 1) {
    throw checkError("mlpLoss64: params", "a kernel and a bias per layer", `${params.length}`);
  }
  if (masks.length !== layers - 1) {
    throw checkError("mlpLoss64: masks", `${layers - 1} (one per hidden layer)`, `${masks.length}`);
  }
  const classes = params[params.length - 1].length;
  const batch = y.length / classes;
  if (!Number.isInteger(batch) || x.length % batch !== 0) {
    throw checkError(
      "mlpLoss64: x, y",
      `B rows of ${classes} labels and B rows of x`,
      "a mismatch",
    );
  }
  let z = dense64(x, batch, params[0], params[1], 1);
  for (let l = 1; l < layers; l++) {
    reluDropout64(z, masks[l - 1], l - 1);
    z = dense64(z, batch, params[2 * l], params[2 * l + 1], l + 1);
  }
  return crossEntropy64(z, y, batch, classes);
}

/** One Dense layer's z = x·W + b in float64: x [B, inputs], W [inputs, units], b [units]. */
function dense64(
  input: Float32Array | Float64Array,
  batch: number,
  kernel: Float64Array,
  bias: Float64Array,
  layer: number,
): Float64Array {
  const units = bias.length;
  const inputs = input.length / batch;
  if (kernel.length !== inputs * units) {
    const expected = `${inputs}×${units} values (inputs × units)`;
    throw checkError(`mlpLoss64: layer ${layer} kernel`, expected, `${kernel.length}`);
  }
  const output = new Float64Array(batch * units);
  for (let b = 0; b < batch; b++) {
    const row = output.subarray(b * units, (b + 1) * units);
    row.set(bias);
    for (let i = 0; i < inputs; i++) {
      const a = input[b * inputs + i];
      if (a === 0) continue;
      const weights = kernel.subarray(i * units, (i + 1) * units);
      for (let j = 0; j < units; j++) row[j] += a * weights[j];
    }
  }
  return output;
}

/** ReLU then the dropout mask, in place: z ← max(0, z)·m, both [B, units]. */
function reluDropout64(z: Float64Array, mask: Float32Array, index: number): void {
  if (mask.length !== z.length) {
    throw checkError(`mlpLoss64: masks[${index}]`, `${z.length} values`, `${mask.length}`);
  }
  for (let i = 0; i < z.length; i++) z[i] = Math.max(0, z[i]) * mask[i];
}

/** The mean cross-entropy of softmax(z) [B, classes] against one-hot y, in float64. */
function crossEntropy64(z: Float64Array, y: Float32Array, batch: number, classes: number): number {
  let loss = 0;
  for (let b = 0; b < batch; b++) {
    const row = z.subarray(b * classes, (b + 1) * classes);
    const max = Math.max(...row);
    let sum = 0;
    for (let k = 0; k < classes; k++) sum += Math.exp(row[k] - max);
    const logSum = Math.log(sum) + max;
    for (let k = 0; k < classes; k++) {
      const label = y[b * classes + k];
      if (label !== 0) loss -= label * (row[k] - logSum);
    }
  }
  return loss / batch;
}

/**
 * The central difference (L(w + h) − L(w − h)) / 2h of `loss` for `values[index]`, which is
 * restored afterwards: the slope of the loss along one weight, without any backward pass. Its
 * error is of order h² (and the float64 rounding of the losses over 2h).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const w = Float64Array.of(3);
 * const slope = centralDifference(() => w[0] ** 2, w, 0); // d(w²)/dw = 2w = 6
 * assert.ok(Math.abs(slope - 6) < 1e-9);
 * assert.equal(w[0], 3);
 * ```
 */
export function centralDifference(
  loss: () => number,
  values: Float64Array,
  index: number,
  h = 1e-5,
): number {
  checkInteger("centralDifference: index", index, { min: 0, max: values.length - 1 });
  checkNumber("centralDifference: h", h, { above: 0 });
  const original = values[index];
  try {
    values[index] = original + h;
    const up = loss();
    values[index] = original - h;
    const down = loss();
    return (up - down) / (2 * h);
  } finally {
    values[index] = original;
  }
}

/**
 * CS231n's relative error |a − n| / max(|a|, |n|) of an analytic gradient `a` against a numerical
 * one `n` (0 when both are 0): about 1e-7 or less is agreement in float64, up to about 1e-4
 * agreement with float32 gradients, 1e-2 and more a wrong formula.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(relativeError(0.5, 0.5), 0);
 * assert.equal(relativeError(1, -1), 2); // the wrong sign: as far as it gets
 * assert.equal(relativeError(0, 0), 0);
 * ```
 */
export function relativeError(analytic: number, numeric: number): number {
  const scale = Math.max(Math.abs(analytic), Math.abs(numeric));
  return scale === 0 ? 0 : Math.abs(analytic - numeric) / scale;
}

/** One weight of {@linkcode gradientCheck}. */
export interface CheckedWeight {
  /** Which of the parameter arrays (0: the first kernel, 1: its bias, …). */
  tensor: number;
  /** The element within it. */
  index: number;
  /** The gradient that was checked. */
  analytic: number;
  /** The central difference of the loss. */
  numeric: number;
  /** {@linkcode relativeError} of the two. */
  relativeError: number;
}

/** Options of {@linkcode gradientCheck}. */
export interface GradientCheckOptions {
  /** Weights drawn from each parameter array (default 6). */
  perTensor?: number;
  /** Seed of the draw (default 1). */
  seed?: number;
  /** The finite difference's step (default 1e-5). */
  h?: number;
}

/**
 * Checks `analytic` gradients (one array per parameter array, same sizes) against central
 * differences of `loss`, which must read `params` (float64 copies of the weights) when called:
 * `perTensor` different weights drawn at random from each array (all of a smaller one), each with
 * its relative error.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const params = [Float64Array.of(1, 2, 3)];
 * const loss = () => params[0].reduce((sum, w) => sum + w * w, 0); // gradient 2w
 * const rows = gradientCheck(params, loss, [Float32Array.of(2, 4, 6)], { perTensor: 2 });
 * assert.equal(rows.length, 2);
 * assert.ok(rows.every((r) => r.relativeError < 1e-9));
 * ```
 */
export function gradientCheck(
  params: Float64Array[],
  loss: () => number,
  analytic: ArrayLike<number>[],
  options: GradientCheckOptions = {},
): CheckedWeight[] {
  const { perTensor = 6, seed = 1, h = 1e-5 } = options;
  checkInteger("gradientCheck: perTensor", perTensor, { min: 1 });
  if (analytic.length !== params.length) {
    const expected = `${params.length} arrays (one per parameter array)`;
    throw checkError("gradientCheck: analytic", expected, `${analytic.length}`);
  }
  const random = createRandom(seed);
  return params.flatMap((values, tensor) => {
    if (analytic[tensor].length !== values.length) {
      const expected = `${values.length} values, as params[${tensor}]`;
      throw checkError(
        `gradientCheck: analytic[${tensor}]`,
        expected,
        `${analytic[tensor].length}`,
      );
    }
    const drawn = shuffledIndices(values.length, random).subarray(0, perTensor);
    return Array.from(drawn, (index) => {
      const numeric = centralDifference(loss, values, index, h);
      const gradient = analytic[tensor][index];
      return {
        tensor,
        index,
        analytic: gradient,
        numeric,
        relativeError: relativeError(gradient, numeric),
      };
    });
  });
}
