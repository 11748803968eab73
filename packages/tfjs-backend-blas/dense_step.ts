/**
 * One training step of a stack of dense layers — hidden layers with relu or linear activation,
 * each optionally followed by dropout, then a softmax output trained with categorical
 * cross-entropy — in one pass over preallocated arrays: the forward pass, the mean loss and
 * accuracy, and the gradient of every kernel and bias. It computes, operation by operation, what
 * the blas backend's kernels compute for the same tfjs-layers model (each intermediate rounded to
 * float32 where a tensor would hold it, sums in the same order), so the gradients equal those of
 * tfjs's own backward pass on blas, without its tape, its intermediate tensors and its ~80 kernel
 * calls per step. It knows nothing of tfjs: `fuseDenseTraining` in `training/dense_training.ts`
 * wires it into a model.
 *
 * @module
 */
import type { Blas } from "./blas_library.ts";
import {
  activate,
  arena,
  backThroughActivation,
  type DenseSpec,
  type SimdPasses,
} from "./dense_passes.ts";

export type { DenseSpec };
import { argMax } from "./kernels/CategoricalAccuracy.ts";
import { clip, rowSum } from "./kernels/CategoricalCrossentropy.ts";
import { softmaxRows } from "./kernels/Softmax.ts";
import { sumOuter } from "./kernels/Sum.ts";

/** The values of one dense layer's kernel [inputs, units] and bias [units] for a step. */
export interface DenseValues {
  kernel: Float32Array;
  bias?: Float32Array;
}

/** What a step returns: the mean loss and accuracy, and gradients in the layers' order. */
export interface DenseStepResult {
  /** Mean categorical cross-entropy of the batch, as tfjs's Mean kernel rounds it. */
  loss: number;
  /** Fraction of rows whose arg-max matches the label's. */
  accuracy: number;
  /** Per layer: the kernel's gradient [inputs, units] and the bias's [units] (if any). */
  gradients: DenseValues[];
}

/** Per-batch-size arrays of a step: activations, gates, deltas, gradients. */
interface Buffers {
  /** Per layer: its output [batch, units] (after activation and dropout). */
  outputs: Float32Array[];
  /** Per hidden layer: its dropout factors [batch, units], or undefined without dropout. */
  masks: (Float32Array | undefined)[];
  /** Per layer: the loss's gradient at its pre-activation [batch, units]. */
  deltas: Float32Array[];
  /** Per layer: the kernel's and bias's gradients. */
  gradients: DenseValues[];
  /** Per layer with a bias: a copy of its values [units] beside the other arrays. */
  biases: (Float32Array | undefined)[];
  /** Per-row losses [batch]. */
  losses: Float32Array;
  /** Column sums in float64 [most units]. */
  sums: Float64Array;
  /** The SIMD passes over these arrays, where they run. */
  simd?: SimdPasses;
}

/**
 * A training step for one stack of dense layers, reusing its arrays from step to step.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { findBlasLibrary, openBlas } from "./blas_library.ts";
 *
 * const library = findBlasLibrary();
 * if (library !== undefined) {
 *   const step = new DenseStep(openBlas(library), [
 *     { inputs: 2, units: 2, bias: true, activation: "softmax" },
 *   ]);
 *   const x = Float32Array.of(1, 0, 0, 1); // [2, 2]
 *   const y = Float32Array.of(1, 0, 0, 1); // one-hot [2, 2]
 *   const values = [{ kernel: new Float32Array(4), bias: new Float32Array(2) }];
 *   const { loss, accuracy, gradients } = step.run(x, y, values);
 *   assert.ok(Math.abs(loss - Math.log(2)) < 1e-6); // uniform predictions
 *   assert.equal(accuracy, 0.5); // ties go to class 0
 *   assert.deepEqual([...gradients[0].bias!], [0, 0]);
 * }
 * ```
 */
export class DenseStep {
  readonly #blas: Blas;
  readonly #layers: readonly DenseSpec[];
  readonly #epsilon: number;
  readonly #buffers = new Map<number, Buffers>();

  /** A step for `layers` (the last one softmax) with the loss's clipping `epsilon`. */
  constructor(blas: Blas, layers: readonly DenseSpec[], epsilon = 1e-7) {
    if (layers.length === 0 || layers.at(-1)!.activation !== "softmax") {
      throw new Error("DenseStep: expected dense layers ending in a softmax layer");
    }
    layers.forEach((layer, i) => {
      if (i > 0 && layer.inputs !== layers[i - 1].units) {
        throw new Error(
          `DenseStep: layer ${i} expected ${layers[i - 1].units} inputs, got ${layer.inputs}`,
        );
      }
      if (i < layers.length - 1 && layer.activation === "softmax") {
        throw new Error(`DenseStep: layer ${i}: softmax only as the last layer`);
      }
    });
    this.#blas = blas;
    this.#layers = layers;
    this.#epsilon = epsilon;
  }

