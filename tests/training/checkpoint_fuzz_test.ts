/**
 * loadCheckpoint against mutated model.json files, seeded: every case loads exactly the saved
 * weights or is refused with an Error that names the checkpoint's file, within a time box; never a
 * TypeError from inside tfjs. `MLP_FUZZ_CASES` sets the number of cases (default 2,000).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { initBackend } from "../../lib/backend/init.ts";
import { buildMlp } from "../../lib/model/mlp.ts";
import { createRandom } from "../../lib/preprocessing/random.ts";
import type { LayersModel } from "../../lib/tf.ts";
import { loadCheckpoint, saveCheckpoint } from "../../lib/training/checkpoint.ts";
import { assertRefusedByName, FUZZ_CASES, mutateJson, timeBox } from "../fixtures/fuzz.ts";
import { tempDir } from "../fixtures/temp_dir.ts";

await initBackend();

/**
 * The weights layer by layer, in each layer's order: a layer marked non-trainable moves its
 * weights to the end of getWeights(), a renamed layer keeps them, with the same values.
 */
function byLayer(model: LayersModel): number[][][] {
  return model.layers.map((l) => l.getWeights().map((w) => Array.from(w.dataSync())));
}

Deno.test(`loadCheckpoint: ${FUZZ_CASES} mutated model.json files load as saved or are refused by name`, async () => {
  await using tmp = await tempDir("checkpoint-fuzz-");
  const saved = join(tmp.path, "saved");
  const model = buildMlp({ inputSize: 6, hiddenUnits: [5], classes: 3, seed: 2 });
  await saveCheckpoint(model, saved);
  const weights = byLayer(model);
  const modelJson = JSON.parse(await Deno.readTextFile(join(saved, "model.json")));
  const weightsFile = modelJson.weightsManifest[0].paths[0];
  const dir = join(tmp.path, "case");
  await Deno.mkdir(dir);
  const random = createRandom(20261205);
  const started = performance.now();
  let loaded = 0;
  // tfjs warns on the console about some mutated training configs it still loads; keep the log
  // readable.
  const warn = console.warn;
  console.warn = () => {};
  try {
    for (let i = 0; i < FUZZ_CASES; i++) {
      // A refused case may leave the weights file unreferenced, and recovery removes it.
      await Deno.copyFile(join(saved, weightsFile), join(dir, weightsFile));
      const [json, change] = mutateJson(modelJson, random);
      await Deno.writeTextFile(join(dir, "model.json"), JSON.stringify(json));
      const what = `case ${i}: ${change}`;
      try {
        const back = await timeBox(loadCheckpoint(dir), what);
        assert.deepEqual(byLayer(back), weights, what);
        back.dispose();
        loaded++;
      } catch (error) {
        if (error instanceof assert.AssertionError) throw error;
        assertRefusedByName(error, /case\/(model\.json|weights-[0-9a-f]+\.bin)/, what);
        assert.match((error as Error).message, /: expected .+, got /, `${what}: in checks' style`);
      }
    }
  } finally {
    console.warn = warn;
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `checkpoint fuzz: ${FUZZ_CASES} cases, ${loaded} loaded as saved, ${FUZZ_CASES - loaded} ` +
      `refused by name, ${seconds.toFixed(1)} s`,
  );
  model.dispose();
});

Deno.test("loadCheckpoint refuses a manifest that lists null among its weights, naming model.json", async () => {
  await using tmp = await tempDir("checkpoint-fuzz-");
  const model = buildMlp({ inputSize: 6, hiddenUnits: [5], classes: 3, seed: 2 });
  await saveCheckpoint(model, tmp.path);
  const path = join(tmp.path, "model.json");
  const json = JSON.parse(await Deno.readTextFile(path));
  json.weightsManifest[0].weights[1] = null;
  await Deno.writeTextFile(path, JSON.stringify(json));
  await assert.rejects(loadCheckpoint(tmp.path), {
    message: `${path}: weightsManifest entry: expected a weight { name, shape, dtype }, got null`,
  });
  model.dispose();
});
