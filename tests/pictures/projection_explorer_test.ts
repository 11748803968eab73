/** The map of test images to question: what each point carries, and the inputs it refuses. */
import assert from "node:assert/strict";
import { vegaLiteSpec } from "../../lib/display/chart.ts";
import { projectionExplorer } from "../../lib/pictures/projection_explorer.ts";

const input = {
  points: Float32Array.of(0, 0, 1, 1, 2, 2),
  images: new Uint8Array(3 * 784).fill(255, 784, 2 * 784),
  labels: [0, 1, 1],
  predicted: [0, 0, 1],
  classNames: ["zero", "one"],
  count: 2,
  title: "Map",
};

Deno.test("projectionExplorer: the first count points, each with its digit and its classes", () => {
  const spec = vegaLiteSpec(projectionExplorer(input)) as unknown as {
    data: { values: Record<string, unknown>[] };
  };
  const rows = spec.data.values;
  assert.deepEqual(
    rows.map((r) => [r.x, r.y, r.class, r.predicted, r.right]),
    [[0, 0, "zero", "zero", "right"], [1, 1, "one", "zero", "wrong"]],
  );
  assert.ok(rows.every((r) => String(r.image).startsWith("data:image/png;base64,")));
  assert.notEqual(rows[0].image, rows[1].image, "each point its own digit");
});

Deno.test("projectionExplorer refuses what it cannot draw, naming the value", () => {
  assert.throws(() => projectionExplorer({ ...input, count: 4 }), /projectionExplorer: count/);
  assert.throws(() => projectionExplorer({ ...input, points: Float32Array.of(0, 0) }), {
    message: "projectionExplorer: points.length: expected 6 (2 per label), got 2",
  });
  assert.throws(() => projectionExplorer({ ...input, predicted: [0] }), {
    message: "projectionExplorer: predicted.length: expected 3 (one per label), got 1",
  });
});
