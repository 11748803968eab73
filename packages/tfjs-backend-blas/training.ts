/**
 * Training fusions for the "blas" backend: Adam as one SIMD pass per variable and step
 * ({@linkcode fusedAdam}), a tfjs-layers model's categorical cross-entropy and accuracy as one
 * kernel each ({@linkcode fuseCrossentropy}), and a dense stack's whole training step and
 * evaluation as one pass ({@linkcode fuseDenseTraining}). On any other backend, tfjs's own Adam,
 * loss, accuracy and step run, unchanged; on blas the results are tfjs's too (Adam's within
 * float32 rounding, the rest bit for bit).
 *
 * This is the one file of the package that touches tfjs internals: the private moments of
 * tfjs-core's `AdamOptimizer`, and the loss and metric functions and the train and test
 * functions of a compiled tfjs-layers model.
 * It does not import tfjs-layers. It checks the fields it needs (as tfjs {@linkcode TFJS_CHECKED}
 * has them) and, where they are missing, prints a one-line notice and leaves tfjs's own Adam,
 * loss and accuracy in place.
 *
 * @example
 * ```ts
 * import * as tf from "@tensorflow/tfjs-core";
 * import * as tfl from "@tensorflow/tfjs-layers";
 * import { registerBlasBackend } from "@mnist-mlp/tfjs-backend-blas";
 * import { fuseCrossentropy, fusedAdam } from "@mnist-mlp/tfjs-backend-blas/training";
 *
 * const blas = registerBlasBackend();
 * await tf.setBackend(blas.registered ? blas.name : "cpu"); // on cpu: tfjs's own Adam and loss
 * const model = tfl.sequential();
 * model.add(tfl.layers.dense({ inputShape: [4], units: 3, activation: "softmax" }));
 * model.compile({
 *   optimizer: fusedAdam(0.001),
 *   loss: "categoricalCrossentropy",
 *   metrics: ["accuracy"],
 * });
 * fuseCrossentropy(model);
 * await model.fit(tf.randomUniform([8, 4]), tf.oneHot([0, 1, 2, 0, 1, 2, 0, 1], 3), { epochs: 1 });
 * ```
 *
 * @module
 */
import {
  AdamOptimizer,
  backend,
  dispose,
  engine,
  getBackend,
  getKernel,
  mul,
  scalar,
  type Tensor,
  tensor,
  tidy,
  util,
  Variable,
  version_core,
  zerosLike,
} from "@tensorflow/tfjs-core";
import { BlasBackend } from "./backend_blas.ts";
import { type DenseSpec, DenseStep, type DenseValues } from "./dense_step.ts";
import { ADAM_UPDATE, adamLoop, AdamMoments, type AdamUpdateAttrs } from "./kernels/AdamUpdate.ts";
import { ACCURACY } from "./kernels/CategoricalAccuracy.ts";
import { CROSSENTROPY } from "./kernels/CategoricalCrossentropy.ts";

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
interface Moment {
  originalName: string;
  variable: Variable;
}

/** The state tfjs's AdamOptimizer keeps in fields that its typings mark private. */
interface AdamInternals {
  accBeta1: Variable;
  accBeta2: Variable;
  accumulatedFirstMoment: (Moment | undefined)[];
  accumulatedSecondMoment: (Moment | undefined)[];
}

/**
 * `optimizer`'s private state if it holds the own fields of tfjs 4's Adam, of the expected types
 * (the fused update reads and writes them in place of tfjs's code), else undefined.
 */
function adamInternals(optimizer: AdamOptimizer): AdamInternals | undefined {
  const fields = optimizer as unknown as Record<keyof AdamInternals, unknown>;
  const own =
    (["accBeta1", "accBeta2", "accumulatedFirstMoment", "accumulatedSecondMoment"] as const)
      .every((name) => Object.hasOwn(optimizer, name));
  const found = own && fields.accBeta1 instanceof Variable && fields.accBeta2 instanceof Variable &&
    Array.isArray(fields.accumulatedFirstMoment) &&
    Array.isArray(fields.accumulatedSecondMoment);
  return found ? fields as AdamInternals : undefined;
}

