import assert from "node:assert/strict";
import { join } from "node:path";
import { initBackend } from "../../lib/backend/init.ts";
import { loadCheckpoint } from "../../lib/training/checkpoint.ts";
import { evaluate } from "../../lib/evaluation/metrics.ts";
import { loadMnist } from "../../lib/data/mnist.ts";
import { buildMlp } from "../../lib/model/mlp.ts";
import { firstSamples } from "../../lib/data/splits.ts";
import { toTensors } from "../../lib/preprocessing/tensors.ts";
import { type LayersModel, tf } from "../../lib/tf.ts";
import { train } from "../../lib/training/train.ts";
import type { BatchProgress, EpochProgress, History } from "../../lib/training/types.ts";
import { terminalProgress } from "../../lib/display/progress_terminal.ts";
import { tempDir } from "../fixtures/temp_dir.ts";

await initBackend();
const mnist = await loadMnist();

Deno.test("the same seed on the same backend gives the same history; another seed does not", async () => {
  const { x, y } = toTensors(firstSamples(mnist.train, 1000));
  const run = async (seed: number) => {
    const model = buildMlp({ seed });
    const history = await train(model, x, y, { epochs: 2, batchSize: 100, seed });
    const weights = model.getWeights().map((w) => [...w.dataSync()]);
    model.dispose();
    return { ...history, seconds: [], weights };
  };
  const a = await run(1);
  const b = await run(1);
  const c = await run(2);
  assert.deepEqual(b, a);
  assert.notDeepEqual(c.loss, a.loss);
  assert.equal(a.loss.length, 2);
  assert.equal(a.val_acc.length, 2);
  tf.dispose([x, y]);
});

Deno.test("train takes Keras's validation split, reports progress and keeps the best checkpoint", async () => {
  const before = tf.memory().numTensors;
  const { x, y } = toTensors(firstSamples(mnist.train, 1000));
  await using tmp = await tempDir("train-test-");
  const dir = join(tmp.path, "best");
  const batches: BatchProgress[] = [];
  const epochs: EpochProgress[] = [];
  const calls: string[] = [];
  const beforeModel = tf.memory().numTensors;
  const model = buildMlp({ seed: 3 });
  const modelTensors = tf.memory().numTensors - beforeModel;
  const history = await train(model, x, y, {
    epochs: 3,
    batchSize: 128,
    validationSplit: 0.2,
    seed: 3,
    checkpointDir: dir,
    onEpochBegin: (s) => void calls.push(`begin ${s.epoch}/${s.epochs} of ${s.steps} steps`),
    onBatchEnd: (b) => void batches.push(b),
    onEpochEnd: (e) => void epochs.push({ ...e, history: structuredClone(e.history) }),
    onTrainEnd: () => void calls.push("end"),
  });
  assert.deepEqual(calls, [
    "begin 1/3 of 7 steps",
    "begin 2/3 of 7 steps",
    "begin 3/3 of 7 steps",
    "end",
  ]);
  assert.equal(batches.length, 3 * Math.ceil(800 / 128));
  assert.deepEqual(batches.slice(0, 7).map((b) => b.step), [1, 2, 3, 4, 5, 6, 7]);
  assert.ok(batches.every((b) => b.steps === 7 && b.epochs === 3 && b.loss > 0 && b.acc >= 0));
  assert.deepEqual(epochs.map((e) => e.epoch), [1, 2, 3]);
  assert.ok(history.val_acc.every((a) => a > 0.5 && a <= 1));
  const best = history.val_acc.indexOf(Math.max(...history.val_acc)) + 1;
  assert.equal(history.bestEpoch, best);
  assert.equal(epochs[best - 1].savedTo, dir);
  const newBest = history.val_acc.map((a, i) => a > Math.max(...history.val_acc.slice(0, i)));
  assert.deepEqual(epochs.map((e) => e.savedTo !== undefined), newBest);

  const validation = toTensors({
    images: mnist.train.images.subarray(800 * 784, 1000 * 784),
    labels: mnist.train.labels.subarray(800, 1000),
  });
  const restored = await loadCheckpoint(dir);
  const { accuracy } = await evaluate(restored, validation.x, validation.y);
  assert.ok(Math.abs(accuracy - history.val_acc[best - 1]) < 1e-6);
  restored.optimizer.dispose();
  restored.dispose();
  tf.dispose([validation.x, validation.y, x, y]);
  const adamMoments = 2 * model.trainableWeights.length;
  assert.equal(tf.memory().numTensors, before + modelTensors + adamMoments);
});

