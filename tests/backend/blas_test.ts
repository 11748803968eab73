/**
 * The study on the blas backend (the package's own tests are in packages/tfjs-backend-blas/tests):
 * its settings from the environment, seeded MNIST training against cpu, the MLP's fused loss,
 * and what the same work pinned beside it (the wasm speed-up, the seeded dropout masks).
 */
import assert from "node:assert/strict";
import { findBlasLibrary } from "@mnist-mlp/tfjs-backend-blas";
import { fuseCrossentropy, fusedAdam } from "@mnist-mlp/tfjs-backend-blas/training";
import {
  assertSameAsCpu,
  blasTestFor,
  matMulShapes,
  runOn,
  tensor,
  TRANSPOSES,
} from "../../packages/tfjs-backend-blas/tests/compare.ts";
import { registerBlasFromEnv } from "../../lib/backend/init.ts";
import { speedUpWasm } from "../../lib/backend/wasm_fast.ts";
import { blasThreads, loadBlasOptions } from "../../lib/config.ts";
import { evaluate } from "../../lib/evaluation/metrics.ts";
import { loadMnist } from "../../lib/data/mnist.ts";
import { buildMlp } from "../../lib/model/mlp.ts";
import { firstSamples } from "../../lib/data/splits.ts";
import { toTensors } from "../../lib/preprocessing/tensors.ts";
import { createRandom } from "../../lib/preprocessing/random.ts";
import { SeededDropout } from "../../lib/model/seeded_dropout.ts";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { type Tensor, tf } from "../../lib/tf.ts";
import { train } from "../../lib/training/train.ts";

// Registered here, outside any test, so the open library is not reported as a leaked resource.
const library = findBlasLibrary(loadBlasOptions());
const registration = registerBlasFromEnv();
/** A test that needs BLAS: skipped, with the reason in its name, when no library is found. */
const blasTest = blasTestFor(
  library,
  "no BLAS library found (install libopenblas0-pthread or set MLP_BLAS_LIB)",
);

Deno.test("loadBlasOptions honours MLP_BLAS_LIB and names a missing path", () => {
  const file = Deno.makeTempFileSync({ suffix: ".so" });
  try {
    assert.equal(loadBlasOptions({ MLP_BLAS_LIB: file }).library, file);
    assert.equal(loadBlasOptions({ MLP_BLAS_LIB: "" }).library, loadBlasOptions({}).library);
    assert.equal(loadBlasOptions({}).library, undefined);
    assert.throws(
      () => loadBlasOptions({ MLP_BLAS_LIB: "/nonexistent/libblas.so" }),
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

blasTest("registerBlasFromEnv registers 'blas' once and reports it", () => {
  assert.ok(registration.registered, `a BLAS library was found at ${library} but did not load`);
  assert.equal(registration.library, library);
  assert.equal(registration.threads, blasThreads());
  assert.ok(registerBlasFromEnv().registered);
  assert.ok(tf.findBackendFactory("blas"));
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

Deno.test(
  "SeededDropout's masks: two 16-bit decisions per output of pure-rand's xoroshiro128+, bit for bit",
  async () => {
    for (const [seed, rate, calls] of [[42, 0.2, 0], [-7, 0.5, 3], [2 ** 40, 0.1, 1]]) {
      const layer = new SeededDropout({ rate, seed, calls });
      const [out] = await runOn(
        "cpu",
        () => layer.apply(tf.ones([3, 333]), { training: true }) as Tensor,
      );
      const rng = xoroshiro128plus((Math.imul(seed, 0x9e3779b1) + calls) | 0);
      const keep = 1 - rate;
      const threshold = Math.round(keep * 2 ** 16);
      const want: number[] = [];
      while (want.length < out.values.length) {
        const draw = rng.next();
        for (const bits of [draw >>> 16, draw & 0xffff]) {
          want.push(Math.fround(bits < threshold ? 1 / keep : 0));
        }
      }
      want.length = out.values.length;
      assert.deepEqual(out.values, want, `seed ${seed}, rate ${rate}, call ${calls}`);
    }
    const mask = new Float32Array(1_000_001);
    new SeededDropout({ rate: 0.2, seed: 1 }).fillDropoutMask(mask);
    const kept = mask.filter((m) => m === Math.fround(1.25)).length / mask.length;
    assert.ok(Math.abs(kept - 0.8) < 0.002, `kept ${kept} of the elements, expected about 0.8`);
    assert.ok(mask.every((m) => m === 0 || m === Math.fround(1.25)));
  },
);

/** One-hot labels [rows, classes] from deterministic classes. */
function oneHot(rows: number, classes: number, seed: number): Tensor {
  const random = createRandom(seed);
  const labels = Array.from({ length: rows }, () => random.int(0, classes - 1));
  return tf.cast(tf.oneHot(tf.tensor1d(labels, "int32"), classes), "float32");
}

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

blasTest(
  "buildMlp's model trains in one pass on blas, bit for bit as tfjs's own step (MNIST batches)",
  async () => {
    const previous = tf.getBackend();
    await tf.setBackend("blas");
    try {
      const { x, y } = toTensors(firstSamples((await loadMnist()).train, 612));
      const run = async (fused: boolean) => {
        const model = buildMlp();
        // Without the instance's train function, the prototype's — tfjs's own step — runs.
        if (!fused) {
          const inner = (model as unknown as { model: Record<string, unknown> }).model;
          delete inner.makeTrainFunction;
          delete inner.makeTestFunction;
        }
        const outputs = [];
        for (const [start, size] of [[0, 256], [256, 256], [512, 100], [0, 256]]) {
          const [xb, yb] = [tf.slice(x, start, size), tf.slice(y, start, size)];
          outputs.push(await model.trainOnBatch(xb, yb));
          tf.dispose([xb, yb]);
        }
        const [xb, yb] = [tf.slice(x, 0, 256), tf.slice(y, 0, 256)];
        const kernels = (await tf.profile(() => model.trainOnBatch(xb, yb))).kernels;
        tf.dispose([xb, yb]);
        const matMuls = kernels.filter((k) => k.name === "BatchMatMul").length;
        assert.equal(matMuls > 0, !fused, `${matMuls} BatchMatMul kernels with fused = ${fused}`);
        const weights = model.getWeights().map((w) => [...w.dataSync()]);
        const calls = model.layers.map((l) => l.getConfig().calls);
        const evaluation = await evaluate(model, x, y, 256);
        model.dispose();
        return { outputs, weights, calls, evaluation };
      };
      const fused = await run(true);
      assert.deepEqual(fused, await run(false));
      assert.deepEqual(fused.calls, [undefined, 5, undefined, 5, undefined]);
      tf.dispose([x, y]);
    } finally {
      if (previous) await tf.setBackend(previous);
    }
  },
);
