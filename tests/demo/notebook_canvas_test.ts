/// <reference lib="dom" />
/**
 * The draw-a-digit notebook output (demo/notebook_output.ts) as JupyterLab renders it, with
 * JupyterLab's own `@jupyterlab/rendermime` bundled for a test page
 * (tests/demo/notebook_canvas_page/), in headless Chromium driven by puppeteer-core:
 *
 * - trusted (an output made in the session), its script runs: the same mouse strokes drawn on the
 *   output's canvas and on the demo page (traced test digits, a hand-drawn "1" and "0") give the
 *   same 28×28 inputs and the same answers, which are the checkpoint's in Deno; two outputs on
 *   one page each draw in their own block; nothing is fetched;
 * - untrusted (a notebook opened from disk), its HTML sanitized: the fallback PNG loads and its
 *   one line shows, no script ran, and nothing errs.
 *
 * The checkpoint is trained here (6,000 images, 2 epochs), since a fresh clone has none.
 * Screenshots go to tests/screenshots/notebook-canvas-*.png. Outside CI, without Chromium, the
 * test says so in one line and is skipped; under CI (`CI` set) it fails instead.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import type { DemoState } from "../../demo/browser/drawing.ts";
import type { LiveBlock } from "../../demo/browser/notebook.ts";
import { BLOCK_ATTRIBUTE, MOUNT_GLOBAL } from "../../demo/notebook_config.ts";
import { drawDigitOutput } from "../../demo/notebook_output.ts";
import { DEFAULT_PEN } from "../../demo/page.ts";
import { loadCheckpoint, saveCheckpoint } from "../../lib/mod.ts";
import { alive } from "../../scripts/jupyter.ts";
import { CHROMIUM, CHROMIUM_MISSING, launchChromium, SHOTS } from "../fixtures/chromium.ts";
import { tempDir } from "../fixtures/temp_dir.ts";
import { buildPage } from "../notebooks/jupyterlab_page/build.ts";
import { type DemoProcess, predict, startDemoProcess, trainSmallModel } from "./fixtures.ts";
import type { CanvasPage, Rendered } from "./notebook_canvas_page/main.ts";
import { draw, ONE, type Point, setPen, TRACE_PEN, traceDigit, ZERO } from "./strokes.ts";

/** Test digits traced with the mouse on both the output and the demo page. */
const TRACED = 20;

const skip = !CHROMIUM && !Deno.env.get("CI");
if (skip) {
  console.log(
    `notebook canvas test skipped: no ${CHROMIUM_MISSING}; deno task setup test installs it`,
  );
}

/** Where a view's canvas, pen slider and Clear button are, on the demo page or in an output. */
interface Where {
  drawing: string;
  pen: string;
  clear: string;
  /** Reads the view's state in the page. */
  state: (page: Page) => Promise<DemoState | undefined>;
}

const DEMO_PAGE: Where = {
  drawing: "#drawing",
  pen: "#pen",
  clear: "#clear",
  state: (page) => page.evaluate(() => (globalThis as unknown as { demo: DemoState }).demo),
};

/** The view of the output rendered in box `key` of the test page. */
function output(key: string): Where {
  const block = `[data-key="${key}"] [${BLOCK_ATTRIBUTE}]`;
  return {
    drawing: `${block} .dd-drawing`,
    pen: `${block} .dd-pen`,
    clear: `${block} .dd-clear`,
    state: (page) =>
      page.$eval(block, (e) => (e as Partial<LiveBlock>).drawDigit).catch(() => undefined),
  };
}

/**
 * Waits until the view shows the prediction of its drawing as it is now. Its tab comes to the
 * front first: a browser runs animation frames only in the tab it shows.
 */
async function settled(page: Page, where: Where): Promise<DemoState> {
  await page.bringToFront();
  const end = Date.now() + 20_000;
  for (;;) {
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
    const state = await where.state(page);
    if (state && state.shown === state.drawn && state.status !== "loading") return state;
    if (Date.now() > end) {
      throw new Error(`${where.drawing}: not settled: ${JSON.stringify(state)}`);
    }
  }
}

/** Clears the view, draws `strokes` with pen width `pen`, and returns what it then shows. */
async function drawn(page: Page, where: Where, strokes: Point[][], pen: number) {
  await page.bringToFront();
  await setPen(page, where.pen, pen);
  await page.click(where.clear);
  assert.equal((await settled(page, where)).input, undefined, "the canvas is blank after Clear");
  await draw(page, where.drawing, strokes, true);
  return await settled(page, where);
}

