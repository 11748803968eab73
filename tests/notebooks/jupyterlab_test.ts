/// <reference lib="dom" />
/**
 * What JupyterLab shows, drawn by JupyterLab's own npm packages (JupyterLab itself is Python):
 * `@jupyterlab/rendermime` with its standard factories, `@jupyterlab/vega5-extension` and
 * `@jupyterlab/outputarea`, bundled by esbuild into a test page (tests/notebooks/jupyterlab_page/)
 * in headless Chromium driven by puppeteer-core.
 *
 * - Each committed notebook's outputs, untrusted as when opened from disk: the registry picks the
 *   Vega-Lite spec of every chart and the PNG of every other figure; vega draws every chart (data
 *   marks on one canvas, no console error); notebooks 01, 05, 06, 07 and 08 hold charts; hovering
 *   a point of 05's learning curve and a cell of its confusion matrix shows vega-tooltip's tooltip
 *   with the point's accuracy and the cell's count.
 * - The live curve stays live: a cell that trains as notebook 05 does (1,000 images, 3 epochs) runs
 *   in Jupyter's deno kernel; its curve comes as one display id, a Vega-Lite bundle updated in
 *   place after each epoch; the captured messages replayed into JupyterLab's OutputArea leave the
 *   progress bar and the final curve (3 epochs, drawn once by vega) and nothing else.
 *
 * Screenshots go to tests/screenshots/jupyterlab-*.png. Outside CI, without Chromium or Jupyter's
 * kernel client, the test says so in one line and is skipped; under CI (`CI` set) it fails instead.
 */
import assert from "node:assert/strict";
import type { Page } from "puppeteer-core";
import { output } from "../../scripts/execute_notebook.ts";
import { setup } from "../../scripts/setup.ts";
import { CHROMIUM, CHROMIUM_MISSING, launchChromium, SHOTS } from "../fixtures/chromium.ts";
import { buildPage } from "./jupyterlab_page/build.ts";
import type { JupyterLabPage, MarkItem, Message, Shown } from "./jupyterlab_page/main.ts";
import { NOTEBOOKS, type Output, savedOutputs } from "./fixtures.ts";
import { ROOT } from "../fixtures/root.ts";

/** The MIME type of a chart's live form: what JupyterLab's Vega 5 extension draws. */
const VEGA_LITE = "application/vnd.vegalite.v5+json";

/** The notebooks that draw at least one chart. */
const CHARTED = ["01_explore", "04_one_step", "05_train", "06_noise", "07_seeds", "08_inside"];

/** The start of the alt text (`text/plain`) of 05's learning curve and of its confusion matrix. */
const LEARNING_CURVE = "Train vs validation accuracy";
const CONFUSION_MATRIX = "Confusion matrix";
/** The start of the alt text of 08's map of the hidden layer. */
const HIDDEN_MAP = "Hidden layer 2 (UMAP)";
/** The start of the alt text of 06's robustness curve. */
const ROBUSTNESS = "Test accuracy under Gaussian noise";

/** Epochs of the live cell. */
const EPOCHS = 3;

/** The live cell: notebook 05's training call, on 1,000 images for 3 epochs, run in notebooks/. */
const LIVE_CELL = `
import { buildMlp, initBackend, loadDataset, notebookProgress, toTensors, train } from "../lib/mod.ts";
const backend = await initBackend(); // a declaration: the cell ends without a result
const data = await loadDataset({ dataset: "mnist", trainLimit: 1000, testLimit: 1 });
const { x, y } = toTensors(data.train);
const history = await train(buildMlp(), x, y, {
  epochs: ${EPOCHS},
  validationSplit: 0.2,
  ...notebookProgress("Live"),
});
`;

/** The script that runs a cell in the deno kernel and prints its output messages. */
const CAPTURE = new URL("./jupyterlab_page/capture.py", import.meta.url).pathname;

const kernelClient = await output("jupyter", ["kernelspec", "--version"]);
const lacking = [
  ...(CHROMIUM ? [] : [CHROMIUM_MISSING]),
  ...(kernelClient ? [] : ["Jupyter's kernel client"]),
];
const skip = lacking.length > 0 && !Deno.env.get("CI");
if (skip) {
  console.log(
    `JupyterLab test skipped: no ${lacking.join(", no ")} (deno task setup test installs them)`,
  );
}

