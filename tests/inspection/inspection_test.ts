/** Inside a model: its kernels, its hidden activations, and projections of them to 2-D. */
import assert from "node:assert/strict";
import { initBackend } from "../../lib/backend/init.ts";
import { denseKernel, layerActivations } from "../../lib/inspection/layers.ts";
import { pca, umap } from "../../lib/inspection/projection.ts";
import { buildMlp } from "../../lib/model/mlp.ts";
import { createRandom } from "../../lib/preprocessing/random.ts";
import { tf } from "../../lib/tf.ts";

await initBackend();

Deno.test("pca of points on a line: one component, distances along the line kept", () => {
  // 50 points on the line through (1, 2, 3) with direction (2, −1, 2)/3 in 3-D.
  const t = Array.from({ length: 50 }, (_, i) => i / 5 - 5);
  const points = Float32Array.from(t.flatMap((s) => [1 + 2 * s / 3, 2 - s / 3, 3 + 2 * s / 3]));
  const { points: projected, explained } = pca(points, 3, { components: 2 });
  const mean = t.reduce((a, b) => a + b) / t.length; // −0.1
  assert.ok(explained[0] > 0.9999, `explained ${explained}`);
  for (let i = 0; i < 50; i++) {
    // The first coordinate is t − mean(t) (the sign fixed by the largest entry, +2/3), the
    // second 0.
    assert.ok(Math.abs(projected[2 * i] - (t[i] - mean)) < 1e-4, `point ${i}: ${projected[2 * i]}`);
    assert.ok(Math.abs(projected[2 * i + 1]) < 1e-4);
  }
});

Deno.test("pca finds the axes of an ellipse and orders them by variance", () => {
  const random = createRandom(3);
  const normal = () =>
    Math.sqrt(-2 * Math.log(1 - random.float())) * Math.cos(2 * Math.PI * random.float());
  // Spread 3 along (1, 1)/√2 and 1 along (1, −1)/√2.
  const points = new Float32Array(2000 * 2);
  for (let i = 0; i < 2000; i++) {
    const [a, b] = [3 * normal(), normal()];
    points[2 * i] = (a + b) / Math.SQRT2;
    points[2 * i + 1] = (a - b) / Math.SQRT2;
  }
  const { points: projected, explained } = pca(points, 2);
  assert.ok(Math.abs(explained[0] - 0.9) < 0.02, `explained ${explained}`); // 9 / (9 + 1)
  let [sa, sb] = [0, 0];
  for (let i = 0; i < 2000; i++) sa += projected[2 * i] ** 2, sb += projected[2 * i + 1] ** 2;
  assert.ok(Math.abs(Math.sqrt(sa / 1999) - 3) < 0.15 && Math.abs(Math.sqrt(sb / 1999) - 1) < 0.05);
  assert.deepEqual(pca(points, 2).points, projected, "not deterministic");
});

Deno.test("pca and umap refuse malformed points, naming the argument", () => {
  assert.throws(() => pca(new Float32Array(5), 2), {
    message: "pca: points: expected a Float32Array of N×2 values (N ≥ 1), got 5 values",
  });
  assert.throws(() => pca(Float32Array.of(1, NaN), 2), {
    message: "pca: points[1]: expected a finite number, got NaN",
  });
  assert.throws(() => pca(new Float32Array(4), 2, { components: 3 }), {
    message: "pca: components: expected an integer in [1, 2], got 3",
  });
});

Deno.test("umap: the same seed gives the same embedding; clusters stay apart", async () => {
  const random = createRandom(9);
  // Three clusters of 40 points in 8-D around far-apart centres.
  const points = Float32Array.from({ length: 120 * 8 }, (_, i) => {
    const cluster = Math.floor(i / (40 * 8));
    return (i % 8 === cluster ? 20 : 0) + random.float();
  });
  const first = await umap(points, 8, { seed: 4, neighbors: 10 });
  const again = await umap(points, 8, { seed: 4, neighbors: 10 });
  assert.deepEqual(again.points, first.points);
  const centre = (c: number) =>
    [0, 1].map((d) => {
      let sum = 0;
      for (let i = 40 * c; i < 40 * (c + 1); i++) sum += first.points[2 * i + d];
      return sum / 40;
    });
  const spread = (c: number) => {
    const [cx, cy] = centre(c);
    let max = 0;
    for (let i = 40 * c; i < 40 * (c + 1); i++) {
      max = Math.max(max, Math.hypot(first.points[2 * i] - cx, first.points[2 * i + 1] - cy));
    }
    return max;
  };
  for (const [a, b] of [[0, 1], [0, 2], [1, 2]]) {
    const [pa, pb] = [centre(a), centre(b)];
    const gap = Math.hypot(pa[0] - pb[0], pa[1] - pb[1]);
    assert.ok(gap > spread(a) + spread(b), `clusters ${a} and ${b} overlap`);
  }
});

Deno.test("layerActivations: relu(x·W + b) of each hidden layer, dropout off, in any batch", async () => {
  const model = buildMlp({ inputSize: 6, hiddenUnits: [5, 4], dropout: 0.5, seed: 2 });
  const x = tf.randomUniform([7, 6], 0, 1, "float32", 1);
  const [w1, b1, w2, b2] = model.getWeights().slice(0, 4);
  const expected = tf.tidy(() => {
    const h1 = tf.relu(tf.add(tf.matMul(x, w1), b1));
    return [h1.dataSync(), tf.relu(tf.add(tf.matMul(h1, w2), b2)).dataSync()];
  });
  const h1 = await layerActivations(model, x, "dense_1");
  const h2 = await layerActivations(model, x, "dense_2", 3);
  [h1, h2].forEach((h, k) =>
    h.forEach((v, i) => assert.ok(Math.abs(v - expected[k][i]) < 1e-6, `layer ${k + 1}, ${i}`))
  );
  assert.deepEqual(await layerActivations(model, x, "dense_2", 3), h2, "dropout on");
  const before = tf.memory().numTensors;
  await layerActivations(model, x, "dense_2", 2);
  assert.equal(tf.memory().numTensors, before, "tensors left behind");
  await assert.rejects(layerActivations(model, x, "dense_9"), {
    message:
      'layerActivations: layer: expected one of dense_1, dropout_1, dense_2, dropout_2, probabilities, got "dense_9"',
  });
  x.dispose();
});

Deno.test("denseKernel copies the kernel [inputs, units] and refuses other layers", () => {
  const model = buildMlp({ inputSize: 6, hiddenUnits: [5], seed: 2 });
  const kernel = denseKernel(model, "dense_1");
  assert.deepEqual([kernel.inputs, kernel.units], [6, 5]);
  assert.deepEqual(kernel.values, model.getWeights()[0].dataSync());
  kernel.values[0] += 1;
  assert.notEqual(model.getWeights()[0].dataSync()[0], kernel.values[0], "not a copy");
  assert.throws(() => denseKernel(model, "dropout_1"), {
    message:
      "denseKernel: layer: expected a Dense layer with a kernel, got dropout_1, a SeededDropout",
  });
});
