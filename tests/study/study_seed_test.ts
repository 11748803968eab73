/**
 * Notebook 07's one seed of the study (runStudySeed) on a slice of the real MNIST, and its
 * progress line (seedProgress).
 */
import assert from "node:assert/strict";
import { dirname } from "node:path";
import { initBackend } from "../../lib/backend/init.ts";
import { STUDY_CONFIG } from "../../lib/config.ts";
import { firstSamples } from "../../lib/data/splits.ts";
import { loadMnist } from "../../lib/data/mnist.ts";
import { seedProgress } from "../../lib/display/progress_seeds.ts";
import type { LiveOutput, MimeBundle } from "../../lib/display/show.ts";
import { evaluate } from "../../lib/evaluation/metrics.ts";
import { runStudySeed, SEED_METRIC_KEYS, SEED_MODELS } from "../../lib/study/study_seed.ts";
import { addGaussianNoise } from "../../lib/preprocessing/noise.ts";
import { toTensors } from "../../lib/preprocessing/tensors.ts";
import { tf } from "../../lib/tf.ts";
import { loadCheckpoint } from "../../lib/training/checkpoint.ts";
import type { TrainCallbacks } from "../../lib/training/types.ts";
import { tempDir } from "../fixtures/temp_dir.ts";

await initBackend();
const mnist = await loadMnist();
/** As MLP_TRAIN_LIMIT=2000 MLP_TEST_LIMIT=500 would load it. */
const data = { train: firstSamples(mnist.train, 2000), test: firstSamples(mnist.test, 500) };
/** The study's settings with one epoch of smaller batches. */
const config = { ...STUDY_CONFIG, epochs: 1, batchSize: 64 };

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** Records each model's name, its epochs and the folders its best epochs were saved to. */
function recorder() {
  const models: string[] = [];
  const epochs: number[] = [];
  const saved = new Set<string>();
  const onModel = (index: number, name: string): TrainCallbacks => {
    models.push(`${index} ${name}`);
    return {
      onEpochEnd: ({ epochs: total, savedTo }) => {
        epochs[index] = total;
        if (savedTo) saved.add(savedTo);
      },
    };
  };
  return { models, epochs, saved, onModel };
}

Deno.test("runStudySeed: 10 accuracies, the same for the same seed, its temporary folder removed", async () => {
  const before = tf.memory().numTensors;
  const first = recorder();
  const a = await runStudySeed(data, config, { seed: 42, onModel: first.onModel });
  assert.deepEqual(Object.keys(a), SEED_METRIC_KEYS);
  for (const [key, value] of Object.entries(a)) {
    assert.ok(Number.isFinite(value) && value >= 0 && value <= 1, `${key}: ${value}`);
  }
  // One epoch on 1,600 images: well above chance (0.1), far below the study's 0.98.
  assert.ok(a["clean.test_accuracy"] > 0.5, `clean test accuracy ${a["clean.test_accuracy"]}`);
  assert.ok(a["robust.clean_test_accuracy"] > 0.5);
  assert.ok(
    a["leaky.best_val_accuracy"] > a["robust.best_val_accuracy"],
    "the leak inflates validation accuracy",
  );
  assert.deepEqual(first.models, SEED_MODELS.map((m, i) => `${i} ${m.name}`));
  assert.deepEqual(first.epochs, [1, 1, 1, 2, 1], "the step-count control trains twice the epochs");
  // Four checkpoints (the leaky model has none) in one temporary folder, removed at the end.
  const folders = [...first.saved];
  assert.deepEqual(folders.map((f) => f.split("/").pop()), [
    "mlp_1_reference",
    "mlp_1_noisy",
    "mlp_1_long",
    "mlp_1_robust",
  ]);
  const temporary = dirname(folders[0]);
  assert.match(temporary, /mlp-seed-/);
  assert.equal(await exists(temporary), false, `${temporary} is left behind`);

  const again = await runStudySeed(data, config, { seed: 42 });
  assert.deepEqual(again, a, "the same seed gives the same numbers, bit for bit");
  const other = await runStudySeed(data, config, { seed: 1042 });
  assert.deepEqual(Object.keys(other), SEED_METRIC_KEYS);
  assert.notDeepEqual(other, a, "another seed gives other numbers");
  assert.equal(tf.memory().numTensors, before, "tensors left behind");
});

Deno.test("runStudySeed: keepDir keeps the checkpoints the values were measured on", async () => {
  await using tmp = await tempDir("study-seed-test-");
  const keepDir = `${tmp.path}/seeds/7`;
  const metrics = await runStudySeed(data, config, { seed: 7, keepDir });
  for (const name of ["mlp_1_reference", "mlp_1_noisy", "mlp_1_long", "mlp_1_robust"]) {
    assert.ok(await exists(`${keepDir}/${name}/model.json`), `${name} not kept`);
  }
  // The kept clean model, on the clean and on the seed + 100 noisy test set, gives its values.
  const test = toTensors(data.test);
  const noisy = addGaussianNoise(test.x, { std: config.noiseStd, seed: 7 + 100 });
  const model = await loadCheckpoint(`${keepDir}/mlp_1_reference`);
  assert.equal((await evaluate(model, test.x, test.y)).accuracy, metrics["clean.test_accuracy"]);
  assert.equal(
    (await evaluate(model, noisy, test.y)).accuracy,
    metrics["clean.noisy_test_accuracy"],
  );
  model.optimizer?.dispose();
  model.dispose();
  tf.dispose([test.x, test.y, noisy]);
});