/** Calls a method of the page's {@linkcode JupyterLabPage} with JSON arguments. */
function call<K extends keyof JupyterLabPage>(
  page: Page,
  method: K,
  ...args: Parameters<JupyterLabPage[K]>
): Promise<Awaited<ReturnType<JupyterLabPage[K]>>> {
  return page.evaluate(
    (name, values) => {
      const lab = (globalThis as unknown as { jupyterLab: Record<string, CallableFunction> })
        .jupyterLab;
      return lab[name](...values);
    },
    method,
    args as unknown[],
  ) as Promise<Awaited<ReturnType<JupyterLabPage[K]>>>;
}

/** The console errors and uncaught exceptions of a page, as they come. */
function pageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
  });
  page.on("pageerror", (error) => errors.push(String(error)));
  return errors;
}

function firstLine(text: unknown): string {
  return [text ?? ""].flat().join("").split("\n")[0];
}

/** The first `encoding[channel].field` of a Vega-Lite spec, searching its layers and views. */
function encodingField(spec: unknown, channel: string): string | undefined {
  if (spec === null || typeof spec !== "object") return undefined;
  const node = spec as {
    encoding?: Record<string, { field?: string }>;
    layer?: unknown[];
    hconcat?: unknown[];
  };
  return node.encoding?.[channel]?.field ??
    [...node.layer ?? [], ...node.hconcat ?? []].map((view) => encodingField(view, channel))
      .find((f) => f !== undefined);
}

/** Every value of `field` in the rows of a spec's inline data: the objects of any array in it. */
function inlineValues(spec: unknown, field: string): unknown[] {
  if (spec === null || typeof spec !== "object") return [];
  const nested = Object.values(spec).flatMap((v) => inlineValues(v, field));
  if (!Array.isArray(spec)) return nested;
  const own = spec.map((row) => row?.[field]).filter((v) => v !== undefined);
  return [...own, ...nested];
}

/**
 * Whether `text` shows `value` as a number, however formatted: an integer exactly (thousands
 * separators allowed), a fraction to at least 2 significant digits, rounded, or as a percentage.
 */
function showsNumber(text: string, value: number): boolean {
  return [...text.matchAll(/-?\d[\d,]*(?:\.\d+)?%?/g)].some(([token]) => {
    const percent = token.endsWith("%");
    const digits = token.replace(/[,%]/g, "");
    const decimals = (digits.split(".")[1] ?? "").length + (percent ? 2 : 0);
    const shown = Number(digits) / (percent ? 100 : 1);
    if (Number.isInteger(value)) return shown === value && !digits.includes(".");
    const significant = digits.replace(/^-?[0.]*/, "").replace(".", "").length;
    return significant >= 2 && Math.abs(shown - value) <= 0.5 * 10 ** -decimals + 1e-12;
  });
}

/** A screenshot of one section of the page (a notebook, or the live replay). */
async function screenshotSection(page: Page, title: string, file: string) {
  const section = await page.$(`section[data-title="${title}"]`);
  assert.ok(section, `no section ${title}`);
  await section.screenshot({ path: `${SHOTS}/${file}` });
}

/** Checks one saved output against what the page did with it. */
async function checkOutput(page: Page, name: string, saved: Output, shown: Shown) {
  const data = saved.data ?? {};
  const what = `${name}: "${shown.text}"`;
  if (VEGA_LITE in data) {
    assert.equal(shown.untrusted, VEGA_LITE, `${what}: untrusted, the registry picks`);
    assert.equal(shown.trusted, VEGA_LITE, `${what}: trusted, the registry picks`);
    assert.match(shown.renderer, /\bjp-RenderedVegaLite\b/, what);
    const drawn = await call(page, "drawn", shown.key);
    assert.ok(drawn, `${what}: vega drew nothing`);
    assert.equal(drawn.surfaces, 1, `${what}: charts drawn`);
    assert.ok(drawn.width > 0 && drawn.height > 0, `${what}: drawn ${drawn.width}×${drawn.height}`);
    const marks = Object.values(drawn.marks).reduce((a, b) => a + b, 0);
    assert.ok(marks > 0, `${what}: no data marks drawn`);
  } else if ("image/png" in data) {
    assert.equal(shown.untrusted, "image/png", `${what}: untrusted, the registry picks`);
    assert.equal(shown.trusted, "image/png", `${what}: trusted, the registry picks`);
    assert.match(shown.renderer, /\bjp-RenderedImage\b/, what);
    const image = await page.$eval(`[data-key="${shown.key}"] img`, (img) => ({
      loaded: img.complete && img.naturalWidth > 0,
      width: img.getAttribute("width"),
    }));
    assert.ok(image.loaded, `${what}: the PNG did not load`);
    const expected = saved.metadata?.["image/png"]?.width;
    if (expected !== undefined) assert.equal(image.width, `${expected}`, `${what}: width set`);
  }
}

