/**
 * The study's multilayer perceptron.
 *
 * @module
 */
import { fusedAdam, fuseTraining } from "@mnist-mlp/tfjs-backend-blas/training";
import { checkInteger, checkNumber, checkOneOf } from "../checks.ts";
import { type OptimizerName, OPTIMIZERS, STUDY_CONFIG } from "../config.ts";
import { NUM_CLASSES } from "../preprocessing/tensors.ts";
import { SeededDropout } from "./seeded_dropout.ts";
import { type LayersModel, tf } from "../tf.ts";

/** Sizes and rates of the MLP; the defaults are the study's. */
export interface MlpConfig {
  /** Pixels per image (default 784 = 28×28). */
  inputSize?: number;
  /** Units of each hidden Dense layer (default [256, 256]). */
  hiddenUnits?: readonly number[];
  /** Dropout rate after each hidden layer, in [0, 1) (default 0.2). */
  dropout?: number;
  /** Number of classes (default 10). */
  classes?: number;
  /** The optimizer's learning rate (default 0.001). */
  learningRate?: number;
  /** "adam" (default, the study's) or "sgd" (plain gradient descent: w ← w − η·g). */
  optimizer?: OptimizerName;
  /** Seed of the weight initializers and the dropout masks (default 42). */
  seed?: number;
}

/**
 * Builds and compiles the MLP: input → [Dense(relu) → Dropout] per hidden layer → Dense(softmax).
 *
 * Compiled with Adam (fused into one pass per weight on the blas backend, tfjs's own Adam
 * elsewhere) or plain SGD, categorical cross-entropy and accuracy (one kernel each on the blas
 * backend).
 * The study's model ([784] → 256 → 256 → [10]) has 269,322 trainable parameters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../backend/init.ts";
 *
 * await initBackend();
 * const model = buildMlp({ seed: 1 });
 * assert.equal(model.countParams(), 269322);
 * assert.deepEqual(model.outputs[0].shape, [null, 10]);
 * ```
 */
export function buildMlp(config: MlpConfig = {}): LayersModel {
  const {
    inputSize = 784,
    hiddenUnits = STUDY_CONFIG.hiddenUnits,
    dropout = STUDY_CONFIG.dropout,
    classes = NUM_CLASSES,
    learningRate = STUDY_CONFIG.learningRate,
    optimizer = STUDY_CONFIG.optimizer,
    seed = STUDY_CONFIG.seed,
  } = config;
  checkInteger("buildMlp: inputSize", inputSize, { min: 1 });
  checkInteger("buildMlp: classes", classes, { min: 1 });
  hiddenUnits.forEach((units, i) => checkInteger(`buildMlp: hiddenUnits[${i}]`, units, { min: 1 }));
  checkNumber("buildMlp: dropout", dropout, { min: 0, below: 1 });
  checkNumber("buildMlp: learningRate", learningRate, { above: 0 });
  checkOneOf("buildMlp: optimizer", optimizer, OPTIMIZERS);
  checkInteger("buildMlp: seed", seed);

  const model = tf.sequential({ name: "mlp" });
  hiddenUnits.forEach((units, i) => {
    model.add(tf.layers.dense({
      ...(i === 0 ? { inputShape: [inputSize] } : {}),
      units,
      activation: "relu",
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 * i }),
      name: `dense_${i + 1}`,
    }));
    model.add(
      new SeededDropout({ rate: dropout, seed: seed + 2 * i + 1, name: `dropout_${i + 1}` }),
    );
  });
  model.add(tf.layers.dense({
    ...(hiddenUnits.length === 0 ? { inputShape: [inputSize] } : {}),
    units: classes,
    activation: "softmax",
    kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 2 * hiddenUnits.length }),
    name: "probabilities",
  }));
  model.compile({
    optimizer: optimizer === "adam" ? fusedAdam(learningRate) : tf.train.sgd(learningRate),
    loss: "categoricalCrossentropy",
    metrics: ["accuracy"],
  });
  fuseTraining(model);
  return model;
}

/**
 * Disposes a model and its optimizer: `LayersModel.dispose()` leaves the optimizer's state (Adam's
 * moments), which `buildMlp` and `loadCheckpoint` create with the model.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf } from "../tf.ts";
 *
 * await tf.setBackend("cpu");
 * const [x, y] = [tf.zeros([2, 784]), tf.oneHot(tf.tensor1d([0, 1], "int32"), 10)];
 * const before = tf.memory().numTensors;
 * const model = buildMlp({ seed: 1 });
 * await model.trainOnBatch(x, y); // makes Adam's moments, which model.dispose() alone leaves
 * disposeModel(model);
 * assert.equal(tf.memory().numTensors, before);
 * tf.dispose([x, y]);
 * ```
 */
export function disposeModel(model: LayersModel): void {
  model.optimizer?.dispose();
  model.dispose();
}
