import assert from "node:assert/strict";
import { renderSvg } from "../../lib/pictures/render.ts";
import { initBackend } from "../../lib/backend/init.ts";
import { evaluate } from "../../lib/evaluation/metrics.ts";
import { accuracyCurve } from "../../lib/display/progress_notebook.ts";
import { robustnessCurve } from "../../lib/evaluation/robustness.ts";
import { tf } from "../../lib/tf.ts";

await initBackend();

/** A fixed model that predicts the brighter half of its 2 inputs. */
function brighterHalf() {
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [2], units: 2, activation: "softmax", useBias: false })],
  });
  model.setWeights([tf.tensor2d([[20, -20], [-20, 20]])]);
  model.compile({ optimizer: "adam", loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  return model;
}

Deno.test("robustnessCurve: accuracy per model and noise level, falling as noise grows", async () => {
  const n = 400;
  const labels = Array.from({ length: n }, (_, i) => i % 2);
  const x = tf.tensor2d(labels.flatMap((l) => (l === 0 ? [0.55, 0.45] : [0.45, 0.55])), [n, 2]);
  const y = tf.oneHot(labels, 2);
  const model = brighterHalf();
  const before = tf.memory().numTensors;
  const curve = await robustnessCurve({ a: model, b: model }, x, y, { seed: 1, stds: [0, 0.2] });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(curve.stds, [0, 0.2]);
  assert.deepEqual(curve.series.map((s) => s.name), ["a", "b"]);
  assert.equal(curve.series[0].values[0], (await evaluate(model, x, y)).accuracy);
  assert.equal(curve.series[0].values[0], 1);
  assert.ok(curve.series[0].values[1] < 0.8, `accuracy under noise ${curve.series[0].values[1]}`);
  assert.deepEqual(curve.series[1].values, curve.series[0].values);
  // The first image as the models saw it: clean at std 0, noisy at 0.2.
  assert.deepEqual(curve.first[0], Float32Array.of(0.55, 0.45));
  assert.ok(curve.first[1].some((v, i) => Math.abs(v - curve.first[0][i]) > 1e-3));
  tf.dispose([x, y]);
});

Deno.test("accuracyCurve draws train and validation accuracy per epoch", async () => {
  const history = {
    loss: [0.5, 0.3],
    acc: [0.9, 0.95],
    val_loss: [0.4, 0.35],
    val_acc: [0.92, 0.94],
    seconds: [1, 1],
    bestEpoch: 2,
  };
  const svg = await renderSvg(accuracyCurve(history, "My curve"));
  assert.match(svg, /^<svg/);
  for (const label of ["My curve", "Epoch", "Accuracy", "train", "validation"]) {
    assert.ok(svg.includes(label), `missing ${label}`);
  }
});
