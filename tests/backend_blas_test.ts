import assert from "node:assert/strict";
import {
  blasThreads,
  findBlasLibrary,
  fusedAdam,
  registerBlasBackend,
} from "../lib/backend_blas.ts";
import { speedUpWasm } from "../lib/backend_wasm_fast.ts";
import { ACCURACY, CROSSENTROPY, fuseCrossentropy } from "../lib/blas_loss.ts";
import { evaluate } from "../lib/evaluate.ts";
import { loadMnist } from "../lib/mnist.ts";
import { buildMlp } from "../lib/model.ts";
import { firstSamples, toTensors } from "../lib/preprocess.ts";
import { createRandom } from "../lib/random.ts";
import { SeededDropout } from "../lib/seeded_dropout.ts";
import { type Sequential, type Tensor, tf } from "../lib/tf.ts";
import { train } from "../lib/train.ts";

// Registered here, outside any test, so the open library is not reported as a leaked resource.
const library = findBlasLibrary();
const registered = registerBlasBackend();
const noBlas = "no BLAS library found (install libopenblas0-pthread or set MLP_BLAS_LIB)";

/** A test that needs BLAS: skipped, with the reason in its name, when no library is found. */
function blasTest(name: string, fn: () => void | Promise<void>): void {
  const ignore = library === undefined;
  Deno.test({ name: ignore ? `${name} (skipped: ${noBlas})` : name, ignore, fn });
}

/** Relative tolerance of blas against cpu (absolute for values under 1 in magnitude). */
const TOLERANCE = 1e-4;

/** A tensor's shape, dtype and values, read back from a backend. */
interface Result {
  shape: number[];
  dtype: string;
  values: number[];
}

/** Runs `build` on `backend` (restoring the previous backend) and reads back its tensors. */
async function runOn(backend: string, build: () => Tensor | Tensor[]): Promise<Result[]> {
  const previous = tf.getBackend();
  await tf.setBackend(backend);
  try {
    const out = tf.tidy(build);
    const list = Array.isArray(out) ? out : [out];
    const results = list.map((t) => ({
      shape: t.shape,
      dtype: t.dtype,
      values: Array.from(t.dataSync() as ArrayLike<number>),
    }));
    tf.dispose(list);
    return results;
  } finally {
    if (previous) await tf.setBackend(previous);
  }
}

/**
 * Asserts that `backend` (default blas) computes for `build` what cpu computes for `reference`
 * (default: `build`), within TOLERANCE.
 */
async function assertSameAsCpu(
  what: string,
  build: () => Tensor | Tensor[],
  reference = build,
  backend = "blas",
): Promise<void> {
  const expected = await runOn("cpu", reference);
  const actual = await runOn(backend, build);
  assert.equal(actual.length, expected.length, what);
  actual.forEach((a, k) => {
    const e = expected[k];
    assert.deepEqual(a.shape, e.shape, `${what}: shape of output ${k}`);
    assert.equal(a.dtype, e.dtype, `${what}: dtype of output ${k}`);
    a.values.forEach((value, i) => {
      const want = e.values[i];
      const close = Object.is(value, want) || value === want ||
        Math.abs(value - want) <= TOLERANCE * Math.max(1, Math.abs(want));
      assert.ok(close, `${what}: output ${k}[${i}] is ${value}, cpu gives ${want}`);
    });
  });
}

/** Deterministic values in [-1, 1) for a tensor of `shape`. */
function values(shape: number[], seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: tf.util.sizeFromShape(shape) }, () => 2 * random.float() - 1);
}

/** A tensor of deterministic values, created on the current backend. */
function tensor(shape: number[], seed: number): Tensor {
  return tf.tensor(values(shape, seed), shape);
}

/** Shapes of a and b for op(a) · op(b) with batch dims, where op transposes when asked. */
function matMulShapes(
  batchA: number[],
  batchB: number[],
  [m, k, n]: number[],
  transposeA: boolean,
  transposeB: boolean,
): [number[], number[]] {
  return [
    [...batchA, ...(transposeA ? [k, m] : [m, k])],
    [...batchB, ...(transposeB ? [n, k] : [k, n])],
  ];
}

