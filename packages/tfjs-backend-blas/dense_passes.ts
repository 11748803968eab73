/**
 * The elementwise passes of {@linkcode DenseStep} over one dense layer's arrays: the bias, relu
 * and dropout on the way forward and back through them on the way back, in WebAssembly SIMD
 * (`kernels/dense_step.wat`, over arrays in its memory) where it runs, else in JavaScript with the
 * same float32 results.
 *
 * @module
 */
import { DENSE_STEP_WASM } from "./kernels/dense_step_wasm.ts";

/** One dense layer of the stack: y = activation(x · kernel + bias), kernel [inputs, units]. */
export interface DenseSpec {
  /** Inputs of the layer. */
  inputs: number;
  /** Units (outputs) of the layer. */
  units: number;
  /** Whether the layer has a bias. */
  bias: boolean;
  /** Activation: relu or linear for hidden layers; the last layer is softmax. */
  activation: "relu" | "linear" | "softmax";
  /** Fills a [batch · units] array with this step's dropout factors (0 or 1/keep), if any. */
  dropout?: (mask: Float32Array) => void;
}

/** The elementwise passes of kernels/dense_step.wat, on one instance's memory. */
export interface SimdPasses {
  /** {@linkcode activate} on the arrays at these byte offsets (mask 0: none), n a multiple of 4. */
  activate(out: number, bias: number, mask: number, rows: number, n: number, relu: number): void;
  /**
   * {@linkcode backThroughActivation} on the arrays at these byte offsets (mask 0: none), the
   * column sums into the float64 array at `sums`, n a multiple of 4.
   */
  back(
    delta: number,
    output: number,
    mask: number,
    sums: number,
    rows: number,
    n: number,
    relu: number,
  ): void;
}

/** dense_step.wat compiled, or undefined where WebAssembly SIMD is missing. */
const SIMD_MODULE: WebAssembly.Module | undefined = (() => {
  try {
    return new WebAssembly.Module(DENSE_STEP_WASM);
  } catch {
    return undefined;
  }
})();

/**
 * Zeroed float32 arrays of `lengths` and a float64 array of `sums` elements, all in the memory of
 * a new dense_step.wat instance (16-byte aligned, none at address 0) with its passes; in the
 * JavaScript heap, without passes, where SIMD is missing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const { arrays, sums } = arena([3, 5], 2);
 * assert.deepEqual(arrays.map((a) => a.length), [3, 5]);
 * assert.equal(arrays[1].byteOffset % 16, 0);
 * assert.equal(sums.length, 2);
 * ```
 */
export function arena(
  lengths: number[],
  sums: number,
): { arrays: Float32Array[]; sums: Float64Array; simd?: SimdPasses } {
  if (SIMD_MODULE === undefined) {
    return { arrays: lengths.map((n) => new Float32Array(n)), sums: new Float64Array(sums) };
  }
  const instance = new WebAssembly.Instance(SIMD_MODULE);
  const memory = instance.exports.memory as WebAssembly.Memory;
  const align = (bytes: number) => Math.ceil(bytes / 16) * 16;
  const offsets: number[] = [];
  let end = 16;
  for (const n of lengths) {
    offsets.push(end);
    end += align(4 * n);
  }
  const sumsOffset = end;
  end += align(8 * sums);
  memory.grow(Math.max(0, Math.ceil((end - memory.buffer.byteLength) / 65536)));
  return {
    arrays: lengths.map((n, i) => new Float32Array(memory.buffer, offsets[i], n)),
    sums: new Float64Array(memory.buffer, sumsOffset, sums),
    simd: instance.exports as unknown as SimdPasses,
  };
}

/**
 * A dense layer's output [rows, n] from its product in place, in one pass: + bias [n] (rounded
 * to float32, as the add kernel stores it), then relu, then × the dropout factors [rows, n].
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const out = Float32Array.of(-1, 2, 3, -4); // [2, 2]
 * activate(out, Float32Array.of(0.5, 0.5), true, Float32Array.of(2, 2, 0, 2));
 * assert.deepEqual([...out], [0, 5, 0, 0]);
 * ```
 */
export function activate(
  out: Float32Array,
  bias: Float32Array | undefined,
  relu: boolean,
  mask: Float32Array | undefined,
): void {
  const n = bias?.length ?? out.length;
  for (let row = 0; row < out.length; row += n) {
    for (let j = 0, i = row; j < n; j++, i++) {
      let v = bias === undefined ? out[i] : Math.fround(out[i] + bias[j]);
      // The blas relu kernel's formula: branch-free, +0 for negatives, NaN kept.
      if (relu) v = v === -Infinity ? 0 : (v + Math.abs(v)) * 0.5;
      out[i] = mask === undefined ? v : v * mask[i];
    }
  }
}

/**
 * The gradient at a hidden layer's output, `delta` [batch, units], taken back through its
 * dropout and activation in place, and its column sums (the bias's gradient [units], in float64
 * as the blas Sum kernel adds them) in the same pass. tfjs multiplies by dropout's factor, then
 * by relu's step (1 where the output is positive); one product by factor × step gives the same
 * float32 values, signed zeros included, without a branch.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const delta = Float32Array.of(1, 1, 1, 1); // [2, 2]
 * const output = Float32Array.of(0, 3, 2, 5); // relu's output: the first unit is off
 * const bias = new Float32Array(2);
 * const layer = { inputs: 1, units: 2, bias: true, activation: "relu" as const };
 * backThroughActivation(delta, output, undefined, layer, bias);
 * assert.deepEqual([...delta], [0, 1, 1, 1]);
 * assert.deepEqual([...bias], [1, 2]);
 * ```
 */
export function backThroughActivation(
  delta: Float32Array,
  output: Float32Array,
  mask: Float32Array | undefined,
  layer: DenseSpec,
  biasGradient: Float32Array | undefined,
): void {
  const relu = layer.activation === "relu";
  const n = layer.units;
  const sums = new Float64Array(n);
  for (let row = 0; row < delta.length; row += n) {
    for (let j = 0, i = row; j < n; j++, i++) {
      const factor = mask === undefined ? 1 : mask[i];
      const d = relu ? delta[i] * (factor * +(output[i] > 0)) : delta[i] * factor;
      delta[i] = d;
      sums[j] += delta[i];
    }
  }
  biasGradient?.set(sums);
}
