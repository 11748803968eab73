import assert from "node:assert/strict";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { initBackend } from "../../lib/backend/init.ts";
import { loadCheckpoint, saveCheckpoint } from "../../lib/training/checkpoint.ts";
import { buildMlp } from "../../lib/model/mlp.ts";
import { type LayersModel, type Tensor, tf } from "../../lib/tf.ts";
import { type TempDir, tempDir } from "../fixtures/temp_dir.ts";

await initBackend();

const small = () => buildMlp({ inputSize: 20, hiddenUnits: [16, 8], classes: 4, seed: 11 });

async function trainedModel(steps = 3): Promise<[LayersModel, Tensor, Tensor]> {
  const model = small();
  const x = tf.randomUniform([64, 20], 0, 1, "float32", 1);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 64 }, (_, i) => i % 4), "int32"), 4);
  for (let i = 0; i < steps; i++) await model.trainOnBatch(x, y);
  return [model, x, y];
}

/** A trained model saved to the folder `mlp` in `tmp`, which the caller's `await using` removes. */
async function tempCheckpoint(tmp: TempDir): Promise<[string, LayersModel, Tensor, Tensor]> {
  const [model, x, y] = await trainedModel();
  const dir = join(tmp.path, "mlp");
  await saveCheckpoint(model, dir);
  return [dir, model, x, y];
}

const names = (dir: string) => [...Deno.readDirSync(dir)].map((e) => e.name).sort();
const predictions = (model: LayersModel, x: Tensor) => [...(model.predict(x) as Tensor).dataSync()];
const weightsOf = (model: LayersModel) => model.getWeights().map((w) => [...w.dataSync()]);
const WEIGHTS_NAME = /^weights-[0-9a-f]{16}\.bin$/;

/** The weights file that model.json in `dir` names. */
async function weightsFile(dir: string): Promise<string> {
  const json = JSON.parse(await Deno.readTextFile(join(dir, "model.json")));
  return json.weightsManifest[0].paths[0];
}

/** Rewrites `dir` with other weight bytes under their content name, as a save would. */
async function rewriteWeights(dir: string, bytes: Uint8Array) {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes as BufferSource));
  const hex = Array.from(digest.subarray(0, 8), (b) => b.toString(16).padStart(2, "0")).join("");
  const json = JSON.parse(await Deno.readTextFile(join(dir, "model.json")));
  await Deno.remove(join(dir, json.weightsManifest[0].paths[0]));
  json.weightsManifest[0].paths = [`weights-${hex}.bin`];
  await Deno.writeFile(join(dir, `weights-${hex}.bin`), bytes);
  await Deno.writeTextFile(join(dir, "model.json"), JSON.stringify(json));
}

/** A copy of checkpoint `src` at `dest` as the earlier scheme wrote it (weights.bin). */
async function oldSchemeCopy(src: string, dest: string) {
  await Deno.mkdir(dest);
  const json = JSON.parse(await Deno.readTextFile(join(src, "model.json")));
  await Deno.copyFile(join(src, json.weightsManifest[0].paths[0]), join(dest, "weights.bin"));
  json.weightsManifest[0].paths = ["weights.bin"];
  await Deno.writeTextFile(join(dest, "model.json"), JSON.stringify(json));
}

/** Runs `task` and returns what it printed with console.warn. */
async function warnings(task: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void lines.push(args.join(" "));
  try {
    await task();
  } finally {
    console.warn = warn;
  }
  return lines;
}

Deno.test("a saved-then-loaded model predicts exactly what the original did", async () => {
  await using tmp = await tempDir("ckpt-test-");
  const [dir, model, x] = await tempCheckpoint(tmp);
  const files = names(dir);
  assert.equal(files.length, 2);
  assert.equal(files[0], "model.json");
  assert.match(files[1], WEIGHTS_NAME);
  assert.equal(await weightsFile(dir), files[1]);
  const loaded = await loadCheckpoint(dir);
  assert.deepEqual(predictions(loaded, x), predictions(model, x));
  assert.equal(loaded.layers[1].getClassName(), "SeededDropout");
});

Deno.test("a checkpoint is a standard tfjs layers model: tfjs's own HTTP loader reads it", async () => {
  await using tmp = await tempDir("ckpt-test-");
  const [dir, model, x] = await tempCheckpoint(tmp);
  // tfjs's browser loader: fetches model.json, then the weights file its manifest names.
  const url = pathToFileURL(join(dir, "model.json")).href;
  const loaded = await tf.loadLayersModel(tf.io.http(url, { fetchFunc: fetch }));
  assert.deepEqual(predictions(loaded, x), predictions(model, x));
});

