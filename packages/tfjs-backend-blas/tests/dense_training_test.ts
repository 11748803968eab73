/**
 * The one-pass training step (`fuseDenseTraining`): on blas it gives tfjs's own step's losses,
 * metrics, weights and Adam state bit for bit, in `trainOnBatch` and `fit`; it leaves models it
 * cannot run to tfjs, and runs tfjs's step off blas or with another optimizer.
 */
import assert from "node:assert/strict";
import * as core from "@tensorflow/tfjs-core";
import * as layers from "@tensorflow/tfjs-layers";
import { findBlasLibrary, openBlas } from "../blas_library.ts";
import { DenseStep } from "../dense_step.ts";
import { fusedAdam, fuseDenseTraining, type MaskedDropout } from "../training/mod.ts";
import { blasTest } from "./backend.ts";
import { values } from "./compare.ts";

const tf = { ...core, ...layers };
type Tensor = core.Tensor;
type Sequential = layers.Sequential;

/** Dropout with a mask sequence that depends only on the call count: [batch, …] → [batch, …]. */
class CountedDropout extends tf.layers.Layer implements MaskedDropout {
  static className = "CountedDropout";
  readonly rate = 0.25;
  calls = 0;

  fillDropoutMask(mask: Float32Array): void {
    const call = this.calls++;
    for (let i = 0; i < mask.length; i++) mask[i] = (i * 7 + call * 3) % 4 === 0 ? 0 : 4 / 3;
  }

  override call(inputs: Tensor | Tensor[], kwargs: { training?: boolean }): Tensor {
    const input = Array.isArray(inputs) ? inputs[0] : inputs;
    if (!kwargs.training) return input;
    const mask = new Float32Array(input.size);
    this.fillDropoutMask(mask);
    return tf.tidy(() => tf.mul(input, tf.tensor(mask, input.shape)));
  }
}

/** A seeded stack: relu + dropout, linear without bias + dropout, softmax; compiled. */
function stack(optimizer: () => core.Optimizer = () => fusedAdam(0.01)): Sequential {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  const model = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [6],
        units: 8,
        activation: "relu",
        kernelInitializer: init(1),
      }),
      new CountedDropout({}),
      tf.layers.dense({ units: 5, useBias: false, kernelInitializer: init(2) }),
      new CountedDropout({}),
      tf.layers.dense({ units: 3, activation: "softmax", kernelInitializer: init(3) }),
    ],
  });
  model.compile({ optimizer: optimizer(), loss: "categoricalCrossentropy", metrics: ["acc"] });
  return model;
}

/** x [n, 6] and one-hot y [n, 3] from a seed. */
function batch(n: number, seed: number): [Tensor, Tensor] {
  const labels = Array.from(values([n], seed), (v) => Math.floor(v * 3) % 3);
  return [tf.tensor(values([n, 6], seed + 1), [n, 6]), tf.cast(tf.oneHot(labels, 3), "float32")];
}

/** Every weight and Adam's state, as arrays. */
async function state(model: Sequential): Promise<number[][]> {
  const adam = await model.optimizer.getWeights();
  const read = [...model.getWeights(), ...adam.map((w) => w.tensor)].map((t) =>
    Array.from(t.dataSync())
  );
  tf.dispose(adam[0].tensor);
  return read;
}

/** Outputs of `trainOnBatch` on batches of 8, 8 and 5 rows, twice, then the state. */
async function trainOnBatches(model: Sequential): Promise<[number[][], number[][]]> {
  const outputs: number[][] = [];
  for (let i = 0; i < 6; i++) {
    const [x, y] = batch(i % 3 === 2 ? 5 : 8, 10 * i);
    outputs.push(await model.trainOnBatch(x, y) as number[]);
    tf.dispose([x, y]);
  }
  return [outputs, await state(model)];
}

blasTest(
  "fuseDenseTraining on blas: tfjs's own step's losses, weights and Adam state",
  async () => {
    await tf.setBackend("blas");
    const own = stack();
    const fused = stack();
    assert.equal(fuseDenseTraining(fused), true);
    const expected = await trainOnBatches(own);
    const actual = await trainOnBatches(fused);
    assert.deepEqual(actual, expected);
    assert.ok(expected[0].every(([loss]) => Number.isFinite(loss)));
    own.dispose();
    fused.dispose();
  },
);

