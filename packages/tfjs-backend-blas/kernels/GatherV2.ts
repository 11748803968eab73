/**
 * The GatherV2 kernel: copies whole slices, e.g. the rows of a shuffled mini-batch (the cpu
 * kernel converts every element's index to coordinates and back).
 *
 * @module
 */
import {
  GatherV2,
  type GatherV2Attrs,
  type GatherV2Inputs,
  type KernelConfig,
  type TensorInfo,
  util,
} from "@tensorflow/tfjs-core";
import { type BlasKernelArgs, blasKernelConfig, cpuFallback } from "../kernel_config.ts";

type NumericArray = Float32Array | Int32Array | Uint8Array;

function isNumeric(values: unknown): values is NumericArray {
  return values instanceof Float32Array || values instanceof Int32Array ||
    values instanceof Uint8Array;
}

const cpuGatherV2 = cpuFallback(GatherV2);

/**
 * Slices shorter than this are copied element by element: a subarray per slice costs more than
 * copying a one-hot label row (10 values) itself; longer ones, such as an image's 784, by `set`.
 */
const SHORT_SLICE = 64;

/**
 * x [...outer, dim, ...inner] gathered at indices [...k] along `axis` →
 * [...outer, ...k, ...inner]. Batched gathers (batchDims > 0) go to the cpu kernel.
 */
export function gatherV2(
  args: BlasKernelArgs<GatherV2Inputs, GatherV2Attrs>,
): TensorInfo | TensorInfo[] {
  const { inputs: { x, indices }, backend, attrs: { axis, batchDims } } = args;
  const values = backend.data.get(x.dataId).values;
  const picks = backend.data.get(indices.dataId).values;
  if ((batchDims ?? 0) !== 0 || !isNumeric(values) || !isNumeric(picks)) return cpuGatherV2(args);
  const [a] = util.parseAxisParam(axis, x.shape);
  const dim = x.shape[a];
  for (let i = 0; i < picks.length; i++) {
    if (!(picks[i] >= 0 && picks[i] < dim)) {
      throw new Error(`GatherV2: the index value ${picks[i]} is not in [0, ${dim - 1}]`);
    }
  }
  const outer = util.sizeFromShape(x.shape.slice(0, a));
  const inner = util.sizeFromShape(x.shape.slice(a + 1));
  const size = outer * picks.length * inner;
  const Values = values.constructor as new (length: number) => NumericArray;
  const out = values instanceof Float32Array ? backend.allocate(size) : new Values(size);
  for (let o = 0, target = 0; o < outer; o++) {
    for (let k = 0; k < picks.length; k++, target += inner) {
      const source = (o * dim + picks[k]) * inner;
      if (inner < SHORT_SLICE) {
        for (let j = 0; j < inner; j++) out[target + j] = values[source + j];
      } else {
        out.set(values.subarray(source, source + inner), target);
      }
    }
  }
  const shape = [...x.shape.slice(0, a), ...indices.shape, ...x.shape.slice(a + 1)];
  return backend.makeTensorInfo(shape, x.dtype, out);
}

/** The GatherV2 kernel of the "blas" backend. */
export const gatherV2Config: KernelConfig = blasKernelConfig(GatherV2, gatherV2);
