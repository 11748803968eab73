/**
 * The blas kernels against the cpu backend's: matrix products, elementwise ops, reductions,
 * gather, gradients through them, and the recycling of arrays.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
// tfjs-core's npm build registers no gradients; tfjs-layers' build does (a test-only dependency,
// from the workspace's import map).
import "@tensorflow/tfjs-layers";
import { blasTest } from "./backend.ts";
import { assertSameAsCpu, matMulShapes, runOn, tensor, TRANSPOSES } from "./compare.ts";

type Tensor = tf.Tensor;

const SIZES = [[1, 1, 1], [3, 5, 4], [17, 33, 9], [64, 100, 48]];
const BATCHES: [number[], number[]][] = [
  [[], []],
  [[3], [3]],
  [[1], [4]],
  [[2], [1]],
  [[2, 3], [2, 3]],
  [[2, 1], [1, 3]],
];

blasTest("BatchMatMul on blas matches cpu: transposes, batch dims, broadcast batches", async () => {
  let seed = 0;
  for (const size of SIZES) {
    for (const [batchA, batchB] of BATCHES) {
      for (const [transposeA, transposeB] of TRANSPOSES) {
        const [aShape, bShape] = matMulShapes(batchA, batchB, size, transposeA, transposeB);
        const s = seed += 2;
        // The cpu kernel pairs batches by index modulo batch size, which is wrong for
        // [2,1]×[1,3]; the reference broadcasts explicitly with tile.
        const batch = batchA.map((d, i) => Math.max(d, batchB[i]));
        const tiled = (shape: number[], seed: number, own: number[]) =>
          tf.tile(tensor(shape, seed), [...batch.map((d, i) => d / own[i]), 1, 1]);
        await assertSameAsCpu(
          `matMul [${aShape}]${transposeA ? "ᵀ" : ""} · [${bShape}]${transposeB ? "ᵀ" : ""}`,
          () => tf.matMul(tensor(aShape, s), tensor(bShape, s + 1), transposeA, transposeB),
          () =>
            tf.matMul(
              tiled(aShape, s, batchA),
              tiled(bShape, s + 1, batchB),
              transposeA,
              transposeB,
            ),
        );
      }
    }
  }
});

blasTest("BatchMatMul on blas handles an empty inner dimension and int32 inputs", async () => {
  await assertSameAsCpu("k = 0", () => tf.matMul(tf.zeros([3, 0]), tf.zeros([0, 4])));
  await assertSameAsCpu(
    "int32",
    () =>
      tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2], "int32"), tf.tensor2d([5, 6], [2, 1], "int32")),
  );
});

blasTest(
  "_FusedMatMul on blas matches cpu for every activation, bias shape and transpose",
  async () => {
    const activations = [
      "linear",
      "relu",
      "relu6",
      "elu",
      "leakyrelu",
      "prelu",
      "sigmoid",
    ] as const;
    const [m, k, n] = [19, 23, 11];
    let seed = 100;
    for (const activation of activations) {
      for (const biasShape of [undefined, [n], [1, n], [m, n], [1]]) {
        for (const [transposeA, transposeB] of TRANSPOSES) {
          const [aShape, bShape] = matMulShapes([], [], [m, k, n], transposeA, transposeB);
          const s = seed += 4;
          await assertSameAsCpu(
            `fused ${activation}, bias [${biasShape}], transposes ${transposeA} ${transposeB}`,
            () =>
              tf.fused.matMul({
                a: tensor(aShape, s),
                b: tensor(bShape, s + 1),
                transposeA,
                transposeB,
                bias: biasShape && tensor(biasShape, s + 2),
                activation,
                preluActivationWeights: activation === "prelu" ? tensor([n], s + 3) : undefined,
                leakyreluAlpha: 0.3,
              }),
          );
        }
      }
    }
    await assertSameAsCpu("fused prelu with per-element alpha", () =>
      tf.fused.matMul({
        a: tensor([4, 5], 1),
        b: tensor([5, 6], 2),
        activation: "prelu",
        preluActivationWeights: tensor([4, 6], 3),
      }));
    await assertSameAsCpu("fused batched with bias", () =>
      tf.fused.matMul({
        a: tensor([3, 4, 5], 4),
        b: tensor([1, 5, 6], 5),
        bias: tensor([6], 6),
        activation: "relu",
      }));
  },
);

blasTest("gradients of matMul + bias + relu on blas match cpu", async () => {
  await assertSameAsCpu("grads", () => {
    const a = tensor([32, 20], 7);
    const b = tensor([20, 16], 8);
    const bias = tensor([16], 9);
    const f = (a: Tensor, b: Tensor, bias: Tensor) =>
      tf.sum(tf.mul(tf.fused.matMul({ a, b, bias, activation: "relu" }), tensor([32, 16], 10)));
    return tf.grads(f)([a, b, bias]);
  });
});

blasTest("elementwise kernels on blas match cpu, broadcasting included", async () => {
  const ops = { add: tf.add, sub: tf.sub, mul: tf.mul, div: tf.div };
  const pairs: [number[], number[]][] = [
    [[5, 7], [5, 7]],
    [[5, 7], []],
    [[], [5, 7]],
    [[5, 7], [7]],
    [[7], [5, 7]],
    [[5, 7], [1, 7]],
    [[5, 7], [5, 1]],
    [[2, 1, 3], [1, 4, 1]],
    [[2, 3, 4], [3, 1]],
  ];
  let seed = 200;
  for (const [name, op] of Object.entries(ops)) {
    for (const [aShape, bShape] of pairs) {
      const s = seed += 2;
      await assertSameAsCpu(
        `${name} [${aShape}] [${bShape}]`,
        () => op(tensor(aShape, s), tensor(bShape, s + 1)),
      );
    }
    await assertSameAsCpu(
      `${name} int32`,
      () => op(tf.tensor1d([6, -4, 9], "int32"), tf.tensor1d([3, 2, -3], "int32")),
    );
  }
  const special = () => tf.tensor1d([-2, -0.5, 0, 0.5, 3, NaN, Infinity, -Infinity]);
  await assertSameAsCpu("div by zero", () => tf.div(tensor([4], 1), tf.zeros([4])));
  await assertSameAsCpu("sqrt", () => tf.sqrt(tf.abs(tensor([6, 9], 11))));
  await assertSameAsCpu("sqrt special", () => tf.sqrt(special()));
  await assertSameAsCpu("square", () => tf.square(tensor([6, 9], 15)));
  await assertSameAsCpu("square special", () => tf.square(special()));
  await assertSameAsCpu("square int32", () => tf.square(tf.tensor1d([-3, 0, 4], "int32")));
  await assertSameAsCpu("floor", () => tf.floor(tf.mul(tensor([6, 9], 12), 5)));
  await assertSameAsCpu("floor special", () => tf.floor(special()));
  await assertSameAsCpu("relu", () => tf.relu(tensor([6, 9], 13)));
  await assertSameAsCpu("relu special", () => tf.relu(special()));
  await assertSameAsCpu("step", () => tf.step(tensor([6, 9], 14)));
  await assertSameAsCpu("step alpha", () => tf.step(special(), 0.25));
  await assertSameAsCpu("step special", () => tf.step(special()));
  await assertSameAsCpu("relu int32", () => tf.relu(tf.tensor1d([-3, 0, 4], "int32")));
});

blasTest("Sum, Mean, Softmax and GatherV2 on blas match cpu", async () => {
  const shape = [4, 5, 6];
  const axes: (number | number[] | undefined)[] = [
    undefined,
    0,
    1,
    2,
    -1,
    [0, 1],
    [1, 2],
    [0, 2],
    [],
  ];
  for (const axis of axes) {
    for (const keepDims of [false, true]) {
      await assertSameAsCpu(
        `sum axis ${JSON.stringify(axis)} keepDims ${keepDims}`,
        () => tf.sum(tensor(shape, 20), axis, keepDims),
      );
      await assertSameAsCpu(
        `mean axis ${JSON.stringify(axis)} keepDims ${keepDims}`,
        () => tf.mean(tensor(shape, 19), axis, keepDims),
      );
    }
  }
  await assertSameAsCpu("sum int32", () => tf.sum(tf.tensor2d([1, 2, 3, 4], [2, 2], "int32"), 0));
  await assertSameAsCpu("sum bool", () => tf.sum(tf.tensor1d([true, false, true], "bool")));
  await assertSameAsCpu("sum scalar", () => tf.sum(tf.scalar(3)));
  await assertSameAsCpu("mean int32", () => tf.mean(tf.tensor2d([1, 2, 3, 4], [2, 2], "int32")));
  await assertSameAsCpu("mean scalar", () => tf.mean(tf.scalar(3)));
  await assertSameAsCpu("mean [256]", () => tf.mean(tensor([256], 18)));
  await assertSameAsCpu("softmax", () => tf.softmax(tf.mul(tensor([7, 10], 21), 20)));
  await assertSameAsCpu("softmax 3d", () => tf.softmax(tensor([2, 3, 4], 22)));
  await assertSameAsCpu("softmax 1d", () => tf.softmax(tensor([5], 23)));
  const picks = () => tf.tensor1d([3, 0, 3, 1], "int32");
  await assertSameAsCpu("gather rows", () => tf.gather(tensor([4, 6], 24), picks()));
  await assertSameAsCpu("gather long rows", () => tf.gather(tensor([4, 784], 30), picks()));
  await assertSameAsCpu("gather rows of 63", () => tf.gather(tensor([4, 63], 31), picks()));
  await assertSameAsCpu("gather axis 1", () => tf.gather(tensor([2, 4, 3], 25), picks(), 1));
  await assertSameAsCpu("gather last axis", () => tf.gather(tensor([2, 4], 26), picks(), 1));
  await assertSameAsCpu(
    "gather 2d indices",
    () => tf.gather(tensor([5, 2], 27), tf.tensor2d([4, 0, 1, 1], [2, 2], "int32")),
  );
  await assertSameAsCpu(
    "gather int32",
    () => tf.gather(tf.tensor2d([1, 2, 3, 4, 5, 6], [3, 2], "int32"), tf.tensor1d([2, 0], "int32")),
  );
  await assertSameAsCpu(
    "gather batchDims",
    () => tf.gather(tensor([2, 3], 28), tf.tensor2d([2, 0, 1, 1], [2, 2], "int32"), 1, 1),
  );
  await assert.rejects(
    runOn("blas", () => tf.gather(tensor([3, 2], 29), tf.tensor1d([3], "int32"))),
    /GatherV2: the index value 3 is not in \[0, 2\]/,
  );
});

blasTest("recycled arrays never change data that was read out or sliced", async () => {
  const previous = tf.getBackend();
  await tf.setBackend("blas");
  try {
    const a = tf.tidy(() => tf.add(tf.ones([100, 100]), 1));
    const read = a.dataSync();
    const slice = tf.tidy(() => tf.slice(tf.mul(a, 2), [10, 0], [10, 100]));
    a.dispose();
    for (let i = 0; i < 20; i++) {
      tf.tidy(() => tf.mul(tf.add(tf.zeros([100, 100]), 7), 3).dataSync());
    }
    assert.ok(read.every((x) => x === 2), "a dataSync() result changed after dispose");
    assert.ok(slice.dataSync().every((x) => x === 4), "a slice changed after its source was freed");
    slice.dispose();
  } finally {
    if (previous) await tf.setBackend(previous);
  }
});
