/**
 * Saving and loading models as tfjs layers checkpoints on disk (model.json + one weights file),
 * so that a crash at any moment leaves a loadable checkpoint: the files and the commit are
 * described in checkpoint/ (its mod.ts names each part), and in docs/checkpoints.md.
 *
 * @module
 */
import type { LayersModel } from "../tf.ts";
import {
  MODEL_FILE,
  modelFromCheckpoint,
  readCheckpoint,
  serializeModel,
  writeCheckpoint,
} from "./checkpoint/mod.ts";

/**
 * File names inside a checkpoint folder: `model.json`, which names the weights file in its
 * `weightsManifest` (`weights-<16 hex digits of its SHA-256>.bin`).
 */
export const CHECKPOINT_FILES = { model: MODEL_FILE } as const;

/**
 * Saves a model with its optimizer state to the folder `dir` (created if missing), atomically.
 *
 * The new weights file is written beside the old one, then model.json through a temporary file
 * and one rename, which is the commit; the old weights file is removed after it. At every moment
 * `dir` holds the complete previous checkpoint or the complete new one, also after a SIGKILL or a
 * power loss (files and folder are fsynced before a rename is relied on). Saves to one folder
 * from several processes take turns (a lock on the folder); the last one wins. Refuses, keeping
 * the previous checkpoint, weights that hold NaN or ±Infinity.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../backend/init.ts";
 * import { buildMlp } from "../model/mlp.ts";
 *
 * await initBackend();
 * const dir = await Deno.makeTempDir(); // the notebooks use "checkpoints/mlp_1"
 * await saveCheckpoint(buildMlp(), `${dir}/mlp_1`);
 * const files = await Array.fromAsync(Deno.readDir(`${dir}/mlp_1`), (entry) => entry.name);
 * assert.match(files.sort().join(" "), /^model\.json weights-[0-9a-f]{16}\.bin$/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function saveCheckpoint(model: LayersModel, dir: string): Promise<void> {
  await writeCheckpoint(dir, await serializeModel(model));
}

/**
 * Loads a model saved by {@linkcode saveCheckpoint}, compiled and with its optimizer state, set
 * up to train on exactly as the saved model would have (Adam fused on the blas backend, its
 * step count and moments restored).
 *
 * First recovers what an interrupted save left (also the `.checkpoint-*` folders of earlier
 * versions) and removes its stale temporary files. Refuses, with an Error naming the path and
 * what was expected: a missing folder, a file in place of the folder, corrupt JSON, an unknown
 * layer class, weight paths that leave the folder, a missing or damaged weights file, weight data
 * whose length does not match the manifest, and weights that hold NaN or ±Infinity. With
 * `options.madeBy`, a missing folder's Error also names what saves it and says to run that first.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../backend/init.ts";
 * import { buildMlp } from "../model/mlp.ts";
 *
 * await initBackend();
 * const dir = await Deno.makeTempDir(); // the notebooks use "checkpoints/mlp_1"
 * await saveCheckpoint(buildMlp(), `${dir}/mlp_1`);
 * const model = await loadCheckpoint(`${dir}/mlp_1`);
 * assert.equal(model.countParams(), 269322);
 * await assert.rejects(loadCheckpoint(`${dir}/mlp_2`, { madeBy: "notebook 05" }), {
 *   message: `loadCheckpoint: ${dir}/mlp_2: expected a checkpoint folder, which notebook 05 saves: ` +
 *     "run that first (or deno task reproduce), got none (not found)",
 * });
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function loadCheckpoint(
  dir: string,
  options: LoadCheckpointOptions = {},
): Promise<LayersModel> {
  return await modelFromCheckpoint(await readCheckpoint(dir, options.madeBy));
}

/** Options of {@linkcode loadCheckpoint}. */
export interface LoadCheckpointOptions {
  /** What saves this checkpoint, e.g. "notebook 05 (notebooks/05_train.ipynb)", for the Error. */
  madeBy?: string;
}