/** Each committed notebook's outputs rendered untrusted; returns 05's, 06's and 08's charts by alt text. */
async function committedNotebooks(page: Page): Promise<Map<string, [Output, Shown]>> {
  const trainingCharts = new Map<string, [Output, Shown]>();
  const chartless: string[] = [];
  for (const name of NOTEBOOKS) {
    const outputs = await savedOutputs(`${ROOT}notebooks/${name}.ipynb`);
    assert.deepEqual(outputs.filter((o) => o.output_type === "error"), [], `${name}: error output`);
    const shown = await call(page, "showNotebook", name, outputs);
    const saved = outputs.filter((o) => o.data);
    const texts = saved.map((o) => firstLine(o.data?.["text/plain"]));
    assert.deepEqual(shown.map((s) => s.text), texts, `${name}: outputs shown`);
    for (const [i, output] of saved.entries()) {
      await checkOutput(page, name, output, shown[i]);
      if (
        ["05_train", "06_noise", "08_inside"].includes(name) && VEGA_LITE in (output.data ?? {})
      ) {
        trainingCharts.set(shown[i].text, [output, shown[i]]);
      }
    }
    if (!saved.some((o) => VEGA_LITE in (o.data ?? {}))) chartless.push(name);
    await screenshotSection(page, name, `jupyterlab-${name}.png`);
  }
  const missing = CHARTED.filter((name) => chartless.includes(name));
  assert.deepEqual(missing, [], "notebooks that save no Vega-Lite chart");
  return trainingCharts;
}

/** The values an item's tooltip shows, as vega computed them (an object's values, or itself). */
function tooltipValues(tooltip: unknown): string[] {
  if (tooltip === null || tooltip === undefined) return [];
  if (typeof tooltip === "object") return Object.values(tooltip).map(String);
  return [String(tooltip)];
}

/**
 * The items away from both ends of a numeric x field, or all of them when there are none: a
 * point on the edge of a zoomable plot lies half outside its clip, where vega does not pick it.
 */
function inside(items: MarkItem[], x: string | undefined): MarkItem[] {
  const xs = items.map((item) => item.datum[x ?? ""]);
  if (!xs.every((v) => typeof v === "number")) return items;
  const [min, max] = [Math.min(...xs), Math.max(...xs)];
  const away = items.filter((_, i) => xs[i] > min && xs[i] < max);
  return away.length > 0 ? away : items;
}

/**
 * Hovers the item with the largest value of `field` among the chart's `marktype` items, at a
 * point `at` of its box (fractions of width and height), and checks vega-tooltip's element: it
 * becomes visible and shows the item's tooltip, including the value as the spec's data has it.
 */
