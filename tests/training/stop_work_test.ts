/**
 * Stop reaches the library's other long work: each stops at its next check after a request
 * (`requestStop`, what Stop in Jupyter does) with `<function>: stopped at …`, leaves no tensor, and
 * the next call runs as usual.
 */
import assert from "node:assert/strict";
import { initBackend } from "../../lib/backend/init.ts";
import { STUDY_CONFIG } from "../../lib/config.ts";
import { loadDataset } from "../../lib/data/dataset.ts";
import { evaluate } from "../../lib/evaluation/metrics.ts";
import { robustnessCurve } from "../../lib/evaluation/robustness.ts";
import { lossIncreaseUnderNoise } from "../../lib/evaluation/sensitivity.ts";
import { layerActivations } from "../../lib/inspection/layers.ts";
import { umap } from "../../lib/inspection/projection.ts";
import { buildMlp } from "../../lib/model/mlp.ts";
import { toTensors } from "../../lib/preprocessing/tensors.ts";
import { type LayersModel, tf } from "../../lib/tf.ts";
import { dropoutRuns } from "../../lib/training/dropout_runs.ts";
import { requestStop } from "../../lib/stop.ts";
import { tempDir } from "../fixtures/temp_dir.ts";

await initBackend();
const data = await loadDataset({ dataset: "mnist", trainLimit: 600, testLimit: 600 });

/** Makes `model.evaluate` ask for a stop on its `nth` call (1-based), as a Stop meanwhile would. */
function stopOnEvaluate(model: LayersModel, nth: number) {
  const original = model.evaluate.bind(model);
  let calls = 0;
  model.evaluate = (...args: Parameters<LayersModel["evaluate"]>) => {
    if (++calls === nth) requestStop();
    return original(...args);
  };
}

Deno.test("requestStop outside library work does nothing to the next call", async () => {
  requestStop();
  const { x, y } = toTensors(data.test);
  const model = buildMlp({ seed: 1 });
  const { accuracy } = await evaluate(model, x, y);
  assert.ok(accuracy >= 0 && accuracy <= 1);
  tf.dispose([x, y]);
  model.dispose();
});

Deno.test("evaluate and robustnessCurve stop after the call that saw Stop, leaving no tensor", async () => {
  const { x, y } = toTensors(data.test);
  const [a, b] = [buildMlp({ seed: 1 }), buildMlp({ seed: 2 })];
  const before = tf.memory().numTensors;
  stopOnEvaluate(a, 1);
  await assert.rejects(evaluate(a, x, y), {
    message: "evaluate: stopped at all 600 samples (Stop / interrupt)",
  });
  stopOnEvaluate(b, 2);
  await assert.rejects(robustnessCurve({ a, b }, x, y, { seed: 3, stds: [0, 0.1, 0.2] }), {
    message: "robustnessCurve: stopped at noise std 0.1, model b (Stop / interrupt)",
  });
  assert.equal(tf.memory().numTensors, before, "tensors left behind");
  const curve = await robustnessCurve({ a }, x, y, { seed: 3, stds: [0, 0.1] });
  assert.equal(curve.series[0].values.length, 2, "the next call ran whole");
  tf.dispose([x, y]);
  a.dispose();
  b.dispose();
});

Deno.test("layerActivations and lossIncreaseUnderNoise stop at their next batch", async () => {
  const { x, y } = toTensors(data.test);
  const model = buildMlp({ seed: 1 });
  const first = model.layers[0];
  const apply = first.apply.bind(first);
  let calls = 0;
  first.apply = (...args: Parameters<typeof first.apply>) => {
    if (++calls === 1) requestStop();
    return apply(...args);
  };
  const before = tf.memory().numTensors;
  await assert.rejects(layerActivations(model, x, "dense_2", 256), {
    message: "layerActivations: stopped at sample 256 of 600 (Stop / interrupt)",
  });
  calls = 0;
  await assert.rejects(lossIncreaseUnderNoise(model, x, y, { std: 0.1, seed: 1, batchSize: 256 }), {
    message:
      "lossIncreaseUnderNoise: stopped at the clean inputs, sample 256 of 600 (Stop / interrupt)",
  });
  assert.equal(tf.memory().numTensors, before, "tensors left behind");
  tf.dispose([x, y]);
  model.dispose();
});

Deno.test("umap ends its worker on Stop", async () => {
  const points = Float32Array.from(
    { length: 3000 * 10 },
    (_, i) => Math.sin(i * 12.9898) * 43758 % 1,
  );
  const started = performance.now();
  setTimeout(requestStop, 300);
  await assert.rejects(umap(points, 10, { seed: 1 }), {
    message: "umap: stopped at the embedding of 3000 points (Stop / interrupt)",
  });
  assert.ok(performance.now() - started < 2000, "the worker was not ended at once");
  const { points: embedded } = await umap(points.subarray(0, 200 * 10), 10, { seed: 1 });
  assert.equal(embedded.length, 400, "the next call ran whole");
});

Deno.test("dropoutRuns stops within the run that saw Stop, and disposes of its models", async () => {
  await using tmp = await tempDir("stop-work-");
  const before = tf.memory().numTensors;
  await assert.rejects(
    dropoutRuns(data, STUDY_CONFIG, {
      rates: [0, 0.5],
      epochs: 2,
      dir: tmp.path,
      onRun: (index) => ({
        onBatchEnd: ({ epoch, step }) => {
          if (index === 1 && epoch === 2 && step === 1) requestStop();
        },
      }),
    }),
    /^Error: train: stopped at epoch 2, step 1 of 2 \(Stop \/ interrupt\); .*dropout_0\.5 keeps the best model so far \(epoch 1\)/,
  );
  assert.equal(tf.memory().numTensors, before, "tensors left behind");
});
