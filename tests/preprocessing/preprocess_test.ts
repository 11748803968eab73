import assert from "node:assert/strict";
import { initBackend } from "../../lib/backend/init.ts";
import {
  firstSamples,
  splitByIndices,
  splitValidation,
  takeSamples,
} from "../../lib/data/splits.ts";
import { normalize, oneHot, toTensors } from "../../lib/preprocessing/tensors.ts";
import { createRandom, shuffledIndices } from "../../lib/preprocessing/random.ts";
import { tf } from "../../lib/tf.ts";
import { patternImages } from "../fixtures/idx.ts";

await initBackend();

const split = {
  images: patternImages(10, 2, 2),
  labels: Uint8Array.from([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]),
};

Deno.test("normalize divides by 255 into float32 [0, 1]", () => {
  const out = normalize(Uint8Array.from([0, 51, 255]));
  assert.ok(out instanceof Float32Array);
  assert.deepEqual([...out], [0, Math.fround(0.2), 1]);
  const target = new Float32Array(4);
  assert.equal(normalize(Uint8Array.from([255, 0]), target.subarray(2)).buffer, target.buffer);
  assert.deepEqual([...target], [0, 0, 1, 0]);
  assert.throws(
    () => normalize(Uint8Array.from([1]), target),
    /normalize: out\.length: expected 1 \(one per pixel\), got 4/,
  );
});

Deno.test("oneHot sets one 1 per row and refuses labels beyond the classes", () => {
  assert.deepEqual([...oneHot(Uint8Array.from([2, 0]), 3)], [0, 0, 1, 1, 0, 0]);
  assert.throws(
    () => oneHot(Uint8Array.from([0, 3]), 3),
    /oneHot: labels\[1\]: expected an integer in \[0, 3\), got 3/,
  );
});

Deno.test("shuffledIndices is a permutation that repeats for a seed and differs across seeds", () => {
  const a = shuffledIndices(1000, createRandom(7));
  const b = shuffledIndices(1000, createRandom(7));
  const c = shuffledIndices(1000, createRandom(8));
  assert.deepEqual(a, b);
  assert.notDeepEqual(a, c);
  assert.deepEqual([...a].sort((x, y) => x - y), Array.from({ length: 1000 }, (_, i) => i));
  assert.notDeepEqual([...a.subarray(0, 10)], [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});

Deno.test("splitValidation takes the last fraction, before shuffling, as Keras does", () => {
  const { train, validation } = splitValidation(split, 0.2);
  assert.deepEqual([...train.labels], [0, 1, 2, 3, 4, 5, 6, 7]);
  assert.deepEqual([...validation.labels], [8, 9]);
  assert.deepEqual(validation.images, split.images.subarray(32));
  assert.equal(splitValidation(split, 0.25).train.labels.length, 7);
  assert.throws(
    () => splitValidation(split, 1),
    /splitValidation: fraction: expected a number in \[0, 1\), got 1/,
  );
});

Deno.test("splitByIndices puts the listed samples in validation, the rest in order in train", () => {
  const { train, validation } = splitByIndices(split, [9, 0, 4]);
  assert.deepEqual([...validation.labels], [9, 0, 4]);
  assert.deepEqual([...train.labels], [1, 2, 3, 5, 6, 7, 8]);
  assert.deepEqual(validation.images.subarray(0, 4), split.images.subarray(36, 40));
  assert.throws(
    () => splitByIndices(split, [1, 1]),
    /splitByIndices: validationIndices\[1\]: expected an index listed once, got 1 again/,
  );
  assert.throws(
    () => splitByIndices(split, [10]),
    /splitByIndices: validationIndices\[0\]: expected an integer in \[0, 10\), got 10/,
  );
});

Deno.test("takeSamples and firstSamples pick images with their labels", () => {
  const picked = takeSamples(split, [3, 1]);
  assert.deepEqual([...picked.labels], [3, 1]);
  assert.deepEqual(picked.images.subarray(4, 8), split.images.subarray(4, 8));
  assert.equal(firstSamples(split, 4).images.length, 16);
  assert.equal(firstSamples(split).labels.length, 10);
  assert.throws(
    () => takeSamples(split, [3, 12]),
    /takeSamples: indices\[1\]: expected an integer in \[0, 10\), got 12/,
  );
  assert.throws(
    () => firstSamples(split, 0),
    /firstSamples: limit: expected a positive integer, got 0/,
  );
});

Deno.test("toTensors gives x [N, P] and y [N, 10] and leaves no stray tensors", () => {
  const before = tf.memory().numTensors;
  const { x, y } = toTensors(split);
  assert.deepEqual(x.shape, [10, 4]);
  assert.deepEqual(y.shape, [10, 10]);
  assert.equal(tf.memory().numTensors, before + 2);
  assert.deepEqual([...x.dataSync().subarray(0, 4)], [...normalize(split.images.subarray(0, 4))]);
  assert.deepEqual([...tf.tidy(() => tf.argMax(y, 1).dataSync())], [...split.labels]);
  tf.dispose([x, y]);
  assert.equal(tf.memory().numTensors, before);
});
