/**
 * Every access of the package to fields that tfjs does not export: the private moments and
 * accumulated betas of tfjs-core's `AdamOptimizer`, the loss and metric functions of a compiled
 * tfjs-layers model, its train and test functions and the model a Sequential wraps, and the
 * optimizer state that a checkpoint saves and restores. Each view here checks its fields (as tfjs
 * {@linkcode TFJS_CHECKED} has them) before it returns them; where they are missing it prints a
 * one-line notice, and the fusion that asked leaves tfjs's own code in place.
 *
 * @module
 */
import {
  type AdamOptimizer,
  dispose,
  type Optimizer,
  scalar,
  type Tensor,
  tidy,
  Variable,
  version_core,
} from "@tensorflow/tfjs-core";

/** The tfjs version whose internal fields these fusions were written and checked against. */
export const TFJS_CHECKED = "4.22.0";

const noticed = new Set<string>();

/** Prints `message` as a one-line notice, once per `key`. */
function notice(key: string, message: string): void {
  if (noticed.has(key)) return;
  noticed.add(key);
  console.warn(`Note: ${message}`);
}

/** One of Adam's moment variables, as tfjs keeps it. */
export interface Moment {
  /** The name of the variable the moment belongs to, then `/m` or `/v`. */
  originalName: string;
  /** The moment's values, of the variable's shape. */
  variable: Variable;
}

/** The state tfjs's AdamOptimizer keeps in fields that its typings mark private. */
export interface AdamInternals {
  /** β₁ to the power of the step count plus one, as a scalar variable. */
  accBeta1: Variable;
  /** β₂ to the power of the step count plus one, as a scalar variable. */
  accBeta2: Variable;
  /** The first moments, by the index of the variable in `applyGradients`' list. */
  accumulatedFirstMoment: (Moment | undefined)[];
  /** The second moments, by the index of the variable in `applyGradients`' list. */
  accumulatedSecondMoment: (Moment | undefined)[];
}

/**
 * `adam`'s private state if it has the settings and own fields of tfjs 4's Adam, of the expected
 * types (the fused update reads and writes them in place of tfjs's code); else undefined, after a
 * one-line notice that training goes on with tfjs's own Adam.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 *
 * const adam = tf.train.adam(0.01);
 * assert.ok(adamInternals(adam)?.accBeta1 instanceof tf.Variable);
 * adam.dispose();
 * ```
 */
export function adamInternals(adam: AdamOptimizer): AdamInternals | undefined {
  const fields = adam as unknown as Record<keyof AdamInternals | "incrementIterations", unknown>;
  const settings = adam as unknown as Record<
    "learningRate" | "beta1" | "beta2" | "epsilon",
    unknown
  >;
  const numbers = [settings.learningRate, settings.beta1, settings.beta2, settings.epsilon];
  const own =
    (["accBeta1", "accBeta2", "accumulatedFirstMoment", "accumulatedSecondMoment"] as const)
      .every((name) => Object.hasOwn(adam, name));
  const found = numbers.every((x) => typeof x === "number") &&
    typeof fields.incrementIterations === "function" && own &&
    fields.accBeta1 instanceof Variable && fields.accBeta2 instanceof Variable &&
    Array.isArray(fields.accumulatedFirstMoment) &&
    Array.isArray(fields.accumulatedSecondMoment);
  if (found) return fields as unknown as AdamInternals;
  notice(
    "adam",
    `fusedAdam: tfjs-core ${version_core}'s AdamOptimizer lacks the fields of tfjs ` +
      `${TFJS_CHECKED} (accBeta1, accumulatedFirstMoment, …); training with tfjs's own Adam`,
  );
  return undefined;
}

/**
 * Sets `adam`'s accumulated β₁ᵗ⁺¹ and β₂ᵗ⁺¹ as training computes them, one float32 product per
 * step: tfjs's `setWeights` computes them with one `pow`, which differs in the last bits, so
 * training on after a load would drift from training on without one. Where this tfjs keeps them
 * elsewhere, its own values stay.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 *
 * const adam = tf.train.adam(0.01, 0.5, 0.25);
 * restoreAccumulatedBetas(adam, 0.5, 0.25); // no step yet: β₁¹ and β₂¹
 * assert.equal(adamInternals(adam)?.accBeta2.dataSync()[0], 0.25);
 * adam.dispose();
 * ```
 */
