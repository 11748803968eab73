/** Recording a training run (recordDynamics, joinCallbacks) and the dropout runs of notebook 08. */
import assert from "node:assert/strict";
import { initBackend } from "../../lib/backend/init.ts";
import { STUDY_CONFIG } from "../../lib/config.ts";
import { loadDataset } from "../../lib/data/dataset.ts";
import { denseKernel } from "../../lib/inspection/layers.ts";
import { buildMlp } from "../../lib/model/mlp.ts";
import { toTensors } from "../../lib/preprocessing/tensors.ts";
import { tf } from "../../lib/tf.ts";
import { joinCallbacks } from "../../lib/training/callbacks.ts";
import { dropoutRuns, overfitEpoch } from "../../lib/training/dropout_runs.ts";
import { recordDynamics } from "../../lib/training/dynamics.ts";
import { train } from "../../lib/training/train.ts";
import { tempDir } from "../fixtures/temp_dir.ts";

await initBackend();
const data = await loadDataset({ dataset: "mnist", trainLimit: 1000, testLimit: 300 });

function norm(values: Float32Array): number {
  return Math.sqrt(values.reduce((sum, v) => sum + v * v, 0));
}

function distance(a: Float32Array, b: Float32Array): number {
  return Math.sqrt(a.reduce((sum, v, i) => sum + (v - b[i]) ** 2, 0));
}

Deno.test("recordDynamics records every step and leaves training as it was", async () => {
  const { x, y } = toTensors(data.train);
  const plain = await train(buildMlp({ seed: 5 }), x, y, { epochs: 2, seed: 5 });
  const model = buildMlp({ seed: 5 });
  const { callbacks, dynamics } = recordDynamics(model);
  const recorded = await train(model, x, y, { epochs: 2, seed: 5, ...callbacks });
  tf.dispose([x, y]);
  assert.deepEqual(recorded.val_loss, plain.val_loss, "recording changed the run");
  assert.deepEqual(recorded.loss, plain.loss);
  // 800 training images in steps of 256: 4 steps per epoch, the last of 32 images.
  assert.deepEqual(dynamics.batches.map((b) => `${b.epoch}.${b.step}/${b.steps}`), [
    "1.1/4",
    "1.2/4",
    "1.3/4",
    "1.4/4",
    "2.1/4",
    "2.2/4",
    "2.3/4",
    "2.4/4",
  ]);
  // The epoch's mean training loss is the steps' losses weighted by their sizes.
  const sizes = [256, 256, 256, 32];
  for (const epoch of [1, 2]) {
    const steps = dynamics.batches.filter((b) => b.epoch === epoch);
    const mean = steps.reduce((sum, b, i) => sum + b.loss * sizes[i], 0) / 800;
    assert.ok(Math.abs(mean - recorded.loss[epoch - 1]) < 1e-6, `epoch ${epoch}: ${mean}`);
  }
  model.dispose();
});

Deno.test("recordDynamics: the norms, update sizes and first kernels, measured apart", async () => {
  // One step per epoch, so the epoch's last update is the change from one epoch to the next.
  const { x, y } = toTensors(data.train);
  const model = buildMlp({ seed: 7 });
  const names = ["dense_1", "dense_2", "probabilities"];
  const kernels = [names.map((name) => denseKernel(model, name).values)];
  const { callbacks, dynamics } = recordDynamics(model);
  const snapshot = {
    onEpochEnd: () => void kernels.push(names.map((n) => denseKernel(model, n).values)),
  };
  await train(model, x, y, { epochs: 3, batchSize: 1000, ...joinCallbacks(callbacks, snapshot) });
  tf.dispose([x, y]);
  assert.deepEqual(dynamics.layers.map((l) => l.name), names);
  dynamics.layers.forEach((layer, i) => {
    for (let epoch = 1; epoch <= 3; epoch++) {
      const [now, before] = [kernels[epoch][i], kernels[epoch - 1][i]];
      const ratio = distance(now, before) / norm(now);
      assert.ok(Math.abs(layer.norm[epoch - 1] - norm(now)) < 1e-4 * norm(now), layer.name);
      assert.ok(Math.abs(layer.updateRatio[epoch - 1] - ratio) < 1e-4 * ratio, layer.name);
    }
  });
  // The first layer's weights as the model held them at the start and after each epoch.
  assert.equal(dynamics.firstKernels.length, 4);
  dynamics.firstKernels.forEach((kernel, epoch) => {
    assert.deepEqual(kernel, kernels[epoch][0], `first kernel after ${epoch} epochs`);
  });
  assert.notDeepEqual(dynamics.firstKernels[1], dynamics.firstKernels[0]);
  // Adam's first step moves every weight that has a gradient by the learning rate (0.001):
  // m̂ = g and v̂ = g², so the step is 0.001·g/(|g| + ε).
  const [first, start] = [kernels[1][0], kernels[0][0]];
  const moved = first.filter((w, i) => w !== start[i]).length;
  const expected = 0.001 * Math.sqrt(moved) / norm(first);
  const ratio = dynamics.layers[0].updateRatio[0];
  assert.ok(ratio <= expected * 1.001 && ratio > expected * 0.9, `${ratio} vs ${expected}`);
  model.dispose();
});

