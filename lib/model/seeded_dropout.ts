/**
 * A dropout layer whose masks come from a seeded generator, so training repeats exactly.
 *
 * tfjs's own Dropout either draws from Math.random (no seed) or, given a seed, reuses the same
 * mask at every step. This layer draws a fresh mask per training call, seeded by its seed and
 * the number of masks drawn before (saved in checkpoints); at inference it passes its input
 * through.
 *
 * @module
 */
import { checkNumber } from "../checks.ts";
import { type Tensor, tf } from "../tf.ts";

/** Bits of a draw that decide one mask element: two decisions per 32-bit output. */
const DECISION_BITS = 16;

/**
 * Fills `mask` with 1/keep or 0, keeping an element where 16 bits of the generator's output,
 * read as an integer u in [0, 2^16), are below keep · 2^16 (rounded; so the keep probability is
 * within 2^-17 of `keep`). Each 32-bit output of xoroshiro128+ (pure-rand's, seeded with `seed`,
 * as `createRandom` in random.ts) decides two elements: its high half the first, its low half the
 * next. The generator is inlined so that its state stays in locals.
 */
function fillMask(mask: Float32Array, seed: number, keep: number): void {
  let s01 = -1, s00 = ~seed, s11 = seed | 0, s10 = 0;
  const scale = Math.fround(1 / keep);
  const threshold = Math.round(keep * 2 ** DECISION_BITS);
  for (let i = 0; i < mask.length; i += 2) {
    const out = (s00 + s10) | 0;
    const a0 = s10 ^ s00, a1 = s11 ^ s01, t00 = s00, t01 = s01;
    s00 = t00 << 24 ^ t01 >>> 8 ^ a0 ^ a0 << 16;
    s01 = t01 << 24 ^ t00 >>> 8 ^ a1 ^ (a1 << 16 | a0 >>> 16);
    s10 = a1 << 5 ^ a0 >>> 27;
    s11 = a0 << 5 ^ a1 >>> 27;
    // Branch-free: the comparisons are unpredictable.
    mask[i] = scale * +(out >>> DECISION_BITS < threshold);
    if (i + 1 < mask.length) mask[i + 1] = scale * +((out & 0xffff) < threshold);
  }
}

/** Arguments of {@linkcode SeededDropout}. */
export interface SeededDropoutArgs {
  /** Fraction of the inputs set to zero while training, in [0, 1). */
  rate: number;
  /** Seed of the mask sequence. */
  seed: number;
  /** Masks drawn so far, restored from a checkpoint so training resumes the same sequence. */
  calls?: number;
  /** Layer name. */
  name?: string;
}

/** Dropout with a reproducible mask sequence: [batch, …] → [batch, …]. */
export class SeededDropout extends tf.layers.Layer {
  /** The name under which the layer is serialized in checkpoints. */
  static className = "SeededDropout";
  readonly rate: number;
  readonly seed: number;
  #calls: number;

  constructor(args: SeededDropoutArgs) {
    super(args);
    checkNumber("SeededDropout: rate", args.rate, { min: 0, below: 1 });
    this.rate = args.rate;
    this.seed = args.seed;
    this.#calls = args.calls ?? 0;
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], kwargs: { training?: boolean }): Tensor {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs.training || this.rate === 0) return input;
    const mask = new Float32Array(input.size);
    this.fillDropoutMask(mask);
    return tf.tidy(() => tf.mul(input, tf.tensor(mask, input.shape)));
  }

  /** Fills `mask` with the next training call's factors (0 or 1/keep) and advances the sequence. */
  fillDropoutMask(mask: Float32Array): void {
    this.peekDropoutMask(mask);
    this.#calls++;
  }

  /** Fills `mask` with the factors that the next training call will use, without advancing. */
  peekDropoutMask(mask: Float32Array): void {
    fillMask(mask, (Math.imul(this.seed, 0x9e3779b1) + this.#calls) | 0, 1 - this.rate);
  }

  override getConfig() {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, calls: this.#calls };
  }
}

tf.serialization.registerClass(SeededDropout);
