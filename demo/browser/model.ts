/**
 * The checkpoint's model in the page: tfjs's cpu backend, the model loaded over HTTP from the
 * demo server or from the artifacts a notebook output carries, one prediction per drawing.
 *
 * @module
 */
import "@tensorflow/tfjs-backend-cpu";
import {
  enableProdMode,
  io,
  ready,
  setBackend,
  type Tensor,
  tensor2d,
  tidy,
} from "@tensorflow/tfjs-core";
import { loadLayersModel } from "@tensorflow/tfjs-layers";
import "./seeded_dropout.ts";

/** A loaded classifier: [inputSize] pixels → [classes] probabilities. */
export interface Classifier {
  /** Values per input image (784 for 28×28). */
  inputSize: number;
  /** Number of output probabilities. */
  classes: number;
  /** The probabilities of each class for one image of `inputSize` values. */
  predict(input: Float32Array): Float32Array;
}

/**
 * Loads a tfjs layers model on tfjs's cpu backend, from the URL of its model.json (weights from
 * the files its manifest names, beside it) or from its artifacts in memory (topology, weight
 * specs and weight data); throws when it is not a [N, P] → [N, C] model.
 *
 * @example
 * ```ts ignore
 * // in the page, served by the demo server
 * const model = await loadClassifier("checkpoint/model.json");
 * model.predict(new Float32Array(784)); // Float32Array(10), summing to 1
 * ```
 */
export async function loadClassifier(source: string | io.ModelArtifacts): Promise<Classifier> {
  enableProdMode();
  await setBackend("cpu");
  await ready();
  const model = await loadLayersModel(typeof source === "string" ? source : io.fromMemory(source));
  const input = model.inputs[0]?.shape;
  const output = model.outputs[0]?.shape;
  if (model.inputs.length !== 1 || input.length !== 2 || output?.length !== 2) {
    const what = typeof source === "string" ? source : "the model";
    throw new Error(
      `${what}: a model of inputs [${input}] and outputs [${output}], expected [N, P] → [N, C]`,
    );
  }
  const inputSize = input[1]!;
  const classes = output[1]!;
  return {
    inputSize,
    classes,
    predict(pixels: Float32Array): Float32Array {
      return tidy(() => {
        const probabilities = model.predict(tensor2d(pixels, [1, inputSize])) as Tensor;
        return probabilities.dataSync() as Float32Array;
      });
    },
  };
}
