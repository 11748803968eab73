/**
 * The child process of checkpoint_kill_test.ts, and the tiny model both use.
 *
 * `deno run -A tests/training/checkpoint_kill_child.ts <dir> <first version> [<count>]` saves
 * versions first, first + 1, … of a tiny model to the checkpoint folder `dir` with the library's save
 * (`writeCheckpoint` of `serializeModel`, which `saveCheckpoint` runs), printing `ready` before the first save and
 * `saved <version> <milliseconds>` after each commit, until it is killed or has saved `count`.
 * Version v has every weight and every Adam value derived from v (see {@linkcode setVersion}),
 * and v in model.json's metadata, so a loaded checkpoint tells which save it came from.
 *
 * With `CHECKPOINT_KILL_STOP=<step>` (a step of `SAVE_STEPS`) the first save stops at that step,
 * prints `stopped <step>` and waits there to be killed.
 *
 * @module
 */
import { buildMlp } from "../../lib/model/mlp.ts";
import { type LayersModel, type Tensor, tf } from "../../lib/tf.ts";
import { serializeModel, writeCheckpoint } from "../../lib/training/checkpoint/mod.ts";

/** A model of 8 → 6 → 3 (75 weights), compiled with Adam like the study's. */
export function tinyModel(): LayersModel {
  return buildMlp({ inputSize: 8, hiddenUnits: [6], classes: 3, seed: 3 });
}

/** Four fixed inputs for the tiny model. */
export function tinyInputs(): Tensor {
  return tf.tensor2d(Array.from({ length: 32 }, (_, i) => ((i * 7) % 11) / 11), [4, 8]);
}

/** The value of element `i` of a weight in version `version`: small, and distinct per version. */
export function versionValue(version: number, i: number): number {
  return Math.fround(version / 1024 + ((i % 13) - 6) / 64);
}

/** Gives the model's weights and its Adam state (moments, step count) version `version`. */
export async function setVersion(model: LayersModel, version: number): Promise<void> {
  const adam = model.optimizer;
  const [iterations, ...moments] = await adam.getWeights();
  tf.dispose(iterations.tensor);
  if (moments.length === 0) {
    // Adam makes its moments at the first step.
    const x = tinyInputs();
    const y = tf.oneHot(tf.tensor1d([0, 1, 2, 0], "int32"), 3);
    await model.trainOnBatch(x, y);
    tf.dispose([x, y]);
    return await setVersion(model, version);
  }
  const fill = (t: Tensor) =>
    tf.tensor(t.dataSync().map((_, i) => versionValue(version, i)), t.shape);
  const weights = model.getWeights().map(fill);
  model.setWeights(weights);
  const state = [
    { name: "iter", tensor: tf.scalar(version, "int32") },
    ...moments.map(({ name, tensor }) => ({ name, tensor: fill(tensor) })),
  ];
  await adam.setWeights(state);
  tf.dispose([...weights, ...state.map((s) => s.tensor), ...moments.map((m) => m.tensor)]);
}

/** The version model.json's metadata names. */
export function metadataVersion(model: LayersModel): number | undefined {
  const metadata = model.getUserDefinedMetadata() as { killTest?: { version?: number } };
  return metadata?.killTest?.version;
}

if (import.meta.main) {
  await tf.setBackend("cpu");
  const [dir, first, count = "Infinity"] = Deno.args;
  const stopAt = Deno.env.get("CHECKPOINT_KILL_STOP");
  const model = tinyModel();
  await setVersion(model, 0); // Adam's moments exist from here on
  console.log("ready");
  for (let version = Number(first); version < Number(first) + Number(count); version++) {
    await setVersion(model, version);
    const start = performance.now();
    await writeCheckpoint(dir, await serializeModel(model), {
      metadata: { killTest: { version } },
      onStep: async (step) => {
        if (step !== stopAt || version !== Number(first)) return;
        console.log(`stopped ${step}`);
        await new Promise((resolve) => setTimeout(resolve, 3_600_000));
      },
    });
    console.log(`saved ${version} ${(performance.now() - start).toFixed(2)}`);
  }
}