export function restoreAccumulatedBetas(adam: AdamOptimizer, beta1: number, beta2: number): void {
  const fields = adam as unknown as Record<string, { assign?: unknown } | undefined>;
  for (const [field, beta] of [["accBeta1", beta1], ["accBeta2", beta2]] as const) {
    const variable = fields[field];
    if (typeof variable?.assign !== "function") return;
    let accumulated = Math.fround(beta);
    for (let i = 0; i < adam.iterations; i++) {
      accumulated = Math.fround(accumulated * Math.fround(beta));
    }
    tidy(() => (variable as Variable).assign(scalar(accumulated)));
  }
}

/** Saves that include an optimizer's state, one at a time. */
let saving: Promise<unknown> = Promise.resolve();

/**
 * Runs `save` — a `model.save(handler, { includeOptimizer: true })` of `model` — after the saves
 * that this function started before it, and then disposes the step-count scalar that tfjs's
 * `optimizer.getWeights()` makes for it and `save` never disposes (an engine scope across the
 * awaits would also dispose tensors that other code makes meanwhile).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tf from "@tensorflow/tfjs-core";
 * import * as tfl from "@tensorflow/tfjs-layers";
 *
 * const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 1 })] });
 * model.compile({ optimizer: tf.train.adam(), loss: "meanSquaredError" });
 * const before = tf.memory().numTensors;
 * const info = { dateSaved: new Date(), modelTopologyType: "JSON" as const };
 * const handler = { save: () => Promise.resolve({ modelArtifactsInfo: info }) };
 * await saveWithOptimizerState(model, () => model.save(handler, { includeOptimizer: true }));
 * assert.equal(tf.memory().numTensors, before); // the step count's scalar is disposed
 * ```
 */
export function saveWithOptimizerState<T>(
  model: { readonly optimizer?: Optimizer },
  save: () => Promise<T>,
): Promise<T> {
  const run = saving.then(async () => {
    const optimizer = model.optimizer;
    const made: Tensor[] = [];
    if (optimizer !== undefined) {
      const getWeights = optimizer.getWeights;
      optimizer.getWeights = async function () {
        delete (this as Partial<typeof optimizer>).getWeights; // one call: model.save's
        const weights = await getWeights.call(this);
        if (weights.length > 0) made.push(weights[0].tensor);
        return weights;
      };
    }
    try {
      return await save();
    } finally {
      if (optimizer !== undefined) delete (optimizer as Partial<typeof optimizer>).getWeights;
      dispose(made);
    }
  });
  saving = run.catch(() => {});
  return run;
}

/** A loss or metric of a compiled tfjs-layers model: yTrue, yPred [..., classes] → [...]. */
export type LossOrMetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** The fields of a compiled tfjs-layers LayersModel that the cross-entropy fusion rewrites. */
export interface CompiledFields {
  /** One loss function per output. */
  lossFunctions: LossOrMetricFn[];
  /** Each metric's function and the index of its output. */
  metricsTensors: [LossOrMetricFn, number][];
  /** "loss", then the metrics' names ("acc" for accuracy). */
  metricsNames: string[];
}

/** Whether `x` has the compiled fields of a tfjs 4 LayersModel, of the expected types. */
function hasCompiledFields(x: unknown): x is CompiledFields {
  if (typeof x !== "object" || x === null) return false;
  const { lossFunctions, metricsTensors, metricsNames } = x as Record<
    keyof CompiledFields,
    unknown
  >;
  return Array.isArray(lossFunctions) && lossFunctions.every((f) => typeof f === "function") &&
    Array.isArray(metricsTensors) &&
    metricsTensors.every((e) => Array.isArray(e) && typeof e[0] === "function") &&
    Array.isArray(metricsNames) && metricsNames.every((n) => typeof n === "string");
}

/**
 * The compiled fields of `model`, or of the LayersModel a Sequential wraps; else undefined, after
 * a one-line notice that training goes on with tfjs's own loss and accuracy.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tfl from "@tensorflow/tfjs-layers";
 *
 * const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 2 })] });
 * model.compile({ optimizer: "sgd", loss: "categoricalCrossentropy", metrics: ["accuracy"] });
 * assert.deepEqual(compiledFields(model)?.metricsNames, ["loss", "acc"]);
 * ```
 */
