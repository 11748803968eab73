/**
 * What a training run did, step by step: each batch's loss and accuracy, per layer and epoch the
 * weights' norm and the relative size of an update, and the first layer's weights themselves
 * epoch by epoch, recorded through train's callbacks.
 *
 * @module
 */
import { checkError } from "../checks.ts";
import type { LayersModel } from "../tf.ts";
import type { BatchProgress, TrainCallbacks } from "./types.ts";

/** One training step: its own loss and accuracy (dropout on), and where it falls. */
export interface BatchRecord {
  /** 1-based epoch. */
  epoch: number;
  /** 1-based step within the epoch. */
  step: number;
  /** Steps per epoch. */
  steps: number;
  /** The step's training loss. */
  loss: number;
  /** The step's training accuracy. */
  acc: number;
}

/** One Dense layer's kernel over the epochs. */
export interface LayerRecord {
  /** The layer's name, e.g. `dense_1`. */
  name: string;
  /** Frobenius norm ‖W‖ of the kernel after each epoch. */
  norm: number[];
  /** ‖ΔW‖ / ‖W‖ of each epoch's last update (Adam's step relative to the weights). */
  updateRatio: number[];
}

/** What {@linkcode recordDynamics} fills in while `train` runs. */
export interface Dynamics {
  /** Every step, in order. */
  batches: BatchRecord[];
  /** Every Dense layer, input to output. */
  layers: LayerRecord[];
  /**
   * The first Dense layer's kernel ([inputs·units] row-major, copies) before the first step, then
   * after each epoch: entry `e` is the weights after `e` epochs.
   */
  firstKernels: Float32Array[];
}

/** The callbacks that record a run, and the record they fill. */
export interface DynamicsRecorder {
  /** Spread into train's options (joined with others by `joinCallbacks`). */
  callbacks: TrainCallbacks;
  /** The record, filled as training goes. */
  dynamics: Dynamics;
}

/** The kernel of every Dense layer of `model` (a Dense layer's first weight). */
function denseKernels(model: LayersModel) {
  return model.layers.flatMap((layer) =>
    layer.getClassName() === "Dense" ? [{ name: layer.name, kernel: layer.weights[0] }] : []
  );
}

function norm(values: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i] * values[i];
  return Math.sqrt(sum);
}

function distance(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += (a[i] - b[i]) ** 2;
  return Math.sqrt(sum);
}

/**
 * Records a training run of `model`: every step's loss and accuracy as `train` reports them, after
 * each epoch every Dense kernel's norm ‖W‖ and its last update's size ‖ΔW‖ / ‖W‖, and a copy of
 * the first Dense kernel now and after each epoch (0.8 MB an epoch for the study's 784 → 256).
 * The kernels are read twice per epoch (before and after its last step); nothing else is computed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../backend/init.ts";
 * import { loadDataset } from "../data/dataset.ts";
 * import { buildMlp } from "../model/mlp.ts";
 * import { toTensors } from "../preprocessing/tensors.ts";
 * import { train } from "./train.ts";
 *
 * await initBackend();
 * const { x, y } = toTensors((await loadDataset({ dataset: "mnist", trainLimit: 1000 })).train);
 * const model = buildMlp();
 * const { callbacks, dynamics } = recordDynamics(model);
 * await train(model, x, y, { epochs: 2, ...callbacks });
 * assert.equal(dynamics.batches.length, 2 * 4); // 800 training images in steps of 256
 * assert.deepEqual(dynamics.layers.map((l) => l.name), ["dense_1", "dense_2", "probabilities"]);
 * assert.ok(dynamics.layers[0].updateRatio[0] < 0.1); // Adam moves each weight by about 0.001
 * assert.equal(dynamics.firstKernels.length, 3); // before training, after epochs 1 and 2
 * ```
 */
export function recordDynamics(model: LayersModel): DynamicsRecorder {
  const kernels = denseKernels(model);
  if (kernels.length === 0) {
    const layers = model.layers.map((l) => l.getClassName()).join(", ");
    throw checkError("recordDynamics: model", "a model with Dense layers", `layers ${layers}`);
  }
  const read = () => kernels.map(({ kernel }) => kernel.read().dataSync() as Float32Array);
  const dynamics: Dynamics = {
    batches: [],
    layers: kernels.map(({ name }) => ({ name, norm: [], updateRatio: [] })),
    firstKernels: [read()[0].slice()],
  };
  let before: Float32Array[] | undefined;
  const callbacks: TrainCallbacks = {
    onEpochBegin({ steps }) {
      before = steps === 1 ? read().map((k) => k.slice()) : undefined;
    },
    onBatchEnd(batch: BatchProgress) {
      const { epoch, step, steps, batchLoss: loss, batchAcc: acc } = batch;
      dynamics.batches.push({ epoch, step, steps, loss, acc });
      if (step === steps - 1) before = read().map((k) => k.slice());
      if (step !== steps || !before) return;
      const after = read();
      dynamics.firstKernels.push(after[0].slice());
      dynamics.layers.forEach((layer, i) => {
        const size = norm(after[i]);
        layer.norm.push(size);
        layer.updateRatio.push(distance(after[i], before![i]) / size);
      });
      before = undefined;
    },
  };
  return { callbacks, dynamics };
}