async function hoverShows(
  page: Page,
  [saved, shown]: [Output, Shown],
  marktype: string,
  channel: string,
  at: [number, number],
  file: string,
) {
  const spec = saved.data?.[VEGA_LITE];
  const field = encodingField(spec, channel);
  assert.ok(field, `${shown.text}: no ${channel} field in the spec`);
  const items = (await call(page, "marks", shown.key)).filter((item: MarkItem) =>
    item.marktype === marktype && typeof item.datum[field] === "number"
  );
  assert.ok(items.length > 0, `${shown.text}: no ${marktype} marks with ${field}`);
  const item = inside(items, encodingField(spec, "x")).reduce((a, b) =>
    (b.datum[field] as number) > (a.datum[field] as number) ? b : a
  );
  const value = item.datum[field] as number;
  assert.ok(inlineValues(spec, field).includes(value), `${shown.text}: ${value} not in the data`);
  await page.mouse.move(item.left + at[0] * item.width, item.top + at[1] * item.height);
  const tooltip = await page.waitForSelector("#vg-tooltip-element.visible", { timeout: 5_000 });
  const text = await tooltip!.evaluate((e) => e.textContent ?? "");
  for (const shownValue of tooltipValues(item.tooltip)) {
    assert.ok(text.includes(shownValue), `${shown.text}: tooltip "${text}" lacks ${shownValue}`);
  }
  assert.ok(showsNumber(text, value), `${shown.text}: tooltip "${text}" does not show ${value}`);
  await page.screenshot({ path: `${SHOTS}/${file}` });
  await page.mouse.move(0, 0);
  await page.waitForSelector("#vg-tooltip-element:not(.visible)", { timeout: 5_000 });
}

/**
 * Clicks the confusion matrix's cell (true `row`, predicted `col`) and checks the panel beside it:
 * the cell's images as image marks, as many as the data keeps for it (all, or the first 20), and
 * the line that names the cell and its count; returns how many images it drew.
 */
