/// <reference lib="dom" />
/**
 * What a person sees, through a real browser: the committed notebooks opened untrusted in Jupyter
 * Notebook, notebook 05 run from the page in quick mode, and nbconvert's HTML export of each
 * notebook, in headless Chromium driven by puppeteer-core. Screenshots go to tests/screenshots/.
 *
 * Outside CI, without Chromium or Notebook, the test says so in one line and is skipped; under CI
 * (`CI` set) it fails instead.
 */
import assert from "node:assert/strict";
import type { Browser, Page } from "puppeteer-core";
import { output } from "../../scripts/execute_notebook.ts";
import { alive, type JupyterServer, startJupyter } from "../../scripts/jupyter.ts";
import { setup } from "../../scripts/setup.ts";
import { CHROMIUM, CHROMIUM_MISSING, launchChromium, SHOTS } from "../fixtures/chromium.ts";
import { NOTEBOOKS, notebookSandbox, QUICK, savedOutputs } from "./fixtures.ts";
import { ROOT as root } from "../fixtures/root.ts";

/**
 * The figures (charts and digit images) a full run of each notebook saves, as an untrusted
 * notebook shows them.
 */
const FIGURES: Record<string, number> = {
  "01_explore": 5,
  "02_preprocess": 1,
  "03_model": 1,
  "04_one_step": 2,
  "05_train": 6,
  "06_noise": 7,
  "07_seeds": 2,
  "08_inside": 10,
};

/**
 * Outputs whose script, where it runs (after Run All, in nbconvert's unsanitized HTML), replaces
 * their PNG with a live canvas: 05's draw-a-digit output.
 */
const LIVE: Record<string, number> = { "05_train": 1 };

/** Figures and live canvases in `scope` where scripts run: every PNG but the live outputs'. */
async function assertLive(page: Page, scope: string, name: string, what: string) {
  const live = LIVE[name] ?? 0;
  const expected = FIGURES[name] - live;
  const shown = await figuresIn(page, scope);
  assert.deepEqual(shown, { all: expected, visible: expected, broken: 0 }, what);
  const canvases = await page.$$eval(`${scope} .draw-digit canvas`, (c) => c.length);
  assert.equal(canvases > 0, live > 0, `${what}: ${canvases} canvases of live outputs`);
}

const notebookApp = await output("jupyter", ["notebook", "--version"]);
const lacking = [
  ...(CHROMIUM ? [] : [CHROMIUM_MISSING]),
  ...(notebookApp ? [] : ["Jupyter Notebook"]),
];
const skip = lacking.length > 0 && !Deno.env.get("CI");
if (skip) {
  console.log(
    `browser test skipped: no ${lacking.join(", no ")} (deno task setup test installs them)`,
  );
}

/** Figure outputs (PNG or SVG) saved in a notebook file. */
async function savedFigures(path: string): Promise<number> {
  const outputs = await savedOutputs(path);
  assert.deepEqual(outputs.filter((o) => o.output_type === "error"), [], `${path}: error output`);
  return outputs.filter((o) => o.data?.["image/png"] ?? o.data?.["image/svg+xml"]).length;
}

/** What the page shows inside `scope`: figures drawn with a size, and those not (yet) loaded. */
function figuresIn(page: Page, scope: string) {
  return page.$$eval(`${scope} img, ${scope} svg`, (elements) => {
    const figures = elements.filter((e) => !e.parentElement?.closest("svg"));
    const sized = figures.filter((e) => {
      const box = e.getBoundingClientRect();
      return box.width > 0 && box.height > 0;
    });
    const broken = sized.filter((e) =>
      e instanceof HTMLImageElement && (!e.complete || e.naturalWidth === 0)
    );
    return { all: figures.length, visible: sized.length - broken.length, broken: broken.length };
  });
}