/**
 * Gradients by variable name, as Adam's `applyGradients` takes them (tfjs-core does not export
 * this type's parts, `NamedVariableMap` and `NamedTensor`).
 */
export type NamedGradients = Parameters<AdamOptimizer["applyGradients"]>[0];

/**
 * tfjs's Adam, with one fused update per variable where the backend has the "BlasAdamUpdate"
 * kernel. Moments and the step count live where tfjs keeps them, so `getWeights`, `setWeights`,
 * `getConfig` and the class name ("Adam") are tfjs's too.
 */
export class FusedAdamOptimizer extends AdamOptimizer {
  /** Adam's private state; undefined where this tfjs keeps it elsewhere (then: tfjs's Adam). */
  readonly #internals: AdamInternals | undefined;

  /** tfjs's Adam with these settings; checks its fields, with a one-line notice if missing. */
  constructor(learningRate: number, beta1: number, beta2: number, epsilon?: number) {
    super(learningRate, beta1, beta2, epsilon);
    const numbers = [this.learningRate, this.beta1, this.beta2, this.epsilon];
    const internals = numbers.every((x) => typeof x === "number") &&
        typeof this.incrementIterations === "function"
      ? adamInternals(this)
      : undefined;
    if (internals === undefined) {
      notice(
        "adam",
        `fusedAdam: tfjs-core ${version_core}'s AdamOptimizer lacks the fields of tfjs ` +
          `${TFJS_CHECKED} (accBeta1, accumulatedFirstMoment, …); training with tfjs's own Adam`,
      );
    }
    this.#internals = internals;
  }

  /**
   * The moments in WebAssembly memory while the fast path runs; `#fresh` when they, not the
   * moment variables, hold the current values.
   */
  #moments: AdamMoments | undefined;
  #fresh = false;

  /** One Adam step: fused on the blas backend, else tfjs's own `applyGradients`. */
  override applyGradients(variableGradients: NamedGradients): void {
    const internals = this.#internals;
    const blas = internals && getKernel(ADAM_UPDATE, getBackend()) !== undefined
      ? backend()
      : undefined;
    if (internals === undefined || !(blas instanceof BlasBackend)) {
      this.#flush();
      return super.applyGradients(variableGradients);
    }
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const scalar = (t: Variable) => blas.ownValues(t)?.[0] ?? t.dataSync()[0];
    const attrs: AdamUpdateAttrs = {
      learningRate: this.learningRate,
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      correction1: 1 - scalar(internals.accBeta1),
      correction2: 1 - scalar(internals.accBeta2),
    };
    tidy(() => {
      const values = list.map(({ name }, i) => {
        const value = engine().registeredVariables[name];
        const zeros = (suffix: string) => ({
          originalName: `${name}/${suffix}`,
          variable: tidy(() => zerosLike(value).variable(false)),
        });
        internals.accumulatedFirstMoment[i] ??= zeros("m");
        internals.accumulatedSecondMoment[i] ??= zeros("v");
        return value;
      });
      if (!this.#updateFast(blas, internals, values, list.map((g) => g.tensor), attrs)) {
        this.#flush();
        list.forEach(({ tensor: gradient }, i) => {
          if (gradient == null) return;
          const value = values[i];
          const m = internals.accumulatedFirstMoment[i]!.variable;
          const v = internals.accumulatedSecondMoment[i]!.variable;
          if (!updateInPlace(blas, [value, m, v], gradient, attrs)) {
            const inputs = { value, m, v, gradient };
            const [w2, m2, v2] = engine().runKernel<Tensor[]>(ADAM_UPDATE, inputs, attrs);
            m.assign(m2);
            v.assign(v2);
            value.assign(w2);
          }
        });
      }
      const accumulators = [[internals.accBeta1, this.beta1], [internals.accBeta2, this.beta2]];
      for (const [acc, beta] of accumulators as [Variable, number][]) {
        const values = blas.ownValues(acc);
        if (values) values[0] *= Math.fround(beta);
        else acc.assign(mul(acc, beta));
      }
    });
    this.incrementIterations();
  }

