import assert from "node:assert/strict";
import { initBackend } from "../../lib/backend/init.ts";
import { addGaussianNoise, withNoisyCopies } from "../../lib/preprocessing/noise.ts";
import { toTensors } from "../../lib/preprocessing/tensors.ts";
import { tf } from "../../lib/tf.ts";

await initBackend();

Deno.test("addGaussianNoise: N(0, 0.1) around the input, clipped to [0, 1], same for a seed", () => {
  const x = tf.fill([200, 100], 0.5);
  const a = addGaussianNoise(x, { std: 0.1, seed: 3 });
  const b = addGaussianNoise(x, { std: 0.1, seed: 3 });
  const c = addGaussianNoise(x, { std: 0.1, seed: 4 });
  const values = a.dataSync() as Float32Array;
  assert.deepEqual(a.shape, x.shape);
  assert.deepEqual(values, b.dataSync());
  assert.notDeepEqual(values, c.dataSync());
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
  assert.ok(Math.abs(mean - 0.5) < 0.005, `mean ${mean}`);
  assert.ok(Math.abs(std - 0.1) < 0.005, `std ${std}`);
  tf.dispose([x, a, b, c]);
});

Deno.test("addGaussianNoise clips to [0, 1] and std 0 changes nothing", () => {
  const x = tf.tensor2d([[0, 1, 0.5, 0.02]]);
  const noisy = addGaussianNoise(x, { std: 0.5, mean: 0.1, seed: 1 });
  for (const v of noisy.dataSync()) assert.ok(v >= 0 && v <= 1, `${v}`);
  const same = addGaussianNoise(x, { std: 0, seed: 1 });
  assert.deepEqual(same.dataSync(), x.dataSync());
  tf.dispose([x, noisy, same]);
});

Deno.test("addGaussianNoise refuses a negative or non-finite std and non-finite input", () => {
  const x = tf.tensor2d([[0.1, 0.2]]);
  const bad = tf.tensor2d([[0.1, NaN]]);
  const before = tf.memory().numTensors;
  assert.throws(
    () => addGaussianNoise(x, { std: -0.1, seed: 1 }),
    /addGaussianNoise: std: expected a finite number ≥ 0, got -0\.1/,
  );
  assert.throws(
    () => addGaussianNoise(x, { std: Infinity, seed: 1 }),
    /addGaussianNoise: std: .*, got Infinity/,
  );
  assert.throws(
    () => addGaussianNoise(x, { mean: NaN, seed: 1 }),
    /addGaussianNoise: mean: expected a finite number, got NaN/,
  );
  assert.throws(
    () => addGaussianNoise(x, { seed: 0.5 }),
    /addGaussianNoise: seed: expected an integer, got 0\.5/,
  );
  assert.throws(
    () => addGaussianNoise(bad, { seed: 1 }),
    /addGaussianNoise: x\.dataSync\(\)\[1\]: expected a finite number, got NaN/,
  );
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([x, bad]);
});

Deno.test("withNoisyCopies stacks the clean images and their seeded noisy copies", () => {
  const split = {
    images: Uint8Array.from([0, 255, 128, 64, 32, 16]),
    labels: Uint8Array.from([1, 2, 0]),
  };
  const before = tf.memory().numTensors;
  const { x, y } = withNoisyCopies(split, { std: 0.2, seed: 9 });
  assert.equal(tf.memory().numTensors, before + 2);
  assert.deepEqual(x.shape, [6, 2]);
  assert.deepEqual(y.shape, [6, 10]);
  const clean = toTensors(split);
  const noisy = addGaussianNoise(clean.x, { std: 0.2, seed: 9 });
  const values = x.dataSync();
  assert.deepEqual(values.slice(0, 6), clean.x.dataSync());
  assert.deepEqual(values.slice(6), noisy.dataSync());
  assert.deepEqual([...tf.tidy(() => tf.argMax(y, 1).dataSync())], [1, 2, 0, 1, 2, 0]);
  tf.dispose([x, y, clean.x, clean.y, noisy]);
});

Deno.test("withNoisyCopies writes into a given array of 2 × the split's pixels, or names it", () => {
  const split = { images: Uint8Array.from([0, 255, 128, 64]), labels: Uint8Array.from([3, 4]) };
  const into = new Float32Array(8).fill(-1);
  const { x, y } = withNoisyCopies(split, { std: 0.1, seed: 5, into });
  const fresh = withNoisyCopies(split, { std: 0.1, seed: 5 });
  assert.deepEqual(into, fresh.x.dataSync());
  assert.deepEqual(x.dataSync(), fresh.x.dataSync());
  assert.throws(
    () => withNoisyCopies(split, { seed: 5, into: new Float32Array(4) }),
    /withNoisyCopies: into\.length: expected 8 values \(2 × 2 images of 2 pixels\), got 4/,
  );
  tf.dispose([x, y, fresh.x, fresh.y]);
});