async function waitUntil(page: Page, what: string, test: () => Promise<boolean>, ms: number) {
  const end = Date.now() + ms;
  while (!await test()) {
    if (Date.now() > end) throw new Error(`timed out after ${ms / 1000} s waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(resolve)));
}

/** A full-length screenshot of a Notebook page, which scrolls inside `#site`. */
async function screenshotNotebook(page: Page, file: string) {
  const height = await page.$eval("#notebook-container", (e) => e.scrollHeight + 200);
  await page.setViewport({ width: 1280, height: Math.min(height, 16_000) });
  await page.screenshot({ path: `${SHOTS}/${file}` });
  await page.setViewport({ width: 1280, height: 900 });
}

async function openNotebook(page: Page, server: JupyterServer, name: string) {
  await page.goto(`${server.base}/notebooks/notebooks/${name}.ipynb?token=${server.token}`);
  await waitUntil(
    page,
    `${name} to load`,
    () =>
      page.evaluate(() => {
        // deno-lint-ignore no-explicit-any
        const nb = (globalThis as any).Jupyter?.notebook;
        return Boolean(nb?._fully_loaded && nb.kernel?.is_connected?.());
      }),
    60_000,
  );
}

async function committedUntrusted(page: Page, server: JupyterServer) {
  for (const name of NOTEBOOKS) {
    const expected = await savedFigures(`${root}notebooks/${name}.ipynb`);
    assert.equal(expected, FIGURES[name], `${name}.ipynb holds ${expected} figures`);
    await openNotebook(page, server, name);
    // deno-lint-ignore no-explicit-any
    const trusted = await page.evaluate(() => (globalThis as any).Jupyter.notebook.trusted);
    assert.equal(trusted, false, `${name} opened trusted`);
    await waitUntil(page, `${name}'s figures`, async () => {
      const { visible } = await figuresIn(page, "#notebook .output_area");
      return visible >= expected;
    }, 20_000).catch(() => {});
    await screenshotNotebook(page, `untrusted-${name}.png`);
    const shown = await figuresIn(page, "#notebook .output_area");
    assert.deepEqual(shown, { all: expected, visible: expected, broken: 0 }, `${name} (untrusted)`);
    assert.equal(await page.$$eval(".output_error", (e) => e.length), 0, `${name}: error shown`);
  }
}

async function runAllTraining(page: Page, server: JupyterServer) {
  await openNotebook(page, server, "05_train");
  await page.evaluate(() => {
    // deno-lint-ignore no-explicit-any
    (globalThis as any).Jupyter.notebook.clear_all_output();
  });
  assert.equal((await figuresIn(page, "#notebook .output_area")).all, 0, "outputs not cleared");
  await page.click("#menus a.dropdown-toggle:has(+ #cell_menu)");
  await page.click("#run_all_cells > a");
  let maxValue = 0;
  let maxTotal = 0;
  let liveCurve = false;
  const running = () =>
    page.$$eval(".input_prompt", (prompts) => prompts.some((p) => p.textContent?.includes("*")));
  await waitUntil(page, "Run All to start", running, 20_000);
  await waitUntil(page, "Run All to finish", async () => {
    const seen = await page.evaluate(() => {
      const bars = [...document.querySelectorAll<HTMLProgressElement>(".output_area progress")];
      const busyCells = [...document.querySelectorAll(".cell")].filter((c) =>
        c.querySelector(".input_prompt")?.textContent?.includes("*")
      );
      const curve = busyCells.some((c) =>
        [...c.querySelectorAll(".output_area img, .output_area svg")].some((e) =>
          e instanceof HTMLImageElement ? e.complete && e.naturalWidth > 0 : e.clientWidth > 0
        )
      );
      return { bars: bars.map((b) => [b.value, b.max]), curve };
    });
    for (const [value, max] of seen.bars) {
      maxValue = Math.max(maxValue, value);
      maxTotal = Math.max(maxTotal, max);
    }
    liveCurve ||= seen.curve;
    return !await running();
  }, 300_000);
  assert.ok(maxTotal > 0, "no progress bar was shown");
  assert.equal(maxValue, maxTotal, "the progress bar did not reach its maximum");
  assert.ok(liveCurve, "no accuracy curve appeared while training ran");
  await waitUntil(
    page,
    "the kernel to be idle",
    () => page.$eval("#kernel_indicator_icon", (e) => e.classList.contains("kernel_idle_icon")),
    30_000,
  );
  await screenshotNotebook(page, "run-all-05_train.png");
  await assertLive(page, "#notebook .output_area", "05_train", "05 after Run All");
  assert.equal(await page.$$eval(".output_error", (e) => e.length), 0, "05: error shown");
}

/** nbconvert's pages as a reader opens them offline: requests beyond the file are refused. */
async function nbconvertHtml(page: Page, sandbox: string) {
  await page.setRequestInterception(true);
  page.on("request", (request) => {
    if (/^(file|data):/.test(request.url())) request.continue();
    else request.abort();
  });
  for (const name of NOTEBOOKS) {
    const html = `${sandbox}/html`;
    await exportHtml(`${root}notebooks/${name}.ipynb`, html);
    await page.setViewport({ width: 1280, height: 900 });
    await page.goto(`file://${html}/${name}.html`, { waitUntil: "load" });
    const height = await page.evaluate(() => document.documentElement.scrollHeight);
    await page.setViewport({ width: 1280, height: Math.min(height, 16_000) });
    await page.screenshot({ path: `${SHOTS}/nbconvert-${name}.png` });
    await assertLive(page, ".jp-OutputArea-output", name, `${name}.html`);
  }
}

async function exportHtml(notebook: string, dir: string) {
  const { success, stderr } = await new Deno.Command("jupyter", {
    args: ["nbconvert", "--to", "html", "--output-dir", dir, notebook],
    stdout: "null",
  }).output();
  assert.ok(success, `nbconvert --to html ${notebook}: ${new TextDecoder().decode(stderr)}`);
}

/** What a test does with the Notebook server of its sandbox and a browser page. */
type Session = (
  page: Page,
  server: JupyterServer,
  context: { browser: Browser; sandbox: string },
) => Promise<void>;

/**
 * Runs `session` against a Notebook server (environment `env`) of a sandbox holding the named
 * notebooks, in headless Chromium; afterwards stops the server, the kernels and the browser by
 * their process ids and checks that none is left running.
 */
async function withNotebook(names: string[], env: Record<string, string>, session: Session) {
  assert.deepEqual(lacking, [], "CI must run the browser test");
  await setup("notebooks", { install: false });
  await Deno.mkdir(SHOTS, { recursive: true });
  const sandbox = await notebookSandbox(names);
  let server: JupyterServer | undefined;
  let browser: Browser | undefined;
  let kernels: number[] = [];
  try {
    server = await startJupyter({
      dir: sandbox,
      app: "notebook",
      env,
      quiet: true,
      args: ["--NotebookNotary.db_file=:memory:"],
    });
    browser = await launchChromium();
    const page = await browser.newPage();
    await page.setViewport({ width: 1280, height: 900 });
    await session(page, server, { browser, sandbox });
    kernels = await server.kernelPids();
    assert.ok(kernels.length > 0, "no kernel process found under the server");
    assert.ok(kernels.every(alive), "a kernel process ended");
  } finally {
    const browserPid = browser?.process()?.pid;
    await browser?.close().catch(() => {});
    if (browserPid !== undefined && alive(browserPid)) Deno.kill(browserPid, "SIGKILL");
    await server?.stop();
    await Deno.remove(sandbox, { recursive: true });
    if (server) {
      const left = [server.pid, ...kernels, ...(browserPid ? [browserPid] : [])].filter(alive);
      assert.deepEqual(left, [], "processes left running");
    }
  }
}

Deno.test({
  name: "a person sees every figure: Notebook untrusted, Run All of 05, nbconvert's HTML",
  ignore: skip,
  fn: () =>
    withNotebook(NOTEBOOKS, QUICK, async (page, server, { browser, sandbox }) => {
      await committedUntrusted(page, server);
      await runAllTraining(page, server);
      await nbconvertHtml(await browser.newPage(), sandbox);
    }),
});

/** The text of every output area of the page, in order. */
function outputText(page: Page): Promise<string> {
  return page.$$eval(".output_area", (areas) => areas.map((a) => a.textContent ?? "").join("\n"));
}

/**
 * Stop as a person presses it: 05 with a run long enough to interrupt, Run All, the Stop button
 * once epoch 2 is under way; then the kernel must be alive and idle, the error must name the epoch
 * and the checkpoint, and a new cell must see the earlier cells' variables and load the checkpoint.
 */
async function stopDuringTraining(page: Page, server: JupyterServer) {
  await openNotebook(page, server, "05_train");
  await page.evaluate(() => {
    // deno-lint-ignore no-explicit-any
    (globalThis as any).Jupyter.notebook.clear_all_output();
  });
  await page.click("#menus a.dropdown-toggle:has(+ #cell_menu)");
  await page.click("#run_all_cells > a");
  await waitUntil(
    page,
    "epoch 2 of the long run",
    async () => /Epoch ([2-9]|\d\d)\/30/.test(await outputText(page)),
    120_000,
  );
  await page.click('button[data-jupyter-action="jupyter-notebook:interrupt-kernel"]');
  await waitUntil(
    page,
    "the kernel to be idle after Stop",
    () => page.$eval("#kernel_indicator_icon", (e) => e.classList.contains("kernel_idle_icon")),
    60_000,
  );
  const text = await outputText(page);
  const dead = await page.$$eval(".modal-dialog", (d) => d.map((e) => e.textContent ?? "").join());
  assert.doesNotMatch(dead, /died|Dead kernel/, "the kernel died");
  assert.match(
    text,
    /train: stopped at epoch \d+, step \d+ of \d+ \(Stop \/ interrupt\); \.\.\/checkpoints\/mlp_1 keeps the best model so far \(epoch \d+\)/,
  );
  await screenshotNotebook(page, "stop-05_train.png");
  // A new cell at the end sees the variables of the cells before and loads the checkpoint.
  await page.evaluate(() => {
    // deno-lint-ignore no-explicit-any
    const nb = (globalThis as any).Jupyter.notebook;
    const cell = nb.insert_cell_at_bottom("code");
    cell.set_text(
      "const again = await loadCheckpoint(CHECKPOINT);\n" +
        "`after Stop: ${data.train.labels.length} images, ${again.countParams()} parameters`",
    );
    nb.select(nb.ncells() - 1);
    cell.execute();
  });
  await waitUntil(
    page,
    "the new cell's output",
    async () => /after Stop: 30000 images, 269322 parameters/.test(await outputText(page)),
    60_000,
  );
}

Deno.test({
  name: "Stop during training keeps the kernel, its variables and the best checkpoint",
  ignore: skip,
  fn: () =>
    withNotebook(
      ["05_train"],
      { MLP_EPOCHS: "30", MLP_TRAIN_LIMIT: "30000", MLP_TEST_LIMIT: "2000" },
      (page, server) => stopDuringTraining(page, server),
    ),
});