  /**
   * The step with the moments in WebAssembly memory, when every variable's values are its own
   * (see `BlasBackend.ownValues`) and every gradient is float32 of its size; returns whether it
   * ran. It loads the moments from their variables when they are not there yet.
   */
  #updateFast(
    blas: BlasBackend,
    internals: AdamInternals,
    values: Variable[],
    gradients: (Tensor | null | undefined)[],
    attrs: AdamUpdateAttrs,
  ): boolean {
    const ws = values.map((v) => blas.ownValues(v));
    const gs = gradients.map((g) => g == null ? undefined : blas.floatValues(g));
    if (ws.some((w, i) => w === undefined || w.length !== gs[i]?.length)) return false;
    if (!this.#fresh) {
      const lengths = ws.map((w) => w!.length);
      if (!this.#moments?.fits(lengths)) this.#moments = AdamMoments.create(lengths);
      if (this.#moments === undefined) return false;
      ws.forEach((_, i) => {
        const [m, v] = [internals.accumulatedFirstMoment, internals.accumulatedSecondMoment]
          .map((moments) => blas.floatValues(moments[i]!.variable)!);
        this.#moments!.load(i, m, v);
      });
      this.#fresh = true;
    }
    ws.forEach((w, i) => this.#moments!.update(i, w!, gs[i]!, attrs));
    return true;
  }

  /** Writes the moments back into their variables if they are newer in WebAssembly memory. */
  #flush(): void {
    const internals = this.#internals;
    if (!this.#fresh || internals === undefined || this.#moments === undefined) return;
    this.#fresh = false;
    const moments = [internals.accumulatedFirstMoment, internals.accumulatedSecondMoment];
    moments[0].forEach((_, i) => {
      this.#moments!.read(i).forEach((values, k) => {
        const variable = moments[k][i]!.variable;
        tidy(() => variable.assign(tensor(values, variable.shape, "float32")));
      });
    });
  }

  /** Adam's state (step count, moments) as tfjs's Adam gives it, moments brought up to date. */
  override getWeights(): ReturnType<AdamOptimizer["getWeights"]> {
    this.#flush();
    return super.getWeights();
  }

  /** Sets Adam's state as tfjs's Adam does; the next fused step reloads the moments. */
  override setWeights(weightValues: Parameters<AdamOptimizer["setWeights"]>[0]): Promise<void> {
    this.#flush();
    this.#fresh = false;
    return super.setWeights(weightValues);
  }

  /** Disposes Adam's variables, and lets the moments' memory go. */
  override dispose(): void {
    this.#fresh = false;
    this.#moments = undefined;
    super.dispose();
  }
}

/**
 * Runs `adamLoop` on the arrays of value, m and v [n] in place when only they can see them
 * (see `BlasBackend.ownValues`); returns whether it did.
 */
function updateInPlace(
  backend: BlasBackend,
  variables: Variable[],
  gradient: Tensor,
  attrs: AdamUpdateAttrs,
): boolean {
  const g = backend.floatValues(gradient);
  if (g === undefined) return false;
  const arrays: Float32Array[] = [];
  for (const t of variables) {
    const values = backend.ownValues(t);
    if (values?.length !== g.length) return false;
    arrays.push(values);
  }
  adamLoop([...arrays, g], arrays, attrs);
  return true;
}