/** Calls the test page's {@linkcode CanvasPage.render}. */
function render(
  page: Page,
  key: string,
  output: { bundle: Record<string, string | object>; metadata: Record<string, unknown> },
  trusted: boolean,
): Promise<Rendered> {
  return page.evaluate(
    (key, data, metadata, trusted) =>
      (globalThis as unknown as { notebookCanvas: CanvasPage }).notebookCanvas
        .render(key, data, metadata, trusted),
    key,
    output.bundle as Record<string, string>,
    output.metadata,
    trusted,
  );
}

/** A page that records its console errors and warnings and the URLs it requests. */
async function openPage(browser: Browser, url: string) {
  const page = await browser.newPage();
  await page.setViewport({ width: 960, height: 900 });
  const errors: string[] = [];
  const warnings: string[] = [];
  const requests: string[] = [];
  page.on("pageerror", (error) => void errors.push((error as Error).message));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(message.text());
    if (message.type() === "warn") warnings.push(message.text());
  });
  page.on("request", (request) => void requests.push(request.url()));
  await page.goto(url, { waitUntil: "load" });
  return { page, errors, warnings, requests };
}

async function screenshot(page: Page, key: string, file: string) {
  await page.bringToFront();
  const box = await page.$(`[data-key="${key}"]`);
  assert.ok(box, `no output ${key}`);
  await box.screenshot({ path: `${SHOTS}/${file}` });
}

