/**
 * The learning-rate runs of notebook 05 on a slice of the real MNIST: a run that blows up is
 * marked with its step, not raised; the same seed gives the same losses; and train's own
 * divergence error names where it happened.
 */
import assert from "node:assert/strict";
import { initBackend } from "../../lib/backend/init.ts";
import { STUDY_CONFIG } from "../../lib/config.ts";
import { firstSamples } from "../../lib/data/splits.ts";
import { loadMnist } from "../../lib/data/mnist.ts";
import { buildMlp, disposeModel } from "../../lib/model/mlp.ts";
import { tf } from "../../lib/tf.ts";
import { divergenceLoss, learningRateRuns } from "../../lib/training/learning_rates.ts";
import { DivergedError, train } from "../../lib/training/train.ts";

await initBackend();
/** 1,000 images: 800 train in batches of 100 (8 steps an epoch), 200 validate. */
const data = firstSamples((await loadMnist()).train, 1000);
const config = { ...STUDY_CONFIG, batchSize: 100 };

Deno.test("learningRateRuns: a run above 2 ln 10 stops and is marked; the others run on", async () => {
  const before = tf.memory().numTensors;
  const runs = await learningRateRuns(data, config, {
    rates: [0.001, 1],
    optimizers: ["adam", "sgd"],
    epochs: 2,
  });
  assert.deepEqual(runs.map((r) => `${r.optimizer} ${r.rate}`), [
    "adam 0.001",
    "adam 1",
    "sgd 0.001",
    "sgd 1",
  ]);
  const [good, blown] = runs;
  assert.equal(good.divergedAt, undefined);
  assert.equal(good.losses.length, 16);
  assert.equal(good.valAccuracy.length, 2);
  assert.ok(good.losses.at(-1)! < good.losses[0], `loss ${good.losses[0]} → ${good.losses.at(-1)}`);
  assert.ok(blown.divergedAt !== undefined && blown.divergedAt <= 3, `${blown.divergedAt}`);
  assert.equal(blown.losses.length, blown.divergedAt, "losses up to the step that diverged");
  assert.ok(blown.losses.at(-1)! > divergenceLoss(10));
  assert.deepEqual(blown.valAccuracy, [], "stopped before its first validation");
  assert.equal(tf.memory().numTensors, before, "tensors left behind");

  const again = await learningRateRuns(data, config, {
    rates: [0.001],
    optimizers: ["adam"],
    epochs: 2,
  });
  assert.deepEqual(again[0].losses, good.losses, "the same seed gives the same losses");
});

Deno.test("learningRateRuns: bad options are named", async () => {
  const base = { rates: [0.01], optimizers: ["adam"] as const, epochs: 1 };
  const cases: [Parameters<typeof learningRateRuns>[2], RegExp][] = [
    [{ ...base, rates: [] }, /learningRateRuns: rates: expected at least one rate, got none/],
    [{ ...base, rates: [0] }, /learningRateRuns: rates\[0\]: expected a finite number > 0, got 0/],
    // @ts-expect-error: an optimizer the model does not have
    [{ ...base, optimizers: ["rmsprop"] }, /optimizers\[0\]: expected one of adam, sgd/],
    [{ ...base, epochs: 0 }, /learningRateRuns: epochs: expected a positive integer, got 0/],
  ];
  for (const [options, message] of cases) {
    await assert.rejects(learningRateRuns(data, config, options), message);
  }
});

Deno.test("train: a loss that is not a number stops with a DivergedError naming epoch and step", async () => {
  const x = tf.fill([40, 784], NaN);
  const y = tf.oneHot(tf.zeros([40], "int32"), 10);
  const model = buildMlp({ seed: 1 });
  const error = await train(model, x, y, { epochs: 1, batchSize: 10, validationSplit: 0 }).then(
    () => undefined,
    (e) => e,
  );
  assert.ok(error instanceof DivergedError, `${error}`);
  assert.deepEqual([error.epoch, error.step], [1, 1]);
  assert.match(error.message, /train: training loss at epoch 1, step 1 of 4: expected a finite/);
  disposeModel(model);
  tf.dispose([x, y]);
});
