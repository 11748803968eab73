/**
 * What a notebook output's script is told about its checkpoint and its block: inlined in the
 * output's HTML as JSON, read by demo/browser/notebook.ts. Types and names only, shared by the
 * output's maker (Deno) and its script (browser).
 *
 * @module
 */
import type { io } from "@tensorflow/tfjs-core";
import type { Fit } from "./preprocess.ts";

/** A checkpoint's model as a notebook output carries it: tfjs's artifacts, weights inline. */
export interface NotebookConfig {
  /** The checkpoint folder, as the output names it. */
  checkpoint: string;
  /** The data set the class names are of: "MNIST" or "Fashion-MNIST". */
  datasetTitle: string;
  /** Name of each class, by the model's output index. */
  classNames: string[];
  /** How a drawing becomes the model's input (MNIST's or Fashion-MNIST's recipe). */
  fit: Fit;
  /** The model's topology, as tfjs serializes it (model.json's `modelTopology`). */
  modelTopology: object;
  /** The model's weights in order: name, shape and dtype (no optimizer state). */
  weightSpecs: io.WeightsManifestEntry[];
  /** The weights' bytes, one after another as `weightSpecs` lists them, in base64. */
  weights: string;
}

/** The attribute that marks an output's block; its value is the output's id. */
export const BLOCK_ATTRIBUTE = "data-draw-digit";

/** The attribute of the part of the block shown where its script does not run. */
export const FALLBACK_ATTRIBUTE = "data-fallback";

/** The global under which the bundled script leaves its `mount(id, config)` function. */
export const MOUNT_GLOBAL = "drawDigitMount";
