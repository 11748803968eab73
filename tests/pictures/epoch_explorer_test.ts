/** Training, epoch by epoch: the slider's epochs, the weights each shows, and what it refuses. */
import assert from "node:assert/strict";
import { decode } from "fast-png";
import { epochExplorer } from "../../lib/pictures/epoch_explorer.ts";
import { renderSvg } from "../../lib/pictures/render.ts";

/** Three kernels of 784 inputs into 4 units: unit u's weights after e epochs are (e + 1)·(u − 1)/10. */
const kernels = [0, 1, 2].map((e) =>
  Float32Array.from({ length: 784 * 4 }, (_, i) => (e + 1) * ((i % 4) - 1) / 10)
);
const input = {
  kernels,
  units: 4,
  indices: [3, 0],
  history: { loss: [0.4, 0.2], val_loss: [0.3, 0.25] },
  initial: 2,
  title: "Training, epoch by epoch",
};

/** The rows of the spec's inline data that carry `field`, in order. */
function rowsWith(spec: unknown, field: string): Record<string, unknown>[] {
  if (spec === null || typeof spec !== "object") return [];
  const own = Array.isArray(spec)
    ? spec.filter((row) => row !== null && typeof row === "object" && field in row)
    : [];
  return [...own, ...Object.values(spec).flatMap((v) => rowsWith(v, field))];
}

Deno.test("epochExplorer keeps one image of the chosen units per epoch, on one scale", () => {
  const spec = epochExplorer(input);
  const images = rowsWith(spec, "url");
  assert.deepEqual(images.map((r) => r.caption), [
    "Before training",
    "After epoch 1",
    "After epoch 2",
  ]);
  assert.deepEqual(images.map((r) => r.losses), [
    "no loss measured yet",
    "training loss 0.4000, validation loss 0.3000",
    "training loss 0.2000, validation loss 0.2500",
  ]);
  // The limit is the 99th percentile of |w| over every epoch: unit 3's 0.6 after epoch 2.
  const levels = images.map((r) => {
    const png = decode(Uint8Array.from(atob(String(r.url).split(",")[1]), (c) => c.charCodeAt(0)));
    assert.deepEqual([png.width, png.height], [2 * 28 + 3, 28 + 2]); // 2 units, 1 px gaps
    return [png.data[png.width + 1], png.data[png.width + 1 + 29]]; // unit 3's and unit 0's
  });
  const level = (w: number) => Math.round((w / 0.6 + 1) / 2 * 254);
  assert.deepEqual(levels, [[level(0.2), level(-0.1)], [level(0.4), level(-0.2)], [254, 64]]);
  const param = (spec as { params: { name: string; value: number; bind: { max: number } }[] })
    .params[0];
  assert.deepEqual([param.name, param.value, param.bind.max], ["epoch", 2, 2]);
});

Deno.test("epochExplorer draws the initial epoch: its weights, caption, losses and rule", async () => {
  const svg = await renderSvg(epochExplorer(input));
  assert.equal(svg.match(/<image /g)?.length, 1, "one grid of weights");
  assert.match(svg, />After epoch 2</);
  assert.match(svg, />training loss 0\.2000, validation loss 0\.2500</);
  assert.match(svg, /2 units of the first layer: red −, blue \+, ±0\.60/);
  const before = await renderSvg(epochExplorer({ ...input, initial: 0 }));
  assert.match(before, />Before training</);
  assert.match(before, />no loss measured yet</);
});

Deno.test("epochExplorer refuses what it cannot draw, naming the value", () => {
  assert.throws(() => epochExplorer({ ...input, kernels: kernels.slice(1) }), {
    message:
      "epochExplorer: kernels.length: expected 3 (before training and after each of 2 epochs), " +
      "got 2",
  });
  assert.throws(() => epochExplorer({ ...input, initial: 3 }), /epochExplorer: initial/);
  const history = { loss: [0.4, 0.2], val_loss: [0.3] };
  assert.throws(() => epochExplorer({ ...input, history }), {
    message: "epochExplorer: history.val_loss.length: expected 2 (as many as history.loss), got 1",
  });
  const nan = kernels.map((k, e) => e === 1 ? k.map((w, i) => i === 7 ? NaN : w) : k);
  assert.throws(() => epochExplorer({ ...input, kernels: nan }), /epochExplorer: kernels\[1\]/);
});
