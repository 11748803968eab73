/**
 * The pictures of notebook 08 ("Inside the network"), on data built here: what they draw, that
 * they stay legible, and how they reject bad input. Each figure is also rasterized to
 * /tmp/inside-figures/*.png, to be looked at.
 */
import assert from "node:assert/strict";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { convertIndexedToRgb, decode } from "fast-png";
import { RELIABILITY_SHADES, reliabilityDiagram } from "../../lib/pictures/calibration.ts";
import { barChart } from "../../lib/pictures/charts.ts";
import { dropoutCurves } from "../../lib/pictures/dropout_curves.ts";
import { layerDynamics, trainingCurves } from "../../lib/pictures/learning.ts";
import { projectionSvg } from "../../lib/pictures/projection.ts";
import { svgToPng } from "../../lib/pictures/raster.ts";
import { MIN_FONT_SIZE, renderSvg } from "../../lib/pictures/render.ts";
import { weightGridPng, weightImagesSvg } from "../../lib/pictures/weights.ts";

const FIGURES = "/tmp/inside-figures";

/** A seeded uniform generator in [0, 1) (Park–Miller), and normal deviates from it. */
function random(seed: number) {
  let s = seed;
  const uniform = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const normal = () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
  return { uniform, normal };
}

/** Parses an SVG (throwing on any error) and returns its root, size and texts. */
function readSvg(svg: string) {
  const parser = new DOMParser({
    onError: (level, message) => {
      if (level !== "warning") throw new Error(`${level}: ${message}`);
    },
  });
  const root = parser.parseFromString(svg, "image/svg+xml").documentElement!;
  assert.equal(root.tagName, "svg");
  return {
    root,
    width: Number(root.getAttribute("width")),
    height: Number(root.getAttribute("height")),
    texts: Array.from(root.getElementsByTagName("text"), (t) => t.textContent ?? ""),
  };
}

function paths(root: Element, test: (path: Element) => boolean): Element[] {
  return Array.from(root.getElementsByTagName("path")).filter(test);
}

/** Asserts that a figure stays under 1000 px wide with fonts ≥ 11 px, and writes its PNG. */
async function checkFigure(name: string, svg: string): Promise<void> {
  const { width } = readSvg(svg);
  assert.ok(width > 0 && width <= 1000, `${name}: width ${width}`);
  const sizes = Array.from(svg.matchAll(/font-size="([\d.]+)px"/g), (m) => Number(m[1]));
  assert.ok(sizes.length > 0 && Math.min(...sizes) >= MIN_FONT_SIZE, `${name}: font sizes`);
  const { png } = await svgToPng(svg);
  await Deno.mkdir(FIGURES, { recursive: true });
  await Deno.writeFile(`${FIGURES}/${name}.png`, png);
}

/** The RGB of pixel (x, y) of an RGB or palette PNG. */
function rgbAt(png: ReturnType<typeof decode>, x: number, y: number): number[] {
  const i = (y * png.width + x) * 3;
  const rgb = png.palette ? convertIndexedToRgb(png) : png.data;
  return Array.from(rgb.slice(i, i + 3));
}

/** The PNGs embedded in an SVG's image marks, decoded. */
function embeddedPngs(root: Element) {
  return Array.from(root.getElementsByTagName("image"), (image) => {
    const url = image.getAttribute("xlink:href") ?? image.getAttribute("href") ?? "";
    return decode(Uint8Array.from(atob(url.split(",")[1]), (c) => c.charCodeAt(0)));
  });
}

/** A Glorot-uniform 784×256 kernel, and the same after "training": stripes inside a disc. */
function kernels() {
  const { uniform } = random(1);
  const [inputs, units] = [784, 256];
  const glorot = Math.sqrt(6 / (inputs + units));
  const init = Float32Array.from({ length: inputs * units }, () => (uniform() * 2 - 1) * glorot);
  const trained = init.map((w, i) => {
    const [p, u] = [Math.floor(i / units), i % units];
    const [r, c] = [Math.floor(p / 28) - 14, (p % 28) - 14];
    const angle = (u % 7) * 0.45;
    const across = r * Math.cos(angle) + c * Math.sin(angle);
    const stroke = r * r + c * c < 150 ? 0.12 * Math.cos(across / 2.5) * (u % 2 ? 1 : -1) : 0;
    return w * 0.6 + stroke;
  });
  return { init, trained };
}

