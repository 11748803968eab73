/**
 * The training fusions: fused Adam against tfjs's Adam, the cross-entropy and accuracy kernels
 * against tfjs-layers' ops, `fuseCrossentropy` on a model, and the fallbacks with their notices.
 *
 * tfjs-layers is a test-only dependency here, from the workspace's import map.
 */
import assert from "node:assert/strict";
import * as core from "@tensorflow/tfjs-core";
import * as layers from "@tensorflow/tfjs-layers";
import { ACCURACY, CROSSENTROPY } from "../mod.ts";
import { fuseCrossentropy, fusedAdam } from "../training/mod.ts";
import { blasTest } from "./backend.ts";
import { assertSameAsCpu, createRandom, runOn, tensor, values } from "./compare.ts";

const tf = { ...core, ...layers };
type Tensor = core.Tensor;
type Sequential = layers.Sequential;

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
  "fused cross-entropy, its gradient and accuracy match tfjs-layers', bit for bit, int32 labels too",
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
      // tf.oneHot's labels are int32: the kernel reads them as float32, as tfjs's own ops do.
      const fromInt32 = await runOn("blas", () => {
        const [t, p] = inputs();
        return fusedLoss(tf.cast(t, "int32"), p, weights());
      });
      assert.deepEqual(fromInt32, layers, `cross-entropy ${what} of int32 labels on blas`);
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

/** inputs → Dense(hidden, relu) → Dense(classes, softmax), seeded. */
function classifier(inputs: number, hidden: number, classes: number, seed: number): Sequential {
  return tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [inputs],
        units: hidden,
        activation: "relu",
        kernelInitializer: tf.initializers.glorotUniform({ seed }),
      }),
      tf.layers.dense({
        units: classes,
        activation: "softmax",
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
      }),
    ],
  });
}

blasTest(
  "fuseCrossentropy trains a model exactly as tfjs-layers' loss and accuracy do",
  async () => {
    const previous = tf.getBackend();
    await tf.setBackend("blas");
    try {
      const run = (fuse: boolean) => {
        const model = classifier(12, 8, 4, 3);
        model.compile({
          optimizer: fusedAdam(),
          loss: "categoricalCrossentropy",
          metrics: ["accuracy"],
        });
        if (fuse) assert.equal(fuseCrossentropy(model), true);
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

/** Runs `fn` and returns what it printed with console.warn, one string per call. */
async function warnings(fn: () => unknown): Promise<string[]> {
  const printed: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => printed.push(args.join(" "));
  try {
    await fn();
  } finally {
    console.warn = warn;
  }
  return printed;
}

blasTest(
  "fusedAdam falls back to tfjs's Adam, with a one-line notice, where Adam's fields moved",
  async () => {
    // As if a tfjs version kept Adam's moments elsewhere: an accessor, not an own field.
    const proto = tf.AdamOptimizer.prototype;
    const moved = new WeakMap<object, unknown>();
    Object.defineProperty(proto, "accumulatedFirstMoment", {
      configurable: true,
      get() {
        return moved.get(this);
      },
      set(value) {
        moved.set(this, value);
      },
    });
    try {
      const expected = await trainSmall("blas", () => tf.train.adam(0.01));
      let actual: number[][] = [];
      const printed = await warnings(async () => {
        actual = await trainSmall("blas", () => fusedAdam(0.01));
        await trainSmall("blas", () => fusedAdam(0.01));
      });
      assert.deepEqual(actual, expected);
      assert.equal(printed.length, 1, `one notice, got ${JSON.stringify(printed)}`);
      assert.match(printed[0], /^Note: fusedAdam: .*accumulatedFirstMoment.*tfjs's own Adam$/);
      assert.doesNotMatch(printed[0], /\n/);
    } finally {
      delete (proto as unknown as Record<string, unknown>).accumulatedFirstMoment;
    }
  },
);

Deno.test(
  "fuseCrossentropy leaves a model without tfjs 4's fields alone, with a one-line notice",
  async () => {
    const lossFunctions = "renamed";
    const models = [
      { loss: "categoricalCrossentropy" },
      { loss: "categoricalCrossentropy", model: { lossFunctions } },
    ];
    const results: boolean[] = [];
    const printed = await warnings(() => models.forEach((m) => results.push(fuseCrossentropy(m))));
    assert.deepEqual(results, [false, false]);
    assert.deepEqual(models[1], { loss: "categoricalCrossentropy", model: { lossFunctions } });
    assert.equal(printed.length, 1, `one notice, got ${JSON.stringify(printed)}`);
    assert.match(printed[0], /^Note: fuseCrossentropy: .*tfjs's own loss and accuracy$/);
    assert.doesNotMatch(printed[0], /\n/);
    assert.throws(
      () => fuseCrossentropy({}),
      /expected a model compiled with loss "categoricalCrossentropy", got undefined/,
    );
  },
);

Deno.test("fuseCrossentropy names a model with several outputs", () => {
  const input = tf.input({ shape: [3] });
  const outputs = [2, 3].map((units) =>
    tf.layers.dense({ units, activation: "softmax" }).apply(input) as layers.SymbolicTensor
  );
  const model = tf.model({ inputs: input, outputs });
  model.compile({ optimizer: "sgd", loss: "categoricalCrossentropy" });
  assert.throws(() => fuseCrossentropy(model), /expected a model with one output, got 2/);
  model.dispose();
});

blasTest(
  "fusedAdam keeps its moments in WebAssembly memory: reading or setting them mid-run changes nothing",
  async () => {
    await tf.setBackend("blas");
    const run = async (midway: (adam: core.Optimizer) => Promise<void>) => {
      const w = tf.variable(tf.tensor(values([5000], 3), [5000]));
      const adam = fusedAdam(0.01);
      for (let step = 0; step < 6; step++) {
        const gradient = tf.tensor(values([5000], 10 + step), [5000]);
        adam.applyGradients([{ name: w.name, tensor: gradient }]);
        gradient.dispose();
        if (step === 2) await midway(adam);
      }
      const state = await adam.getWeights(); // the moment variables themselves, a new step count
      const read = [w, ...state.map((s) => s.tensor)].map((t) => Array.from(t.dataSync()));
      tf.dispose([w, state[0].tensor]);
      adam.dispose();
      return read;
    };
    const plain = await run(async () => {});
    const read = await run(async (adam) => {
      const state = await adam.getWeights();
      assert.ok(state[1].tensor.dataSync().some((m) => m !== 0), "the moments, up to date");
      tf.dispose(state[0].tensor);
    });
    const reset = await run(async (adam) => {
      const state = (await adam.getWeights()).map(({ name, tensor }) => ({
        name,
        tensor: tensor.clone(),
      }));
      await adam.setWeights(state); // makes variables of its own from these tensors
      tf.dispose(state.map((s) => s.tensor));
    });
    assert.deepEqual(read, plain);
    assert.deepEqual(reset, plain);
    assert.notDeepEqual(plain[2], new Array(5000).fill(0), "moments were read back");
  },
);