Deno.test("the optimizer state is saved, so training resumes where it stopped", async () => {
  await using tmp = await tempDir("ckpt-test-");
  const [dir, model, x, y] = await tempCheckpoint(tmp);
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

Deno.test("a loaded model trains on bit for bit like the saved one (Adam's accumulated betas too)", async () => {
  // After 24 steps tfjs's setWeights would compute β₂²⁵ with pow(), 1 ulp off the product.
  const [model, x, y] = await trainedModel(24);
  await using tmp = await tempDir("ckpt-test-");
  const dir = join(tmp.path, "mlp");
  await saveCheckpoint(model, dir);
  const loaded = await loadCheckpoint(dir);
  for (let i = 0; i < 30; i++) {
    assert.deepEqual(await loaded.trainOnBatch(x, y), await model.trainOnBatch(x, y));
  }
  assert.deepEqual(weightsOf(loaded), weightsOf(model));
});

Deno.test("saving over a checkpoint replaces it whole and leaves no temporary file", async () => {
  await using tmp = await tempDir("ckpt-test-");
  const [dir, model, x, y] = await tempCheckpoint(tmp);
  const before = await weightsFile(dir);
  await model.trainOnBatch(x, y);
  await saveCheckpoint(model, dir);
  const after = await weightsFile(dir);
  assert.notEqual(after, before);
  assert.deepEqual(names(dir), ["model.json", after]);
  assert.deepEqual(names(join(dir, "..")), ["mlp"]);
  const loaded = await loadCheckpoint(dir);
  assert.deepEqual(predictions(loaded, x), predictions(model, x));
  await saveCheckpoint(model, dir); // the same weights again: the same file, still whole
  assert.deepEqual(names(dir), ["model.json", after]);
});

Deno.test("an interrupted save keeps the previous checkpoint intact", async () => {
  await using tmp = await tempDir("ckpt-test-");
  const [dir, , x] = await tempCheckpoint(tmp);
  const before = predictions(await loadCheckpoint(dir), x);
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
  assert.deepEqual(predictions(await loadCheckpoint(dir), x), before);
  assert.deepEqual(names(join(dir, "..")), ["mlp"]);
  assert.equal(names(dir).length, 2);
});

Deno.test("saveCheckpoint refuses weights holding NaN or Infinity and keeps the checkpoint", async () => {
  await using tmp = await tempDir("ckpt-test-");
  const [dir, model, x] = await tempCheckpoint(tmp);
  const before = predictions(await loadCheckpoint(dir), x);
  const files = names(dir);
  const [kernel, bias] = model.layers[0].getWeights();
  const values = kernel.dataSync().slice();
  values[5] = NaN;
  model.layers[0].setWeights([tf.tensor(values, kernel.shape), bias]);
  await assert.rejects(
    saveCheckpoint(model, dir),
    new RegExp(
      `^Error: saveCheckpoint ${dir}: weight dense_1/kernel: expected finite numbers, got NaN ` +
        `at element 5; nothing was written, the checkpoint there is kept$`,
    ),
  );
  values[5] = -Infinity;
  model.layers[0].setWeights([tf.tensor(values, kernel.shape), bias]);
  await assert.rejects(saveCheckpoint(model, dir), /got -Infinity at element 5/);
  assert.deepEqual(names(dir), files);
  assert.deepEqual(predictions(await loadCheckpoint(dir), x), before);
});

Deno.test("loadCheckpoint refuses a missing folder, a file, and an empty folder, naming the path", async () => {
  await assert.rejects(
    loadCheckpoint("/nonexistent/ckpt"),
    /^Error: loadCheckpoint: \/nonexistent\/ckpt: expected a checkpoint folder, got none \(not found\)$/,
  );
  await using empty = await tempDir("ckpt-test-");
  await assert.rejects(
    loadCheckpoint(empty.path),
    /model\.json: expected a checkpoint written by saveCheckpoint, got no file \(not found\)$/,
  );
  await using tmp = await tempDir("ckpt-test-");
  const [dir] = await tempCheckpoint(tmp);
  const modelPath = join(dir, "model.json");
  await assert.rejects(
    loadCheckpoint(modelPath),
    new RegExp(
      `^Error: loadCheckpoint: ${modelPath}: expected a checkpoint folder holding ` +
        `model\\.json, got a file; pass its folder ${dir}$`,
    ),
  );
  await assert.rejects(
    saveCheckpoint(small(), modelPath),
    new RegExp(
      `^Error: saveCheckpoint: ${modelPath}: expected a folder, or a path that does not exist ` +
        `yet, got a file$`,
    ),
  );
  await assert.rejects(
    saveCheckpoint(small(), join(modelPath, "inside")),
    /^Error: saveCheckpoint: .*model\.json\/inside: expected a path whose existing parts are folders, got one where the folder .*model\.json cannot be created \(.*\)$/,
  );
});

Deno.test("loadCheckpoint refuses bad files, naming the file and what it expected", async (t) => {
  await using tmp = await tempDir("ckpt-test-");
  const [dir] = await tempCheckpoint(tmp);
  const modelPath = join(dir, "model.json");
  const json = JSON.parse(await Deno.readTextFile(modelPath));
  const weightsName = json.weightsManifest[0].paths[0];
  const weights = await Deno.readFile(join(dir, weightsName));
  const withManifestPath = (path: string) =>
    JSON.stringify({ ...json, weightsManifest: [{ ...json.weightsManifest[0], paths: [path] }] });
  const restore = async () => {
    await Deno.writeTextFile(modelPath, JSON.stringify(json));
    await Deno.writeFile(join(dir, weightsName), weights);
  };

  await t.step("corrupt JSON", async () => {
    await Deno.writeTextFile(modelPath, '{"modelTopology": ');
    await assert.rejects(
      loadCheckpoint(dir),
      /model\.json: expected a tfjs layers model\.json, got corrupt JSON \(.*\)$/,
    );
    await restore();
  });
  await t.step("weights shorter than the manifest", async () => {
    await Deno.writeFile(join(dir, weightsName), weights.subarray(0, weights.length - 4));
    await assert.rejects(
      loadCheckpoint(dir),
      new RegExp(
        `${weightsName}: expected ${weights.length} bytes of weights, as .*model\\.json ` +
          `describes, got ${weights.length - 4} bytes$`,
      ),
    );
    await restore();
  });
  await t.step("a damaged weights file", async () => {
    const damaged = weights.slice();
    damaged[100] ^= 1;
    await Deno.writeFile(join(dir, weightsName), damaged);
    await assert.rejects(
      loadCheckpoint(dir),
      new RegExp(
        `${weightsName}: content does not match the SHA-256 in its name: expected the bytes ` +
          `that were saved, got a damaged file`,
      ),
    );
    await restore();
  });
  for (const path of ["../../x", "/etc/passwd", "sub/../../weights.bin"]) {
    await t.step(`weight path ${path}`, async () => {
      await Deno.writeTextFile(modelPath, withManifestPath(path));
      await assert.rejects(
        loadCheckpoint(dir),
        new RegExp(
          `model\\.json: weight path "${path.replaceAll(".", "\\.")}": expected a file ` +
            `inside the checkpoint folder ${dir}, got a path that leaves it$`,
        ),
      );
    });
  }
  await t.step("a missing weights file", async () => {
    await Deno.writeTextFile(modelPath, withManifestPath("other.bin"));
    await assert.rejects(
      loadCheckpoint(dir),
      /other\.bin: expected the weights file that .*model\.json names in its weightsManifest, got no file \(it is missing\)$/,
    );
    await restore();
  });
  await t.step("an unknown layer class", async () => {
    const topology = structuredClone(json.modelTopology);
    topology.config.layers[1].class_name = "FancyDropout";
    await Deno.writeTextFile(modelPath, JSON.stringify({ ...json, modelTopology: topology }));
    await assert.rejects(
      loadCheckpoint(dir),
      new RegExp(
        `^Error: ${modelPath}: layer class FancyDropout: expected one that tfjs has or that ` +
          `tf\\.serialization\\.registerClass registered .*, got an unknown class$`,
      ),
    );
    await restore();
  });
  await t.step("weights that do not fit the layers", async () => {
    const specs = structuredClone(json.weightsManifest[0].weights);
    specs[0].shape = [16, 20]; // dense_1/kernel is [20, 16]
    await Deno.writeTextFile(
      modelPath,
      JSON.stringify({
        ...json,
        weightsManifest: [{ ...json.weightsManifest[0], weights: specs }],
      }),
    );
    await assert.rejects(
      loadCheckpoint(dir),
      new RegExp(
        `^Error: ${modelPath}: expected a tfjs layers model whose weights match its layers, ` +
          `got one that tfjs cannot build \\(.*\\)$`,
      ),
    );
    await restore();
  });
  for (const [value, shown] of [[NaN, "NaN"], [Infinity, "Infinity"], [-Infinity, "-Infinity"]]) {
    await t.step(`a weight holding ${shown}`, async () => {
      const bad = weights.slice();
      const floats = new Float32Array(bad.buffer);
      floats[20 * 16 + 3] = value as number; // dense_1/bias, element 3
      await rewriteWeights(dir, bad);
      const file = join(dir, await weightsFile(dir));
      await assert.rejects(
        loadCheckpoint(dir),
        new RegExp(
          `^Error: ${file}: weight dense_1/bias: expected finite numbers, got ${shown} at ` +
            `element 3 of 16 \\(a diverged or damaged checkpoint\\)$`,
        ),
      );
      await rewriteWeights(dir, weights);
    });
  }
  assert.ok(await loadCheckpoint(dir));
});

Deno.test("the next save and load remove what a crashed save left in the folder", async (t) => {
  for (const action of ["load", "save"]) {
    await t.step(action, async () => {
      await using tmp = await tempDir("ckpt-test-");
      const [dir, model, x] = await tempCheckpoint(tmp);
      const current = await weightsFile(dir);
      const leftovers = [
        ".model.json.4242-abc123.tmp",
        `.${current}.4242-k3x9q2.tmp`,
        "weights-0123456789abcdef.bin", // written, never committed
        "weights.bin", // superseded, not yet removed
      ];
      for (const name of leftovers) await Deno.writeTextFile(join(dir, name), "partial");
      await Deno.writeTextFile(join(dir, "notes.txt"), "mine"); // not a save's: kept
      if (action === "load") {
        assert.deepEqual(predictions(await loadCheckpoint(dir), x), predictions(model, x));
        assert.deepEqual(names(dir), ["model.json", "notes.txt", current]);
      } else {
        await saveCheckpoint(model, dir);
        assert.deepEqual(names(dir), ["model.json", "notes.txt", current]);
      }
    });
  }
  await t.step("a folder whose first save crashed before its commit", async () => {
    await using tmp = await tempDir("ckpt-test-");
    const dir = join(tmp.path, "mlp");
    await Deno.mkdir(dir);
    await Deno.writeTextFile(join(dir, "weights-0123456789abcdef.bin"), "never committed");
    await Deno.writeTextFile(join(dir, ".model.json.4242-abc123.tmp"), "partial");
    await Deno.writeTextFile(join(dir, "weights.bin"), "not a save's without model.json");
    await assert.rejects(
      loadCheckpoint(dir),
      /model\.json: expected a checkpoint written by saveCheckpoint, got no file \(not found\)$/,
    );
    assert.deepEqual(names(dir), ["weights.bin"]);
  });
});

Deno.test("leftovers of the earlier scheme's crashed saves are recovered or removed", async (t) => {
  await using tmp = await tempDir("ckpt-test-");
  const [source, model, x, y] = await tempCheckpoint(tmp);
  const expected = predictions(model, x);
  await model.trainOnBatch(x, y);
  const newerSource = join(source, "..", "newer");
  await saveCheckpoint(model, newerSource);
  const newer = predictions(model, x);
  // Each step's parent folder is a fresh one inside tmp, removed with it.
  const parentWith = async (entries: Record<string, string>) => {
    const parent = await Deno.makeTempDir({ dir: tmp.path, prefix: "parent-" });
    for (const [name, from] of Object.entries(entries)) {
      await oldSchemeCopy(from, join(parent, name));
    }
    return parent;
  };

  await t.step("a lone .old folder beside the missing folder: load renames it back", async () => {
    const parent = await parentWith({ ".checkpoint-Ab3x9Q.old": source });
    const dir = join(parent, "mlp_1");
    const printed = await warnings(async () => {
      assert.deepEqual(predictions(await loadCheckpoint(dir), x), expected);
    });
    assert.match(
      printed.join("\n"),
      /^Note: recovered the checkpoint .*mlp_1 from .*\.checkpoint-Ab3x9Q\.old/,
    );
    assert.deepEqual(names(parent), ["mlp_1"]);
    assert.deepEqual(names(dir), ["model.json", "weights.bin"]);
    await saveCheckpoint(model, dir); // the next save replaces weights.bin
    assert.equal(names(dir).length, 2);
    assert.match(names(dir)[1], WEIGHTS_NAME);
  });
  await t.step("both copies, the crash between the renames: load takes the newer one", async () => {
    const parent = await parentWith({
      ".checkpoint-Zz1.old": source,
      ".checkpoint-Zz1": newerSource,
    });
    const dir = join(parent, "mlp_1");
    await warnings(async () => {
      assert.deepEqual(predictions(await loadCheckpoint(dir), x), newer);
    });
    assert.deepEqual(names(parent), ["mlp_1"]);
  });
  await t.step("a save recovers them too, then replaces the checkpoint", async () => {
    const parent = await parentWith({ ".checkpoint-Q7.old": source });
    const dir = join(parent, "mlp_1");
    await warnings(() => saveCheckpoint(model, dir));
    assert.deepEqual(names(parent), ["mlp_1"]);
    assert.equal(names(dir).length, 2);
    assert.deepEqual(predictions(await loadCheckpoint(dir), x), newer);
  });
  await t.step(
    "temporary folders never renamed into place, and torn ones, are removed",
    async () => {
      for (const action of ["save", "load"]) {
        const parent = await parentWith({ ".checkpoint-Aa1": source, ".checkpoint-Bb2": source });
        await Deno.remove(join(parent, ".checkpoint-Bb2", "weights.bin")); // torn
        await Deno.mkdir(join(parent, ".checkpoint-Cc3")); // empty
        await saveCheckpoint(model, join(parent, "mlp_1"));
        assert.deepEqual(names(parent), ["mlp_1"]);
        // And beside a folder that exists: what the earlier scheme's crashes left most often.
        await oldSchemeCopy(source, join(parent, ".checkpoint-Dd4")); // complete, never renamed
        await Deno.mkdir(join(parent, ".checkpoint-Ee5")); // torn
        await Deno.mkdir(join(parent, ".checkpoint-Ff6.old")); // its removal was under way
        assert.equal(names(parent).length, 4);
        if (action === "save") await saveCheckpoint(model, join(parent, "mlp_1"));
        else await loadCheckpoint(join(parent, "mlp_1"));
        assert.deepEqual(names(parent), ["mlp_1"], action);
      }
    },
  );
  await t.step("two leftovers and a missing folder: which is whose cannot be told", async () => {
    const parent = await parentWith({
      ".checkpoint-One.old": source,
      ".checkpoint-Two.old": newerSource,
    });
    await assert.rejects(
      loadCheckpoint(join(parent, "mlp_1")),
      /^Error: loadCheckpoint: .*mlp_1: expected a checkpoint folder, or one checkpoint beside it that an interrupted save of an earlier version left, got no folder and 2 such checkpoints in .* \(.*\.checkpoint-One\.old, .*\.checkpoint-Two\.old\); which is mlp_1 cannot be told: rename the right one to mlp_1$/,
    );
    await saveCheckpoint(model, join(parent, "mlp_2")); // leaves them for their owners
    assert.deepEqual(names(parent), [".checkpoint-One.old", ".checkpoint-Two.old", "mlp_2"]);
  });
});

Deno.test("saves to one folder at the same time take turns: the folder holds one of them, whole", async () => {
  await using tmp = await tempDir("ckpt-test-");
  const [dir, model, x] = await tempCheckpoint(tmp);
  const other = small();
  const versions = [predictions(model, x), predictions(other, x)];
  const saves = Array.from({ length: 10 }, (_, i) => saveCheckpoint(i % 2 ? other : model, dir));
  const loads = Array.from({ length: 5 }, () => loadCheckpoint(dir));
  await Promise.all(saves);
  const known = versions.map((v) => JSON.stringify(v));
  for (const loaded of [...await Promise.all(loads), await loadCheckpoint(dir)]) {
    assert.ok(known.includes(JSON.stringify(predictions(loaded, x))));
  }
  assert.equal(names(dir).length, 2);
});

Deno.test("a save disposes only its own tensors, not those made meanwhile by other code", async () => {
  await using tmp = await tempDir("ckpt-test-");
  const [dir, model] = await tempCheckpoint(tmp);
  // Tensors made between the save's own steps (microtask by microtask, and at every timer turn).
  const before = tf.memory().numTensors;
  const made: Tensor[] = [];
  let saving = true;
  const save = saveCheckpoint(model, dir).finally(() => (saving = false));
  for (let i = 0; saving; i++) {
    made.push(tf.scalar(i));
    await (i % 50 === 49 ? new Promise((done) => setTimeout(done, 0)) : Promise.resolve());
  }
  await save;
  const disposed = made.filter((t) => t.isDisposed).length;
  assert.equal(
    disposed,
    0,
    `${disposed} of ${made.length} tensors made during the save were disposed`,
  );
  assert.ok(made.length > 50, `the save gave way ${made.length} times`);
  tf.dispose(made);
  assert.equal(tf.memory().numTensors, before, "the save leaves no tensor of its own behind");
});