async function clickShows(page: Page, shown: Shown, row: string, col: string, file: string) {
  const items = await call(page, "marks", shown.key);
  const target = items.find((item) =>
    item.marktype === "rect" && item.datum.row === row && item.datum.col === col
  );
  assert.ok(target, `${shown.text}: no cell ${row} → ${col}`);
  const count = target.datum.value as number;
  await page.mouse.click(target.left + target.width / 2, target.top + target.height / 2);
  await page.waitForFunction(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  const after = await call(page, "marks", shown.key);
  const images = after.filter((item) => item.marktype === "image");
  assert.ok(
    images.every((item) => item.datum.row === row && item.datum.col === col),
    `${shown.text}: images of other cells after a click on ${row} → ${col}`,
  );
  assert.equal(images.length, Math.min(count, 20), `${shown.text}: images of ${row} → ${col}`);
  const caption = after.find((item) => item.marktype === "text" && "caption" in item.datum);
  assert.match(
    String(caption?.datum.caption),
    new RegExp(`^True ${row}, predicted ${col}\n${count} images?`),
  );
  await page.screenshot({ path: `${SHOTS}/${file}` });
  return images.length;
}

/**
 * Moves the robustness curve's "noise level" slider to `level` and checks what the view then draws:
 * the dashed rule and the digit of that level, and each model's accuracy there as the spec's data
 * has it.
 */
async function slideShows(
  page: Page,
  [saved, shown]: [Output, Shown],
  level: number,
  file: string,
) {
  const slider = await page.$(`[data-key="${shown.key}"] .vega-bind input[type="range"]`);
  assert.ok(slider, `${shown.text}: no slider`);
  await slider.evaluate((input, value) => {
    (input as HTMLInputElement).value = String(value);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }, level);
  await page.waitForFunction(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  const items = await call(page, "marks", shown.key);
  const levels = (type: string) =>
    items.filter((item) => item.marktype === type).map((item) => item.datum.level);
  assert.deepEqual(levels("rule"), [level], `${shown.text}: the rule`);
  assert.deepEqual(levels("image"), [level], `${shown.text}: the digit`);
  const spec = saved.data?.[VEGA_LITE];
  const accuracies = inlineValues(spec, "accuracy") as number[];
  const labels = items.filter((item) => item.marktype === "text" && "label" in item.datum);
  assert.equal(labels.length, 3, `${shown.text}: one accuracy per model`);
  for (const { datum } of labels) {
    assert.equal(datum.level, level);
    assert.ok(accuracies.includes(datum.accuracy as number), `${datum.accuracy} not in the data`);
    const percent = `${((datum.accuracy as number) * 100).toFixed(2)}%`;
    assert.equal(datum.label, `${datum.model}: ${percent}`);
  }
  await page.screenshot({ path: `${SHOTS}/${file}` });
}

/**
 * Hovers a misclassified point of the hidden layer's map and checks that the tooltip shows a digit
 * (an image) with its classes; then clicks class 4 in the legend and checks that its points are
 * drawn opaque and every other point faint.
 */
async function mapAnswers(page: Page, shown: Shown, file: string) {
  const points = async () =>
    (await call(page, "marks", shown.key)).filter((item) => item.marktype === "symbol");
  const before = await points();
  const wrong = before.find((item) => item.datum.right === "wrong");
  assert.ok(wrong, `${shown.text}: no misclassified point`);
  await page.mouse.move(wrong.left + wrong.width / 2, wrong.top + wrong.height / 2);
  const tooltip = await page.waitForSelector("#vg-tooltip-element.visible", { timeout: 5_000 });
  const html = await tooltip!.evaluate((e) => e.innerHTML);
  assert.match(html, /<img[^>]+src="data:image\/png;base64,/, `${shown.text}: tooltip ${html}`);
  assert.match(html, /true class/);
  assert.match(html, /predicted/);
  await page.mouse.move(0, 0);
  await page.waitForSelector("#vg-tooltip-element:not(.visible)", { timeout: 5_000 });
  const symbols = await call(page, "legendSymbols", shown.key);
  const four = symbols.find((item) => item.datum.value === "4");
  assert.ok(four, `${shown.text}: no legend entry 4 among ${symbols.length}`);
  await page.mouse.click(four.left + four.width / 2, four.top + four.height / 2);
  await page.waitForFunction(() => new Promise((resolve) => requestAnimationFrame(resolve)));
  const after = await points();
  assert.equal(after.length, before.length);
  const fours = after.filter((item) => item.datum.class === "4");
  assert.ok(fours.length > 0, `${shown.text}: no point of class 4`);
  assert.ok(
    fours.every((item) => item.opacity === 0.9),
    `${shown.text}: class 4 not brought forward`,
  );
  const others = after.filter((item) => item.datum.class !== "4");
  assert.ok(
    others.every((item) => item.opacity === 0.06),
    `${shown.text}: other classes not dimmed`,
  );
  await page.screenshot({ path: `${SHOTS}/${file}` });
}

/** The interpreter of the `jupyter` command (its `#!` line), which has Jupyter's kernel client. */
async function jupyterPython(): Promise<string[]> {
  for (const dir of (Deno.env.get("PATH") ?? "").split(":")) {
    try {
      const head = (await Deno.readTextFile(`${dir}/jupyter`)).split("\n")[0];
      if (head.startsWith("#!")) return head.slice(2).trim().split(/\s+/);
    } catch {
      // not in this folder
    }
  }
  return ["python3"];
}

/** Runs `code` as one cell in the deno kernel, in notebooks/; returns its output messages. */
async function captureCell(code: string): Promise<Message[]> {
  const [python, ...args] = await jupyterPython();
  const child = new Deno.Command(python, {
    args: [...args, CAPTURE, `${ROOT}notebooks`],
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(240_000),
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(code));
  await writer.close();
  const { success, stdout, stderr } = await child.output();
  const log = new TextDecoder().decode(stderr).split("\n").slice(-20).join("\n");
  assert.ok(success, `the live cell failed:\n${log}`);
  return JSON.parse(new TextDecoder().decode(stdout));
}

function displayId(message: Message): string | undefined {
  return (message.content.transient as { display_id?: string } | undefined)?.display_id;
}

function dataOf(message: Message): Record<string, unknown> {
  return (message.content.data ?? {}) as Record<string, unknown>;
}

/** The live cell captured from the kernel, then replayed into JupyterLab's OutputArea. */
async function liveCurve(page: Page) {
  await setup("notebooks", { install: false });
  const messages = await captureCell(LIVE_CELL);
  const curve = messages.filter((m) => VEGA_LITE in dataOf(m));
  assert.equal(curve.length, EPOCHS, "curve messages: one per epoch");
  const ids = new Set(curve.map(displayId));
  assert.equal(ids.size, 1, "the curve's messages share one display id");
  assert.ok([...ids][0], "the curve has no display id");
  assert.deepEqual(
    curve.map((m) => m.msg_type),
    ["display_data", ...Array(EPOCHS - 1).fill("update_display_data")],
  );
  for (const m of curve) {
    assert.deepEqual(Object.keys(dataOf(m)).sort(), [VEGA_LITE, "image/png", "text/plain"]);
  }
  const outputs = messages.filter((m) => m.msg_type !== "update_display_data");
  assert.equal(outputs.length, 2, `outputs added: ${outputs.map((m) => m.msg_type)}`);

  const replayed = await call(page, "replay", messages);
  assert.equal(replayed.outputs.length, 2, "outputs after the replay: progress bar and curve");
  const [bar, chart] = replayed.outputs;
  const bars = messages.filter((m) => m.msg_type.endsWith("display_data") && !curve.includes(m));
  assert.ok(bar.types.includes("text/html"), `first output: ${bar.types}`);
  assert.equal(bar.text, firstLine(dataOf(bars.at(-1)!)["text/plain"]), "the bar is the last one");
  assert.equal(chart.trusted, VEGA_LITE);
  assert.match(chart.renderer, /\bjp-RenderedVegaLite\b/);
  const spec = replayed.specs[1];
  assert.deepEqual(spec, dataOf(curve.at(-1)!)[VEGA_LITE], "the curve is the last update's");
  const x = encodingField(spec, "x");
  assert.ok(x, "no x field in the curve's spec");
  assert.equal(new Set(inlineValues(spec, x)).size, EPOCHS, "epochs in the curve's data");
  const drawn = await call(page, "drawn", chart.key);
  assert.equal(drawn?.surfaces, 1, "the curve drawn once");
  const points = (await call(page, "marks", chart.key)).filter((m) => m.marktype === "symbol");
  assert.equal(new Set(points.map((p) => p.datum[x])).size, EPOCHS, "epochs drawn");
  await screenshotSection(page, "live replay", "jupyterlab-live-curve.png");
}

Deno.test({
  name: "JupyterLab's renderers draw every chart with vega, with tooltips, and the live curve",
  ignore: skip,
  async fn(t) {
    assert.deepEqual(lacking, [], "CI must run the JupyterLab test");
    await Deno.mkdir(SHOTS, { recursive: true });
    const dir = await Deno.makeTempDir({ prefix: "jupyterlab-page-" });
    const browser = await launchChromium();
    try {
      const url = await buildPage(dir);
      const page = await browser.newPage();
      await page.setViewport({ width: 1100, height: 900 });
      const errors = pageErrors(page);
      await page.goto(url, { waitUntil: "load" });
      await t.step("committed notebooks, untrusted", async () => {
        const trainingCharts = await committedNotebooks(page);
        const find = (start: string) => {
          const found = [...trainingCharts.entries()].find(([text]) => text.startsWith(start));
          assert.ok(found, `05_train, 06_noise, 08_inside: no Vega-Lite chart "${start}…"`);
          return found[1];
        };
        const curve = find(LEARNING_CURVE);
        await hoverShows(page, curve, "symbol", "y", [0.5, 0.5], "jupyterlab-tooltip-curve.png");
        const matrix = find(CONFUSION_MATRIX);
        await hoverShows(
          page,
          matrix,
          "rect",
          "color",
          [0.25, 0.25],
          "jupyterlab-tooltip-cell.png",
        );
        // At first the largest mistake; a click on a cell shows its images instead.
        const [, matrixShown] = matrix;
        const first = (await call(page, "marks", matrixShown.key)).filter((item) =>
          item.marktype === "image"
        );
        assert.ok(first.length > 0, "the confusion matrix shows no images at first");
        await clickShows(page, matrixShown, "7", "2", "jupyterlab-click-cell.png");
        assert.equal(
          await clickShows(page, matrixShown, "3", "3", "jupyterlab-click-diagonal.png"),
          20,
        );
        // At first the training noise (level 2, σ = 0.1); the slider moves to σ = 0.3.
        const robustness = find(ROBUSTNESS);
        await slideShows(page, robustness, 2, "jupyterlab-slider-initial.png");
        await slideShows(page, robustness, 4, "jupyterlab-slider-noise.png");
        await mapAnswers(page, find(HIDDEN_MAP)[1], "jupyterlab-map.png");
        assert.deepEqual(errors, [], "console errors");
      });
      await t.step("the live curve, replayed into OutputArea", async () => {
        await liveCurve(page);
        assert.deepEqual(errors, [], "console errors");
      });
    } finally {
      await browser.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