blasTest(
  "fuseDenseTraining on blas: fit and evaluate give tfjs's own history, weights, losses",
  async () => {
    await tf.setBackend("blas");
    const [x, y] = batch(40, 5);
    const fit = async (model: Sequential) => {
      const { history } = await model.fit(x, y, {
        epochs: 3,
        batchSize: 16,
        validationSplit: 0.25,
        shuffle: false,
      });
      return [history, await state(model)];
    };
    const own = stack();
    const fused = stack();
    fuseDenseTraining(fused);
    assert.deepEqual(await fit(fused), await fit(own));
    const products = async (model: Sequential) =>
      (await tf.profile(() => fit(model))).kernels.filter((k) => k.name.endsWith("MatMul")).length;
    assert.ok(await products(own) > 0);
    assert.equal(await products(fused), 0, "fit ran tfjs's forward or backward pass");
    const evaluate = async (model: Sequential) => {
      const scalars = model.evaluate(x, y, { batchSize: 16 }) as Tensor[];
      return await Promise.all(scalars.map((t) => t.data()));
    };
    assert.deepEqual(await evaluate(fused), await evaluate(own));
    tf.dispose([x, y]);
    own.dispose();
    fused.dispose();
  },
);

/** tfjs's matrix products run while `work` runs: none when the fused step trained. */
async function products(work: () => Promise<void>): Promise<number> {
  const profile = await tf.profile(async () => (await work(), []));
  return profile.kernels.filter((k) => k.name.endsWith("MatMul")).length;
}

blasTest(
  "fuseDenseTraining on blas: tf.oneHot's int32 labels, validationData and fitDataset, fused",
  async () => {
    await tf.setBackend("blas");
    const [x, y] = batch(40, 5);
    const [xv, yv] = batch(12, 7);
    const int32 = [tf.cast(y, "int32"), tf.cast(yv, "int32")];
    const fit = async (model: Sequential, labels: Tensor, validation: Tensor) => {
      const { history } = await model.fit(x, labels, {
        epochs: 2,
        batchSize: 16,
        validationData: [xv, validation],
        shuffle: false,
      });
      return [history, await state(model)];
    };
    const own = stack();
    const expected = await fit(own, y, yv);
    const fused = stack();
    fuseDenseTraining(fused);
    let actual: unknown;
    assert.equal(
      await products(async () => void (actual = await fit(fused, int32[0], int32[1]))),
      0,
    );
    assert.deepEqual(actual, expected, "int32 labels: tfjs's own history and weights");
    // fitDataset, with int32 labels: the same batches as fit's, made afresh for each epoch (it
    // disposes them).
    const starts = [0, 16, 32];
    const dataset = {
      size: starts.length,
      iterator: () => {
        let i = 0;
        const next = () => {
          if (i === starts.length) return { value: undefined, done: true };
          const [start, size] = [starts[i], Math.min(16, 40 - starts[i++])];
          return {
            value: { xs: tf.slice(x, start, size), ys: tf.slice(int32[0], start, size) },
            done: false,
          };
        };
        return Promise.resolve({ next: () => Promise.resolve(next()) });
      },
    };
    const fromDataset = stack();
    fuseDenseTraining(fromDataset);
    const ownDataset = stack();
    const fitDataset = async (model: Sequential) => {
      // deno-lint-ignore no-explicit-any
      const { history } = await model.fitDataset(dataset as any, { epochs: 2 });
      return [history, await state(model)];
    };
    let fromFused: unknown;
    assert.equal(await products(async () => void (fromFused = await fitDataset(fromDataset))), 0);
    assert.deepEqual(fromFused, await fitDataset(ownDataset), "fitDataset");
    tf.dispose([x, y, xv, yv, ...int32]);
    [own, fused, fromDataset, ownDataset].forEach((m) => m.dispose());
  },
);