export function compiledFields(model: object): CompiledFields | undefined {
  const inner = innerModel(model);
  if (hasCompiledFields(inner)) return inner;
  if (inner !== model && hasCompiledFields(model)) return model;
  notice(
    "crossentropy",
    `fuseCrossentropy: this tfjs-layers model lacks the fields of tfjs ${TFJS_CHECKED} ` +
      `(lossFunctions, metricsTensors, metricsNames); training with tfjs's own loss and accuracy`,
  );
  return undefined;
}

/** A weight of a tfjs-layers layer, as `layer.trainableWeights` holds it. */
export interface LayerWeight {
  /** The weight's shape. */
  readonly shape: readonly (number | null)[];
  /** The variable that holds its values. */
  read(): Variable;
}

/** A tfjs-layers train or test function: [inputs, targets] → [loss, ...metrics]. */
export type StepFunction = (data: Tensor[]) => Tensor[];

/** The fields of a compiled tfjs 4 LayersModel that make and run its train and test functions. */
interface StepFields {
  makeTrainFunction(): StepFunction;
  makeTestFunction(): void;
  testFunction: StepFunction;
  collectedTrainableWeights: LayerWeight[];
  metricsNames: string[];
  optimizer: unknown;
}

/** What the one-pass training step reads and replaces of a compiled tfjs-layers LayersModel. */
export interface TrainableModel {
  /** Its trainable weights, in the order its optimizer gets their gradients. */
  weights(): LayerWeight[];
  /** "loss", then its metrics' names, as its latest compile set them. */
  metricsNames(): string[];
  /** The optimizer of its latest compile. */
  optimizer(): unknown;
  /**
   * Wraps the train and test functions it makes from now on: `train` gets each train function
   * tfjs makes and returns the one to run instead, `test` the same for the test function.
   */
  wrapStepFunctions(
    train: (tfjsStep: StepFunction) => StepFunction,
    test: (tfjsTest: StepFunction) => StepFunction,
  ): void;
}

/**
 * The LayersModel that `model` trains through: the one a Sequential wraps (in a field its typings
 * mark private), else `model` itself.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tfl from "@tensorflow/tfjs-layers";
 *
 * const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 2 })] });
 * model.compile({ optimizer: "sgd", loss: "meanSquaredError" }); // builds the wrapped model
 * assert.notEqual(innerModel(model), model);
 * const other = { loss: "meanSquaredError" };
 * assert.equal(innerModel(other), other);
 * ```
 */
export function innerModel(model: object): object {
  return (model as { model?: object }).model ?? model;
}

/**
 * `inner` (see {@linkcode innerModel}) as a {@linkcode TrainableModel} if it has the train-function
 * fields of a compiled tfjs 4 LayersModel; else undefined, after a one-line notice that training
 * goes on with tfjs's own step.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import "@tensorflow/tfjs-backend-cpu";
 * import * as tfl from "@tensorflow/tfjs-layers";
 *
 * const model = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 2 })] });
 * model.compile({ optimizer: "sgd", loss: "categoricalCrossentropy" });
 * assert.deepEqual(trainableModel(innerModel(model))?.metricsNames(), ["loss"]);
 * ```
 */
export function trainableModel(inner: object): TrainableModel | undefined {
  const fields = inner as Partial<Record<keyof StepFields, unknown>>;
  const found = typeof fields.makeTrainFunction === "function" &&
    typeof fields.makeTestFunction === "function" &&
    Array.isArray(fields.collectedTrainableWeights) && Array.isArray(fields.metricsNames);
  if (!found) {
    notice(
      "dense",
      `fuseDenseTraining: this tfjs-layers model lacks the fields of tfjs ${TFJS_CHECKED} ` +
        `(makeTrainFunction, collectedTrainableWeights, metricsNames); training with tfjs's own step`,
    );
    return undefined;
  }
  const model = inner as StepFields;
  return {
    weights: () => model.collectedTrainableWeights,
    metricsNames: () => model.metricsNames,
    optimizer: () => model.optimizer,
    wrapStepFunctions(train, test) {
      const originalTrain = model.makeTrainFunction.bind(model);
      model.makeTrainFunction = () => train(originalTrain());
      const originalTest = model.makeTestFunction.bind(model);
      model.makeTestFunction = () => {
        originalTest();
        model.testFunction = test(model.testFunction);
      };
    },
  };
}