Deno.test("train refuses mismatched inputs and bad settings", async () => {
  const model = buildMlp({ inputSize: 4, classes: 2 });
  const x = tf.zeros([10, 4]);
  const y = tf.zeros([9, 2]);
  await assert.rejects(train(model, x, y), {
    message: "train: training data: expected as many samples in y as in x, got 10 in x and 9 in y",
  });
  const cube = tf.zeros([10, 2, 2]);
  await assert.rejects(train(model, cube, x), {
    message: "train: training data: expected x and y of rank 2, got x of shape [10,2,2] and y of " +
      "shape [10,4]",
  });
  await assert.rejects(train(model, x, x, { validationData: [cube, x] }), {
    message: "train: validation data: expected x and y of rank 2, got x of shape [10,2,2] and y " +
      "of shape [10,4]",
  });
  const one = tf.zeros([1, 4]);
  await assert.rejects(train(model, one, one), {
    message: "train: training data: expected at least one sample to train on, got none of x's 1: " +
      "validationSplit 0.2 takes them all",
  });
  await assert.rejects(
    train(model, x, x, { epochs: 0 }),
    /train: epochs: expected a positive integer, got 0/,
  );
  await assert.rejects(train(model, x, x, { batchSize: -1 }), /train: batchSize: .*, got -1/);
  await assert.rejects(
    train(model, x, x, { validationSplit: 0, checkpointDir: "best/ckpt" }),
    {
      message: "train: checkpointDir best/ckpt keeps the best validation accuracy: expected a " +
        "validation set (validationSplit > 0 or validationData), got none",
    },
  );
  tf.dispose([x, y, cube, one]);
});

Deno.test("terminalProgress prints each epoch's header and a Keras-like summary line", async () => {
  const { x, y } = toTensors(firstSamples(mnist.train, 300));
  await using tmp = await tempDir("train-test-");
  const dir = join(tmp.path, "best");
  const lines: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => void lines.push(args.join(" "));
  try {
    await train(buildMlp({ seed: 5 }), x, y, {
      epochs: 2,
      batchSize: 100,
      seed: 5,
      checkpointDir: dir,
      ...terminalProgress(),
    });
  } finally {
    console.log = log;
    tf.dispose([x, y]);
  }
  assert.equal(lines.length, 4, lines.join("\n"));
  assert.equal(lines[0], "Epoch 1/2");
  assert.equal(lines[2], "Epoch 2/2");
  const summary =
    /^\d+\.\ds - loss: \d\.\d{4} - accuracy: \d\.\d{4} - val_loss: \d\.\d{4} - val_accuracy: \d\.\d{4}/;
  assert.match(lines[1], summary);
  assert.match(lines[1], new RegExp(` - saved to ${dir.replaceAll("/", "\\/")}$`));
  assert.match(lines[3], summary);
});

/** The weights of a model as plain arrays, to compare runs bit for bit. */
const weightsOf = (model: LayersModel) => model.getWeights().map((w) => [...w.dataSync()]);

Deno.test("train stops when the loss becomes NaN, naming epoch and step, and writes no checkpoint", async (t) => {
  const { x, y } = toTensors(firstSamples(mnist.train, 500));
  await using tmp = await tempDir("train-test-");
  const root = tmp.path;

  await t.step("NaN in the data: step 3 of epoch 1, no checkpoint at all", async () => {
    const pixels = x.dataSync().slice();
    pixels[250 * 784 + 300] = NaN; // in the third batch of 100
    const poisoned = tf.tensor2d(pixels, [500, 784]);
    const dir = join(root, "nan-data");
    const batches: number[] = [];
    await assert.rejects(
      train(buildMlp({ seed: 1 }), poisoned, y, {
        epochs: 2,
        batchSize: 100,
        shuffle: false,
        checkpointDir: dir,
        onBatchEnd: (b) => void batches.push(b.step),
      }),
      /^DivergedError: train: training loss at epoch 1, step 3 of 4: expected a finite number, got NaN; training stopped and wrote no checkpoint from this state$/,
    );
    assert.deepEqual(batches, [1, 2]);
    await assert.rejects(Deno.stat(dir), Deno.errors.NotFound);
    poisoned.dispose();
  });

  await t.step("weights gone NaN after epoch 1: epoch 1's checkpoint is kept", async () => {
    const dir = join(root, "diverged");
    const model = buildMlp({ seed: 2 });
    let epoch1: number[][] = [];
    await assert.rejects(
      train(model, x, y, {
        epochs: 3,
        batchSize: 100,
        seed: 2,
        checkpointDir: dir,
        onEpochEnd: ({ epoch }) => {
          if (epoch !== 1) return;
          epoch1 = weightsOf(model);
          const kernel = model.layers[0].getWeights()[0];
          model.layers[0].setWeights([
            tf.fill(kernel.shape, Infinity),
            model.layers[0].getWeights()[1],
          ]);
        },
      }),
      new RegExp(
        `^DivergedError: train: training loss at epoch 2, step 1 of 4: expected a finite number, got NaN; ` +
          `training stopped and wrote no checkpoint from this state \\(${dir} keeps the model of epoch 1\\)$`,
      ),
    );
    const kept = await loadCheckpoint(dir);
    assert.deepEqual(weightsOf(kept).slice(0, epoch1.length), epoch1);
    kept.dispose();
  });
  tf.dispose([x, y]);
});

