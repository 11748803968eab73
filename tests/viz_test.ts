import assert from "node:assert/strict";
import { DOMParser, type Element } from "@xmldom/xmldom";
import { decode } from "fast-png";
import { annotatedDigitSvg, digitsWithTitlesSvg } from "../lib/chart_digits.ts";
import { modelDiagramSvg } from "../lib/chart_model.ts";
import { barChartSvg, heatmapSvg, lineChartSvg } from "../lib/charts.ts";
import { inJupyter, liveOutput, showHtml, showPng, showSvg } from "../lib/display.ts";
import { digitGridPng, digitPng, pngDataUrl } from "../lib/png.ts";
import { progressHtml, progressText } from "../lib/progress_html.ts";
import { escapeHtml, htmlTable } from "../lib/tables.ts";

/** A 28×28 test digit whose corners differ, so a flip or transpose shows. */
function cornerDigit(): Uint8Array {
  const pixels = new Uint8Array(784);
  pixels[0] = 255; // top-left
  pixels[27] = 100; // top-right
  pixels[27 * 28] = 50; // bottom-left
  return pixels;
}

/** Parses XML, throwing on any error, and returns the root element. */
function parseXml(text: string, mime: "image/svg+xml" | "text/xml" = "image/svg+xml"): Element {
  const parser = new DOMParser({
    onError: (level, message) => {
      if (level !== "warning") throw new Error(`${level}: ${message}`);
    },
  });
  const root = parser.parseFromString(text, mime).documentElement;
  assert.ok(root, "document has a root element");
  return root;
}

/** Parses an SVG and returns its size and the text of all its <text> elements. */
function readSvg(svg: string) {
  const root = parseXml(svg);
  assert.equal(root.tagName, "svg");
  const texts = Array.from(root.getElementsByTagName("text"), (t) => t.textContent ?? "");
  return {
    root,
    width: Number(root.getAttribute("width")),
    height: Number(root.getAttribute("height")),
    texts,
  };
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
  assert.throws(() => digitPng(new Uint8Array(700)), /length 700.*784/);
  assert.throws(
    () => digitPng(new Uint8Array(784), { scale: 0 }),
    /scale must be a positive integer, got 0/,
  );
  assert.throws(() => digitPng(new Float32Array(784).fill(NaN)), /pixel 0 is NaN/);
  assert.throws(() => digitGridPng(new Uint8Array(784 * 2), [0, 2]), /index 2 .* 0\.\.1/);
  assert.throws(() => digitGridPng(new Uint8Array(785), [0]), /length 785/);
  assert.throws(() => digitGridPng(new Uint8Array(784), []), /indices is empty/);
  await assert.rejects(
    async () => await digitsWithTitlesSvg(new Uint8Array(784 * 2), [0, 1], ["one"]),
    /titles has length 1, expected one per index \(2\)/,
  );
  await assert.rejects(
    async () => await annotatedDigitSvg(new Uint8Array(784), { decimals: 1 as 0 }),
    /decimals must be 0 or 2, got 1/,
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
  assertBetween(raw.width, 28 * 24, 28 * 24 + 60, "width");
  assertBetween(raw.height, 28 * 24, 28 * 24 + 80, "height");
  assert.equal(raw.texts.filter((t) => /^\d+$/.test(t)).length, 784);
  for (const t of ["Raw", "255", "100", "50", "0"]) assert.ok(raw.texts.includes(t), t);
  assert.equal(raw.root.getElementsByTagName("path").length > 0, true);

  const norm = Float32Array.from(cornerDigit(), (v) => v / 255);
  const { texts } = readSvg(await annotatedDigitSvg(norm, { decimals: 2 }));
  for (const t of ["1.00", "0.39", "0.20", "0.00"]) assert.ok(texts.includes(t), t);
  assert.equal(texts.filter((t) => /^\d\.\d\d$/.test(t)).length, 784);
});

Deno.test("barChartSvg has title, axis titles, labels and values", async () => {
  const labels = Array.from({ length: 10 }, (_, i) => String(i));
  const values = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949];
  const { width, height, texts } = readSvg(
    await barChartSvg({ labels, values, title: "Per <class>", xTitle: "Digit", yTitle: "Count" }),
  );
  assertBetween(width, 480, 640, "width");
  assertBetween(height, 300, 460, "height");
  for (const t of ["Per <class>", "Digit", "Count", ...labels, "6,742"]) {
    assert.ok(texts.includes(t), `missing ${t}`);
  }
  await assert.rejects(
    async () => await barChartSvg({ labels, values: [1], title: "", xTitle: "", yTitle: "" }),
    /values has length 1, expected one per label \(10\)/,
  );
});

