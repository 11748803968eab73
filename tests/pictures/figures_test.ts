/**
 * The figures of lib/pictures/: digit PNGs and SVGs, the bar and line charts, the heatmap, the
 * model diagram, the HTML table, svgToPng, and the 11 px minimum of every figure's text.
 */
import assert from "node:assert/strict";
import type { Element } from "@xmldom/xmldom";
import { decode } from "fast-png";
import { Resvg } from "@resvg/resvg-wasm";
import {
  ANNOTATED_CELL_SIZE,
  annotatedDigitSvg,
  digitsWithTitlesSvg,
} from "../../lib/pictures/digits.ts";
import { modelDiagramSvg } from "../../lib/pictures/model_diagram.ts";
import { MIN_FONT_SIZE, renderSvg } from "../../lib/pictures/render.ts";
import { barChart, heatmap, lineChart } from "../../lib/pictures/charts.ts";
import { digitGridPng, digitPng, pngDataUrl } from "../../lib/pictures/png.ts";
import { accuracyCurve } from "../../lib/display/progress_notebook.ts";
import { svgToPng } from "../../lib/pictures/raster.ts";
import { escapeHtml, htmlTable } from "../../lib/pictures/tables.ts";
import { barInput, cornerDigit, parseXml, readSvg } from "../fixtures/figures.ts";

/** Every font size an SVG sets (attribute or style), in px; throws on a unit other than px. */
function fontSizes(svg: string): number[] {
  const sizes: number[] = [];
  const visit = (el: Element) => {
    const values = [
      el.getAttribute("font-size"),
      /font-size:\s*([^;]+)/.exec(el.getAttribute("style") ?? "")?.[1],
    ];
    for (const v of values) {
      if (v === null || v === undefined || v === "") continue;
      assert.match(v, /^\d+(\.\d+)?(px)?$/, `font-size ${v}`);
      sizes.push(parseFloat(v));
    }
    for (const child of Array.from(el.childNodes)) {
      if (child.nodeType === 1) visit(child as Element);
    }
  };
  visit(parseXml(svg));
  return sizes;
}

/** Decodes a PNG to RGBA-or-gray pixels and counts those darker than `below` (0–255). */
function darkPixels(png: Uint8Array, region?: { x0: number; y0: number; x1: number; y1: number }) {
  const image = decode(png);
  const { x0 = 0, y0 = 0, x1 = image.width, y1 = image.height } = region ?? {};
  let count = 0;
  for (let y = y0; y < y1; y++) {
    for (let x = x0; x < x1; x++) {
      const i = (y * image.width + x) * image.channels;
      if (image.data[i] < 96 && image.data[i + 1] < 96 && image.data[i + 2] < 96) count++;
    }
  }
  return count;
}

function assertBetween(value: number, low: number, high: number, what: string) {
  assert.ok(value >= low && value <= high, `${what} ${value} not in ${low}..${high}`);
}

Deno.test("digitPng upscales one digit, upright, nearest neighbour", () => {
  const png = decode(digitPng(cornerDigit(), { scale: 3 }));
  assert.equal(png.width, 84);
  assert.equal(png.height, 84);
  assert.equal(png.channels, 1);
  const at = (x: number, y: number) => png.data[y * 84 + x];
  assert.equal(at(0, 0), 255);
  assert.equal(at(2, 2), 255);
  assert.equal(at(3, 3), 0);
  assert.equal(at(83, 0), 100);
  assert.equal(at(0, 83), 50);
  assert.equal(at(83, 83), 0);
});

Deno.test("digitPng reads floats as 0–1, clamped, and honours rows/cols", () => {
  const png = decode(digitPng(new Float32Array([0, 0.5, 1, 1.5, -0.2, 0.25]), {
    rows: 2,
    cols: 3,
    scale: 1,
  }));
  assert.equal(png.width, 3);
  assert.equal(png.height, 2);
  assert.deepEqual(Array.from(png.data), [0, 128, 255, 255, 0, 64]);
});

