/**
 * The fused Adam: tfjs's `AdamOptimizer` whose update runs as one SIMD pass per variable and step
 * on the blas backend, its moments kept in WebAssembly memory between steps; and the move of a
 * loaded model's tfjs Adam into it, for training on after a checkpoint.
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
  type Optimizer,
  type Tensor,
  tensor,
  tidy,
  type Variable,
  zerosLike,
} from "@tensorflow/tfjs-core";
import { BlasBackend } from "../backend_blas.ts";
import { ADAM_UPDATE, adamLoop, AdamMoments, type AdamUpdateAttrs } from "../kernels/AdamUpdate.ts";
import { type AdamInternals, adamInternals, restoreAccumulatedBetas } from "./tfjs_internals.ts";

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
    this.#internals = adamInternals(this);
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
 * import { registerBlasBackend } from "../register_backend.ts";
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

/**
 * Replaces `model`'s optimizer, when it is tfjs's own Adam (as `tf.loadLayersModel` makes it from
 * a saved model), with {@linkcode fusedAdam} of the same settings holding its state: the step
 * count, the moments, and the accumulated betas as training computes them, so that the model
 * trains on exactly as the saved one would have. Returns whether it did.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 *
 * const model = { optimizer: tf.train.adam(0.01) as tf.Optimizer };
 * assert.equal(await restoreFusedAdam(model), true);
 * assert.ok(model.optimizer instanceof FusedAdamOptimizer);
 * assert.equal(await restoreFusedAdam(model), false); // already fused
 * ```
 */
export async function restoreFusedAdam(model: { optimizer?: Optimizer }): Promise<boolean> {
  const adam = model.optimizer;
  if (
    adam === undefined || adam.getClassName() !== "Adam" ||
    Object.getPrototypeOf(adam) !== AdamOptimizer.prototype
  ) {
    return false;
  }
  const { learningRate, beta1, beta2, epsilon } = adam.getConfig() as Record<string, number>;
  const fused = fusedAdam(learningRate, beta1, beta2, epsilon);
  const state = await adam.getWeights();
  await fused.setWeights(state);
  dispose(state[0].tensor); // the step count, which getWeights made as a new scalar
  adam.dispose();
  model.optimizer = fused;
  restoreAccumulatedBetas(fused, beta1, beta2);
  return true;
}