/**
 * Creates Adam like `tf.train.adam`, fused into one kernel per variable on the "blas" backend.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import { registerBlasBackend } from "./register_backend.ts";
 *
 * const blas = registerBlasBackend();
 * await tf.setBackend(blas.registered ? blas.name : "cpu"); // on cpu: tfjs's own Adam
 * const w = tf.variable(tf.scalar(1));
 * const adam = fusedAdam(0.1); // model.compile({ optimizer: adam, … }) takes it
 * adam.applyGradients([{ name: w.name, tensor: tf.scalar(2) }]); // the gradient of w² at w = 1
 * assert.ok(Math.abs(w.dataSync()[0] - 0.9) < 1e-6); // Adam's first step: the learning rate
 * assert.equal(adam.getClassName(), "Adam");
 * ```
 */
export function fusedAdam(
  learningRate = 0.001,
  beta1 = 0.9,
  beta2 = 0.999,
  epsilon?: number,
): FusedAdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon);
}

/** A loss or metric of a compiled tfjs-layers model: yTrue, yPred [..., classes] → [...]. */
type LossOrMetricFn = (yTrue: Tensor, yPred: Tensor) => Tensor;

/** The fields of a compiled tfjs-layers LayersModel that {@linkcode fuseCrossentropy} rewrites. */
interface CompiledFields {
  lossFunctions: LossOrMetricFn[];
  metricsTensors: [LossOrMetricFn, number][];
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

/** The compiled fields of `model`, or of the LayersModel a Sequential wraps; else undefined. */
function compiledFields(model: object): CompiledFields | undefined {
  // A Sequential trains through the LayersModel it wraps, in a field its typings mark private.
  const inner = (model as { model?: unknown }).model;
  if (hasCompiledFields(inner)) return inner;
  return hasCompiledFields(model) ? model : undefined;
}

/** Loss and metric functions made by this file, so that fusing twice changes nothing. */
const fusedFunctions = new WeakSet<LossOrMetricFn>();

/** Whether `kernelName` runs on the current backend for float32 yTrue and yPred of one shape. */
function fusable(kernelName: string, yTrue: Tensor, yPred: Tensor): boolean {
  return getKernel(kernelName, getBackend()) !== undefined &&
    yTrue.dtype === "float32" && yPred.dtype === "float32" && yPred.rank > 0 &&
    util.arraysEqual(yTrue.shape, yPred.shape);
}

/** tfjs-layers' categorical cross-entropy as one kernel where it runs, else `original`. */
function fusedCrossentropy(original: LossOrMetricFn): LossOrMetricFn {
  const loss = (yTrue: Tensor, yPred: Tensor) => {
    if (!fusable(CROSSENTROPY, yTrue, yPred)) return original(yTrue, yPred);
    const attrs = { epsilon: backend().epsilon() };
    return engine().runKernel<Tensor>(CROSSENTROPY, { yTrue, yPred }, attrs);
  };
  fusedFunctions.add(loss);
  return loss;
}

/**
 * tfjs-layers' categorical accuracy as one kernel where it runs, else `original` (also for
 * one-unit outputs, whose "acc" tfjs-layers computes as binary accuracy).
 */
function fusedAccuracy(original: LossOrMetricFn): LossOrMetricFn {
  const accuracy = (yTrue: Tensor, yPred: Tensor) => {
    const oneUnit = yPred.rank > 0 && yPred.shape[yPred.rank - 1] === 1;
    if (oneUnit || !fusable(ACCURACY, yTrue, yPred)) return original(yTrue, yPred);
    return engine().runKernel<Tensor>(ACCURACY, { yTrue, yPred });
  };
  fusedFunctions.add(accuracy);
  return accuracy;
}

/**
 * Makes a tfjs-layers model compiled with categorical cross-entropy (and accuracy) compute them
 * with one kernel each wherever the backend has them; its names, results and config are
 * unchanged. Returns true when fused, false when this tfjs-layers lacks the fields it rewrites
 * (after a one-line notice; the model keeps tfjs's own loss and accuracy).
 *
 * Throws when the model is not compiled with loss "categoricalCrossentropy" or has several outputs.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import * as tfl from "@tensorflow/tfjs-layers";
 *
 * await tf.setBackend("cpu"); // the fused kernels run on "blas"; elsewhere tfjs's own
 * const model = tfl.sequential();
 * model.add(tfl.layers.dense({ inputShape: [784], units: 10, activation: "softmax" }));
 * model.compile({ optimizer: "adam", loss: "categoricalCrossentropy", metrics: ["accuracy"] });
 * assert.equal(fuseCrossentropy(model), true);
 * assert.throws(() => fuseCrossentropy({ loss: "meanSquaredError" }));
 * ```
 */
export function fuseCrossentropy(model: { readonly loss?: unknown }): boolean {
  if (model.loss !== "categoricalCrossentropy") {
    throw new Error(
      `fuseCrossentropy: expected a model compiled with loss "categoricalCrossentropy", ` +
        `got ${JSON.stringify(model.loss)}`,
    );
  }
  const fields = compiledFields(model);
  if (fields === undefined) {
    notice(
      "crossentropy",
      `fuseCrossentropy: this tfjs-layers model lacks the fields of tfjs ${TFJS_CHECKED} ` +
        `(lossFunctions, metricsTensors, metricsNames); training with tfjs's own loss and accuracy`,
    );
    return false;
  }
  const { lossFunctions, metricsTensors, metricsNames } = fields;
  if (lossFunctions.length !== 1) {
    throw new Error(
      `fuseCrossentropy: expected a model with one output, got ${lossFunctions.length}`,
    );
  }
  if (!fusedFunctions.has(lossFunctions[0])) {
    lossFunctions[0] = fusedCrossentropy(lossFunctions[0]);
  }
  metricsTensors.forEach((entry, i) => {
    if (metricsNames[i + 1] === "acc" && !fusedFunctions.has(entry[0])) {
      entry[0] = fusedAccuracy(entry[0]);
    }
  });
  return true;
}

/** A weight of a tfjs-layers layer, as `layer.trainableWeights` holds it. */
interface LayerWeight {
  readonly shape: readonly (number | null)[];
  read(): Variable;
}

/** The public face of a tfjs-layers layer that {@linkcode fuseDenseTraining} reads. */
interface LayerLike {
  readonly name: string;
  readonly trainable: boolean;
  readonly trainableWeights: LayerWeight[];
  getClassName(): string;
  getConfig(): Record<string, unknown>;
}

/**
 * A dropout layer whose masks the fused step can draw: `fillDropoutMask` fills an array with the
 * factors (0 or 1/keep) that its next training call would multiply by, and advances its sequence.
 */
export interface MaskedDropout {
  readonly rate: number;
  fillDropoutMask(mask: Float32Array): void;
}

/** A tfjs-layers train function: [inputs, targets] → [loss, ...metrics]. */
type TrainFunction = (data: Tensor[]) => Tensor[];

/** The fields of a compiled tfjs-layers LayersModel that {@linkcode fuseDenseTraining} uses. */
interface TrainableModel {
  makeTrainFunction(): TrainFunction;
  makeTestFunction(): void;
  testFunction: TrainFunction;
  collectedTrainableWeights: LayerWeight[];
  metricsNames: string[];
  optimizer: unknown;
}

/** Whether `x` has the train-function fields of a compiled tfjs 4 LayersModel. */
function isTrainableModel(x: unknown): x is TrainableModel {
  const fields = x as Partial<Record<keyof TrainableModel, unknown>> | null;
  return typeof fields?.makeTrainFunction === "function" &&
    typeof fields.makeTestFunction === "function" &&
    Array.isArray(fields.collectedTrainableWeights) && Array.isArray(fields.metricsNames);
}

/** The layers as a dense stack, or why they are not one. */
function denseStack(layers: readonly LayerLike[]): DenseSpec[] | string {
  const specs: DenseSpec[] = [];
  for (const layer of layers) {
    const kind = layer.getClassName();
    if (kind === "InputLayer") continue;
    const config = layer.getConfig();
    const dropout = layer as unknown as Partial<MaskedDropout>;
    if (typeof dropout.rate === "number" && dropout.rate === 0 && kind.endsWith("Dropout")) {
      continue;
    }
    if (typeof dropout.fillDropoutMask === "function" && typeof dropout.rate === "number") {
      const last = specs.at(-1);
      if (last === undefined || last.dropout !== undefined) {
        return `${layer.name}: dropout only right after a dense layer`;
      }
      last.dropout = (mask) => dropout.fillDropoutMask!(mask);
      continue;
    }
    if (kind !== "Dense") return `${layer.name}: a ${kind} layer`;
    const activation = config.activation;
    if (activation !== "relu" && activation !== "linear" && activation !== "softmax") {
      return `${layer.name}: activation ${String(activation)}`;
    }
    const extras = ["kernelRegularizer", "biasRegularizer", "activityRegularizer"]
      .concat(["kernelConstraint", "biasConstraint"])
      .filter((key) => config[key] != null);
    if (extras.length > 0) return `${layer.name}: ${extras.join(", ")}`;
    if (!layer.trainable) return `${layer.name}: not trainable`;
    const [kernel] = layer.trainableWeights;
    specs.push({
      inputs: kernel.shape[0]!,
      units: kernel.shape[1]!,
      bias: config.useBias === true,
      activation,
    });
  }
  if (
    specs.length === 0 ||
    specs.some((s, i) => (s.activation === "softmax") !== (i === specs.length - 1))
  ) {
    return "expected dense layers ending in one softmax layer";
  }
  return specs;
}

/** Models whose train function this file replaced. */
const fusedModels = new WeakSet<object>();

/**
 * Makes a compiled tfjs-layers Sequential of Dense layers (relu or linear; the last softmax),
 * each optionally followed by a dropout layer that implements {@linkcode MaskedDropout}, trained
 * with {@linkcode fusedAdam} on categorical cross-entropy, run each training batch — in `fit`,
 * `fitDataset` and `trainOnBatch` — as one pass on the blas backend ({@linkcode DenseStep}): the
 * same gradients as tfjs's backward pass on blas, without its tape and ~80 kernel calls; and
 * `evaluate` (and `fit`'s validation) as one forward pass, the same loss and accuracy. On any
 * other backend, with sample weights or other dtypes, with an optimizer other than
 * {@linkcode fusedAdam}'s, or after a compile with another loss or metrics, tfjs's own train
 * function runs. Returns true when fused; false when the model is not such a stack, or (after a
 * one-line notice) when this tfjs-layers lacks the fields it uses.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import * as tfl from "@tensorflow/tfjs-layers";
 * import { registerBlasBackend } from "./register_backend.ts";
 *
 * const blas = registerBlasBackend();
 * await tf.setBackend(blas.registered ? blas.name : "cpu"); // elsewhere tfjs's own step
 * const model = tfl.sequential();
 * model.add(tfl.layers.dense({ inputShape: [4], units: 8, activation: "relu" }));
 * model.add(tfl.layers.dense({ units: 3, activation: "softmax" }));
 * model.compile({ optimizer: fusedAdam(0.01), loss: "categoricalCrossentropy" });
 * assert.equal(fuseDenseTraining(model), true);
 * const loss = await model.trainOnBatch(tf.ones([2, 4]), tf.oneHot([0, 1], 3)); // one output, no metrics: a number
 * assert.ok(Number.isFinite(loss));
 * ```
 */
export function fuseDenseTraining(model: { readonly loss?: unknown }): boolean {
  const inner = (model as { model?: unknown }).model ?? model;
  const layers = (model as { layers?: unknown }).layers;
  if (fusedModels.has(inner)) return true;
  if (!isTrainableModel(inner)) {
    notice(
      "dense",
      `fuseDenseTraining: this tfjs-layers model lacks the fields of tfjs ${TFJS_CHECKED} ` +
        `(makeTrainFunction, collectedTrainableWeights, metricsNames); training with tfjs's own step`,
    );
    return false;
  }
  if (!Array.isArray(layers)) return false;
  const specs = denseStack(layers as LayerLike[]);
  const metrics = inner.metricsNames.slice(1);
  if (
    typeof specs === "string" || model.loss !== "categoricalCrossentropy" ||
    metrics.some((name) => name !== "acc")
  ) {
    return false;
  }
  const weights = (layers as LayerLike[]).filter((l) => l.getClassName() === "Dense")
    .map((l) => l.trainableWeights);
  const order = weights.flat();
  if (
    order.length !== inner.collectedTrainableWeights.length ||
    order.some((w) => !inner.collectedTrainableWeights.includes(w))
  ) {
    return false;
  }
  let step: DenseStep | undefined;
  /** The blas backend, the step and the batch's arrays, or undefined where tfjs must run. */
  const fusedInputs = (data: Tensor[], needsAdam: boolean) => {
    const blas = backend();
    const recompiled = model.loss !== "categoricalCrossentropy" ||
      inner.metricsNames.length !== metrics.length + 1;
    const adam = !needsAdam || inner.optimizer instanceof FusedAdamOptimizer;
    if (!(blas instanceof BlasBackend) || !adam || recompiled) return undefined;
    const [x, y] = data;
    const xs = blas.floatValues(x);
    const ys = blas.floatValues(y);
    const variables = inner.collectedTrainableWeights.map((w) => w.read());
    const values = variables.map((v) => blas.floatValues(v));
    if (
      data.slice(2).some((d) => d != null) || xs === undefined || ys === undefined ||
      x.rank !== 2 || values.some((v) => v === undefined)
    ) {
      return undefined;
    }
    step ??= new DenseStep(blas.blas, specs, blas.epsilon());
    const byWeight = new Map(inner.collectedTrainableWeights.map((w, i) => [w, values[i]!]));
    const layerValues: DenseValues[] = weights.map(([kernel, bias]) => ({
      kernel: byWeight.get(kernel)!,
      bias: bias && byWeight.get(bias),
    }));
    return { step, xs, ys, variables, layerValues };
  };
  const outputs = (loss: number, accuracy: number) =>
    metrics.length > 0 ? [scalar(loss), scalar(accuracy)] : [scalar(loss)];

  const originalTrain = inner.makeTrainFunction.bind(inner);
  inner.makeTrainFunction = () => {
    const tfjsStep = originalTrain();
    return (data: Tensor[]) => {
      const fused = fusedInputs(data, true);
      if (fused === undefined) return tfjsStep(data);
      const { step, xs, ys, variables, layerValues } = fused;
      const result = step.run(xs, ys, layerValues);
      const gradientOf = new Map<LayerWeight, Float32Array>();
      weights.forEach(([kernel, bias], l) => {
        gradientOf.set(kernel, result.gradients[l].kernel);
        if (bias) gradientOf.set(bias, result.gradients[l].bias!);
      });
      const gradients = inner.collectedTrainableWeights.map((w, i) => ({
        name: variables[i].name,
        tensor: tensor(gradientOf.get(w)!, variables[i].shape, "float32"),
      }));
      (inner.optimizer as FusedAdamOptimizer).applyGradients(gradients);
      dispose(gradients.map((g) => g.tensor));
      return outputs(result.loss, result.accuracy);
    };
  };
  const originalTest = inner.makeTestFunction.bind(inner);
  inner.makeTestFunction = () => {
    originalTest();
    const tfjsTest = inner.testFunction;
    inner.testFunction = (data: Tensor[]) => {
      const fused = fusedInputs(data, false);
      if (fused === undefined) return tfjsTest(data);
      const { loss, accuracy } = fused.step.evaluate(fused.xs, fused.ys, fused.layerValues);
      return outputs(loss, accuracy);
    };
  };
  fusedModels.add(inner);
  return true;
}