Deno.test("digitGridPng lays out chosen digits row by row with grey gaps", () => {
  const images = new Uint8Array(3 * 784);
  images.set(cornerDigit(), 2 * 784);
  images.fill(200, 0, 784);
  const png = decode(digitGridPng(images, [2, 0, 1], { columns: 2, scale: 2, gap: 1 }));
  assert.equal(png.width, 2 * 56 + 3);
  assert.equal(png.height, 2 * 56 + 3);
  const at = (x: number, y: number) => png.data[y * png.width + x];
  assert.equal(at(0, 0), 128); // gap
  assert.equal(at(1, 1), 255); // image 2, top-left
  assert.equal(at(56, 1), 100); // image 2, top-right
  assert.equal(at(58, 1), 200); // image 0, second tile
  assert.equal(at(1, 58), 0); // image 1, second row
  assert.equal(at(70, 70), 128); // empty fourth cell
});

Deno.test("pngDataUrl round-trips the PNG bytes", () => {
  const png = digitPng(cornerDigit(), { scale: 1 });
  const url = pngDataUrl(png);
  assert.ok(url.startsWith("data:image/png;base64,"));
  const bytes = Uint8Array.from(atob(url.split(",")[1]), (c) => c.charCodeAt(0));
  assert.deepEqual(bytes, png);
});

Deno.test("digit functions name the bad value", async () => {
  assert.throws(
    () => digitPng(new Uint8Array(700)),
    /digitPng: pixels\.length: expected rows×cols = 28×28 = 784, got 700/,
  );
  assert.throws(
    () => digitPng(new Uint8Array(784), { scale: 0 }),
    /digitPng: scale: expected a positive integer, got 0/,
  );
  assert.throws(
    () => digitPng(new Float32Array(784).fill(NaN)),
    /pixels\[0\]: expected a number, got NaN/,
  );
  assert.throws(
    () => digitGridPng(new Uint8Array(784 * 2), [0, 2]),
    /digitGridPng: indices\[1\]: expected an integer in \[0, 2\), got 2/,
  );
  assert.throws(
    () => digitGridPng(new Uint8Array(785), [0]),
    /digitGridPng: images\.length: expected a non-zero multiple of rows×cols = 784, got 785/,
  );
  assert.throws(
    () => digitGridPng(new Uint8Array(784), []),
    /digitGridPng: indices: expected at least one index, got none/,
  );
  assert.throws(
    () => digitGridPng(new Uint8Array(784), [0], { gap: -1 }),
    /digitGridPng: gap: expected an integer ≥ 0, got -1/,
  );
  await assert.rejects(
    async () => await digitsWithTitlesSvg(new Uint8Array(784 * 2), [0, 1], ["one"]),
    /digitsWithTitlesSvg: titles\.length: expected 2 \(one per index\), got 1/,
  );
  await assert.rejects(
    async () => await annotatedDigitSvg(new Uint8Array(784), { decimals: 1 as 0 }),
    /annotatedDigitSvg: decimals: expected one of 0, 2, got 1/,
  );
  await assert.rejects(
    async () => await annotatedDigitSvg(new Float32Array(784).fill(NaN), { decimals: 2 }),
    /annotatedDigitSvg: pixels\[0\]: expected a number, got NaN/,
  );
});

Deno.test("digitsWithTitlesSvg shows each digit as an embedded PNG under its title", async () => {
  const images = new Uint8Array(3 * 784);
  images.set(cornerDigit(), 784);
  const titles = ["Pred 3 / True 5", "Label <1>", "Pred 7 / True 1"];
  const svg = await digitsWithTitlesSvg(images, [0, 1, 2], titles, { title: "Errors", scale: 4 });
  const { root, width, height, texts } = readSvg(svg);
  for (const t of [...titles, "Errors"]) assert.ok(texts.includes(t), `missing title ${t}`);
  assertBetween(width, 3 * 112, 600, "width");
  assertBetween(height, 112, 220, "height");
  const hrefs = Array.from(root.getElementsByTagName("image"), (i) => i.getAttribute("xlink:href"));
  assert.equal(hrefs.length, 3);
  const png = decode(Uint8Array.from(atob(hrefs[1]!.split(",")[1]), (c) => c.charCodeAt(0)));
  assert.equal(png.width, 112);
  assert.equal(png.data[0], 255);
  assert.equal(png.data[111], 100);
});

