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

/**
 * Fills `mask` with 1/keep where a uniform draw in [0, 1) is below `keep`, else 0: the draws of
 * `createRandom(seed).float()` from random.ts (xoroshiro128+ from pure-rand, two 32-bit outputs
 * per draw, masked to 26 and 27 bits), inlined so that the generator's state stays in locals.
 */
function fillMask(mask: Float32Array, seed: number, keep: number): void {
  let s01 = -1, s00 = ~seed, s11 = seed | 0, s10 = 0;
  const scale = 1 / keep;
  for (let i = 0; i < mask.length; i++) {
    const high = (s00 + s10) & 0x3ffffff;
    let a0 = s10 ^ s00, a1 = s11 ^ s01, t00 = s00, t01 = s01;
    s00 = t00 << 24 ^ t01 >>> 8 ^ a0 ^ a0 << 16;
    s01 = t01 << 24 ^ t00 >>> 8 ^ a1 ^ (a1 << 16 | a0 >>> 16);
    s10 = a1 << 5 ^ a0 >>> 27;
    s11 = a0 << 5 ^ a1 >>> 27;
    const low = (s00 + s10) & 0x7ffffff;
    a0 = s10 ^ s00;
    a1 = s11 ^ s01;
    t00 = s00;
    t01 = s01;
    s00 = t00 << 24 ^ t01 >>> 8 ^ a0 ^ a0 << 16;
    s01 = t01 << 24 ^ t00 >>> 8 ^ a1 ^ (a1 << 16 | a0 >>> 16);
    s10 = a1 << 5 ^ a0 >>> 27;
    s11 = a0 << 5 ^ a1 >>> 27;
    // Branch-free: the comparison is unpredictable; the sum is exact (26 + 27 bits).
    mask[i] = scale * +(high * 2 ** -26 + low * 2 ** -53 < keep);
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
    fillMask(mask, (Math.imul(this.seed, 0x9e3779b1) + this.#calls++) | 0, 1 - this.rate);
  }

  override getConfig() {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, calls: this.#calls };
  }
}

tf.serialization.registerClass(SeededDropout);