const SIZES = [[1, 1, 1], [3, 5, 4], [17, 33, 9], [64, 100, 48]];
const BATCHES: [number[], number[]][] = [
  [[], []],
  [[3], [3]],
  [[1], [4]],
  [[2], [1]],
  [[2, 3], [2, 3]],
  [[2, 1], [1, 3]],
];
const TRANSPOSES = [[false, false], [true, false], [false, true], [true, true]];

Deno.test("findBlasLibrary honours MLP_BLAS_LIB and names a missing path", () => {
  const file = Deno.makeTempFileSync({ suffix: ".so" });
  try {
    assert.equal(findBlasLibrary({ MLP_BLAS_LIB: file }), file);
    assert.equal(findBlasLibrary({ MLP_BLAS_LIB: "" }), findBlasLibrary({}));
    assert.throws(
      () => findBlasLibrary({ MLP_BLAS_LIB: "/nonexistent/libblas.so" }),
      /MLP_BLAS_LIB.*\/nonexistent\/libblas\.so/,
    );
  } finally {
    Deno.removeSync(file);
  }
});

Deno.test("blasThreads reads MLP_BLAS_THREADS, defaulting to the core count", () => {
  assert.equal(blasThreads({}), navigator.hardwareConcurrency);
  assert.equal(blasThreads({ MLP_BLAS_THREADS: "3" }), 3);
  assert.throws(() => blasThreads({ MLP_BLAS_THREADS: "two" }), /MLP_BLAS_THREADS.*"two"/);
  assert.throws(() => blasThreads({ MLP_BLAS_THREADS: "0" }), /MLP_BLAS_THREADS.*"0"/);
});

blasTest("registerBlasBackend registers 'blas' once and reports it", () => {
  assert.ok(registered, `a BLAS library was found at ${library} but did not load`);
  assert.ok(registerBlasBackend());
  assert.ok(tf.findBackendFactory("blas"));
});

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
    /index 3 .* not in \[0, 2\]/,
  );
});

blasTest("seeded training on blas reaches cpu's accuracy (2,000 MNIST images)", async () => {
  const mnist = await loadMnist();
  const accuracy = async (backend: string) => {
    const previous = tf.getBackend();
    await tf.setBackend(backend);
    try {
      const train2k = toTensors(firstSamples(mnist.train, 2000));
      const test2k = toTensors(firstSamples(mnist.test, 2000));
      const model = buildMlp({ hiddenUnits: [32], seed: 7 });
      await train(model, train2k.x, train2k.y, {
        epochs: 5,
        batchSize: 64,
        validationSplit: 0,
        seed: 7,
        verbose: false,
      });
      const { accuracy } = await evaluate(model, test2k.x, test2k.y);
      tf.dispose([train2k.x, train2k.y, test2k.x, test2k.y]);
      model.dispose();
      return accuracy;
    } finally {
      if (previous) await tf.setBackend(previous);
    }
  };
  const cpu = await accuracy("cpu");
  const blas = await accuracy("blas");
  assert.ok(blas > 0.8, `blas accuracy ${blas} after 5 epochs: expected > 0.8`);
  assert.ok(
    Math.abs(blas - cpu) <= 0.003,
    `blas accuracy ${blas} vs cpu ${cpu}: expected within 0.3 points`,
  );
});

/** Weights, step count and Adam moments of a small seeded model after 5 steps of `optimizer`. */
async function trainSmall(
  backend: string,
  optimizer: () => Parameters<Sequential["compile"]>[0]["optimizer"],
): Promise<number[][]> {
  const previous = tf.getBackend();
  await tf.setBackend(backend);
  try {
    const model = tf.sequential({
      layers: [
        tf.layers.dense({
          inputShape: [6],
          units: 5,
          activation: "relu",
          kernelInitializer: tf.initializers.glorotUniform({ seed: 1 }),
        }),
        tf.layers.dense({
          units: 3,
          kernelInitializer: tf.initializers.glorotUniform({ seed: 2 }),
        }),
      ],
    });
    model.compile({ optimizer: optimizer(), loss: "meanSquaredError" });
    const x = tf.tensor(values([8, 6], 30), [8, 6]);
    const y = tf.tensor(values([8, 3], 31), [8, 3]);
    for (let i = 0; i < 5; i++) await model.trainOnBatch(x, y);
    const state = await model.optimizer.getWeights();
    const read = [...model.getWeights(), ...state.map((w) => w.tensor)].map((t) =>
      Array.from(t.dataSync())
    );
    tf.dispose([x, y, state[0].tensor]);
    model.dispose();
    model.optimizer.dispose();
    return read;
  } finally {
    if (previous) await tf.setBackend(previous);
  }
}