Deno.test("annotatedDigitSvg prints every pixel value over a big grayscale grid", async () => {
  const raw = readSvg(await annotatedDigitSvg(cornerDigit(), { decimals: 0, title: "Raw" }));
  const cell = ANNOTATED_CELL_SIZE;
  assertBetween(raw.width, 28 * cell, 28 * cell + 60, "width");
  assertBetween(raw.height, 28 * cell, 28 * cell + 80, "height");
  assert.equal(raw.texts.filter((t) => /^\d+$/.test(t)).length, 784);
  for (const t of ["Raw", "255", "100", "50", "0"]) assert.ok(raw.texts.includes(t), t);
  assert.equal(raw.root.getElementsByTagName("path").length > 0, true);

  const norm = Float32Array.from(cornerDigit(), (v) => v / 255);
  const { texts } = readSvg(await annotatedDigitSvg(norm, { decimals: 2 }));
  for (const t of ["1.00", "0.39", "0.20", "0.00"]) assert.ok(texts.includes(t), t);
  assert.equal(texts.filter((t) => /^\d\.\d\d$/.test(t)).length, 784);
});

Deno.test("barChart has title, axis titles, labels and values", async () => {
  const labels = Array.from({ length: 10 }, (_, i) => String(i));
  const values = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
  const { width, height, texts } = readSvg(
    await renderSvg(
      barChart({ labels, values, title: "Per <class>", xTitle: "Digit", yTitle: "Count" }),
    ),
  );
  assertBetween(width, 480, 640, "width");
  assertBetween(height, 300, 460, "height");
  for (const t of ["Per <class>", "Digit", "Count", ...labels, "6,742"]) {
    assert.ok(texts.includes(t), `missing ${t}`);
  }
  await assert.rejects(
    async () =>
      await renderSvg(barChart({ labels, values: [1], title: "", xTitle: "", yTitle: "" })),
    /barChart: values\.length: expected 10 \(one per label\), got 1/,
  );
});

Deno.test("lineChart draws named series over epochs or a given x", async () => {
  const epochs = readSvg(
    await renderSvg(lineChart({
      series: [{ name: "train", values: [0.9, 0.95, 0.97] }, {
        name: "validation",
        values: [0.93, 0.96, 0.965],
      }],
      title: "Accuracy per epoch",
      xTitle: "Epoch",
      yTitle: "Accuracy",
    })),
  );
  assertBetween(epochs.width, 480, 640, "width");
  for (const t of ["Accuracy per epoch", "Epoch", "Accuracy", "train", "validation", "1", "3"]) {
    assert.ok(epochs.texts.includes(t), `missing ${t}`);
  }
  assert.ok(!epochs.texts.includes("1.5"), "epoch axis has whole numbers only");

  const noise = readSvg(
    await renderSvg(lineChart({
      x: [0, 0.1, 0.2],
      series: [{ name: "clean model", values: [0.98, 0.97, 0.9] }],
      title: "Robustness",
      xTitle: "Noise std",
      yTitle: "Test accuracy",
    })),
  );
  for (const t of ["clean model", "Noise std", "0.10"]) assert.ok(noise.texts.includes(t), t);
  await assert.rejects(
    async () =>
      await renderSvg(lineChart({
        x: [0, 1],
        series: [{ name: "a", values: [1, 2, 3] }],
        title: "",
        xTitle: "",
        yTitle: "",
      })),
    /lineChart: series "a"\.values\.length: expected 1 to 2, got 3/,
  );
  await assert.rejects(
    async () =>
      await renderSvg(lineChart({
        series: [{ name: "a", values: [1, NaN] }],
        title: "",
        xTitle: "",
        yTitle: "",
      })),
    /lineChart: series "a"\.values\[1\]: expected a finite number, got NaN/,
  );
});