blasTest("fuseDenseTraining says once why tfjs's own step runs on blas", async () => {
  await tf.setBackend("blas");
  const [x, y] = batch(40, 5);
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.join(" "));
  try {
    const fused = stack();
    fuseDenseTraining(fused);
    const own = stack();
    const classWeight = { 0: 1, 1: 2, 2: 1 };
    const fit = async (model: Sequential) => {
      const { history } = await model.fit(x, y, {
        epochs: 2,
        batchSize: 16,
        classWeight,
        shuffle: false,
      });
      return [history, await state(model)];
    };
    assert.deepEqual(await fit(fused), await fit(own), "tfjs's own step, the same numbers");
    assert.deepEqual(warnings, [
      "blas: this model trains with tfjs's own step, which is slower: it has sample weights " +
      "(classWeight)",
    ]);
    own.dispose();
    fused.dispose();
  } finally {
    console.warn = warn;
    tf.dispose([x, y]);
  }
});

blasTest("fuseDenseTraining runs tfjs's step with another optimizer and off blas", async () => {
  for (const backend of ["blas", "cpu"]) {
    await tf.setBackend(backend);
    const sgd = () => tf.train.sgd(0.1);
    const own = stack(backend === "blas" ? sgd : () => fusedAdam(0.01));
    const fused = stack(backend === "blas" ? sgd : () => fusedAdam(0.01));
    assert.equal(fuseDenseTraining(fused), true);
    assert.deepEqual(await trainOnBatches(fused), await trainOnBatches(own), backend);
    own.dispose();
    fused.dispose();
  }
  await tf.setBackend("blas");
});

Deno.test("fuseDenseTraining leaves other models to tfjs, and fusing twice is fusing once", () => {
  const dense = (
    units: number,
    activation: "relu" | "sigmoid" | "softmax",
    inputShape?: number[],
  ) => tf.layers.dense({ units, activation, ...(inputShape ? { inputShape } : {}) });
  const compiled = (model: Sequential, loss = "categoricalCrossentropy", metrics = ["acc"]) => {
    model.compile({ optimizer: fusedAdam(), loss, metrics });
    return model;
  };
  const others = [
    compiled(tf.sequential({ layers: [dense(4, "sigmoid", [3]), dense(2, "softmax")] })),
    compiled(tf.sequential({
      layers: [dense(4, "relu", [3]), tf.layers.dropout({ rate: 0.5 }), dense(2, "softmax")],
    })),
    compiled(tf.sequential({ layers: [dense(4, "relu", [3]), dense(2, "relu")] })),
    compiled(tf.sequential({ layers: [dense(2, "softmax", [3])] }), "meanSquaredError"),
    compiled(tf.sequential({ layers: [dense(2, "softmax", [3])] }), undefined, ["mse"]),
  ];
  assert.deepEqual(others.map((m) => fuseDenseTraining(m)), [false, false, false, false, false]);
  const model = compiled(tf.sequential({
    layers: [dense(4, "relu", [3]), tf.layers.dropout({ rate: 0 }), dense(2, "softmax")],
  }));
  assert.equal(fuseDenseTraining(model), true);
  assert.equal(fuseDenseTraining(model), true);
  [...others, model].forEach((m) => m.dispose());
});

blasTest(
  "DenseStep: a NaN input makes the loss NaN, also in a row whose labels are all zero",
  () => {
    const step = new DenseStep(openBlas(findBlasLibrary()!), [
      { inputs: 2, units: 3, bias: true, activation: "softmax" },
    ]);
    const values = [{ kernel: Float32Array.of(1, 0, 0, 0, 1, 0), bias: new Float32Array(3) }];
    const zeroLabels = new Float32Array(3);
    assert.ok(Number.isNaN(step.run(Float32Array.of(NaN, 0), zeroLabels, values).loss));
    assert.equal(step.run(Float32Array.of(1, 0), zeroLabels, values).loss, 0);
    const { loss } = step.evaluate(Float32Array.of(0, 0), Float32Array.of(0, 1, 0), values);
    assert.equal(loss, Math.fround(-Math.fround(Math.log(Math.fround(1 / 3)))));
  },
);
