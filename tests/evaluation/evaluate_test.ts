import assert from "node:assert/strict";
import { initBackend } from "../../lib/backend/init.ts";
import {
  confusionMatrix,
  evaluate,
  misclassified,
  predictClasses,
} from "../../lib/evaluation/metrics.ts";
import { tf } from "../../lib/tf.ts";

await initBackend();

/** A fixed softmax model whose prediction is the argmax of its 3 inputs. */
function identityModel() {
  const model = tf.sequential({
    layers: [tf.layers.dense({ inputShape: [3], units: 3, activation: "softmax", useBias: false })],
  });
  model.setWeights([tf.mul(tf.eye(3), 10)]);
  model.compile({ optimizer: "adam", loss: "categoricalCrossentropy", metrics: ["accuracy"] });
  return model;
}

Deno.test("predictClasses, evaluate, misclassified and confusionMatrix agree on a known model", async () => {
  const model = identityModel();
  const x = tf.tensor2d([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 0, 0]]);
  const labels = [0, 1, 1, 2];
  const y = tf.oneHot(labels, 3);
  const predicted = await predictClasses(model, x);
  assert.deepEqual([...predicted], [0, 1, 2, 0]);
  const { accuracy, loss } = await evaluate(model, x, y);
  assert.equal(accuracy, 0.5);
  assert.ok(loss > 0 && Number.isFinite(loss));
  assert.deepEqual(misclassified(labels, predicted), [2, 3]);
  assert.deepEqual(confusionMatrix(labels, predicted, 3), [[1, 0, 0], [0, 1, 1], [1, 0, 0]]);
  tf.dispose([x, y]);
});

Deno.test("evaluation helpers refuse mismatched lengths and out-of-range classes", () => {
  assert.throws(
    () => misclassified([1, 2], [1]),
    /misclassified: predicted\.length: expected 2 \(one per label\), got 1/,
  );
  assert.throws(
    () => confusionMatrix([0, 5], [0, 1], 3),
    /confusionMatrix: labels\[1\]: expected an integer in \[0, 3\), got 5/,
  );
  assert.throws(
    () => confusionMatrix([0, 1], [0, 3], 3),
    /confusionMatrix: predicted\[1\]: expected an integer in \[0, 3\), got 3/,
  );
});