Deno.test("heatmap prints each count in its cell and rejects non-square input", async () => {
  const matrix = [[950, 2, 0], [3, 1017, 12], [1, 0, 1001]];
  const { width, texts } = readSvg(
    await renderSvg(heatmap({
      matrix,
      labels: ["0", "1", "2"],
      title: "Confusion",
      xTitle: "Predicted",
      yTitle: "True",
    })),
  );
  assertBetween(width, 3 * 44, 400, "width");
  for (const t of ["Confusion", "Predicted", "True", "950", "1017", "12", "2"]) {
    assert.ok(texts.includes(t), `missing ${t}`);
  }
  const titles = { title: "", xTitle: "", yTitle: "" };
  await assert.rejects(
    async () => await renderSvg(heatmap({ matrix: [[1, 2], [3]], labels: ["a", "b"], ...titles })),
    /heatmap: matrix\[1\]\.length: expected 2 \(a square matrix\), got 1/,
  );
  await assert.rejects(
    async () =>
      await renderSvg(heatmap({ matrix: [[1, -2], [3, 4]], labels: ["a", "b"], ...titles })),
    /heatmap: matrix\[0\]\[1\]: expected a finite number ≥ 0, got -2/,
  );
  await assert.rejects(
    async () => await renderSvg(heatmap({ matrix: [[1]], labels: ["a", "b"], ...titles })),
    /heatmap: labels\.length: expected 1 \(the matrix size\), got 2/,
  );
});

Deno.test("modelDiagramSvg shows every layer and the total parameter count", async () => {
  const layers = [
    { name: "flatten", type: "Flatten", outputShape: "[null, 784]", params: 0 },
    { name: "dense_1", type: "Dense", outputShape: "[null, 256]", params: 200960 },
    { name: "dense_2", type: "Dense", outputShape: "[null, 10]", params: 2570 },
  ];
  const { width, height, texts } = readSvg(await modelDiagramSvg(layers, { title: "MLP" }));
  assertBetween(width, 460, 560, "width");
  assertBetween(height, 3 * 52, 400, "height");
  for (
    const t of [
      "MLP",
      "Total params: 203,530",
      "dense_1 (Dense)",
      "output [null, 256] · 200,960 params",
    ]
  ) assert.ok(texts.includes(t), `missing ${t}`);
  await assert.rejects(
    async () => await modelDiagramSvg([]),
    /modelDiagramSvg: layers: expected at least one layer, got none/,
  );
  await assert.rejects(
    async () => await modelDiagramSvg([{ ...layers[0], params: -1 }]),
    /modelDiagramSvg: layers\[0\] \("flatten"\)\.params: expected an integer ≥ 0, got -1/,
  );
});

Deno.test("htmlTable escapes values, right-aligns numbers and has one row per input row", () => {
  assert.equal(escapeHtml(`<a href="x">&'`), "&lt;a href=&quot;x&quot;&gt;&amp;&#39;");
  const html = htmlTable(["Model", "Accuracy"], [["<clean>", 0.9796], ["noisy & clean", 0.9825]], {
    caption: "Results <test>",
  });
  assert.ok(html.includes("&lt;clean&gt;"));
  assert.ok(!html.includes("<clean>"));
  const root = parseXml(html, "text/xml");
  assert.equal(root.getElementsByTagName("tr").length, 3);
  assert.equal(root.getElementsByTagName("caption")[0].textContent, "Results <test>");
  const cells = Array.from(root.getElementsByTagName("td"));
  assert.equal(cells[1].textContent, "0.9796");
  assert.match(cells[1].getAttribute("style") ?? "", /text-align:right/);
  assert.match(cells[0].getAttribute("style") ?? "", /text-align:left/);
  const heads = Array.from(root.getElementsByTagName("th"), (th) => th.getAttribute("style") ?? "");
  assert.match(heads[0], /text-align:left/);
  assert.match(heads[1], /text-align:right/);
  assert.throws(
    () => htmlTable(["a", "b"], [["x"]]),
    /htmlTable: rows\[0\]\.length: expected 2 \(one cell per header\), got 1/,
  );
});

