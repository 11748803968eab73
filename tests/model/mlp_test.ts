import assert from "node:assert/strict";
import { initBackend } from "../../lib/backend/init.ts";
import { buildMlp, disposeModel } from "../../lib/model/mlp.ts";
import { summarizeLayers } from "../../lib/model/summary.ts";
import { weightGradients } from "../../lib/step/gradients.ts";
import { type Tensor, tf } from "../../lib/tf.ts";

await initBackend();

Deno.test("buildMlp is the study's model: 269,322 parameters in the expected layers", () => {
  const model = buildMlp();
  assert.equal(model.countParams(), 269322);
  assert.equal(
    model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a, b) => a! * b!, 1)!, 0),
    269322,
  );
  const rows = summarizeLayers(model);
  assert.deepEqual(rows.map((r) => [r.type, r.outputShape, r.params]), [
    ["Dense", "[None, 256]", 200960],
    ["SeededDropout", "[None, 256]", 0],
    ["Dense", "[None, 256]", 65792],
    ["SeededDropout", "[None, 256]", 0],
    ["Dense", "[None, 10]", 2570],
  ]);
  assert.equal(model.optimizer.getClassName(), "Adam");
  assert.deepEqual(model.metricsNames, ["loss", "acc"]);
  model.dispose();
});

Deno.test("buildMlp: sizes configurable; same seed same weights, other seed other weights", () => {
  const small = buildMlp({ inputSize: 4, hiddenUnits: [3], classes: 2, seed: 5 });
  assert.equal(small.countParams(), 4 * 3 + 3 + 3 * 2 + 2);
  const same = buildMlp({ inputSize: 4, hiddenUnits: [3], classes: 2, seed: 5 });
  const other = buildMlp({ inputSize: 4, hiddenUnits: [3], classes: 2, seed: 6 });
  const weights = (m: typeof small) => m.getWeights().map((w) => [...w.dataSync()]);
  assert.deepEqual(weights(small), weights(same));
  assert.notDeepEqual(weights(small), weights(other));
  tf.dispose([small, same, other].flatMap((m) => m.getWeights()));
});

Deno.test("buildMlp refuses invalid sizes and rates, naming the value", () => {
  assert.throws(
    () => buildMlp({ hiddenUnits: [256, 0] }),
    /buildMlp: hiddenUnits\[1\]: expected a positive integer, got 0/,
  );
  assert.throws(
    () => buildMlp({ classes: -1 }),
    /buildMlp: classes: expected a positive integer, got -1/,
  );
  assert.throws(() => buildMlp({ inputSize: 2.5 }), /buildMlp: inputSize: .*, got 2\.5/);
  assert.throws(
    () => buildMlp({ dropout: 1 }),
    /buildMlp: dropout: expected a number in \[0, 1\), got 1/,
  );
  assert.throws(() => buildMlp({ dropout: -0.1 }), /buildMlp: dropout: .*, got -0\.1/);
  assert.throws(
    () => buildMlp({ learningRate: 0 }),
    /buildMlp: learningRate: expected a finite number > 0, got 0/,
  );
  assert.throws(() => buildMlp({ seed: 1.5 }), /buildMlp: seed: expected an integer, got 1\.5/);
});

Deno.test("dropout is active while training, with masks that repeat for a seed, and off at inference", () => {
  const ones = tf.ones([64, 784]);
  const model = buildMlp({ seed: 9 });
  const inference = [model.predict(ones) as Tensor, model.predict(ones) as Tensor];
  assert.deepEqual(inference[0].dataSync(), inference[1].dataSync());
  const dropout = model.layers[1];
  const masks = (seed: number) => {
    const m = buildMlp({ seed });
    const layer = m.layers[1];
    const x = tf.ones([8, 256]);
    return [1, 2].map(() => [...(layer.apply(x, { training: true }) as Tensor).dataSync()]);
  };
  const [a1, a2] = masks(3);
  const [b1] = masks(3);
  assert.deepEqual(a1, b1);
  assert.notDeepEqual(a1, a2);
  const zeros = a1.filter((v) => v === 0).length / a1.length;
  assert.ok(zeros > 0.1 && zeros < 0.3, `dropped fraction ${zeros}`);
  assert.ok(a1.every((v) => v === 0 || Math.abs(v - 1.25) < 1e-6));
  assert.equal(dropout.getClassName(), "SeededDropout");
});

Deno.test("buildMlp with optimizer sgd: one step moves every weight by −η·g exactly", async () => {
  const x = tf.randomUniform([32, 784], 0, 1, "float32", 3);
  const y = tf.oneHot(tf.tensor1d(Array.from({ length: 32 }, (_, i) => i % 10), "int32"), 10);
  const config = { seed: 9, dropout: 0, optimizer: "sgd" as const, learningRate: 0.5 };
  const twin = buildMlp(config);
  const { gradients } = weightGradients(twin, x, y);
  const model = buildMlp(config);
  assert.equal(model.optimizer.getClassName(), "SGD");
  const before = model.getWeights().map((w) => tf.clone(w));
  await model.trainOnBatch(x, y);
  model.getWeights().forEach((after, i) => {
    const expected = tf.sub(before[i], tf.mul(gradients[i], 0.5));
    const gap = tf.max(tf.abs(tf.sub(after, expected))).dataSync()[0];
    assert.ok(gap < 1e-6, `weight ${i}: ${gap} from w − η·g`);
  });
  assert.throws(
    // @ts-expect-error: an optimizer the model does not have
    () => buildMlp({ optimizer: "rmsprop" }),
    /buildMlp: optimizer: expected one of adam, sgd, got "rmsprop"/,
  );
  disposeModel(twin);
  disposeModel(model);
  tf.dispose([x, y, ...gradients, ...before]);
});
