/**
 * The float32 Mean kernel: like the cpu kernel, divides every element by the number summed
 * (rounding to float32), then sums over `axis` with the blas Sum kernel.
 *
 * @module
 */
import {
  type KernelConfig,
  Mean,
  type MeanAttrs,
  type MeanInputs,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";
import { type BlasKernelArgs, blasKernelConfig, cpuFallback } from "../kernel_config.ts";
import { sum } from "./Sum.ts";

const cpuMean = cpuFallback(Mean);

/** x averaged over `axis`; other dtypes go to the cpu kernel. */
export function mean(args: BlasKernelArgs<MeanInputs, MeanAttrs>): TensorInfo | TensorInfo[] {
  const { inputs: { x }, backend, attrs } = args;
  const values = backend.floatValues(x);
  if (values === undefined) return cpuMean(args);
  const axes = util.parseAxisParam(attrs.axis, x.shape);
  const count = Math.fround(axes.reduce((n, a) => n * x.shape[a], 1));
  const scaled = backend.allocate(values.length);
  for (let i = 0; i < values.length; i++) scaled[i] = values[i] / count;
  const input = backend.makeTensorInfo(x.shape, "float32", scaled);
  const out = sum({ inputs: { x: input }, backend, attrs }) as TensorInfo;
  backend.disposeIntermediateTensorInfo(input);
  return out;
}

/** The Mean kernel of the "blas" backend. */
export const meanConfig: KernelConfig = blasKernelConfig(Mean, mean);
