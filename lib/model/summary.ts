/**
 * A Keras-style summary of a model's layers, as plain rows that tables and the diagram draw.
 *
 * @module
 */
import type { LayersModel } from "../tf.ts";

/** One row of a model summary. */
export interface LayerSummary {
  /** The layer's name, e.g. "dense_1". */
  name: string;
  /** The layer's class, e.g. "Dense". */
  type: string;
  /** Output shape with the batch dimension as "None", e.g. "[None, 256]". */
  outputShape: string;
  /** Number of parameters (weights and biases). */
  params: number;
}

/**
 * The rows of a Keras-style model summary: layer, output shape, parameters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../backend/init.ts";
 * import { buildMlp } from "./mlp.ts";
 *
 * await initBackend();
 * const rows = summarizeLayers(buildMlp());
 * assert.deepEqual(rows.map((l) => l.params), [200960, 0, 65792, 0, 2570]);
 * assert.deepEqual(rows[0], {
 *   name: "dense_1",
 *   type: "Dense",
 *   outputShape: "[None, 256]",
 *   params: 200960,
 * });
 * ```
 */
export function summarizeLayers(model: LayersModel): LayerSummary[] {
  return model.layers.map((layer) => ({
    name: layer.name,
    type: layer.getClassName(),
    outputShape: JSON.stringify(layer.outputShape).replaceAll("null", "None").replaceAll(",", ", "),
    params: layer.countParams(),
  }));
}