Deno.test("an interrupted run keeps its best checkpoint, and resume ends exactly where the uninterrupted run ends", async () => {
  const { x, y } = toTensors(firstSamples(mnist.train, 1000));
  await using tmp = await tempDir("train-test-");
  const root = tmp.path;
  const settings = { epochs: 5, batchSize: 100, seed: 7 };
  const withoutSeconds = (h: History) => ({ ...h, seconds: h.seconds.length });

  const whole = buildMlp({ seed: 7 });
  const wholeHistory = await train(whole, x, y, {
    ...settings,
    checkpointDir: join(root, "whole"),
  });

  const dir = join(root, "interrupted");
  const stopped = buildMlp({ seed: 7 });
  const interrupt = new Error("KeyboardInterrupt");
  let bestSoFar = 0;
  await assert.rejects(
    train(stopped, x, y, {
      ...settings,
      checkpointDir: dir,
      onEpochEnd: ({ epoch, history }) => {
        bestSoFar = history.bestEpoch;
        if (epoch === 3) throw interrupt;
      },
    }),
    (error) => error === interrupt,
  );
  stopped.dispose();
  assert.ok(bestSoFar >= 1 && bestSoFar <= 3);

  const loaded = await loadCheckpoint(dir);
  const validation = toTensors({
    images: mnist.train.images.subarray(800 * 784, 1000 * 784),
    labels: mnist.train.labels.subarray(800, 1000),
  });
  const { accuracy } = await evaluate(loaded, validation.x, validation.y, settings.batchSize);
  assert.equal(accuracy, wholeHistory.val_acc[bestSoFar - 1]);
  tf.dispose([validation.x, validation.y]);

  const begun: number[] = [];
  const resumedHistory = await train(loaded, x, y, {
    ...settings,
    checkpointDir: dir,
    resume: true,
    onEpochBegin: ({ epoch }) => void begun.push(epoch),
  });
  assert.deepEqual(begun, Array.from({ length: 5 - bestSoFar }, (_, i) => bestSoFar + 1 + i));
  assert.deepEqual(withoutSeconds(resumedHistory), withoutSeconds(wholeHistory));
  assert.deepEqual(weightsOf(loaded), weightsOf(whole));
  const [a, b] = [await loadCheckpoint(join(root, "whole")), await loadCheckpoint(dir)];
  assert.deepEqual(weightsOf(b), weightsOf(a));
  for (const model of [whole, loaded, a, b]) {
    model.optimizer.dispose();
    model.dispose();
  }
  tf.dispose([x, y]);
});

Deno.test("resume refuses a model without training state and a run with other settings", async () => {
  const { x, y } = toTensors(firstSamples(mnist.train, 300));
  await using tmp = await tempDir("train-test-");
  const dir = join(tmp.path, "best");
  await train(buildMlp({ seed: 4 }), x, y, {
    epochs: 1,
    batchSize: 100,
    seed: 4,
    checkpointDir: dir,
  });
  await assert.rejects(
    train(buildMlp({ seed: 4 }), x, y, { epochs: 2, seed: 4, resume: true }),
    /^Error: train: resume: expected a model that loadCheckpoint loaded from a checkpointDir of train/,
  );
  const loaded = await loadCheckpoint(dir);
  await assert.rejects(
    train(loaded, x, y, { epochs: 2, batchSize: 100, seed: 5, resume: true }),
    /^Error: train: resume: seed: expected 4 as in the run that saved the checkpoint .*, got 5$/,
  );
  await assert.rejects(
    train(loaded, x, y, { epochs: 2, batchSize: 50, seed: 4, resume: true }),
    /train: resume: batchSize: expected 100 .*, got 50$/,
  );
  const same = await train(loaded, x, y, { epochs: 1, batchSize: 100, seed: 4, resume: true });
  assert.equal(same.loss.length, 1);
  tf.dispose([x, y]);
});
