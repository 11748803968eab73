/**
 * Stopping a training run (Stop in Jupyter, `options.signal` elsewhere): one clear error naming
 * the epoch, the step and the checkpoint, no tensor left behind, the checkpoint intact, resume
 * ending where the uninterrupted run ends, and nothing carried over to the next run.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { initBackend } from "../../lib/backend/init.ts";
import { loadMnist } from "../../lib/data/mnist.ts";
import { buildMlp } from "../../lib/model/mlp.ts";
import { toTensors } from "../../lib/preprocessing/tensors.ts";
import { type LayersModel, tf } from "../../lib/tf.ts";
import { loadCheckpoint } from "../../lib/training/checkpoint.ts";
import { watchStop } from "../../lib/stop.ts";
import { train } from "../../lib/training/train.ts";
import type { BatchProgress } from "../../lib/training/types.ts";
import { tempDir } from "../fixtures/temp_dir.ts";

await initBackend();
const mnist = await loadMnist();
const data = {
  images: mnist.train.images.subarray(0, 1000 * 784),
  labels: mnist.train.labels.subarray(0, 1000),
};
// 800 training images in steps of 100: 8 steps per epoch; the last 200 validate.
const settings = { epochs: 4, batchSize: 100, seed: 13 };

function weightsOf(model: LayersModel): Float32Array[] {
  return model.getWeights().map((w) => w.dataSync() as Float32Array);
}

/** Callbacks that abort `controller` after `epoch`'s `step`. */
function abortAt(controller: AbortController, epoch: number, step: number) {
  return {
    signal: controller.signal,
    onBatchEnd: (b: BatchProgress) => {
      if (b.epoch === epoch && b.step === step) controller.abort();
    },
  };
}

Deno.test("a stopped run names the epoch, the step and the checkpoint, and leaves no tensor", async () => {
  const { x, y } = toTensors(data);
  await using tmp = await tempDir("stop-test-");
  const dir = join(tmp.path, "mlp");
  // What a complete run leaves with its model: Adam's moments, made at its first step.
  const reference = buildMlp({ seed: 13 });
  const start = tf.memory().numTensors;
  await train(reference, x, y, { ...settings, epochs: 1 });
  const held = tf.memory().numTensors - start;
  reference.optimizer.dispose();
  reference.dispose();
  const model = buildMlp({ seed: 13 });
  const before = tf.memory().numTensors;
  const saved: number[] = [];
  await assert.rejects(
    train(model, x, y, {
      ...settings,
      checkpointDir: dir,
      onEpochEnd: ({ savedTo, epoch }) => void (savedTo && saved.push(epoch)),
      ...abortAt(new AbortController(), 3, 5),
    }),
    (error: Error) => {
      // Read once the run has ended: the epochs it saved decide the message.
      assert.equal(
        error.message,
        `train: stopped at epoch 3, step 5 of 8 (Stop / interrupt); ${dir} keeps the best ` +
          `model so far (epoch ${saved.at(-1)}), untouched: loadCheckpoint("${dir}") and ` +
          `train(model, x, y, { ...sameSettings, resume: true }) go on from it`,
      );
      return true;
    },
  );
  assert.ok(saved.length > 0 && saved.every((e) => e <= 2), `saved epochs ${saved}`);
  assert.equal(tf.memory().numTensors - before, held, "tensors left behind");
  // The checkpoint is the best complete epoch's model, loadable.
  const loaded = await loadCheckpoint(dir);
  const meta = loaded.getUserDefinedMetadata() as { training: { epoch: number } };
  assert.equal(meta.training.epoch, saved.at(-1));
  for (const m of [model, loaded]) m.optimizer.dispose(), m.dispose();
  tf.dispose([x, y]);
});

Deno.test("Stop, then resume, gives the weights of the uninterrupted run", async () => {
  const { x, y } = toTensors(data);
  await using tmp = await tempDir("stop-test-");
  const whole = buildMlp({ seed: 13 });
  await train(whole, x, y, { ...settings, checkpointDir: join(tmp.path, "whole") });

  const dir = join(tmp.path, "stopped");
  const model = buildMlp({ seed: 13 });
  await assert.rejects(
    train(model, x, y, {
      ...settings,
      checkpointDir: dir,
      ...abortAt(new AbortController(), 3, 2),
    }),
    /^Error: train: stopped at epoch 3, step 2 of 8/,
  );
  const resumed = await loadCheckpoint(dir);
  await train(resumed, x, y, { ...settings, checkpointDir: dir, resume: true });
  assert.deepEqual(weightsOf(resumed), weightsOf(whole));
  const [a, b] = [await loadCheckpoint(join(tmp.path, "whole")), await loadCheckpoint(dir)];
  assert.deepEqual(weightsOf(b), weightsOf(a), "the best checkpoints differ");
  for (const m of [whole, model, resumed, a, b]) m.optimizer.dispose(), m.dispose();
  tf.dispose([x, y]);
});

Deno.test("a stop before the first saved epoch, or without a checkpoint folder, says so", async () => {
  const { x, y } = toTensors(data);
  await using tmp = await tempDir("stop-test-");
  const dir = join(tmp.path, "never");
  const model = buildMlp({ seed: 13 });
  await assert.rejects(
    train(model, x, y, {
      ...settings,
      checkpointDir: dir,
      ...abortAt(new AbortController(), 1, 8),
    }),
    {
      message: `train: stopped at epoch 1, step 8 of 8 (Stop / interrupt); ${dir} holds no model ` +
        `of this run yet (no epoch finished with validation)`,
    },
  );
  await assert.rejects(
    train(model, x, y, { ...settings, ...abortAt(new AbortController(), 2, 1) }),
    {
      message: "train: stopped at epoch 2, step 1 of 8 (Stop / interrupt); no checkpoint was " +
        "kept (no checkpointDir)",
    },
  );
  // An aborted signal from an earlier run does not stop the next one.
  const history = await train(model, x, y, { ...settings, epochs: 1, signal: undefined });
  assert.equal(history.loss.length, 1);
  model.optimizer.dispose();
  model.dispose();
  tf.dispose([x, y]);
});

Deno.test("watchStop: a request lasts for its own watch only", () => {
  const first = new AbortController();
  {
    using stop = watchStop(first.signal);
    first.abort();
    assert.equal(stop.requested, true);
  }
  using next = watchStop(new AbortController().signal);
  assert.equal(next.requested, false);
  using none = watchStop();
  assert.equal(none.requested, false); // outside Jupyter only a signal can ask to stop
});