Deno.test("runStudySeed: a run that fails disposes of what it made and removes its folder", async () => {
  const before = tf.memory().numTensors;
  const saved: string[] = [];
  await assert.rejects(
    runStudySeed(data, config, {
      seed: 42,
      onModel: (index) => ({
        onEpochEnd: ({ savedTo }) => void (savedTo && saved.push(savedTo)),
        onBatchEnd: () => {
          if (index === 2) throw new Error("stopped in the leaky model");
        },
      }),
    }),
    /stopped in the leaky model/,
  );
  assert.equal(saved.length, 2, `checkpoints: ${saved}`);
  assert.equal(await exists(dirname(saved[0])), false, "the temporary folder is left behind");
  assert.equal(tf.memory().numTensors, before, "tensors left behind");
});

Deno.test("runStudySeed: bad input is named", async () => {
  const cases: [Parameters<typeof runStudySeed>, RegExp][] = [
    [[data, config, { seed: -1 }], /^Error: runStudySeed: seed: expected an integer ≥ 0, got -1$/],
    [
      [data, config, { seed: 1.5 }],
      /^Error: runStudySeed: seed: expected an integer ≥ 0, got 1.5$/,
    ],
    [
      [data, { ...config, epochs: 0 }, { seed: 1 }],
      /^Error: runStudySeed: config.epochs: .*got 0$/,
    ],
    [
      [data, { ...config, validationSplit: 0 }, { seed: 1 }],
      /^Error: runStudySeed: config.validationSplit: expected a number in \(0, 1\), got 0$/,
    ],
    [[data, { ...config, noiseStd: -0.1 }, { seed: 1 }], /config.noiseStd: .*got -0.1$/],
    [[data, config, { seed: 1, keepDir: "" }], /^Error: runStudySeed: keepDir: .*got ""$/],
    [
      [{ ...data, test: { images: new Uint8Array(0), labels: new Uint8Array(0) } }, config, {
        seed: 1,
      }],
      /^Error: runStudySeed: data.test.labels.length: expected at least 1 image, got 0$/,
    ],
  ];
  for (const [args, message] of cases) await assert.rejects(runStudySeed(...args), message);
});

/** A live output that records what it is given. */
function recordingOutput(): LiveOutput & { bundles: MimeBundle[] } {
  const bundles: MimeBundle[] = [];
  return { id: "test", bundles, update: (bundle) => Promise.resolve(void bundles.push(bundle)) };
}

Deno.test("seedProgress: the seed and the model above the bar, at most every everyMs", async () => {
  const output = recordingOutput();
  const progress = seedProgress([42, 1042], ["clean", "a < b"], { everyMs: 60_000, output });
  const batch = {
    epoch: 1,
    epochs: 2,
    step: 1,
    steps: 3,
    loss: 0.5,
    acc: 0.9,
    elapsed: 1,
    batchLoss: 0.5,
    batchAcc: 0.9,
  };
  const { onBatchEnd } = progress.model(1, 1);
  await onBatchEnd(batch); // the first step is drawn
  await onBatchEnd({ ...batch, step: 2 }); // too soon
  await onBatchEnd({ ...batch, step: 3 }); // an epoch's last step is always drawn
  assert.equal(output.bundles.length, 2);
  assert.equal(
    output.bundles[1]["text/plain"],
    "Seed 2/2 (1042) · model 2/2: a < b\nEpoch 1/2 · step 3/3 · loss 0.5000 · acc 0.9000 · 1.0 s",
  );
  assert.match(
    output.bundles[1]["text/html"] as string,
    /^<div style="font-family:monospace">Seed 2\/2 \(1042\) · model 2\/2: a &lt; b<\/div><div .*<progress value="3" max="6"/,
  );
  await progress.done(457.6);
  assert.deepEqual(output.bundles[2], {
    "text/html": '<div style="font-family:monospace">Done: 2 seeds × 2 models in 458 s</div>',
    "text/plain": "Done: 2 seeds × 2 models in 458 s",
  });
  assert.throws(
    () => progress.model(2, 0),
    /^Error: seedProgress: model: seed: .*\[0, 2\), got 2$/,
  );
  assert.throws(() => seedProgress([], ["clean"], { output }), /seedProgress: seeds/);
  await assert.rejects(progress.done(NaN), /seedProgress: done: seconds/);
});