Deno.test("svgToPng draws a chart at 2× as a PNG, with its text in the shipped font", async () => {
  const svg = await renderSvg(barChart(barInput));
  const { width, height } = readSvg(svg);
  const raster = await svgToPng(svg);
  assert.deepEqual([raster.width, raster.height, raster.density], [width, height, 2]);
  const image = decode(raster.png);
  assert.deepEqual([image.width, image.height], [2 * width, 2 * height]);
  // The title "Per <class>" sits in the top-left corner: its glyphs are dark pixels.
  assert.ok(darkPixels(raster.png, { x0: 0, y0: 0, x1: 300, y1: 70 }) > 500, "title drawn");
  assert.ok(darkPixels(raster.png) > 5000, "axes, labels and values drawn");
  const one = await svgToPng(svg, { density: 1 });
  assert.deepEqual([decode(one.png).width, one.width], [width, width]);
});

Deno.test("svgToPng finds the font for vega's family list, bold included", async () => {
  const text = (weight: string) =>
    `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="40"><rect width="200" height="40" fill="white"/><text x="4" y="28" font-family="Helvetica, Arial, sans-serif" font-size="20" font-weight="${weight}">Accuracy 98%</text></svg>`;
  const regular = darkPixels((await svgToPng(text("normal"))).png);
  const bold = darkPixels((await svgToPng(text("bold"))).png);
  assert.ok(regular > 400, `regular text drawn (${regular} dark pixels)`);
  assert.ok(bold > regular * 1.25, `bold text is bolder (${bold} vs ${regular} dark pixels)`);
});

Deno.test("svgToPng draws the digits a chart embeds as PNG images", async () => {
  const images = new Uint8Array(2 * 784); // two black digits
  const svg = await digitsWithTitlesSvg(images, [0, 1], ["a", "b"], { scale: 4 });
  const black = darkPixels((await svgToPng(svg)).png);
  assert.ok(black >= 2 * 224 * 224, `both 112×112 digits drawn black at 2× (${black} dark pixels)`);
});

Deno.test("svgToPng keeps resvg's pixels: an opaque figure in a smaller RGB PNG", async () => {
  // A scatter of 400 anti-aliased dots on white, as a chart draws them (no text: resvg's own
  // PNG below is drawn without the shipped font)
  const dots = Array.from(
    { length: 400 },
    (_, i) =>
      `<circle cx="${(i * 37) % 300}" cy="${(i * 53) % 200}" r="3.5" fill="#${
        ["4c78a8", "f58518", "e45756"][i % 3]
      }" fill-opacity="0.7"/>`,
  ).join("");
  const opaque = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200">
    <rect width="300" height="200" fill="white"/>${dots}</svg>`;
  const clear = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="200">${dots}</svg>`;
  for (const [svg, channels] of [[opaque, 3], [clear, 4]] as const) {
    const { png } = await svgToPng(svg);
    const resvg = new Resvg(svg, { fitTo: { mode: "zoom", value: 2 } });
    const image = resvg.render();
    const theirs = image.asPng();
    image.free();
    resvg.free();
    const [a, b] = [decode(png), decode(theirs)];
    assert.deepEqual([a.channels, b.channels], [channels, 4]);
    assert.deepEqual([a.width, a.height], [b.width, b.height]);
    const alpha = (i: number) => channels === 4 ? a.data[i] : 255;
    const same = b.data.every((v, i) =>
      v === (i % 4 === 3 ? alpha(i) : a.data[channels === 4 ? i : (i >> 2) * 3 + (i % 4)])
    );
    assert.ok(same, `channels ${channels}: the same pixels as resvg's own PNG`);
    const most = channels === 3 ? 0.9 : 1; // an image with clear pixels is resvg's own PNG
    assert.ok(png.length <= most * theirs.length, `${png.length} bytes, resvg's ${theirs.length}`);
  }
});

