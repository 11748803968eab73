/**
 * The fused Adam update kernel, "BlasAdamUpdate": one pass per variable that reads the weight,
 * its gradient and both moments once and writes their new values (tfjs's Adam issues about a
 * dozen elementwise ops per variable and step), in WebAssembly SIMD. The `fusedAdam` optimizer
 * of `./training.ts` runs it.
 *
 * @module
 */
import { type KernelConfig, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { type BlasKernelArgs, blasKernelConfig } from "../kernel_config.ts";
import { ADAM_WASM } from "./adam_wasm.ts";

/** Name of the fused update kernel. */
export const ADAM_UPDATE = "BlasAdamUpdate";

/** Inputs of the fused update kernel: float32 tensors of one shape. */
export type AdamUpdateInputs = Record<"value" | "m" | "v" | "gradient", TensorInfo>;

/** Attributes of the fused update kernel. */
export type AdamUpdateAttrs = {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − beta1^t: the bias correction of the first moment at step t. */
  correction1: number;
  /** 1 − beta2^t: the bias correction of the second moment at step t. */
  correction2: number;
};

/** The update's constants as float32: step size, moment weights, second-moment scale. */
function constants(attrs: AdamUpdateAttrs): number[] {
  const { learningRate, beta1, beta2, epsilon, correction1, correction2 } = attrs;
  return [learningRate / correction1, beta1, 1 - beta1, beta2, 1 - beta2, 1 / correction2, epsilon]
    .map(Math.fround);
}

/**
 * Adam's update of n parameters with every operation rounded to float32, in plain JavaScript:
 * reads w, m, v and the gradient g [n] and writes the new values to w2, m2, v2 [n], which may be
 * w, m, v themselves. The reference of the WebAssembly version, {@linkcode adamLoop}, which gives
 * the same values bit for bit (each float64 operation on float32 operands, rounded once, is
 * float32's correctly rounded result).
 */
export function adamLoopJs(
  [w, m, v, g]: Float32Array[],
  [w2, m2, v2]: Float32Array[],
  attrs: AdamUpdateAttrs,
): void {
  const f = Math.fround;
  const [step, b1, c1, b2, c2, vScale, epsilon] = constants(attrs);
  for (let i = 0; i < w.length; i++) {
    const gi = g[i];
    const mi = f(f(m[i] * b1) + f(gi * c1));
    const vi = f(f(v[i] * b2) + f(f(gi * gi) * c2));
    m2[i] = mi;
    v2[i] = vi;
    w2[i] = w[i] - f(f(mi * step) / f(f(Math.sqrt(f(vi * vScale))) + epsilon));
  }
}

/** adam.wat compiled, or undefined where WebAssembly SIMD is missing. */
const SIMD_MODULE: WebAssembly.Module | undefined = (() => {
  try {
    return new WebAssembly.Module(ADAM_WASM);
  } catch {
    return undefined;
  }
})();

/** An instance of adam.wat: its memory and update function. */
interface AdamInstance {
  memory: WebAssembly.Memory;
  adam(n: number, w: number, m: number, v: number, g: number, ...constants: number[]): void;
}

/** A new instance of adam.wat, or undefined where SIMD is missing. */
function adamInstance(): AdamInstance | undefined {
  if (SIMD_MODULE === undefined) return undefined;
  return new WebAssembly.Instance(SIMD_MODULE).exports as unknown as AdamInstance;
}

/** Grows `memory` to hold at least `bytes`; its addresses and contents stay. */
function reserve(memory: WebAssembly.Memory, bytes: number): void {
  const needed = bytes - memory.buffer.byteLength;
  if (needed > 0) memory.grow(Math.ceil(needed / 65536));
}

/** The instance that {@linkcode adamLoop} copies its arrays into. */
let shared: AdamInstance | undefined | null = null;

/**
 * Adam's update of n parameters, each operation rounded to float32, four at a time in
 * WebAssembly SIMD (kernels/adam.wat; about four times the speed of {@linkcode adamLoopJs},
 * which runs where SIMD is missing and gives the same values): reads w, m, v and the gradient g
 * [n] and writes the new values to w2, m2, v2 [n], which may be w, m, v themselves.
 */
export function adamLoop(
  arrays: Float32Array[],
  outputs: Float32Array[],
  attrs: AdamUpdateAttrs,
): void {
  if (shared === null) shared = adamInstance();
  const n = arrays[0].length;
  if (shared === undefined || n < 64) return adamLoopJs(arrays, outputs, attrs);
  const bytes = 4 * n;
  reserve(shared.memory, 4 * bytes);
  const memory = new Float32Array(shared.memory.buffer, 0, 4 * n);
  arrays.forEach((values, k) => memory.set(values, k * n));
  shared.adam(n, 0, bytes, 2 * bytes, 3 * bytes, ...constants(attrs));
  outputs.forEach((values, k) => values.set(memory.subarray(k * n, (k + 1) * n)));
}

/**
 * Adam's moments of a list of parameter arrays, kept in WebAssembly memory between steps, so
 * that a step copies only the parameters and their gradient in (and the parameters out): the
 * same values as {@linkcode adamLoop}. `load` puts the moments in; `read` takes a copy out.
 * Undefined from {@linkcode AdamMoments.create} where SIMD is missing.
 */
export class AdamMoments {
  readonly #instance: AdamInstance;
  /** Byte offsets of each array's m (then its v, n floats later). */
  readonly #offsets: number[];
  readonly #lengths: number[];
  /** Byte offset of the scratch space for one array's parameters and gradient. */
  readonly #scratch: number;

  private constructor(instance: AdamInstance, lengths: number[]) {
    this.#instance = instance;
    this.#lengths = lengths;
    let end = 0;
    this.#offsets = lengths.map((n) => {
      const offset = end;
      end += 8 * Math.ceil(n / 4) * 4;
      return offset;
    });
    this.#scratch = end;
    reserve(instance.memory, end + 8 * Math.max(0, ...lengths));
  }

  /** Moments for arrays of these `lengths` (zero until loaded), or undefined without SIMD. */
  static create(lengths: number[]): AdamMoments | undefined {
    const instance = adamInstance();
    return instance && new AdamMoments(instance, lengths);
  }

  /** Whether these moments are for arrays of exactly these `lengths`. */
  fits(lengths: number[]): boolean {
    return lengths.length === this.#lengths.length &&
      lengths.every((n, i) => n === this.#lengths[i]);
  }

  /** Sets array i's moments m and v [n]. */
  load(i: number, m: Float32Array, v: Float32Array): void {
    const n = this.#lengths[i];
    const memory = new Float32Array(this.#instance.memory.buffer, this.#offsets[i], 2 * n);
    memory.set(m);
    memory.set(v, n);
  }

  /** Copies of array i's moments [m, v]. */
  read(i: number): [Float32Array, Float32Array] {
    const n = this.#lengths[i];
    const memory = new Float32Array(this.#instance.memory.buffer, this.#offsets[i], 2 * n);
    return [memory.slice(0, n), memory.slice(n)];
  }

  /** One Adam step of array i: its parameters `w` [n] in place, from their gradient `g` [n]. */
  update(i: number, w: Float32Array, g: Float32Array, attrs: AdamUpdateAttrs): void {
    const n = this.#lengths[i];
    const memory = new Float32Array(this.#instance.memory.buffer, this.#scratch, 2 * n);
    memory.set(w);
    memory.set(g, n);
    const [m, scratch] = [this.#offsets[i], this.#scratch];
    this.#instance.adam(n, scratch, m, m + 4 * n, scratch + 4 * n, ...constants(attrs));
    w.set(memory.subarray(0, n));
  }
}

/** value, m, v, gradient [...shape] → [new value, new m, new v], as `adamLoop` computes them. */
export function adamUpdate(
  args: BlasKernelArgs<AdamUpdateInputs, AdamUpdateAttrs>,
): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const shape = inputs.value.shape;
  const arrays = [inputs.value, inputs.m, inputs.v, inputs.gradient].map((t) => {
    const values = backend.floatValues(t);
    if (values === undefined || values.length !== util.sizeFromShape(shape)) {
      throw new Error(
        `${ADAM_UPDATE}: expected float32 tensors of shape [${shape}], ` +
          `got ${t.dtype} [${t.shape}]`,
      );
    }
    return values;
  });
  const n = arrays[0].length;
  const outputs = [backend.allocate(n), backend.allocate(n), backend.allocate(n)];
  adamLoop(arrays, outputs, attrs);
  return outputs.map((values) => backend.makeTensorInfo(shape, "float32", values));
}

/** The fused Adam update kernel of the "blas" backend. */
export const adamUpdateConfig: KernelConfig = blasKernelConfig(ADAM_UPDATE, adamUpdate);
