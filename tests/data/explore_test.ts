import assert from "node:assert/strict";
import { loadDataset } from "../../lib/data/dataset.ts";
import { classCounts, imageAt, meanImages } from "../../lib/data/explore.ts";

const split = {
  images: Uint8Array.from([0, 255, 255, 255, 51, 102, 0, 0]),
  labels: Uint8Array.from([1, 1, 0, 2]),
};

Deno.test("imageAt returns one image's pixels and refuses indices out of range", () => {
  assert.deepEqual([...imageAt(split, 2)], [51, 102]);
  assert.throws(() => imageAt(split, 4), /imageAt: index: expected an integer in \[0, 4\), got 4/);
});

Deno.test("classCounts counts labels per class", () => {
  assert.deepEqual(classCounts(split.labels, 3), [1, 2, 1]);
  assert.throws(
    () => classCounts(split.labels, 2),
    /classCounts: labels\[3\]: expected an integer in \[0, 2\), got 2/,
  );
});

Deno.test("meanImages averages each class's images in [0, 1]; an empty class is black", () => {
  const means = meanImages(split, 4);
  assert.deepEqual([...means].map((v) => +v.toFixed(3)), [0.2, 0.4, 0.5, 1, 0, 0, 0, 0]);
});

Deno.test("loadDataset applies the limits and the data set choice", async () => {
  const mnist = await loadDataset({ dataset: "mnist", trainLimit: 100, testLimit: 10 });
  assert.equal(mnist.train.labels.length, 100);
  assert.equal(mnist.train.images.length, 100 * 784);
  assert.equal(mnist.test.labels.length, 10);
  assert.equal(mnist.classNames[3], "3");
  const fashion = await loadDataset({ dataset: "fashion-mnist", trainLimit: 5 });
  assert.equal(fashion.train.labels.length, 5);
  assert.equal(fashion.test.labels.length, 10000);
  assert.equal(fashion.classNames[9], "Ankle boot");
});
