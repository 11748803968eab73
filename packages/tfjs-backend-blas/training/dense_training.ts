/**
 * The one-pass training step: a tfjs-layers Sequential of Dense layers (and dropout layers that
 * draw their own masks) trained and evaluated by {@linkcode DenseStep} on the blas backend, in
 * place of tfjs's tape and ~80 kernel calls per step, with the same numbers bit for bit.
 *
 * @module
 */
import { backend, dispose, scalar, type Tensor, tensor } from "@tensorflow/tfjs-core";
import { BlasBackend } from "../backend_blas.ts";
import { type DenseSpec, DenseStep, type DenseValues } from "../dense_step.ts";
import { FusedAdamOptimizer } from "./fused_adam.ts";
import {
  innerModel,
  type LayerWeight,
  type StepFunction,
  trainableModel,
} from "./tfjs_internals.ts";

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
 * `evaluate` (and `fit`'s validation, split off or given as `validationData`) as one forward
 * pass, the same loss and accuracy. Labels may be float32, or int32 and bool such as `tf.oneHot`
 * makes them (read as float32, as tfjs's own ops read them); a last batch may be smaller. On any
 * other backend, with an optimizer other than {@linkcode fusedAdam}'s, or after a compile with
 * another loss or metrics, tfjs's own train function runs, as asked; with sample weights
 * (`classWeight`), an input that is not float32 [batch, features] or labels that are not numbers,
 * it runs too, and a warning names the reason once per model. Returns true when fused; false when
 * the model is not such a stack, or (after a one-line notice) when this tfjs-layers lacks the
 * fields it uses.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 * import * as tfl from "@tensorflow/tfjs-layers";
 * import { registerBlasBackend } from "../register_backend.ts";
 * import { fusedAdam } from "./fused_adam.ts";
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
  const layersModel = innerModel(model);
  const layers = (model as { layers?: unknown }).layers;
  if (fusedModels.has(layersModel)) return true;
  const compiled = trainableModel(layersModel);
  if (compiled === undefined || !Array.isArray(layers)) return false;
  const specs = denseStack(layers as LayerLike[]);
  const metrics = compiled.metricsNames().slice(1);
  if (
    typeof specs === "string" || model.loss !== "categoricalCrossentropy" ||
    metrics.some((name) => name !== "acc")
  ) {
    return false;
  }
  const weights = (layers as LayerLike[]).filter((l) => l.getClassName() === "Dense")
    .map((l) => l.trainableWeights);
  const order = weights.flat();
  const collected = compiled.weights();
  if (order.length !== collected.length || order.some((w) => !collected.includes(w))) {
    return false;
  }
  let step: DenseStep | undefined;
  const said = new Set<string>();
  /** Says once per model and reason why a batch on blas takes tfjs's own step. */
  const tfjsStepBecause = (reason: string) => {
    if (said.has(reason)) return undefined;
    said.add(reason);
    console.warn(`blas: this model trains with tfjs's own step, which is slower: ${reason}`);
    return undefined;
  };
  /**
   * The blas backend, the step and the batch's arrays; undefined where tfjs must run: off blas,
   * with another optimizer or after a compile with another loss (as asked), or, said once, when
   * the batch is one the step cannot take.
   */
  const fusedInputs = (data: Tensor[], needsAdam: boolean) => {
    const blas = backend();
    const recompiled = model.loss !== "categoricalCrossentropy" ||
      compiled.metricsNames().length !== metrics.length + 1;
    const adam = !needsAdam || compiled.optimizer() instanceof FusedAdamOptimizer;
    if (!(blas instanceof BlasBackend) || !adam || recompiled) return undefined;
    const [x, y] = data;
    if (data.slice(2).some((d) => d != null)) {
      return tfjsStepBecause("it has sample weights (classWeight)");
    }
    const xs = blas.floatValues(x);
    if (xs === undefined || x.rank !== 2) {
      return tfjsStepBecause(`its input is ${x.dtype} [${x.shape}], not float32 [batch, features]`);
    }
    const ys = blas.numericValues(y);
    if (ys === undefined) return tfjsStepBecause(`its labels are ${y.dtype}, not numbers`);
    const variables = compiled.weights().map((w) => w.read());
    const values = variables.map((v) => blas.floatValues(v));
    if (values.some((v) => v === undefined)) {
      return tfjsStepBecause("its weights are not float32 tensors of the blas backend");
    }
    step ??= new DenseStep(blas.blas, specs, blas.epsilon());
    const byWeight = new Map(compiled.weights().map((w, i) => [w, values[i]!]));
    const layerValues: DenseValues[] = weights.map(([kernel, bias]) => ({
      kernel: byWeight.get(kernel)!,
      bias: bias && byWeight.get(bias),
    }));
    return { step, xs, ys, variables, layerValues };
  };
  const outputs = (loss: number, accuracy: number) =>
    metrics.length > 0 ? [scalar(loss), scalar(accuracy)] : [scalar(loss)];

  const train = (tfjsStep: StepFunction) => (data: Tensor[]) => {
    const fused = fusedInputs(data, true);
    if (fused === undefined) return tfjsStep(data);
    const { step, xs, ys, variables, layerValues } = fused;
    const result = step.run(xs, ys, layerValues);
    const gradientOf = new Map<LayerWeight, Float32Array>();
    weights.forEach(([kernel, bias], l) => {
      gradientOf.set(kernel, result.gradients[l].kernel);
      if (bias) gradientOf.set(bias, result.gradients[l].bias!);
    });
    const gradients = compiled.weights().map((w, i) => ({
      name: variables[i].name,
      tensor: tensor(gradientOf.get(w)!, variables[i].shape, "float32"),
    }));
    (compiled.optimizer() as FusedAdamOptimizer).applyGradients(gradients);
    dispose(gradients.map((g) => g.tensor));
    return outputs(result.loss, result.accuracy);
  };
  const test = (tfjsTest: StepFunction) => (data: Tensor[]) => {
    const fused = fusedInputs(data, false);
    if (fused === undefined) return tfjsTest(data);
    const { loss, accuracy } = fused.step.evaluate(fused.xs, fused.ys, fused.layerValues);
    return outputs(loss, accuracy);
  };
  compiled.wrapStepFunctions(train, test);
  fusedModels.add(layersModel);
  return true;
}
