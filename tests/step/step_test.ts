/**
 * The one-step helpers (lib/step/): the first batch is train's, the masks are the next step's, the
 * gradients are tfjs's, and the float64 gradient check passes right formulas and fails wrong ones.
 */
import assert from "node:assert/strict";
import { initBackend, withBackend } from "../../lib/backend/init.ts";
import { loadDataset } from "../../lib/data/dataset.ts";
import { buildMlp, disposeModel } from "../../lib/model/mlp.ts";
import { SeededDropout } from "../../lib/model/seeded_dropout.ts";
import { toTensors } from "../../lib/preprocessing/tensors.ts";
import {
  firstBatch,
  gradientCheck,
  lossSlice,
  mlpLoss64,
  nextDropoutMasks,
  relativeDifference,
  tfjsStep,
  weightGradients,
} from "../../lib/step/mod.ts";
import { type LayersModel, type Tensor, tf } from "../../lib/tf.ts";
import { train } from "../../lib/training/train.ts";

await initBackend();

Deno.test("firstBatch is the batch of train's first step", async () => {
  const data = await loadDataset({ dataset: "mnist", trainLimit: 500 });
  const settings = { batchSize: 32, validationSplit: 0.2, seed: 7 };
  const { x, y } = toTensors(data.train);
  const model = buildMlp({ seed: 1 });
  const fed: Float32Array[] = [];
  const trainOnBatch = model.trainOnBatch.bind(model);
  model.trainOnBatch = (xb, yb) => {
    fed.push((xb as Tensor).dataSync() as Float32Array);
    return trainOnBatch(xb, yb);
  };
  await train(model, x, y, { ...settings, epochs: 1 });
  const batch = toTensors(firstBatch(data.train, settings));
  assert.deepEqual(batch.x.dataSync(), fed[0]);
  assert.equal(fed.length, Math.ceil(400 / 32));
  const other = toTensors(firstBatch(data.train, { ...settings, seed: 8 }));
  assert.notDeepEqual(other.x.dataSync(), fed[0], "another seed, another batch");
  disposeModel(model);
  tf.dispose([x, y, batch.x, batch.y, other.x, other.y]);
});

Deno.test("firstBatch refuses a batch size that is not a positive integer", async () => {
  const data = await loadDataset({ dataset: "mnist", trainLimit: 100 });
  assert.throws(() => firstBatch(data.train, { batchSize: 0 }), {
    message: "firstBatch: batchSize: expected a positive integer, got 0",
  });
});

Deno.test("nextDropoutMasks are the masks of the next training call, and drawing nothing", () => {
  const layer = new SeededDropout({ rate: 0.2, seed: 3 });
  const ones = tf.ones([4, 8]);
  const peek = () => {
    const mask = new Float32Array(32);
    layer.peekDropoutMask(mask);
    return mask;
  };
  const before = peek();
  assert.deepEqual(peek(), before, "peeking does not advance");
  const used = (layer.apply(ones, { training: true }) as Tensor).dataSync();
  assert.deepEqual(used, before, "the training call multiplies by the peeked mask");
  assert.notDeepEqual(peek(), before, "the call advanced the sequence");

  const model = buildMlp({ inputSize: 8, hiddenUnits: [6, 5], classes: 3, seed: 2 });
  const masks = nextDropoutMasks(model, 4);
  assert.deepEqual(masks.map((m) => m.shape), [[4, 6], [4, 5]]);
  const x = tf.randomUniform([4, 8], 0, 1, "float32", 9);
  const [W1, b1, W2, b2, W3, b3] = model.getWeights();
  const hand = tf.tidy(() => {
    const d1 = tf.mul(tf.relu(tf.add(tf.matMul(x, W1), b1)), masks[0]);
    const d2 = tf.mul(tf.relu(tf.add(tf.matMul(d1, W2), b2)), masks[1]);
    return tf.softmax(tf.add(tf.matMul(d2, W3), b3));
  });
  const trained = model.apply(x, { training: true }) as Tensor;
  assert.ok(relativeDifference(hand, trained) < 1e-6);
  const unmasked = buildMlp({ inputSize: 8, hiddenUnits: [6, 5], classes: 3, dropout: 0, seed: 2 });
  assert.ok(nextDropoutMasks(unmasked, 2).every((m) => m.dataSync().every((v) => v === 1)));
  assert.throws(() => nextDropoutMasks(model, 0), /nextDropoutMasks: batch: expected/);
  tf.dispose([ones, x, hand, trained, ...masks]);
});