Deno.test("weightGridPng colours each weight on one RdBu scale: red −, white 0, blue +", () => {
  // 4 inputs (2×2 images) into 2 units: unit 0 gets −2, −0.5, 0, 0.5; unit 1 gets 1, 3, 0, 0
  const kernel = Float32Array.of(-2, 1, -0.5, 3, 0, 0, 0.5, 0);
  const png = decode(
    weightGridPng(kernel, { inputs: 4, rows: 2, cols: 2, units: 2, indices: [0, 1], limit: 1 }),
  );
  assert.equal(png.palette?.length, 256, "255 colours of the scale and the gaps' grey");
  assert.deepEqual([png.width, png.height], [2 * 6 + 3 * 2, 6 + 2 * 2]);
  assert.deepEqual(rgbAt(png, 0, 0), [150, 150, 150]); // the grey gap
  const unit0 = (r: number, c: number) => rgbAt(png, 2 + 3 * c + 1, 2 + 3 * r + 1);
  const unit1 = (r: number, c: number) => rgbAt(png, 10 + 3 * c + 1, 2 + 3 * r + 1);
  assert.deepEqual(unit0(0, 0), [178, 24, 43]); // −2, clamped to −1: darkest red
  const [r, g, b] = unit0(0, 1); // −0.5: a light red
  assert.ok(r > 230 && g < 200 && b < 180, `−0.5 is light red: ${[r, g, b]}`);
  assert.deepEqual(unit0(1, 0), [247, 247, 247]); // 0: white
  const [r2, g2, b2] = unit0(1, 1); // 0.5: a light blue
  assert.ok(b2 > 200 && r2 < 160 && r2 < g2, `0.5 is light blue: ${[r2, g2, b2]}`);
  assert.deepEqual(unit1(0, 0), [33, 102, 172]); // 1: darkest blue
  assert.deepEqual(unit1(0, 1), [33, 102, 172]); // 3, clamped to 1
  assert.deepEqual(unit1(1, 0), [247, 247, 247]);
  // 64 MNIST units in 16 columns: 3 px per weight and 2 px gaps
  const { init } = kernels();
  const indices = Array.from({ length: 64 }, (_, i) => i * 4);
  const grid = decode(weightGridPng(init, { units: 256, indices, limit: 0.1 }));
  assert.deepEqual([grid.width, grid.height], [16 * 84 + 17 * 2, 4 * 84 + 5 * 2]);
  // 1 px per weight, 1 px gaps: 16 units in a 4×4 grid
  const small = decode(
    weightGridPng(init, {
      units: 256,
      indices: indices.slice(0, 16),
      columns: 4,
      limit: 0.1,
      block: 1,
      gap: 1,
    }),
  );
  assert.deepEqual([small.width, small.height], [4 * 28 + 5, 4 * 28 + 5]);
  const w = init[5 * 256 + indices[1]]; // unit 1's 6th weight, top row of the second image
  const level = Math.round((Math.max(-1, Math.min(1, w / 0.1)) + 1) / 2 * 254);
  assert.equal(small.data[1 * small.width + 1 + 29 + 5], level);
  assert.throws(
    () => weightGridPng(init, { units: 256, indices: [0], limit: 0.1, gap: -1 }),
    /weightGridPng: gap: expected an integer ≥ 0, got -1/,
  );
});

