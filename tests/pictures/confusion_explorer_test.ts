/**
 * The confusion matrix to question: each cell's first images, kept as PNG data URLs, and the spec
 * that shows the selected cell's images beside the matrix.
 */
import assert from "node:assert/strict";
import { decode } from "fast-png";
import { cellExamples, confusionExplorer } from "../../lib/pictures/confusion_explorer.ts";
import { renderSvg } from "../../lib/pictures/render.ts";

const NAMES = ["0", "1", "2"];

/** `n` 28×28 images, image i all of grey level i. */
function images(n: number): Uint8Array {
  const pixels = new Uint8Array(n * 784);
  for (let i = 0; i < n; i++) pixels.fill(i, i * 784, (i + 1) * 784);
  return pixels;
}

Deno.test("cellExamples keeps the first images of every cell, in test-set order", () => {
  const labels = [0, 0, 0, 1, 0, 2];
  const predicted = [0, 1, 0, 1, 0, 1];
  const examples = cellExamples(images(6), labels, predicted, NAMES, { perCell: 2, scale: 1 });
  assert.deepEqual(
    examples.map((e) => `${e.row}→${e.col} #${e.rank} of ${e.count}`),
    ["0→0 #0 of 3", "0→1 #0 of 1", "0→0 #1 of 3", "1→1 #0 of 1", "2→1 #0 of 1"],
  );
  // Each URL is image i's own pixels: the fourth kept is image 3, grey level 3.
  const png = decode(Uint8Array.from(atob(examples[3].url.split(",")[1]), (c) => c.charCodeAt(0)));
  assert.deepEqual([png.width, png.height, png.data[0]], [28, 28, 3]);
});

Deno.test("cellExamples refuses what it cannot picture, naming the value", () => {
  assert.throws(() => cellExamples(images(2), [0, 1], [0], NAMES), {
    message: "cellExamples: predicted.length: expected 2 (one per label), got 1",
  });
  assert.throws(() => cellExamples(images(2), [0, 3], [0, 1], NAMES), {
    message: "cellExamples: labels[1]: expected a class from 0 to 2, got 3",
  });
  assert.throws(() => cellExamples(images(1), [0, 1], [0, 1], NAMES), {
    message: "cellExamples: images.length: expected 2 images of 28×28 = 1568 pixels, got 784",
  });
  assert.throws(() => cellExamples(images(1), [0], [0], NAMES, { perCell: 0 }), /perCell/);
});

Deno.test("confusionExplorer shows the largest mistake's images first, and names its cell", async () => {
  const labels = [0, 1, 1, 2, 2, 2];
  const predicted = [0, 2, 2, 0, 2, 2];
  const matrix = [[1, 0, 0], [0, 0, 2], [1, 0, 2]];
  const examples = cellExamples(images(6), labels, predicted, NAMES);
  const input = {
    matrix,
    labels: NAMES,
    examples,
    title: "M",
    xTitle: "Predicted",
    yTitle: "True",
  };
  const svg = await renderSvg(confusionExplorer(input));
  assert.equal(svg.match(/<image /g)?.length, 2, "the two images of 1 → 2, the largest mistake");
  assert.match(svg, /True 1, predicted 2.*2 images</s);
  const chosen = await renderSvg(confusionExplorer({ ...input, initial: ["2", "2"] }));
  assert.equal(chosen.match(/<image /g)?.length, 2);
  assert.throws(() => confusionExplorer({ ...input, initial: ["2", "7"] }), {
    message: 'confusionExplorer: initial[1]: expected one of 0, 1, 2, got "7"',
  });
});
