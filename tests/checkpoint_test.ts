import assert from "node:assert/strict";
import { join } from "node:path";
import { initBackend } from "../lib/backend/init.ts";
import { loadCheckpoint, saveCheckpoint } from "../lib/training/checkpoint.ts";
import { buildMlp } from "../lib/model/mlp.ts";
import { type LayersModel, type Tensor, tf } from "../lib/tf.ts";

await initBackend();

const small = () => buildMlp({ inputSize: 20, hiddenUnits: [16, 8], classes: 4, seed: 11 });

async function trainedModel(): Promise<[LayersModel, Tensor, Tensor]> {
  const model = small();
  const x = tf.randomUniform([64, 20], 0, 1, "float32", 1);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 4), "int32"), 4);
  for (let i = 0; i < 3; i++) await model.trainOnBatch(x, y);
  return [model, x, y];
}

async function tempCheckpoint(): Promise<[string, LayersModel, Tensor, Tensor]> {
  const [model, x, y] = await trainedModel();
  const dir = join(await Deno.makeTempDir({ prefix: "ckpt-test-" }), "mlp");
  await saveCheckpoint(model, dir);
  return [dir, model, x, y];
}

Deno.test("a saved-then-loaded model predicts exactly what the original did", async () => {
  const [dir, model, x] = await tempCheckpoint();
  assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name).sort(), [
    "model.json",
    "weights.bin",
  ]);
  const loaded = await loadCheckpoint(dir);
  const expected = (model.predict(x) as Tensor).dataSync();
  assert.deepEqual((loaded.predict(x) as Tensor).dataSync(), expected);
  assert.equal(loaded.layers[1].getClassName(), "SeededDropout");
});

Deno.test("the optimizer state is saved, so training resumes where it stopped", async () => {
  const [dir, model, x, y] = await tempCheckpoint();
  const loaded = await loadCheckpoint(dir);
  assert.equal(loaded.optimizer.getClassName(), "Adam");
  const saved = (await model.optimizer.getWeights()).map((w) => [...w.tensor.dataSync()]);
  const restored = (await loaded.optimizer.getWeights()).map((w) => [...w.tensor.dataSync()]);
  assert.ok(saved.length > 1);
  assert.deepEqual(restored, saved);
  const next = await model.trainOnBatch(x, y);
  const resumed = await loaded.trainOnBatch(x, y);
  assert.deepEqual(resumed, next);
});

Deno.test("saving over a checkpoint replaces it whole and leaves no temporary folder", async () => {
  const [dir, model, x, y] = await tempCheckpoint();
  await model.trainOnBatch(x, y);
  await saveCheckpoint(model, dir);
  const loaded = await loadCheckpoint(dir);
  assert.deepEqual(
    (loaded.predict(x) as Tensor).dataSync(),
    (model.predict(x) as Tensor).dataSync(),
  );
  const parent = join(dir, "..");
  assert.deepEqual([...Deno.readDirSync(parent)].map((e) => e.name), ["mlp"]);
});

Deno.test("an interrupted save keeps the previous checkpoint intact", async () => {
  const [dir, , x] = await tempCheckpoint();
  const before = (await loadCheckpoint(dir)).predict(x) as Tensor;
  const failing = {
    save: (handler: { save: (a: object) => Promise<unknown> }) =>
      handler.save({
        modelTopology: {},
        weightData: new ArrayBuffer(8),
        get trainingConfig(): never {
          throw new Error("disk full");
        },
      }),
  } as unknown as LayersModel;
  await assert.rejects(saveCheckpoint(failing, dir), /disk full/);
  const after = (await loadCheckpoint(dir)).predict(x) as Tensor;
  assert.deepEqual(after.dataSync(), before.dataSync());
  assert.deepEqual([...Deno.readDirSync(join(dir, ".."))].map((e) => e.name), ["mlp"]);
});

Deno.test("loadCheckpoint refuses a missing folder, naming the path", async () => {
  await assert.rejects(
    loadCheckpoint("/nonexistent/ckpt"),
    /checkpoint folder not found: \/nonexistent\/ckpt/,
  );
  const empty = await Deno.makeTempDir();
  await assert.rejects(loadCheckpoint(empty), /model\.json: not found; expected a checkpoint/);
});

Deno.test("loadCheckpoint refuses corrupt JSON, mismatched weights and escaping paths", async (t) => {
  const [dir] = await tempCheckpoint();
  const modelPath = join(dir, "model.json");
  const json = JSON.parse(await Deno.readTextFile(modelPath));
  const weights = await Deno.readFile(join(dir, "weights.bin"));
  const withManifestPath = (path: string) =>
    JSON.stringify({ ...json, weightsManifest: [{ ...json.weightsManifest[0], paths: [path] }] });

  await t.step("corrupt JSON", async () => {
    await Deno.writeTextFile(modelPath, '{"modelTopology": ');
    await assert.rejects(loadCheckpoint(dir), /model\.json: corrupt JSON/);
  });
  await t.step("weights shorter than the manifest", async () => {
    await Deno.writeTextFile(modelPath, JSON.stringify(json));
    await Deno.writeFile(join(dir, "weights.bin"), weights.subarray(0, weights.length - 4));
    await assert.rejects(
      loadCheckpoint(dir),
      new RegExp(
        `weights\\.bin: ${
          weights.length - 4
        } bytes of weights, but .*model\\.json describes ${weights.length}`,
      ),
    );
    await Deno.writeFile(join(dir, "weights.bin"), weights);
  });
  for (const path of ["../../x", "/etc/passwd", "sub/../../weights.bin"]) {
    await t.step(`weight path ${path}`, async () => {
      await Deno.writeTextFile(modelPath, withManifestPath(path));
      await assert.rejects(
        loadCheckpoint(dir),
        new RegExp(`weight path "${path.replaceAll(".", "\\.")}" leaves the checkpoint folder`),
      );
    });
  }
  await t.step("a missing weights file", async () => {
    await Deno.writeTextFile(modelPath, withManifestPath("other.bin"));
    await assert.rejects(loadCheckpoint(dir), /other\.bin: cannot read weights/);
  });
});