Deno.test("svgToPng names bad input", async () => {
  await assert.rejects(
    () => svgToPng("hello"),
    /svgToPng: svg: expected an SVG document starting with "<svg", got "hello"/,
  );
  await assert.rejects(() => svgToPng(42 as unknown as string), /got number/);
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>`;
  for (const density of [0, -1, NaN]) {
    await assert.rejects(
      () => svgToPng(svg, { density }),
      new RegExp(`svgToPng: density: expected a finite number > 0, got ${density}`),
    );
  }
  await assert.rejects(() => svgToPng(`<svg width="4" height="4"><g></svg>`), /could not read/);
});

Deno.test("every figure prints its text at 11 px or more", async () => {
  const images = new Uint8Array(3 * 784);
  const layers = [
    { name: "pixels", type: "Input", outputShape: "[None, 784]", params: 0 },
    { name: "dense_1", type: "Dense", outputShape: "[null, 256]", params: 200960 },
  ];
  const confusion = Array.from(
    { length: 10 },
    (_, i) => Array.from({ length: 10 }, (_, j) => i === j ? 1017 : j),
  );
  const big = Array.from(
    { length: 16 },
    (_, i) => Array.from({ length: 16 }, (_, j) => i === j ? 1017 : j),
  );
  const labels = (n: number) => Array.from({ length: n }, (_, i) => String(i));
  const history = {
    loss: [1, 2],
    acc: [0.9, 0.95],
    val_loss: [1, 2],
    val_acc: [0.93, 0.96],
    seconds: [1, 1],
    bestEpoch: 2,
  };
  const titles = { title: "T", xTitle: "X", yTitle: "Y" };
  const figures: Record<string, string> = {
    barChart: await renderSvg(barChart(barInput)),
    lineChart: await renderSvg(lineChart({
      series: [{ name: "train", values: [0.9, 0.95] }],
      ...titles,
    })),
    "heatmap 10×10": await renderSvg(heatmap({ matrix: confusion, labels: labels(10), ...titles })),
    "heatmap 16×16": await renderSvg(heatmap({ matrix: big, labels: labels(16), ...titles })),
    digitsWithTitlesSvg: await digitsWithTitlesSvg(images, [0, 1, 2], ["a", "b", "c"], {
      title: "T",
    }),
    "annotatedDigitSvg 0": await annotatedDigitSvg(cornerDigit(), { decimals: 0, title: "T" }),
    "annotatedDigitSvg 2": await annotatedDigitSvg(new Float32Array(784), {
      decimals: 2,
      title: "T",
    }),
    modelDiagramSvg: await modelDiagramSvg(layers),
    accuracyCurve: await renderSvg(accuracyCurve(history, "Accuracy")),
    "robustness curve": await renderSvg(lineChart({
      x: [0, 0.05, 0.1, 0.2, 0.3, 0.5],
      series: ["clean", "noisy", "clean + noisy"].map((name) => ({
        name,
        values: [0.98, 0.97, 0.96, 0.9, 0.8, 0.5],
      })),
      title: "Test accuracy under Gaussian noise",
      xTitle: "Noise standard deviation",
      yTitle: "Test accuracy",
    })),
  };
  for (const [name, svg] of Object.entries(figures)) {
    const sizes = fontSizes(svg);
    assert.ok(sizes.length > 0, `${name}: no font size found`);
    const small = sizes.filter((size) => size < MIN_FONT_SIZE);
    assert.deepEqual(small, [], `${name}: text under ${MIN_FONT_SIZE} px`);
  }
  await assert.rejects(
    async () => await annotatedDigitSvg(new Float32Array(784), { decimals: 2, cellSize: 24 }),
    /annotatedDigitSvg: cellSize: expected at least 28, so that values print at the 11 px minimum, got 24, which prints them at 9 px/,
  );
});