Deno.test("weightImagesSvg draws every panel on the same scale, ±the largest weight", async () => {
  const units = 3;
  const base = Float32Array.from({ length: 784 * units }, (_, i) => (i % units === 1 ? 0.25 : 0));
  const doubled = base.map((w) => 2 * w);
  const svg = await weightImagesSvg({
    panels: [{ title: "Before", kernel: base }, { title: "After", kernel: doubled }],
    units,
    indices: [1],
    title: "Unit 1",
  });
  const { root, texts } = readSvg(svg);
  for (const t of ["Unit 1", "Before", "After", "weight", "0.5", "−0.5", "0"]) {
    assert.ok(texts.includes(t), `missing ${t}`);
  }
  const [before, after] = embeddedPngs(root);
  assert.equal(embeddedPngs(root).length, 2);
  assert.deepEqual(rgbAt(after, 3, 3), [33, 102, 172]); // 0.5 = the limit: darkest blue
  const light = rgbAt(before, 3, 3); // 0.25, half the limit: lighter, the same in any panel
  assert.ok(light[0] > 100 && light[2] > 180, `0.25 is a mid blue: ${light}`);
  const given = readSvg(
    await weightImagesSvg({
      panels: [{ title: "Before", kernel: base }],
      units,
      indices: [1],
      limit: 0.25,
      title: "",
    }),
  );
  assert.deepEqual(rgbAt(embeddedPngs(given.root)[0], 3, 3), [33, 102, 172]);

  const { init, trained } = kernels();
  const realistic = await weightImagesSvg({
    panels: [
      { title: "At initialization (Glorot uniform)", kernel: init },
      { title: "After training", kernel: trained },
    ],
    units: 256,
    indices: Array.from({ length: 64 }, (_, i) => i * 4),
    title: "First hidden layer: incoming weights of 64 of 256 units",
  });
  await checkFigure("weights", realistic);
});

Deno.test("weight pictures reject bad input, naming function, argument and value", async () => {
  const kernel = new Float32Array(784 * 4);
  const input = { panels: [{ title: "a", kernel }], units: 4, indices: [0], title: "" };
  await assert.rejects(
    async () => await weightImagesSvg({ ...input, units: 5 }),
    /weightImagesSvg: panels\[0\]\.kernel\.length: expected inputs·units = 784·5 = 3920, got 3136/,
  );
  await assert.rejects(
    async () => await weightImagesSvg({ ...input, indices: [0, 4] }),
    /weightImagesSvg: indices\[1\]: expected an integer in \[0, 4\), got 4/,
  );
  await assert.rejects(
    async () => await weightImagesSvg({ ...input, limit: 0 }),
    /weightImagesSvg: limit: expected a finite number > 0, got 0/,
  );
  await assert.rejects(
    async () => await weightImagesSvg({ ...input, rows: 20 }),
    /weightImagesSvg: rows×cols: expected inputs = 784, got 20×28 = 560/,
  );
  await assert.rejects(
    async () => await weightImagesSvg({ ...input, panels: [] }),
    /weightImagesSvg: panels: expected at least one panel, got none/,
  );
  const nan = kernel.slice();
  nan[4] = NaN;
  await assert.rejects(
    async () => await weightImagesSvg({ ...input, panels: [{ title: "a", kernel: nan }] }),
    /weightImagesSvg: panels\[0\]\.kernel\[4\]: expected a finite number, got NaN/,
  );
  assert.throws(
    () => weightGridPng(nan, { units: 4, indices: [0], limit: 1 }),
    /weightGridPng: kernel\[4\]: expected a number, got NaN/,
  );
});

/** 20 epochs × 188 batches of a loss that falls from ≈2.3 to ≈0.02, and its history. */
function trainingRun() {
  const { normal } = random(7);
  const [epochs, steps] = [20, 188];
  const batches = [];
  const history = { loss: [] as number[], acc: [] as number[], val_loss: [], val_acc: [] } as {
    loss: number[];
    acc: number[];
    val_loss: number[];
    val_acc: number[];
  };
  for (let epoch = 1; epoch <= epochs; epoch++) {
    let [loss, acc] = [0, 0];
    for (let step = 1; step <= steps; step++) {
      const t = epoch - 1 + step / steps;
      const mean = 0.02 + 0.35 / (1 + 3 * t) + 2 * Math.exp(-25 * t);
      const batchLoss = mean * Math.exp(0.35 * normal());
      const batchAcc = Math.max(0, 1 - 0.3 * batchLoss - 0.9 * Math.exp(-30 * t));
      batches.push({ epoch, step, steps, loss: batchLoss, acc: batchAcc });
      loss += batchLoss / steps;
      acc += batchAcc / steps;
    }
    history.loss.push(loss);
    history.acc.push(acc);
    history.val_loss.push(0.075 + 0.12 / epoch + 0.00015 * epoch * epoch);
    history.val_acc.push(0.94 + 0.0036 * Math.min(epoch, 11));
  }
  return { batches, history };
}

