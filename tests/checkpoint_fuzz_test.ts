/**
 * loadCheckpoint against mutated model.json files, seeded: every case loads exactly the saved
 * weights or is refused with an Error that names the checkpoint's file, within a time box; never a
 * TypeError from inside tfjs. `MLP_FUZZ_CASES` sets the number of cases (default 2,000).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { initBackend } from "../lib/backend/init.ts";
import { buildMlp } from "../lib/model/mlp.ts";
import { createRandom, type Random } from "../lib/preprocessing/random.ts";
import { loadCheckpoint, saveCheckpoint } from "../lib/training/checkpoint.ts";
import { tempDir } from "./temp_dir.ts";

await initBackend();
const CASES = Number(Deno.env.get("MLP_FUZZ_CASES") ?? 2000);
const TIME_BOX_MS = 10_000;

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const REPLACEMENTS: Json[] = [null, 0, -1, 1e308, "", "x", [], [null], {}, { a: 1 }, true];

/** Every path to a value inside `value` (arrays and objects), the root excluded. */
function paths(value: Json, at: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== "object") return [];
  const keys = Array.isArray(value) ? value.map((_, i) => i) : Object.keys(value);
  return keys.flatMap((key) => {
    const child = (value as Record<string | number, Json>)[key];
    return [[...at, key], ...paths(child, [...at, key])];
  });
}

/** A copy of `json` with one value deleted or replaced, chosen by `random`; and what was done. */
function mutate(json: Json, random: Random): [Json, string] {
  const copy = structuredClone(json);
  const all = paths(copy);
  const path = all[Math.floor(random.float() * all.length)];
  const parent = path.slice(0, -1).reduce(
    (v, key) => (v as Record<string | number, Json>)[key],
    copy,
  ) as Record<string | number, Json>;
  const key = path.at(-1)!;
  if (random.float() < 0.3 && !Array.isArray(parent)) {
    delete parent[key];
    return [copy, `deleted ${path.join(".")}`];
  }
  const replacement = REPLACEMENTS[Math.floor(random.float() * REPLACEMENTS.length)];
  parent[key] = structuredClone(replacement);
  return [copy, `${path.join(".")} = ${JSON.stringify(replacement)}`];
}

function timeBox<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`time box of ${TIME_BOX_MS} ms: ${what}`)),
      TIME_BOX_MS,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

Deno.test(`loadCheckpoint: ${CASES} mutated model.json files load as saved or are refused by name`, async () => {
  await using tmp = await tempDir("checkpoint-fuzz-");
  const saved = join(tmp.path, "saved");
  const model = buildMlp({ inputSize: 6, hiddenUnits: [5], classes: 3, seed: 2 });
  await saveCheckpoint(model, saved);
  // Layer by layer, in each layer's order: a layer marked non-trainable moves its weights to the
  // end of getWeights(), a renamed layer keeps them, with the same values.
  const byLayer = (m: typeof model) =>
    m.layers.map((l) => l.getWeights().map((w) => Array.from(w.dataSync())));
  const weights = byLayer(model);
  const modelJson = JSON.parse(await Deno.readTextFile(join(saved, "model.json")));
  const weightsFile = modelJson.weightsManifest[0].paths[0];
  const dir = join(tmp.path, "case");
  await Deno.mkdir(dir);
  await Deno.copyFile(join(saved, weightsFile), join(dir, weightsFile));
  const random = createRandom(20261205);
  const started = performance.now();
  let loaded = 0;
  // tfjs warns on the console about some mutated training configs it still loads; keep the log
  // readable.
  const warn = console.warn;
  console.warn = () => {};
  try {
    await fuzz();
  } finally {
    console.warn = warn;
  }
  async function fuzz() {
    for (let i = 0; i < CASES; i++) {
      const [json, change] = mutate(modelJson, random);
      await Deno.writeTextFile(join(dir, "model.json"), JSON.stringify(json));
      const what = `case ${i}: ${change}`;
      try {
        const back = await timeBox(loadCheckpoint(dir), what);
        assert.deepEqual(byLayer(back), weights, what);
        back.dispose();
        loaded++;
      } catch (error) {
        assert.ok(error instanceof Error, `${what}: threw ${error}`);
        assert.ok(!(error instanceof TypeError), `${what}: ${error.stack}`);
        assert.match(
          error.message,
          /case\/(model\.json|weights-[0-9a-f]+\.bin)/,
          `${what}: ${error.message}`,
        );
      }
      // A refused case may leave the weights file behind as unreferenced (recovery removes it).
      await Deno.copyFile(join(saved, weightsFile), join(dir, weightsFile));
    }
  }
  const seconds = (performance.now() - started) / 1000;
  console.log(
    `checkpoint fuzz: ${CASES} cases, ${loaded} loaded as saved, ${CASES - loaded} refused by ` +
      `name, ${seconds.toFixed(1)} s`,
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
    message: `${path}: weightsManifest entry null: expected a weight { name, shape, dtype }`,
  });
  model.dispose();
});