Deno.test("lineChartSvg draws named series over epochs or a given x", async () => {
  const epochs = readSvg(
    await lineChartSvg({
      series: [{ name: "train", values: [0.9, 0.95, 0.97] }, {
        name: "validation",
        values: [0.93, 0.96, 0.965],
      }],
      title: "Accuracy per epoch",
      xTitle: "Epoch",
      yTitle: "Accuracy",
    }),
  );
  assertBetween(epochs.width, 480, 640, "width");
  for (const t of ["Accuracy per epoch", "Epoch", "Accuracy", "train", "validation", "1", "3"]) {
    assert.ok(epochs.texts.includes(t), `missing ${t}`);
  }
  assert.ok(!epochs.texts.includes("1.5"), "epoch axis has whole numbers only");

  const noise = readSvg(
    await lineChartSvg({
      x: [0, 0.1, 0.2],
      series: [{ name: "clean model", values: [0.98, 0.97, 0.9] }],
      title: "Robustness",
      xTitle: "Noise std",
      yTitle: "Test accuracy",
    }),
  );
  for (const t of ["clean model", "Noise std", "0.10"]) assert.ok(noise.texts.includes(t), t);
  await assert.rejects(
    async () =>
      await lineChartSvg({
        x: [0, 1],
        series: [{ name: "a", values: [1, 2, 3] }],
        title: "",
        xTitle: "",
        yTitle: "",
      }),
    /series "a" has 3 values, expected 1 to 2/,
  );
  await assert.rejects(
    async () =>
      await lineChartSvg({
        series: [{ name: "a", values: [1, NaN] }],
        title: "",
        xTitle: "",
        yTitle: "",
      }),
    /series "a"\[1\] is NaN/,
  );
});

Deno.test("heatmapSvg prints each count in its cell and rejects non-square input", async () => {
  const matrix = [[950, 2, 0], [3, 1017, 12], [1, 0, 1001]];
  const { width, texts } = readSvg(
    await heatmapSvg({
      matrix,
      labels: ["0", "1", "2"],
      title: "Confusion",
      xTitle: "Predicted",
      yTitle: "True",
    }),
  );
  assertBetween(width, 3 * 44, 400, "width");
  for (const t of ["Confusion", "Predicted", "True", "950", "1017", "12", "2"]) {
    assert.ok(texts.includes(t), `missing ${t}`);
  }
  const titles = { title: "", xTitle: "", yTitle: "" };
  await assert.rejects(
    async () => await heatmapSvg({ matrix: [[1, 2], [3]], labels: ["a", "b"], ...titles }),
    /not square: row 1 has 1 values, expected 2/,
  );
  await assert.rejects(
    async () => await heatmapSvg({ matrix: [[1, -2], [3, 4]], labels: ["a", "b"], ...titles }),
    /matrix\[0\]\[1\] is -2/,
  );
  await assert.rejects(
    async () => await heatmapSvg({ matrix: [[1]], labels: ["a", "b"], ...titles }),
    /labels has length 2, expected 1/,
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
  await assert.rejects(async () => await modelDiagramSvg([]), /layers is empty/);
  await assert.rejects(
    async () => await modelDiagramSvg([{ ...layers[0], params: -1 }]),
    /layer 0 \("flatten"\) has params -1/,
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
  assert.throws(() => htmlTable(["a", "b"], [["x"]]), /row 0 has 1 cells, expected 2/);
});

Deno.test("progressHtml shows the whole run's progress and the running metrics", () => {
  const p = {
    epoch: 3,
    epochs: 10,
    step: 120,
    steps: 188,
    loss: 0.12344,
    acc: 0.965,
    elapsed: 12.34,
  };
  assert.equal(
    progressText(p),
    "Epoch 3/10 · step 120/188 · loss 0.1234 · acc 0.9650 · 12.3 s",
  );
  const root = parseXml(progressHtml({ ...p, valLoss: 0.1, valAcc: 0.97 }), "text/xml");
  const bar = root.getElementsByTagName("progress")[0];
  assert.equal(bar.getAttribute("value"), String(2 * 188 + 120));
  assert.equal(bar.getAttribute("max"), String(10 * 188));
  assert.match(root.textContent ?? "", /val_loss 0\.1000 · val_acc 0\.9700/);
  assert.throws(
    () => progressText({ ...p, epoch: 11 }),
    /epoch must be an integer in 1\.\.10, got 11/,
  );
  assert.throws(() => progressText({ ...p, step: 189 }), /step must be an integer in 0\.\.188/);
});

Deno.test("display helpers do nothing outside Jupyter", async () => {
  assert.equal(inJupyter(), false);
  assert.equal(await showPng(digitPng(cornerDigit())), undefined);
  assert.equal(await showSvg("<svg/>"), undefined);
  assert.equal(await showHtml("<b>x</b>"), undefined);
  assert.equal(await liveOutput().update({ "text/html": "<b>x</b>" }), undefined);
});

Deno.test("display helpers hand bundles to the kernel, live output by display id", async () => {
  const calls: { bundle: unknown; options: unknown }[] = [];
  const fake = {
    display: (bundle: unknown, options: unknown) => {
      calls.push({ bundle, options });
      return Promise.resolve();
    },
    image: (png: Uint8Array) => ({ png }),
  };
  const deno = Deno as unknown as { jupyter: unknown };
  deno.jupyter = fake;
  try {
    assert.equal(inJupyter(), true);
    await showSvg("<svg/>");
    await showHtml("<b>x</b>");
    const png = digitPng(cornerDigit());
    await showPng(png);
    const live = liveOutput();
    await live.update({ "text/html": "1" });
    await live.update({ "text/html": "2" });
    assert.deepEqual(calls[0], { bundle: { "image/svg+xml": "<svg/>" }, options: { raw: true } });
    assert.deepEqual(calls[1].bundle, { "text/html": "<b>x</b>" });
    assert.deepEqual(calls[2].bundle, { png });
    assert.deepEqual(calls[3].options, { raw: true, display_id: live.id, update: false });
    assert.deepEqual(calls[4], {
      bundle: { "text/html": "2" },
      options: { raw: true, display_id: live.id, update: true },
    });
  } finally {
    deno.jupyter = undefined;
  }
  assert.throws(() => Deno.jupyter, /only available/);
});