Deno.test("recordDynamics refuses a model without Dense layers, naming its layers", () => {
  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2] })] });
  assert.throws(() => recordDynamics(model), {
    message: "recordDynamics: model: expected a model with Dense layers, got layers Flatten",
  });
});

Deno.test("joinCallbacks calls every set's callbacks in order, awaiting each", async () => {
  const calls: string[] = [];
  const slow = {
    onEpochBegin: async () => {
      await new Promise((resolve) => setTimeout(resolve, 10));
      calls.push("a:begin");
    },
  };
  const fast = {
    onEpochBegin: () => void calls.push("b:begin"),
    onTrainEnd: () => void calls.push("b:end"),
  };
  const joined = joinCallbacks(slow, {}, fast);
  await joined.onEpochBegin?.({ epoch: 1, epochs: 1, steps: 1 });
  await joined.onTrainEnd?.();
  assert.deepEqual(calls, ["a:begin", "b:begin", "b:end"]);
});

Deno.test("overfitEpoch: the first epoch of the lowest validation loss", () => {
  assert.equal(overfitEpoch({ val_loss: [0.5, 0.3, 0.3, 0.4] }), 2);
  assert.equal(overfitEpoch({ val_loss: [0.5] }), 1);
  assert.throws(() => overfitEpoch({ val_loss: [] }), {
    message: "overfitEpoch: history.val_loss: expected at least one epoch, got none",
  });
});

Deno.test("dropoutRuns: the same start for every rate; each run as train gives it", async () => {
  await using dir = await tempDir("dropout-runs-");
  const config = { ...STUDY_CONFIG, seed: 11 };
  const seen: string[] = [];
  const runs = await dropoutRuns(data, config, {
    rates: [0, 0.5],
    epochs: 2,
    dir: dir.path,
    onRun: (i, rate) => ({ onTrainEnd: () => void seen.push(`${i}:${rate}`) }),
  });
  assert.deepEqual(seen, ["0:0", "1:0.5"]);
  const { x, y } = toTensors(data.train);
  const alone = await train(buildMlp({ dropout: 0.5, seed: 11 }), x, y, { epochs: 2, seed: 11 });
  tf.dispose([x, y]);
  assert.deepEqual(runs[1].history.val_loss, alone.val_loss);
  // Dropout changes the steps, not the start: both runs' first steps see the same weights and
  // images, so their first losses differ only by the masks.
  assert.notDeepEqual(runs[0].history.loss, runs[1].history.loss);
  for (const run of runs) {
    assert.equal(run.dynamics.batches.length, 2 * 4);
    assert.equal(run.overfitEpoch, overfitEpoch(run.history));
    assert.ok(run.test.accuracy > 0.3, `test accuracy ${run.test.accuracy}`);
    assert.ok((await Deno.stat(`${run.checkpointDir}/model.json`)).isFile);
  }
  await assert.rejects(dropoutRuns(data, config, { rates: [1], epochs: 1, dir: dir.path }), {
    message: "dropoutRuns: rates[0]: expected a number in [0, 1), got 1",
  });
});