/** A small MLP, a batch it builds, and the hand backward pass with a given ReLU derivative. */
function smallProblem() {
  const model = buildMlp({ inputSize: 12, hiddenUnits: [7, 5], classes: 4, seed: 11 });
  const x = tf.randomUniform([6, 12], 0, 1, "float32", 3);
  const y = tf.cast(tf.oneHot(tf.tensor1d([0, 1, 2, 3, 1, 2], "int32"), 4), "float32");
  const weights = model.getWeights();
  const masks = nextDropoutMasks(model, 6);
  const gradients = (derivative: (z: Tensor) => Tensor) =>
    tf.tidy(() => {
      const [W1, b1, W2, b2, W3, b3] = weights;
      const z1 = tf.add(tf.matMul(x, W1), b1);
      const d1 = tf.mul(tf.relu(z1), masks[0]);
      const z2 = tf.add(tf.matMul(d1, W2), b2);
      const d2 = tf.mul(tf.relu(z2), masks[1]);
      const p = tf.softmax(tf.add(tf.matMul(d2, W3), b3));
      const delta3 = tf.div(tf.sub(p, y), 6);
      const delta2 = tf.mul(tf.mul(tf.matMul(delta3, W3, false, true), masks[1]), derivative(z2));
      const delta1 = tf.mul(tf.mul(tf.matMul(delta2, W2, false, true), masks[0]), derivative(z1));
      return [
        tf.matMul(x, delta1, true),
        tf.sum(delta1, 0),
        tf.matMul(d1, delta2, true),
        tf.sum(delta2, 0),
        tf.matMul(d2, delta3, true),
        tf.sum(delta3, 0),
      ];
    });
  const params = weights.map((w) => Float64Array.from(w.dataSync()));
  const data = [x, y, ...masks].map((t) => t.dataSync() as Float32Array);
  const loss64 = () => mlpLoss64(params, data[0], data[1], data.slice(2));
  return { model, x, y, gradients, params, loss64 };
}

const relu = (z: Tensor) => tf.cast(tf.greater(z, 0), "float32");

Deno.test("weightGradients are tfjs's gradients of the training-mode loss", () => {
  const { model, x, y, gradients, loss64 } = smallProblem();
  const hand = gradients(relu);
  const { loss, names, gradients: auto } = weightGradients(model, x, y);
  assert.deepEqual(names, [
    "dense_1/kernel",
    "dense_1/bias",
    "dense_2/kernel",
    "dense_2/bias",
    "probabilities/kernel",
    "probabilities/bias",
  ]);
  hand.forEach((g, i) => assert.ok(relativeDifference(g, auto[i]) < 1e-5, names[i]));
  assert.ok(Math.abs(loss - loss64()) < 1e-6, `float32 ${loss}, float64 ${loss64()}`);
  const weights = model.getWeights().map((w) => w.dataSync().slice());
  assert.ok(auto.every((g) => g.dataSync().some((v) => v !== 0)));
  assert.deepEqual(model.getWeights().map((w) => w.dataSync()), weights, "no weight changed");
  disposeModel(model);
});

Deno.test("the gradient check passes the right ReLU derivative and catches a wrong one", () => {
  const { model, gradients, params, loss64 } = smallProblem();
  const check = (derivative: (z: Tensor) => Tensor) =>
    gradientCheck(params, loss64, gradients(derivative).map((g) => g.dataSync()), {
      perTensor: 4,
    });
  const right = check(relu);
  assert.equal(right.length, 24);
  assert.ok(right.every((r) => r.relativeError < 1e-4), JSON.stringify(right));
  const wrong = check((z) => tf.onesLike(z));
  const worst = (tensors: number[]) =>
    Math.max(...wrong.filter((r) => tensors.includes(r.tensor)).map((r) => r.relativeError));
  assert.ok(worst([0, 1, 2, 3]) > 1e-2, `the wrong derivative passed: ${worst([0, 1, 2, 3])}`);
  assert.ok(worst([4, 5]) < 1e-4, "the output layer needs no ReLU derivative");
  disposeModel(model);
});

