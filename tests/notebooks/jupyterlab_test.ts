/// <reference lib="dom" />
/**
 * What JupyterLab shows, drawn by JupyterLab's own npm packages (JupyterLab itself is Python):
 * `@jupyterlab/rendermime` with its standard factories, `@jupyterlab/vega5-extension` and
 * `@jupyterlab/outputarea`, bundled by esbuild into a test page (tests/notebooks/jupyterlab_page/)
 * in headless Chromium driven by puppeteer-core.
 *
 * - Each committed notebook's outputs, untrusted as when opened from disk: the registry picks the
 *   Vega-Lite spec of every chart and the PNG of every other figure; vega draws every chart (data
 *   marks on one canvas, no console error); notebooks 01, 04, 05, 06, 07 and 08 hold charts.
 * - The chart checks that VSCode's renderer passes too (chart_checks.ts): hovering 05's learning
 *   curve and confusion matrix shows a point's accuracy and a cell's count, a click on a cell shows
 *   its images, 06's slider moves its line, digit and accuracies, 08's map answers a hover and a
 *   legend click, and every chart shows a tooltip on its first data mark.
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
import {
  CHROMIUM,
  CHROMIUM_MISSING,
  launchChromium,
  pageErrors,
  SHOTS,
} from "../fixtures/chromium.ts";
import { buildPage } from "./jupyterlab_page/build.ts";
import type { JupyterLabPage, Message, Shown } from "./jupyterlab_page/main.ts";
import {
  type Chart,
  checkDrawn,
  encodingField,
  inlineValues,
  pageCaller,
  runChartChecks,
  VEGA_LITE,
} from "./chart_checks.ts";
import { NOTEBOOKS, type Output, savedOutputs } from "./fixtures.ts";
import { ROOT } from "../fixtures/root.ts";

/** The notebooks that draw at least one chart. */
const CHARTED = ["01_explore", "04_one_step", "05_train", "06_noise", "07_seeds", "08_inside"];

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

const call = pageCaller<JupyterLabPage>();

function firstLine(text: unknown): string {
  return [text ?? ""].flat().join("").split("\n")[0];
}

/** A screenshot of one section of the page (a notebook, or the live replay). */
async function screenshotSection(page: Page, title: string, file: string) {
  const section = await page.$(`section[data-title="${title}"]`);
  assert.ok(section, `no section ${title}`);
  await section.screenshot({ path: `${SHOTS}/${file}` });
}

/** Checks one saved output against what the page did with it; returns it if it is a chart. */
async function checkOutput(
  page: Page,
  name: string,
  saved: Output,
  shown: Shown,
): Promise<Chart | undefined> {
  const data = saved.data ?? {};
  const what = `${name}: "${shown.text}"`;
  if (VEGA_LITE in data) {
    assert.equal(shown.untrusted, VEGA_LITE, `${what}: untrusted, the registry picks`);
    assert.equal(shown.trusted, VEGA_LITE, `${what}: trusted, the registry picks`);
    assert.match(shown.renderer, /\bjp-RenderedVegaLite\b/, what);
    const chart = { key: shown.key, notebook: name, text: shown.text, spec: data[VEGA_LITE] };
    await checkDrawn(page, chart);
    return chart;
  } else if ("text/html" in data && "image/png" in data) {
    // 05's draw-a-digit output: untrusted, its HTML is sanitized to the PNG and its one line.
    assert.equal(shown.untrusted, "text/html", `${what}: untrusted, the registry picks`);
    assert.match(shown.renderer, /\bjp-RenderedHTML\b/, what);
    const block = await page.$eval(`[data-key="${shown.key}"]`, (e) => ({
      loaded: [...e.querySelectorAll("img")].map((img) => img.complete && img.naturalWidth > 0),
      scripts: e.querySelectorAll("script, canvas").length,
      text: e.textContent ?? "",
    }));
    assert.deepEqual(block.loaded, [true], `${what}: the PNG did not load`);
    assert.equal(block.scripts, 0, `${what}: a script or canvas survived the sanitizer`);
    assert.match(block.text, /run this cell \(or trust the notebook\)/, what);
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
  return undefined;
}

/** Each committed notebook's outputs rendered untrusted; returns their charts. */
async function committedNotebooks(page: Page): Promise<Chart[]> {
  const charts: Chart[] = [];
  const chartless: string[] = [];
  for (const name of NOTEBOOKS) {
    const outputs = await savedOutputs(`${ROOT}notebooks/${name}.ipynb`);
    assert.deepEqual(outputs.filter((o) => o.output_type === "error"), [], `${name}: error output`);
    const shown = await call(page, "showNotebook", name, outputs);
    const saved = outputs.filter((o) => o.data);
    const texts = saved.map((o) => firstLine(o.data?.["text/plain"]));
    assert.deepEqual(shown.map((s) => s.text), texts, `${name}: outputs shown`);
    for (const [i, output] of saved.entries()) {
      const chart = await checkOutput(page, name, output, shown[i]);
      if (chart) charts.push(chart);
    }
    if (!saved.some((o) => VEGA_LITE in (o.data ?? {}))) chartless.push(name);
    await screenshotSection(page, name, `jupyterlab-${name}.png`);
  }
  const missing = CHARTED.filter((name) => chartless.includes(name));
  assert.deepEqual(missing, [], "notebooks that save no Vega-Lite chart");
  return charts;
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
      let charts: Chart[] = [];
      await t.step("committed notebooks, untrusted", async () => {
        charts = await committedNotebooks(page);
      });
      await runChartChecks(t, page, charts, "jupyterlab");
      await t.step("no console error", () => assert.deepEqual(errors, [], "console errors"));
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