Deno.test("trainingCurves draws every batch, the epoch means and validation", async () => {
  const { batches, history } = trainingRun();
  const svg = await renderSvg(trainingCurves({ batches, history, title: "Training" }));
  const { root, texts } = readSvg(svg);
  for (
    const t of [
      "Training",
      "Loss (cross-entropy, log scale)",
      "Accuracy",
      "Epoch",
      "training, per batch",
      "training, epoch mean",
      "validation",
      "20",
    ]
  ) assert.ok(texts.includes(t), `missing ${t}`);
  // one thin line per panel through all 3,760 batches
  const lines = paths(
    root,
    (p) => /mark-line/.test((p.parentNode as Element).getAttribute("class")!),
  );
  const batchLines = lines.filter((p) => p.getAttribute("stroke") === "#a9c6e2");
  assert.equal(batchLines.length, 2);
  for (const line of batchLines) {
    assert.equal(line.getAttribute("d")!.split(/[ML]/).length - 1, 20 * 188);
  }
  // 20 points each for the epoch means and validation, in both panels
  const points = paths(root, (p) => p.getAttribute("aria-roledescription") === "point");
  assert.equal(points.length, 2 * 2 * 20);
  // accuracy from about the batches' 1st percentile, not from 0; loss on a log scale
  assert.ok(!texts.includes("0%") && texts.includes("100%"), "accuracy axis");
  for (const t of ["0.01", "0.1", "1"]) assert.ok(texts.includes(t), `loss tick ${t}`);
  await checkFigure("training", svg);

  await assert.rejects(
    async () =>
      await renderSvg(trainingCurves({
        batches: [{ epoch: 1, step: 3, steps: 2, loss: 1, acc: 0.5 }],
        history,
        title: "",
      })),
    /trainingCurves: batches\[0\]\.step: expected an integer in \[0, 2\], got 3/,
  );
  await assert.rejects(
    async () =>
      await renderSvg(trainingCurves({
        batches: [{ epoch: 1, step: 1, steps: 2, loss: 0, acc: 0.5 }],
        history,
        title: "",
      })),
    /trainingCurves: batches\[0\]\.loss: expected a finite number > 0, got 0/,
  );
  await assert.rejects(
    async () =>
      await renderSvg(trainingCurves({
        batches,
        history: { ...history, val_acc: history.val_acc.slice(1) },
        title: "",
      })),
    /trainingCurves: history\.val_acc\.length: expected 20 \(as many as history\.loss\), got 19/,
  );
});

Deno.test("layerDynamics draws norms and update ratios per layer with the 1e-3 rule", async () => {
  const { normal } = random(3);
  const layers = ["dense_1", "dense_2", "dense_3"].map((name, l) => ({
    name,
    norm: Array.from({ length: 20 }, (_, i) => [19.6, 16, 4.4][l] * (1 + 0.1 * Math.log1p(i))),
    updateRatio: Array.from(
      { length: 20 },
      (_, i) => [3e-3, 4e-3, 8e-3][l] / Math.sqrt(i + 1) * Math.exp(0.3 * normal()),
    ),
  }));
  const svg = await renderSvg(layerDynamics({ layers, title: "Weights during training" }));
  const { root, texts } = readSvg(svg);
  for (const t of ["dense_1", "dense_2", "dense_3", "1e-3 rule of thumb", "1e-3", "Epoch"]) {
    assert.ok(texts.includes(t), `missing ${t}`);
  }
  assert.equal(
    paths(root, (p) => p.getAttribute("aria-roledescription") === "point").length,
    2 * 3 * 20,
  );
  const rules = Array.from(root.getElementsByTagName("line"))
    .filter((l) => l.getAttribute("stroke-dasharray") === "6,4");
  assert.equal(rules.length, 1, "one dashed rule");
  await checkFigure("dynamics", svg);

  await assert.rejects(
    async () =>
      await renderSvg(
        layerDynamics({ layers: [{ ...layers[0], updateRatio: [1e-3] }], title: "" }),
      ),
    /layerDynamics: layers\[0\] \("dense_1"\)\.updateRatio\.length: expected 20 \(one per epoch, as norm\), got 1/,
  );
  await assert.rejects(
    async () =>
      await renderSvg(
        layerDynamics({ layers: [{ name: "d", norm: [1], updateRatio: [0] }], title: "" }),
      ),
    /layerDynamics: layers\[0\] \("d"\)\.updateRatio\[0\]: expected a finite number > 0, got 0/,
  );
});

