/** The robustness curve to question: its slider's initial level and the inputs it refuses. */
import assert from "node:assert/strict";
import { renderSvg } from "../../lib/pictures/render.ts";
import { robustnessExplorer } from "../../lib/pictures/robustness_explorer.ts";

const input = {
  stds: [0, 0.1, 0.3],
  series: [{ name: "clean", values: [0.98, 0.975, 0.79] }, {
    name: "noisy",
    values: [0.978, 0.977, 0.9],
  }],
  first: [0, 0.1, 0.3].map((v) => new Float32Array(784).fill(v)),
  initial: 1,
  title: "Test accuracy under Gaussian noise",
};

Deno.test("robustnessExplorer draws the initial level: its rule, its digit, each model there", async () => {
  const svg = await renderSvg(robustnessExplorer(input));
  assert.equal(svg.match(/<image /g)?.length, 1, "one digit");
  assert.match(svg, /Test image 0 at σ = 0\.1</);
  assert.match(svg, /clean: 97\.50%/);
  assert.match(svg, /noisy: 97\.70%/);
  const other = await renderSvg(robustnessExplorer({ ...input, initial: 2 }));
  assert.match(other, /Test image 0 at σ = 0\.3</);
  assert.match(other, /noisy: 90\.00%/);
});

Deno.test("robustnessExplorer refuses what it cannot draw, naming the value", () => {
  assert.throws(() => robustnessExplorer({ ...input, initial: 3 }), /robustnessExplorer: initial/);
  assert.throws(() => robustnessExplorer({ ...input, stds: [0, 0.3, 0.1] }), {
    message: "robustnessExplorer: stds: expected increasing standard deviations, got [0, 0.3, 0.1]",
  });
  assert.throws(() => robustnessExplorer({ ...input, first: input.first.slice(1) }), {
    message: "robustnessExplorer: first.length: expected 3 (one per std), got 2",
  });
  const short = [{ name: "clean", values: [0.98, 0.97] }];
  assert.throws(
    () => robustnessExplorer({ ...input, series: short }),
    /values\.length: expected 3/,
  );
});
