/**
 * The tfjs side of a checkpoint: a model serialized as `model.save` makes it, optimizer state
 * included, and a model built back from a checkpoint's files, compiled and set up to train on
 * exactly as the saved model would have. The blas package's `/training` export does what this
 * needs of tfjs's private fields.
 *
 * @module
 */
import {
  fuseTraining,
  restoreFusedAdam,
  saveWithOptimizerState,
} from "@mnist-mlp/tfjs-backend-blas/training";
import { checkError } from "../../checks.ts";
import "../../model/seeded_dropout.ts";
import { type io, type LayersModel, tf } from "../../tf.ts";
import { messageOf } from "./files.ts";
import type { CheckpointFiles, SavedModel } from "./format.ts";

/**
 * The model's artifacts as `model.save` makes them, optimizer state included, with the weights as
 * one array of bytes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../../backend/init.ts";
 * import { buildMlp } from "../../model/mlp.ts";
 *
 * await initBackend();
 * const saved = await serializeModel(buildMlp({ inputSize: 4, hiddenUnits: [3], classes: 2 }));
 * const names = ["dense_1/kernel", "dense_1/bias", "probabilities/kernel", "probabilities/bias"];
 * assert.deepEqual(saved.weightSpecs?.map((spec) => spec.name), [...names, "iter"]); // Adam's step
 * assert.equal(saved.weights.byteLength, 4 * (4 * 3 + 3 + 3 * 2 + 2 + 1));
 * ```
 */
export async function serializeModel(model: LayersModel): Promise<SavedModel> {
  let captured: io.ModelArtifacts | undefined;
  const handler: io.IOHandler = {
    save: (artifacts) => {
      captured = artifacts;
      return Promise.resolve({
        modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: "JSON" },
      });
    },
  };
  await saveWithOptimizerState(model, () => model.save(handler, { includeOptimizer: true }));
  const { weightData, ...artifacts } = captured!;
  const weights = weightData === undefined
    ? new Uint8Array(0)
    : new Uint8Array(tf.io.CompositeArrayBuffer.join(weightData));
  return { ...artifacts, weights };
}

/** An Error naming model.json for one that tfjs threw while building the model. */
function buildError(modelPath: string, error: unknown): Error {
  const message = messageOf(error);
  const unknown = /^Unknown (\w+): ([^\s.]+)/.exec(message);
  const described = unknown
    ? checkError(
      `${modelPath}: ${unknown[1]} class ${unknown[2]}`,
      "one that tfjs has or that tf.serialization.registerClass registered " +
        "(lib/model/seeded_dropout.ts registers SeededDropout)",
      "an unknown class",
    )
    : checkError(
      modelPath,
      "a tfjs layers model whose weights match its layers",
      `one that tfjs cannot build (${message.split("\n")[0]})`,
    );
  return new Error(described.message, { cause: error });
}

/**
 * Gives a loaded model the training setup `buildMlp` gives a new one, so it trains on exactly as
 * the saved model would have: fused cross-entropy, its Adam (moments, step count and
 * accumulated betas) moved into `fusedAdam` (tfjs's own Adam off the blas backend), and the
 * one-pass training step of a dense stack.
 */
async function restoreTraining(model: LayersModel): Promise<void> {
  await restoreFusedAdam(model);
  fuseTraining(model);
}

/**
 * The model that a checkpoint's checked files describe, compiled and with its optimizer state,
 * set up to train on as the saved model would have; refuses, naming model.json, a model that tfjs
 * cannot build.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../../backend/init.ts";
 * import { buildMlp } from "../../model/mlp.ts";
 * import { readCheckpoint, writeCheckpoint } from "./commit.ts";
 *
 * await initBackend();
 * const dir = await Deno.makeTempDir();
 * await writeCheckpoint(dir, await serializeModel(buildMlp({ inputSize: 4, hiddenUnits: [3] })));
 * const model = await modelFromCheckpoint(await readCheckpoint(dir));
 * assert.equal(model.countParams(), 4 * 3 + 3 + 3 * 10 + 10);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function modelFromCheckpoint(files: CheckpointFiles): Promise<LayersModel> {
  const artifacts = tf.io.getModelArtifactsForJSON(
    files.json,
    () => Promise.resolve([files.specs, files.weightData]),
  );
  let model: LayersModel;
  try {
    model = await tf.loadLayersModel({ load: () => artifacts });
  } catch (error) {
    throw buildError(files.modelPath, error);
  }
  await restoreTraining(model);
  return model;
}