Deno.test("dropoutCurves marks each run's lowest validation loss on its curve", async () => {
  const runs = [0, 0.2, 0.5].map((p, r) => {
    const loss = Array.from({ length: 20 }, (_, i) => (0.3 + p * 0.2) / (1 + i * (1 - 0.8 * p)));
    const valLoss = Array.from(
      { length: 20 },
      (_, i) => 0.07 + 0.12 / (i + 1) + 0.0009 * (1 - p) ** 2 * (i + 1) ** 2 / 4 + 0.002 * r,
    );
    const overfitEpoch = valLoss.indexOf(Math.min(...valLoss)) + 1;
    return { name: `dropout ${p}`, loss, valLoss, overfitEpoch };
  });
  const svg = await renderSvg(dropoutCurves({ runs, title: "Dropout" }));
  const { root, texts } = readSvg(svg);
  for (const t of ["dropout 0", "dropout 0.2", "dropout 0.5", "training", "validation"]) {
    assert.ok(texts.includes(t), `missing ${t}`);
  }
  assert.ok(texts.includes("lowest validation loss"));
  const diamonds = paths(root, (p) => p.getAttribute("aria-roledescription") === "point");
  assert.equal(diamonds.length, runs.length);
  diamonds.forEach((diamond, i) => {
    const { overfitEpoch, valLoss, name } = runs[i];
    const label = diamond.getAttribute("aria-label")!;
    assert.match(label, new RegExp(`^Epoch: ${overfitEpoch}; .*; run: ${name}$`));
    const loss = Number(/Loss \(log scale\): ([\d.]+)/.exec(label)![1]);
    assert.ok(Math.abs(loss - valLoss[overfitEpoch - 1]) < 1e-3, `${name}: at its lowest`);
  });
  await checkFigure("dropout", svg);

  await assert.rejects(
    async () =>
      await renderSvg(dropoutCurves({ runs: [{ ...runs[0], overfitEpoch: 21 }], title: "" })),
    /dropoutCurves: runs\[0\] \("dropout 0"\)\.overfitEpoch: expected an integer in \[1, 20\], got 21/,
  );
  await assert.rejects(
    async () =>
      await renderSvg(dropoutCurves({ runs: [{ ...runs[0], valLoss: [0.1] }], title: "" })),
    /dropoutCurves: runs\[0\] \("dropout 0"\)\.valLoss\.length: expected 20 \(one per epoch, as loss\), got 1/,
  );
});