Deno.test("the float64 loss and the gradient check refuse inputs that do not fit", () => {
  const params = [new Float64Array(6), new Float64Array(2)];
  const [x, y] = [new Float32Array(3), Float32Array.of(1, 0)];
  assert.throws(() => mlpLoss64(params.slice(0, 1), x, y, []), /mlpLoss64: params: expected/);
  assert.throws(() => mlpLoss64(params, x, y, [x]), /mlpLoss64: masks: expected 0/);
  assert.throws(
    () => mlpLoss64([new Float64Array(5), new Float64Array(2)], x, y, []),
    { message: "mlpLoss64: layer 1 kernel: expected 3×2 values (inputs × units), got 5" },
  );
  const loss = () => mlpLoss64(params, x, y, []);
  assert.throws(() => gradientCheck(params, loss, [x]), /gradientCheck: analytic: expected 2/);
  assert.throws(
    () => gradientCheck(params, loss, [new Float32Array(6), new Float32Array(3)]),
    { message: "gradientCheck: analytic[1]: expected 2 values, as params[1], got 3" },
  );
  assert.throws(() => relativeDifference([1], [1, 2]), /relativeDifference: a: expected 2 values/);
});

Deno.test("lossSlice moves every weight against the gradient and leaves the weights as they were", () => {
  const weights = [tf.tensor1d([1, 2]), tf.scalar(-1)];
  const gradients = [tf.tensor1d([3, 0]), tf.scalar(-4)]; // ‖g‖ = 5
  const lossAt = ([w, v]: Tensor[]) => tf.tidy(() => tf.sum(w).dataSync()[0] + v.dataSync()[0]);
  // W − s·g/5 at s = 5: w = [1 − 3, 2], v = −1 + 4.
  assert.deepEqual(lossSlice(lossAt, weights, gradients, [0, 5]), [2, 3]);
  assert.deepEqual(weights[0].dataSync(), Float32Array.of(1, 2));
  assert.throws(() => lossSlice(lossAt, weights, gradients, [-1]), /lossSlice: sizes/);
  const zeros = [tf.zeros([2]), tf.scalar(0)];
  assert.throws(() => lossSlice(lossAt, weights, zeros, [1]), /expected a non-zero gradient/);
  tf.dispose([...weights, ...gradients, ...zeros]);
});

Deno.test("withBackend switches back after its work, also when the work throws", async () => {
  const before = tf.getBackend();
  const model: LayersModel = await withBackend("cpu", () => {
    assert.equal(tf.getBackend(), "cpu");
    return buildMlp({ seed: 3 });
  });
  assert.equal(tf.getBackend(), before);
  await assert.rejects(withBackend("cpu", () => Promise.reject(new Error("boom"))), /boom/);
  assert.equal(tf.getBackend(), before);
  disposeModel(model);
});

Deno.test("tfjsStep is trainOnBatch's step, leaving only the weights' copies behind", async () => {
  const { model, x, y } = smallProblem();
  disposeModel(model);
  const build = () => buildMlp({ inputSize: 12, hiddenUnits: [7, 5], classes: 4, seed: 11 });
  const reference = build();
  const [loss] = await reference.trainOnBatch(x, y) as number[];
  const before = tf.memory().numTensors;
  const step = await tfjsStep(build(), x, y);
  assert.equal(step.loss, loss);
  reference.getWeights().forEach((w, i) =>
    assert.deepEqual(step.weights[i].dataSync(), w.dataSync())
  );
  assert.equal(tf.memory().numTensors, before + step.weights.length, "the model was disposed");
  disposeModel(reference);
  tf.dispose(step.weights);
});
