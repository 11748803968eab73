/**
 * The project's SeededDropout layer as the page needs it: registered under the same class name,
 * so that `loadLayersModel` can build the checkpoint's model, and the identity at inference (the
 * only use the page has). Training masks live in lib/model/seeded_dropout.ts, which loads tfjs
 * through lib/tf.ts (with the wasm backend) and so is not bundled for the browser.
 *
 * @module
 */
import { serialization, type Tensor } from "@tensorflow/tfjs-core";
import { layers } from "@tensorflow/tfjs-layers";

/** Arguments of {@linkcode SeededDropout}, as saved in a checkpoint's model.json. */
export interface SeededDropoutArgs {
  /** Fraction of the inputs set to zero while training, in [0, 1). */
  rate: number;
  /** Seed of the mask sequence. */
  seed: number;
  /** Masks drawn so far while training. */
  calls?: number;
  /** Layer name. */
  name?: string;
  /** Whether the layer's (absent) weights train. */
  trainable?: boolean;
}

/** Dropout for inference only, [batch, …] → [batch, …]: passes its input through. */
export class SeededDropout extends layers.Layer {
  /** The name under which lib serializes the layer in checkpoints. */
  static className = "SeededDropout";
  /** The dropout rate the model trained with. */
  readonly rate: number;
  /** The seed the model trained with. */
  readonly seed: number;
  /** Masks drawn while training. */
  readonly calls: number;

  constructor(args: SeededDropoutArgs) {
    super({ name: args.name, trainable: args.trainable });
    this.rate = args.rate;
    this.seed = args.seed;
    this.calls = args.calls ?? 0;
    this.supportsMasking = true;
  }

  override call(inputs: Tensor | Tensor[]): Tensor {
    return Array.isArray(inputs) ? inputs[0] : inputs;
  }

  override getConfig(): serialization.ConfigDict {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed, calls: this.calls };
  }
}

serialization.registerClass(SeededDropout);