blasTest("fusedAdam on blas matches tf.train.adam on cpu: weights and moments", async () => {
  const expected = await trainSmall("cpu", () => tf.train.adam(0.01));
  const actual = await trainSmall("blas", () => fusedAdam(0.01));
  assert.equal(actual.length, expected.length);
  actual.forEach((a, k) =>
    a.forEach((value, i) => {
      const want = expected[k][i];
      assert.ok(
        Math.abs(value - want) <= 1e-5 * Math.max(1, Math.abs(want)),
        `weight ${k}[${i}] is ${value}, tf.train.adam on cpu gives ${want}`,
      );
    })
  );
});

Deno.test("fusedAdam elsewhere is tfjs's Adam, exactly", async () => {
  const expected = await trainSmall("cpu", () => tf.train.adam(0.01));
  const actual = await trainSmall("cpu", () => fusedAdam(0.01));
  assert.deepEqual(actual, expected);
  assert.equal(fusedAdam().getClassName(), "Adam");
});

blasTest("the fused Adam kernel names mismatched inputs", async () => {
  await assert.rejects(
    runOn("blas", () => {
      const [value, m, v] = [tf.zeros([4]), tf.zeros([4]), tf.zeros([4])];
      const gradient = tf.zeros([3]);
      const attrs = { learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-7 };
      const all = { ...attrs, correction1: 0.1, correction2: 0.001 };
      return tf.engine().runKernel("BlasAdamUpdate", { value, m, v, gradient }, all) as Tensor[];
    }),
    /BlasAdamUpdate: expected float32 tensors of shape \[4\], got float32 \[3\]/,
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

Deno.test("speedUpWasm keeps wasm's matMul results, transposed and fused", async () => {
  speedUpWasm();
  let seed = 500;
  for (const [transposeA, transposeB] of TRANSPOSES) {
    const [aShape, bShape] = matMulShapes([2], [2], [9, 7, 5], transposeA, transposeB);
    const s = seed += 3;
    await assertSameAsCpu(
      `wasm matMul, transposes ${transposeA} ${transposeB}`,
      () => tf.matMul(tensor(aShape, s), tensor(bShape, s + 1), transposeA, transposeB),
      undefined,
      "wasm",
    );
    const [a2, b2] = matMulShapes([], [], [9, 7, 5], transposeA, transposeB);
    await assertSameAsCpu(
      `wasm fused matMul, transposes ${transposeA} ${transposeB}`,
      () =>
        tf.fused.matMul({
          a: tensor(a2, s),
          b: tensor(b2, s + 1),
          transposeA,
          transposeB,
          bias: tensor([5], s + 2),
          activation: "relu",
        }),
      undefined,
      "wasm",
    );
  }
});

Deno.test("SeededDropout draws its masks from createRandom's sequence, bit for bit", async () => {
  for (const [seed, rate, calls] of [[42, 0.2, 0], [-7, 0.5, 3], [2 ** 40, 0.1, 1]]) {
    const layer = new SeededDropout({ rate, seed, calls });
    const [out] = await runOn(
      "cpu",
      () => layer.apply(tf.ones([3, 1000]), { training: true }) as Tensor,
    );
    const random = createRandom((Math.imul(seed, 0x9e3779b1) + calls) | 0);
    const keep = 1 - rate;
    const want = out.values.map(() => Math.fround(random.float() < keep ? 1 / keep : 0));
    assert.deepEqual(out.values, want, `seed ${seed}, rate ${rate}, call ${calls}`);
  }
});

/** Probabilities [rows, classes] with exact zeros, exact ones, ties and rows not summing to 1. */
function probabilities(rows: number, classes: number, seed: number): Tensor {
  const raw = values([rows, classes], seed).map((v, i) =>
    i % 7 === 0 ? 0 : i % 11 === 0 ? 0.5 : Math.abs(v)
  );
  raw.fill(0, 0, classes).fill(1, 0, 1);
  return tf.tensor(raw, [rows, classes]);
}

/** One-hot labels [rows, classes] from deterministic classes. */
function oneHot(rows: number, classes: number, seed: number): Tensor {
  const random = createRandom(seed);
  const labels = Array.from({ length: rows }, () => random.int(0, classes - 1));
  return tf.cast(tf.oneHot(tf.tensor1d(labels, "int32"), classes), "float32");
}

/** The fused cross-entropy kernel's loss, and its gradient for yPred weighted per row. */
function fusedLoss(yTrue: Tensor, yPred: Tensor, weights: Tensor): Tensor[] {
  const loss = (p: Tensor) =>
    tf.engine().runKernel(CROSSENTROPY, { yTrue, yPred: p }, { epsilon: 1e-7 }) as Tensor;
  return [loss(yPred), tf.grad((p: Tensor) => tf.sum(tf.mul(loss(p), weights)))(yPred)];
}

/** tfjs-layers' cross-entropy loss, and its gradient for yPred weighted per row. */
function layersLoss(yTrue: Tensor, yPred: Tensor, weights: Tensor): Tensor[] {
  const loss = (p: Tensor) => tf.metrics.categoricalCrossentropy(yTrue, p);
  return [loss(yPred), tf.grad((p: Tensor) => tf.sum(tf.mul(loss(p), weights)))(yPred)];
}

blasTest(
  "fused cross-entropy, its gradient and accuracy match tfjs-layers', bit for bit",
  async () => {
    for (const [rows, classes, seed] of [[256, 10, 40], [7, 3, 41], [5, 2, 42]]) {
      const inputs = () => [oneHot(rows, classes, seed), probabilities(rows, classes, seed + 1)];
      const weights = () => tensor([rows], seed + 2);
      const what = `[${rows}, ${classes}]`;
      await assertSameAsCpu(
        `cross-entropy ${what}`,
        () => fusedLoss(...inputs() as [Tensor, Tensor], weights()),
        () => layersLoss(...inputs() as [Tensor, Tensor], weights()),
      );
      const fused = await runOn(
        "blas",
        () => fusedLoss(...inputs() as [Tensor, Tensor], weights()),
      );
      const layers = await runOn(
        "blas",
        () => layersLoss(...inputs() as [Tensor, Tensor], weights()),
      );
      assert.deepEqual(fused, layers, `cross-entropy ${what} on blas, bit for bit`);
      const accuracy = (kernel: boolean) => () => {
        const [t, p] = inputs();
        return kernel
          ? tf.engine().runKernel(ACCURACY, { yTrue: t, yPred: p }) as Tensor
          : tf.metrics.categoricalAccuracy(t, p);
      };
      await assertSameAsCpu(`accuracy ${what}`, accuracy(true), accuracy(false));
    }
  },
);

blasTest(
  "fuseCrossentropy trains a model exactly as tfjs-layers' loss and accuracy do",
  async () => {
    const previous = tf.getBackend();
    await tf.setBackend("blas");
    try {
      const run = (fuse: boolean) => {
        const model = buildMlp({ inputSize: 12, hiddenUnits: [8], classes: 4, seed: 3 });
        if (!fuse) {
          model.compile({
            optimizer: fusedAdam(),
            loss: "categoricalCrossentropy",
            metrics: ["accuracy"],
          });
        }
        return model;
      };
      const x = tensor([32, 12], 50);
      const y = oneHot(32, 4, 51);
      const [fused, plain] = [run(true), run(false)];
      for (let i = 0; i < 3; i++) {
        assert.deepEqual(await fused.trainOnBatch(x, y), await plain.trainOnBatch(x, y));
      }
      assert.deepEqual(fused.metricsNames, ["loss", "acc"]);
      assert.deepEqual(
        fused.getWeights().map((w) => [...w.dataSync()]),
        plain.getWeights().map((w) => [...w.dataSync()]),
      );
      const mse = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 1 })] });
      mse.compile({ optimizer: "sgd", loss: "meanSquaredError" });
      assert.throws(
        () => fuseCrossentropy(mse),
        /expected a model compiled with loss "categoricalCrossentropy", got "meanSquaredError"/,
      );
      tf.dispose([x, y]);
      [fused, plain, mse].forEach((m) => m.dispose());
    } finally {
      if (previous) await tf.setBackend(previous);
    }
  },
);
