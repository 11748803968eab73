import assert from "node:assert/strict";
import { join } from "node:path";
import {
  FASHION_MNIST_CLASS_NAMES,
  IDX_FILES,
  loadFashionMnist,
  loadMnist,
  MNIST_SHA256,
  mnistPackageDir,
} from "../../lib/data/mnist.ts";
import { idxBytes, patternImages, writeDataset } from "../fixtures/idx.ts";
import { tempDir } from "../fixtures/temp_dir.ts";

function labelCounts(labels: Uint8Array): number[] {
  const counts = new Array(10).fill(0);
  for (const label of labels) counts[label]++;
  return counts;
}

Deno.test("loadMnist gives the real MNIST: sizes, first labels and class counts", async () => {
  const mnist = await loadMnist();
  assert.equal(mnist.rows, 28);
  assert.equal(mnist.cols, 28);
  assert.equal(mnist.train.images.length, 60000 * 784);
  assert.equal(mnist.train.labels.length, 60000);
  assert.equal(mnist.test.images.length, 10000 * 784);
  assert.equal(mnist.test.labels.length, 10000);
  assert.deepEqual([...mnist.train.labels.subarray(0, 10)], [5, 0, 4, 1, 9, 2, 1, 3, 1, 4]);
  assert.deepEqual(
    labelCounts(mnist.train.labels),
    [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949],
  );
  assert.deepEqual(
    labelCounts(mnist.test.labels),
    [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009],
  );
  assert.equal(mnist.classNames[5], "5");
});

Deno.test("loadFashionMnist reads Debian's gzip files: 60,000 / 10,000 with class names", async () => {
  const fashion = await loadFashionMnist();
  assert.equal(fashion.train.labels.length, 60000);
  assert.equal(fashion.test.labels.length, 10000);
  assert.equal(fashion.train.images.length, 60000 * 784);
  assert.deepEqual(labelCounts(fashion.train.labels), new Array(10).fill(6000));
  assert.deepEqual(fashion.classNames, FASHION_MNIST_CLASS_NAMES);
  assert.equal(fashion.classNames[fashion.train.labels[0]], "Ankle boot");
});

Deno.test("loadMnist({ dir }) reads raw and .gz files alike", async () => {
  for (const gz of [false, true]) {
    await using written = await writeDataset({}, gz);
    const dir = written.path;
    const data = await loadMnist({ dir });
    assert.deepEqual([...data.train.labels], [5, 0, 4, 1, 9]);
    assert.deepEqual([...data.test.labels], [7, 2, 1]);
    assert.deepEqual(data.train.images, patternImages(5));
  }
});

Deno.test("loadMnist refuses bad data folders with the file and the problem", async (t) => {
  const cases: [string, Record<string, Uint8Array | null>, RegExp][] = [
    [
      "image and label counts differ",
      { [IDX_FILES.trainLabels]: idxBytes(0x801, [4], new Uint8Array([1, 2, 3, 4])) },
      /train-images-idx3-ubyte holds 5 images but .*train-labels-idx1-ubyte holds 4 labels/,
    ],
    [
      "a label above 9",
      { [IDX_FILES.testLabels]: idxBytes(0x801, [3], new Uint8Array([1, 12, 3])) },
      /t10k-labels-idx1-ubyte: labels\[1\]: expected an integer in \[0, 10\), got 12/,
    ],
    [
      "labels where images belong",
      { [IDX_FILES.testImages]: idxBytes(0x801, [3], new Uint8Array(3)) },
      /t10k-images-idx3-ubyte: expected an IDX images file/,
    ],
    [
      "a missing file",
      { [IDX_FILES.testLabels]: null },
      /t10k-labels-idx1-ubyte: not found \(nor t10k-labels-idx1-ubyte\.gz\)/,
    ],
    [
      "an empty file",
      { [IDX_FILES.trainImages]: new Uint8Array(0) },
      /train-images-idx3-ubyte: empty file/,
    ],
  ];
  for (const [what, files, message] of cases) {
    await t.step(what, async () => {
      await using written = await writeDataset(files);
      const dir = written.path;
      await assert.rejects(loadMnist({ dir }), message);
    });
  }
});

Deno.test("a .gz data file that is not gzip is refused by name", async () => {
  await using written = await writeDataset({}, true);
  const dir = written.path;
  const path = join(dir, `${IDX_FILES.trainLabels}.gz`);
  await Deno.writeFile(path, idxBytes(0x801, [5], new Uint8Array(5)));
  await assert.rejects(loadMnist({ dir }), /train-labels-idx1-ubyte\.gz: not gzip data/);
});

Deno.test("a missing data folder says where the files are expected and how to get them", async () => {
  await assert.rejects(
    loadMnist({ dir: "/nonexistent/mnist" }),
    /\/nonexistent\/mnist: data folder not found\. Put train-images-idx3-ubyte.*\(raw or \.gz\) there/,
  );
  await assert.rejects(
    loadFashionMnist({ dir: "/nonexistent/fashion" }),
    /\/nonexistent\/fashion: data folder not found\. Install it with `apt-get install dataset-fashion-mnist`/,
  );
});

Deno.test("a data file whose SHA-256 does not match is refused, nothing returned", async () => {
  await using tmp = await tempDir("mnist-sha-test-");
  const dir = tmp.path;
  for (const name of Object.values(IDX_FILES)) {
    await Deno.copyFile(join(mnistPackageDir(), name), join(dir, name));
  }
  const path = join(dir, IDX_FILES.testLabels);
  const bytes = await Deno.readFile(path);
  bytes[100] ^= 1;
  await Deno.writeFile(path, bytes);
  await assert.rejects(
    loadMnist({ dir, sha256: MNIST_SHA256 }),
    new RegExp(
      `t10k-labels-idx1-ubyte: SHA-256 [0-9a-f]{64} does not match the expected ${MNIST_SHA256.testLabels}`,
    ),
  );
});