Deno.test("projectionSvg draws one mark per sample and a cross per marked sample", async () => {
  const { uniform, normal } = random(11);
  const n = 10_000;
  const labels = Uint8Array.from({ length: n }, () => Math.floor(uniform() * 10));
  const clustered = (spread: number) => {
    const centres = Array.from({ length: 10 }, () => [5 * normal(), 5 * normal()]);
    return Float32Array.from(
      { length: 2 * n },
      (_, j) => centres[labels[j >> 1]][j & 1] + spread * normal(),
    );
  };
  const marked = Array.from({ length: 204 }, () => Math.floor(uniform() * n));
  const classNames = Array.from({ length: 10 }, (_, i) => String(i));
  const svg = await projectionSvg({
    panels: [
      { title: "PCA of hidden layer 1", points: clustered(3) },
      { title: "PCA of hidden layer 2", points: clustered(1.5) },
    ],
    labels,
    classNames,
    marked,
    title: "Test digits in the hidden layers",
  });
  const { root, texts } = readSvg(svg);
  for (const t of [...classNames, "misclassified", "component 1", "component 2"]) {
    assert.ok(texts.includes(t), `missing ${t}`);
  }
  const circles = paths(root, (p) => p.getAttribute("d")!.startsWith("M1.5,0A1.5"));
  assert.equal(circles.length, 2 * n);
  const crosses = paths(
    root,
    (p) => p.getAttribute("stroke") === "black" && /^M-[\d.]+,-[\d.]+L/.test(p.getAttribute("d")!),
  );
  assert.equal(crosses.length, 2 * marked.length + 1); // and one in the legend
  const colours = new Set(circles.map((c) => c.getAttribute("fill")));
  assert.equal(colours.size, 10, "one colour per class");
  assert.ok(!/translate\([\d.]*\.\d\d/.test(svg), "positions rounded to 0.1 px");
  await checkFigure("projection", svg);

  const input = { panels: [{ title: "", points: new Float32Array(4) }], classNames, title: "" };
  await assert.rejects(
    async () => await projectionSvg({ ...input, labels: [0, 1, 2] }),
    /projectionSvg: panels\[0\]\.points\.length: expected 2·labels\.length = 6, got 4/,
  );
  await assert.rejects(
    async () => await projectionSvg({ ...input, labels: [0, 10] }),
    /projectionSvg: labels\[1\]: expected an integer in \[0, 10\), got 10/,
  );
  await assert.rejects(
    async () => await projectionSvg({ ...input, labels: [0, 1], marked: [2] }),
    /projectionSvg: marked\[0\]: expected an integer in \[0, 2\), got 2/,
  );
});

/** Ten bins as a well-trained MNIST model gives them: most predictions in the top bin. */
function mnistBins(seed: number) {
  const { uniform } = random(seed);
  return Array.from({ length: 10 }, (_, i) => {
    const [low, high] = [i / 10, (i + 1) / 10];
    if (i === 0) return { low, high, count: 0, confidence: NaN, accuracy: NaN };
    const count = i === 9 ? 9400 + Math.floor(uniform() * 200) : 5 + Math.floor(60 * uniform());
    const confidence = low + (high - low) * (0.3 + 0.6 * uniform());
    const accuracy = Math.min(1, Math.max(0, confidence + 0.03 - 0.12 * uniform()));
    return { low, high, count, confidence, accuracy };
  });
}

Deno.test("reliabilityDiagram draws each bin's accuracy as a bar, its count, the ECE and both gaps", async () => {
  const panels = ["Clean", "Noisy", "Clean + noisy"].flatMap((model, m) =>
    ["clean test set", "noisy test set"].map((set, s) => ({
      title: `${model} model, ${set}`,
      bins: mnistBins(10 * m + s + 1),
      ece: 0.0123 + 0.001 * (2 * m + s),
    }))
  );
  const svg = await renderSvg(reliabilityDiagram({ panels, title: "Reliability" }));
  const { root, texts } = readSvg(svg);
  for (
    const t of ["ECE 1.23%", "ECE 1.73%", "Clean model, clean test set", "perfect calibration"]
  ) {
    assert.ok(texts.includes(t), `missing ${t}`);
  }
  const bars = paths(root, (p) => (p.getAttribute("aria-label") ?? "").startsWith("accuracy "));
  assert.equal(bars.length, 6 * 9, "no bar for empty bins");
  // bar heights follow the accuracies: height / accuracy is the panel's height for every bar
  const expected = panels.flatMap((p) => p.bins.filter((b) => b.count > 0));
  const heights = bars.map((bar) => Number(/v([\d.]+)/.exec(bar.getAttribute("d")!)![1]));
  heights.forEach((h, i) => assert.ok(Math.abs(h - 220 * expected[i].accuracy) < 0.01, `bar ${i}`));
  for (const bin of expected) assert.ok(texts.includes(bin.count.toLocaleString("en-US")));
  assert.ok(!texts.includes("0"), "no count for empty bins");
  // Both gaps are shaded, each over exactly its bins and as tall as the gap, each in a colour of
  // its own that the legend shows beside its name.
  for (const shade of Object.values(RELIABILITY_SHADES)) assert.ok(texts.includes(shade), shade);
  const sides = [
    { side: "overconfident", gaps: expected.filter((b) => b.confidence > b.accuracy) },
    { side: "underconfident", gaps: expected.filter((b) => b.confidence < b.accuracy) },
  ];
  const fills = sides.map(({ side, gaps }) => {
    const label = (p: Element) => p.getAttribute("aria-label") ?? "";
    const strips = paths(root, (p) => label(p).startsWith(`${side} by `));
    assert.ok(gaps.length > 0, `the test data has ${side} bins`);
    assert.equal(strips.length, gaps.length, `${side} strips`);
    strips.forEach((strip, i) => {
      const h = Number(/v([\d.]+)/.exec(strip.getAttribute("d")!)![1]);
      const gap = Math.abs(gaps[i].confidence - gaps[i].accuracy);
      assert.ok(Math.abs(h - 220 * gap) < 0.01, `${side} strip ${i}: ${h}`);
    });
    const fill = strips[0].getAttribute("fill");
    assert.ok(strips.every((strip) => strip.getAttribute("fill") === fill), `${side}: one fill`);
    const swatch = (p: Element) => label(p) === "" && p.getAttribute("fill") === fill;
    assert.equal(paths(root, swatch).length, 1, `${side}: one legend swatch in ${fill}`);
    return fill;
  });
  assert.notEqual(fills[0], fills[1], "over- and underconfidence share a colour");
  await checkFigure("reliability", svg);

  const bin = { low: 0.9, high: 1, count: 10, confidence: 0.95, accuracy: 0.9 };
  await assert.rejects(
    async () =>
      await renderSvg(reliabilityDiagram({
        panels: [{ title: "", bins: [{ ...bin, high: 0.8 }], ece: 0 }],
        title: "",
      })),
    /reliabilityDiagram: panels\[0\]\.bins\[0\]\.high: expected a number in \(0\.9, 1\], got 0\.8/,
  );
  await assert.rejects(
    async () =>
      await renderSvg(reliabilityDiagram({
        panels: [{ title: "", bins: [{ ...bin, accuracy: NaN }], ece: 0 }],
        title: "",
      })),
    /reliabilityDiagram: panels\[0\]\.bins\[0\]\.accuracy: expected a number in \[0, 1\], got NaN/,
  );
  await assert.rejects(
    async () =>
      await renderSvg(
        reliabilityDiagram({ panels: [{ title: "", bins: [bin], ece: 1.5 }], title: "" }),
      ),
    /reliabilityDiagram: panels\[0\]\.ece: expected a number in \[0, 1\], got 1\.5/,
  );
});

Deno.test("barChart takes a y domain (bars clamped to it) and a format for the values", async () => {
  const svg = await renderSvg(barChart({
    labels: ["clean", "noisy", "clean + noisy"],
    values: [0.9796, 0.96, 0.99],
    yDomain: [0.97, 0.985],
    format: ".2%",
    title: "Test accuracy",
    xTitle: "Model",
    yTitle: "Accuracy",
  }));
  const { root, texts } = readSvg(svg);
  for (const t of ["97.96%", "96.00%", "99.00%", "0.970"]) assert.ok(texts.includes(t), t);
  const heights = paths(root, (p) => p.getAttribute("aria-roledescription") === "bar")
    .map((bar) => Number(/v([\d.]+)/.exec(bar.getAttribute("d")!)![1]));
  assert.deepEqual(heights.map((h) => Math.round(h)), [192, 0, 300]); // 300 px high, clamped
  await checkFigure("bar_y_domain", svg);
  await assert.rejects(
    async () =>
      await renderSvg(barChart({
        labels: ["a"],
        values: [1],
        yDomain: [1, 0],
        title: "",
        xTitle: "",
        yTitle: "",
      })),
    /barChart: yDomain: expected \[low, high\] with low < high, got \[1, 0\]/,
  );
});
