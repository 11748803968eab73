/**
 * The fused Adam update kernel, "BlasAdamUpdate": one pass per variable that reads the weight,
 * its gradient and both moments once and writes their new values (tfjs's Adam issues about a
 * dozen elementwise ops per variable and step). The `fusedAdam` optimizer of `./training.ts`
 * runs it.
 *
 * @module
 */
import { type KernelConfig, type TensorInfo, util } from "@tensorflow/tfjs-core";
import { type BlasKernelArgs, blasKernelConfig } from "../kernel_config.ts";

/** Name of the fused update kernel. */
export const ADAM_UPDATE = "BlasAdamUpdate";

/** Inputs of the fused update kernel: float32 tensors of one shape. */
export type AdamUpdateInputs = Record<"value" | "m" | "v" | "gradient", TensorInfo>;

/** Attributes of the fused update kernel. */
export type AdamUpdateAttrs = {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 − beta1^t: the bias correction of the first moment at step t. */
  correction1: number;
  /** 1 − beta2^t: the bias correction of the second moment at step t. */
  correction2: number;
};

/**
 * tfjs's Adam update of n parameters, computed in float64 until stored: reads w, m, v and the
 * gradient g [n] and writes the new values to w2, m2, v2 [n], which may be w, m, v themselves.
 */
export function adamLoop(
  [w, m, v, g]: Float32Array[],
  [w2, m2, v2]: Float32Array[],
  { learningRate, beta1, beta2, epsilon, correction1, correction2 }: AdamUpdateAttrs,
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

/** value, m, v, gradient [...shape] → [new value, new m, new v], as `adamLoop` computes them. */
export function adamUpdate(
  args: BlasKernelArgs<AdamUpdateInputs, AdamUpdateAttrs>,
): TensorInfo[] {
  const { inputs, backend, attrs } = args;
  const shape = inputs.value.shape;
  const arrays = [inputs.value, inputs.m, inputs.v, inputs.gradient].map((t) => {
    const values = backend.floatValues(t);
    if (values === undefined || values.length !== util.sizeFromShape(shape)) {
      throw new Error(
        `${ADAM_UPDATE}: expected float32 tensors of shape [${shape}], ` +
          `got ${t.dtype} [${t.shape}]`,
      );
    }
    return values;
  });
  const n = arrays[0].length;
  const outputs = [backend.allocate(n), backend.allocate(n), backend.allocate(n)];
  adamLoop(arrays, outputs, attrs);
  return outputs.map((values) => backend.makeTensorInfo(shape, "float32", values));
}

/** The fused Adam update kernel of the "blas" backend. */
export const adamUpdateConfig: KernelConfig = blasKernelConfig(ADAM_UPDATE, adamUpdate);