Deno.test({
  name: "notebook canvas: trusted, it draws as the demo page does; untrusted, its PNG and line",
  ignore: skip,
  async fn() {
    assert.ok(CHROMIUM, "CI must run the notebook canvas test: Chromium is missing");
    await Deno.mkdir(SHOTS, { recursive: true });
    await using tmp = await tempDir("notebook-canvas-test-");
    const dir = join(tmp.path, "mlp_1");
    const built = join(tmp.path, "page");
    await Deno.mkdir(built);
    let browser: Browser | undefined;
    let demo: DemoProcess | undefined;
    try {
      const [url, { model, test }] = await Promise.all([
        buildPage(built, {
          page: new URL("./notebook_canvas_page/", import.meta.url),
          packages: ["@jupyterlab/rendermime", "@lumino/widgets"],
        }),
        trainSmallModel(TRACED),
      ]);
      await saveCheckpoint(model, dir);
      const saved = await loadCheckpoint(dir);
      const made = await drawDigitOutput(dir, { label: "checkpoints/mlp_1" });
      assert.deepEqual(Object.keys(made.bundle), ["text/html", "image/png", "text/plain"]);
      assert.match(made.bundle["text/plain"] as string, /^A test image.*: predicted \d/);
      demo = await startDemoProcess(["--checkpoint", dir]);
      browser = await launchChromium();

      // 1. Untrusted, as a notebook opened from disk: the sanitized HTML, its PNG and its line.
      const untrusted = await openPage(browser, url);
      const shown = await render(untrusted.page, "untrusted", made, false);
      assert.equal(shown.mime, "text/html", "untrusted, the registry picks");
      const fallback = await untrusted.page.$eval(`[data-key="untrusted"]`, (box) => {
        const img = box.querySelector("img");
        const line = box.querySelector("p");
        return {
          loaded: img !== null && img.complete && img.naturalWidth > 0,
          shown: img !== null && img.getBoundingClientRect().width > 0,
          line: line?.textContent ?? "",
          lineShown: line !== null && line.getBoundingClientRect().height > 0,
          elements: [...box.querySelectorAll("script, canvas, button, input, style")].length,
          text: (box as HTMLElement).innerText.trim(),
        };
      });
      assert.ok(fallback.loaded && fallback.shown, "the PNG did not load or does not show");
      assert.ok(fallback.lineShown, "the line does not show");
      assert.match(fallback.line, /run this cell \(or trust the notebook\).*deno task demo/);
      assert.equal(fallback.text, fallback.line, "the output shows more than its PNG and line");
      assert.equal(fallback.elements, 0, "a script, canvas, control or style is left");
      const ran = await untrusted.page.evaluate(
        (name) => Object.keys(globalThis).filter((k) => k.startsWith(name)),
        MOUNT_GLOBAL,
      );
      assert.deepEqual(ran, [], "the output's script ran untrusted");
      await screenshot(untrusted.page, "untrusted", "notebook-canvas-untrusted.png");
      assert.deepEqual(untrusted.errors, [], "errors on the untrusted page");

      // 2. Trusted, as an output made in the session: the live view, beside the demo page.
      const { page, errors, warnings, requests } = await openPage(browser, url);
      assert.equal((await render(page, "trusted", made, true)).mime, "text/html");
      const live = output("trusted");
      assert.equal((await settled(page, live)).status, "ready");
      const labels = await page.$$eval(
        `[data-key="trusted"] .bar-label`,
        (e) => e.map((l) => l.textContent),
      );
      assert.deepEqual(labels, ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
      assert.equal(await page.$$eval(`[data-key="trusted"] img`, (e) => e.length), 0);
      await screenshot(page, "trusted", "notebook-canvas-trusted.png");
      const demoPage = (await openPage(browser, demo.url)).page;
      assert.equal((await settled(demoPage, DEMO_PAGE)).status, "ready");

      const strokes: [string, Point[][], number][] = [
        ...Array.from({ length: TRACED }, (_, i): [string, Point[][], number] => [
          `test digit ${i}`,
          traceDigit(test.images.subarray(i * 784, (i + 1) * 784), TRACE_PEN),
          TRACE_PEN,
        ]),
        ["the drawn 1", ONE, DEFAULT_PEN],
        ["the drawn 0", ZERO, DEFAULT_PEN],
      ];
      const answers: DemoState[] = [];
      for (const [what, lines, pen] of strokes) {
        const inOutput = await drawn(page, live, lines, pen);
        const onPage = await drawn(demoPage, DEMO_PAGE, lines, pen);
        assert.ok(inOutput.input && onPage.input, `${what}: no input`);
        const gap = Math.max(...inOutput.input.map((v, k) => Math.abs(v - onPage.input![k])));
        assert.ok(gap < 1e-6, `${what}: the inputs differ by ${gap}`);
        assert.equal(inOutput.predicted, onPage.predicted, `${what}: the predictions differ`);
        assert.deepEqual(inOutput.probabilities, onPage.probabilities, `${what}: probabilities`);
        answers.push(inOutput);
      }
      const deno = predict(saved, answers.map((s) => s.input!));
      answers.forEach((s, i) => {
        assert.equal(s.predicted, deno.classes[i], `${strokes[i][0]}: Deno predicts otherwise`);
        const gap = Math.max(...s.probabilities!.map((p, k) => Math.abs(p - deno.probs[i][k])));
        assert.ok(gap < 1e-4, `${strokes[i][0]}: probabilities differ from Deno's by ${gap}`);
      });
      assert.equal(answers.at(-2)!.predicted, 1, "the drawn 1");
      assert.equal(answers.at(-1)!.predicted, 0, "the drawn 0");
      const right = answers.slice(0, TRACED).filter((s, i) => s.predicted === test.labels[i]);
      console.log(
        `notebook canvas: ${strokes.length} drawings, the same inputs and answers as the demo ` +
          `page and Deno (${right.length} of ${TRACED} traced test digits right)`,
      );
      await screenshot(page, "trusted", "notebook-canvas-drawn.png");

      // 3. A second output on the page (another example, so another id) draws in its own block.
      const other = await drawDigitOutput(dir, { example: test.images.slice(784, 2 * 784) });
      await render(page, "second", other, true);
      const second = output("second");
      assert.equal((await settled(page, second)).status, "ready");
      const before = (await settled(page, live)).drawn;
      const one = await drawn(page, second, ONE, DEFAULT_PEN);
      assert.equal(one.predicted, 1, "the drawn 1 in the second output");
      assert.equal((await settled(page, live)).drawn, before, "the first output changed");
      assert.equal(answers.at(-1)!.predicted, (await settled(page, live)).predicted);

      assert.deepEqual(errors, [], "errors on the trusted page");
      const twice = warnings.filter((w) => /already registered/.test(w));
      assert.deepEqual(twice, [], "tfjs loaded twice");
      const fetched = requests.filter((r) => !r.startsWith("file://") && !r.startsWith("data:"));
      assert.deepEqual(fetched, [], "requests beyond the page's files");
    } finally {
      const pid = browser?.process()?.pid;
      await browser?.close().catch(() => {});
      if (pid !== undefined && alive(pid)) Deno.kill(pid, "SIGKILL");
      await demo?.stop();
    }
  },
});
