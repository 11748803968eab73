/**
 * Adam whose update is one fused pass per variable on the "blas" backend.
 *
 * tfjs's Adam issues about a dozen elementwise ops per variable and step (each a pass over
 * 269,322 parameters for the study's MLP, plus an array and a kernel dispatch); the fused
 * update reads the weight, gradient and both moments once and writes their new values, into
 * the variables' own arrays when nothing else can see them (else through a kernel that makes
 * new ones, which the variables are then assigned). On any other backend the optimizer is
 * tfjs's own Adam, unchanged. Moments and the step count live where tfjs keeps them, so
 * `getWeights`, `setWeights`, `getConfig` and the class name ("Adam") are tfjs's too.
 *
 * @module
 */
import type { BlasBackend, KernelConfig, KernelFunc, TensorInfo } from "./blas_backend_class.ts";
import { type Tensor, tf } from "./tf.ts";

/** Name of the fused update kernel. */
export const ADAM_UPDATE = "BlasAdamUpdate";

/** Attributes of the fused update kernel. */
interface AdamAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − beta1^t and 1 − beta2^t: the bias corrections of step t. */
  correction1: number;
  correction2: number;
}

/**
 * tfjs's Adam update of n parameters, computed in float64 until stored: reads w, m, v and the
 * gradient g [n] and writes the new values to w2, m2, v2 [n], which may be w, m, v themselves.
 */
function adamLoop(
  [w, m, v, g]: Float32Array[],
  [w2, m2, v2]: Float32Array[],
  { learningRate, beta1, beta2, epsilon, correction1, correction2 }: AdamAttrs,
): void {
  const n = w.length;
  const step = learningRate / correction1;
  const vScale = 1 / correction2;
  for (let i = 0; i < n; i++) {
    const gi = g[i];
    const mi = m[i] * beta1 + gi * (1 - beta1);
    const vi = v[i] * beta2 + gi * gi * (1 - beta2);
    m2[i] = mi;
    v2[i] = vi;
    w2[i] = w[i] - step * mi / (Math.sqrt(vi * vScale) + epsilon);
  }
}

/**
 * Creates the fused update kernel: value, m, v, gradient (float32, one shape) →
 * [new value, new m, new v], as `adamLoop` computes them.
 */
export function adamUpdateKernel(backendName: string): KernelConfig {
  const kernelFunc: KernelFunc = (args) => {
    const backend = args.backend as BlasBackend;
    const inputs = args.inputs as Record<"value" | "m" | "v" | "gradient", TensorInfo>;
    const shape = inputs.value.shape;
    const arrays = [inputs.value, inputs.m, inputs.v, inputs.gradient].map((t) => {
      const values = backend.floatValues(t);
      if (values === undefined || values.length !== tf.util.sizeFromShape(shape)) {
        throw new Error(
          `${ADAM_UPDATE}: expected float32 tensors of shape [${shape}], ` +
            `got ${t.dtype} [${t.shape}]`,
        );
      }
      return values;
    });
    const n = arrays[0].length;
    const outputs = [backend.allocate(n), backend.allocate(n), backend.allocate(n)];
    adamLoop(arrays, outputs, args.attrs as unknown as AdamAttrs);
    return outputs.map((values) => backend.makeTensorInfo(shape, "float32", values));
  };
  return { kernelName: ADAM_UPDATE, backendName, kernelFunc };
}

type Variable = ReturnType<typeof tf.variable>;
type VariableGradients = Parameters<InstanceType<typeof tf.AdamOptimizer>["applyGradients"]>[0];

/** The state tfjs's AdamOptimizer keeps in fields that its typings mark private. */
interface AdamState {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: Variable;
  accBeta2: Variable;
  accumulatedFirstMoment: ({ originalName: string; variable: Variable } | undefined)[];
  accumulatedSecondMoment: ({ originalName: string; variable: Variable } | undefined)[];
  incrementIterations(): void;
}

/** tfjs's Adam, with one fused update per variable where the backend has its kernel. */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  override applyGradients(variableGradients: VariableGradients): void {
    if (tf.getKernel(ADAM_UPDATE, tf.getBackend()) === undefined) {
      return super.applyGradients(variableGradients);
    }
    const backend = tf.backend() as BlasBackend;
    const state = this as unknown as AdamState;
    const list = Array.isArray(variableGradients)
      ? variableGradients
      : Object.entries(variableGradients).map(([name, tensor]) => ({ name, tensor }));
    const scalar = (t: Variable) => backend.ownValues(t)?.[0] ?? t.dataSync()[0];
    const attrs: AdamAttrs = {
      learningRate: state.learningRate,
      beta1: state.beta1,
      beta2: state.beta2,
      epsilon: state.epsilon,
      correction1: 1 - scalar(state.accBeta1),
      correction2: 1 - scalar(state.accBeta2),
    };
    tf.tidy(() => {
      list.forEach(({ name, tensor: gradient }, i) => {
        const value = tf.engine().registeredVariables[name];
        const zeros = (suffix: string) => ({
          originalName: `${name}/${suffix}`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        });
        state.accumulatedFirstMoment[i] ??= zeros("m");
        state.accumulatedSecondMoment[i] ??= zeros("v");
        if (gradient == null) return;
        const m = state.accumulatedFirstMoment[i]!.variable;
        const v = state.accumulatedSecondMoment[i]!.variable;
        if (!updateInPlace(backend, [value, m, v], gradient, attrs)) {
          const inputs = { value, m, v, gradient };
          const kernelAttrs = attrs as unknown as Record<string, number>;
          const [w2, m2, v2] = tf.engine().runKernel(ADAM_UPDATE, inputs, kernelAttrs) as Tensor[];
          m.assign(m2);
          v.assign(v2);
          value.assign(w2);
        }
      });
      for (
        const [acc, beta] of [[state.accBeta1, state.beta1], [state.accBeta2, state.beta2]] as const
      ) {
        const values = backend.ownValues(acc);
        if (values) values[0] *= Math.fround(beta);
        else acc.assign(tf.mul(acc, beta));
      }
    });
    state.incrementIterations();
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
  attrs: AdamAttrs,
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
 * model.compile({ optimizer: fusedAdam(0.001), loss: "categoricalCrossentropy" });
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