  #buffersFor(batch: number): Buffers {
    let buffers = this.#buffers.get(batch);
    if (buffers === undefined) {
      const layers = this.#layers;
      const lengths = [
        ...layers.map((l) => batch * l.units), // outputs
        ...layers.map((l) => l.dropout ? batch * l.units : 0), // masks
        ...layers.map((l) => batch * l.units), // deltas
        ...layers.map((l) => l.inputs * l.units), // kernel gradients
        ...layers.map((l) => l.bias ? l.units : 0), // bias gradients
        ...layers.map((l) => l.bias ? l.units : 0), // bias copies
        batch, // losses
      ];
      const { arrays, sums, simd } = arena(lengths, Math.max(...layers.map((l) => l.units)));
      const part = (k: number) => arrays.slice(k * layers.length, (k + 1) * layers.length);
      buffers = {
        outputs: part(0),
        masks: part(1).map((m, l) => layers[l].dropout ? m : undefined),
        deltas: part(2),
        gradients: part(3).map((kernel, l) => ({
          kernel,
          bias: layers[l].bias ? part(4)[l] : undefined,
        })),
        biases: part(5).map((copy, l) => layers[l].bias ? copy : undefined),
        losses: arrays.at(-1)!,
        sums,
        simd,
      };
      this.#buffers.set(batch, buffers);
    }
    return buffers;
  }

  /**
   * The mean loss and accuracy of the layers with their current `values` on inputs x
   * [batch, inputs] and one-hot labels y [batch, classes], without dropout: what a tfjs-layers
   * model's evaluation computes on blas, bit for bit.
   */
  evaluate(
    x: Float32Array,
    y: Float32Array,
    values: readonly DenseValues[],
  ): { loss: number; accuracy: number } {
    const { b, batch } = this.#forward(x, y, values, false);
    const last = this.#layers.length - 1;
    const probabilities = b.outputs[last];
    const loss = this.#lossAndGradient(y, probabilities, b.losses, b.deltas[last], batch);
    return { loss, accuracy: accuracyOf(y, probabilities, this.#layers[last].units) };
  }

  /** The forward pass to the softmax's output, drawing dropout masks when `training`. */
  #forward(
    x: Float32Array,
    y: Float32Array,
    values: readonly DenseValues[],
    training: boolean,
  ): { b: Buffers; batch: number } {
    const layers = this.#layers;
    const inputs = layers[0].inputs;
    const batch = x.length / inputs;
    if (!Number.isInteger(batch) || batch === 0 || y.length !== batch * layers.at(-1)!.units) {
      throw new Error(
        `DenseStep: expected x [batch, ${inputs}] and y [batch, ${layers.at(-1)!.units}], ` +
          `got ${x.length} and ${y.length} values`,
      );
    }
    const b = this.#buffersFor(batch);
    const blas = this.#blas;
    layers.forEach((layer, l) => {
      const input = l === 0 ? x : b.outputs[l - 1];
      const out = b.outputs[l];
      blas.sgemm(false, false, batch, layer.units, layer.inputs, input, values[l].kernel, out);
      const mask = training ? b.masks[l] : undefined;
      if (mask !== undefined) layer.dropout!(mask);
      const bias = values[l].bias;
      const relu = layer.activation === "relu";
      const copy = b.biases[l];
      if (b.simd && copy && bias && layer.units % 4 === 0) {
        copy.set(bias);
        const at = mask?.byteOffset ?? 0;
        b.simd.activate(out.byteOffset, copy.byteOffset, at, batch, layer.units, +relu);
      } else {
        activate(out, bias, relu, mask);
      }
    });
    const probabilities = b.outputs[layers.length - 1];
    softmaxRows(probabilities, probabilities, layers[layers.length - 1].units);
    return { b, batch };
  }

  /**
   * Runs one step on inputs x [batch, inputs] and one-hot labels y [batch, classes] with the
   * layers' current `values`; draws each dropout layer's mask once. The returned gradient arrays
   * are reused by the next step of the same batch size.
   */
  run(x: Float32Array, y: Float32Array, values: readonly DenseValues[]): DenseStepResult {
    const { b, batch } = this.#forward(x, y, values, true);
    const layers = this.#layers;
    const blas = this.#blas;
    const last = layers.length - 1;
    const probabilities = b.outputs[last];
    const loss = this.#lossAndGradient(y, probabilities, b.losses, b.deltas[last], batch);
    const accuracy = accuracyOf(y, probabilities, layers[last].units);
    for (let l = last; l >= 0; l--) {
      const layer = layers[l];
      const delta = b.deltas[l];
      const input = l === 0 ? x : b.outputs[l - 1];
      const g = b.gradients[l];
      blas.sgemm(true, false, layer.inputs, layer.units, batch, input, delta, g.kernel);
      if (g.bias !== undefined && l === last) sumOuter(delta, g.bias);
      if (l === 0) continue;
      const inputDelta = b.deltas[l - 1];
      blas.sgemm(
        false,
        true,
        batch,
        layer.inputs,
        layer.units,
        delta,
        values[l].kernel,
        inputDelta,
      );
      const below = layers[l - 1];
      const [output, mask, biasGradient] = [
        b.outputs[l - 1],
        b.masks[l - 1],
        b.gradients[l - 1].bias,
      ];
      if (b.simd && below.units % 4 === 0) {
        const relu = +(below.activation === "relu");
        const [at, sums] = [mask?.byteOffset ?? 0, b.sums.byteOffset];
        b.simd.back(inputDelta.byteOffset, output.byteOffset, at, sums, batch, below.units, relu);
        biasGradient?.set(b.sums.subarray(0, below.units));
      } else {
        backThroughActivation(inputDelta, output, mask, below, biasGradient);
      }
    }
    return { loss, accuracy, gradients: b.gradients };
  }

  /**
   * Per-row cross-entropy of `p` against `t` into `losses`, the gradient of their mean at the
   * softmax's input into `delta`; returns the mean. Mirrors the blas kernels
   * BlasCategoricalCrossentropy(Grad), Mean and tfjs's Softmax gradient.
   */
  #lossAndGradient(
    t: Float32Array,
    p: Float32Array,
    losses: Float32Array,
    delta: Float32Array,
    batch: number,
  ): number {
    const k = p.length / batch;
    const epsilon = this.#epsilon;
    const lo = Math.fround(epsilon);
    const hi = Math.fround(1 - epsilon);
    const upstream = Math.fround(1 / batch);
    let total = 0;
    const count = Math.fround(batch);
    for (let row = 0, start = 0; row < batch; row++, start += k) {
      const s = rowSum(p, start, k);
      let sum = 0;
      let dSum = 0;
      for (let j = start; j < start + k; j++) {
        const q = Math.fround(p[j] / s);
        const c = clip(q, epsilon, 1 - epsilon);
        // A zero label adds 0 · log(c) = −0, which leaves the sum as it is, unless s is NaN
        // (then every c is, and 0 · NaN makes the sum NaN): the logarithm only where it counts.
        if (t[j] !== 0 || s !== s) sum += Math.fround(t[j] * Math.fround(Math.log(c)));
        const dLog = Math.fround(Math.fround(-upstream * t[j]) / c);
        const dq = q >= lo && q <= hi ? dLog : 0;
        delta[j] = dq / s;
        dSum += Math.fround(dq * p[j]);
      }
      losses[row] = -Math.fround(sum);
      total += Math.fround(losses[row] / count);
      const dS = -Math.fround(Math.fround(dSum) / Math.fround(s * s));
      // The softmax's gradient: dy·y − sum(dy·y)·y, each product a float32 tensor.
      let dotSum = 0;
      for (let j = start; j < start + k; j++) {
        const dy = Math.fround(delta[j] + dS);
        delta[j] = Math.fround(dy * p[j]);
        dotSum += delta[j];
      }
      const dot = Math.fround(dotSum);
      for (let j = start; j < start + k; j++) delta[j] -= Math.fround(dot * p[j]);
    }
    return Math.fround(total);
  }
}

/** Mean over rows of whether t's and p's arg-max agree, as the Mean kernel rounds it. */
function accuracyOf(t: Float32Array, p: Float32Array, k: number): number {
  const rows = p.length / k;
  const count = Math.fround(rows);
  let total = 0;
  for (let start = 0; start < p.length; start += k) {
    total += Math.fround(+(argMax(t, start, k) === argMax(p, start, k)) / count);
  }
  return Math.fround(total);
}
