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
import { createRandom } from "./random.ts";
import { type Tensor, tf } from "./tf.ts";

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
    if (!(args.rate >= 0 && args.rate < 1)) {
      throw new Error(`dropout rate ${args.rate}: expected a number in [0, 1)`);
    }
    this.rate = args.rate;
    this.seed = args.seed;
    this.#calls = args.calls ?? 0;
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[], kwargs: { training?: boolean }): Tensor {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs.training || this.rate === 0) return input;
    const keep = 1 - this.rate;
    const random = createRandom((Math.imul(this.seed, 0x9e3779b1) + this.#calls++) | 0);
    const mask = new Float32Array(input.size);
    for (let i = 0; i < mask.length; i++) mask[i] = random.float() < keep ? 1 / keep : 0;
    return tf.tidy(() => tf.mul(input, tf.tensor(mask, input.shape)));
  }

  override getConfig() {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, calls: this.#calls };
  }
}

tf.serialization.registerClass(SeededDropout);
