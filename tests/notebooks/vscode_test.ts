/**
 * What VSCode shows: every chart of the committed notebooks drawn as VSCode's Jupyter renderer
 * extension draws `application/vnd.vegalite.v5+json`, with vega-embed 7, vega 6 and Vega-Lite 6
 * (the versions it ships), bundled by esbuild into a test page (tests/notebooks/vscode_page/) in
 * headless Chromium driven by puppeteer-core. vega draws every chart (data marks on one canvas, no
 * console error) and the page passes the same chart checks as JupyterLab's renderer
 * (chart_checks.ts): tooltips, the confusion matrix's click, the noise-level slider, the map's
 * hover and legend, and a tooltip on every chart's first data mark.
 *
 * Screenshots go to tests/screenshots/vscode-*.png. Outside CI, without Chromium, the test says so
 * in one line and is skipped; under CI (`CI` set) it fails instead.
 */
import assert from "node:assert/strict";
import type { Page } from "puppeteer-core";
import {
  CHROMIUM,
  CHROMIUM_MISSING,
  launchChromium,
  pageErrors,
  SHOTS,
} from "../fixtures/chromium.ts";
import { ROOT } from "../fixtures/root.ts";
import { type Chart, checkDrawn, pageCaller, runChartChecks, VEGA_LITE } from "./chart_checks.ts";
import type { ChartPage } from "./chart_page.ts";
import { NOTEBOOKS, savedOutputs } from "./fixtures.ts";
import { buildPage } from "./jupyterlab_page/build.ts";

/** The notebooks that draw at least one chart. */
const CHARTED = ["01_explore", "04_one_step", "05_train", "06_noise", "07_seeds", "08_inside"];

/** The page's folder and the npm packages its main.ts imports. */
const PAGE = new URL("./vscode_page/", import.meta.url);
const PACKAGES = ["vega", "vega-lite", "vega-embed"];

const skip = !CHROMIUM && !Deno.env.get("CI");
if (skip) {
  console.log(`VSCode test skipped: no ${CHROMIUM_MISSING} (deno task setup test installs it)`);
}

const call = pageCaller<ChartPage>();

/** Each committed notebook's charts drawn, each checked as drawn; returns them. */
async function committedCharts(page: Page): Promise<Chart[]> {
  const charts: Chart[] = [];
  for (const name of NOTEBOOKS) {
    const outputs = await savedOutputs(`${ROOT}notebooks/${name}.ipynb`);
    const specs = outputs.filter((o) => o.data?.[VEGA_LITE] !== undefined);
    const shown = await call(page, "showNotebook", name, outputs);
    assert.equal(shown.length, specs.length, `${name}: charts shown`);
    for (const [i, { key, text }] of shown.entries()) {
      const chart = { key, notebook: name, text, spec: specs[i].data?.[VEGA_LITE] };
      await checkDrawn(page, chart);
      charts.push(chart);
    }
    if (shown.length > 0) {
      const section = await page.$(`section[data-title="${name}"]`);
      await section!.screenshot({ path: `${SHOTS}/vscode-${name}.png` });
    }
  }
  const charted = new Set(charts.map((c) => c.notebook));
  assert.deepEqual(CHARTED.filter((name) => !charted.has(name)), [], "notebooks without a chart");
  return charts;
}

Deno.test({
  name: "VSCode's Vega-Lite renderer draws every chart, and the chart checks pass on it",
  ignore: skip,
  async fn(t) {
    assert.ok(CHROMIUM, `CI must run the VSCode test: no ${CHROMIUM_MISSING}`);
    await Deno.mkdir(SHOTS, { recursive: true });
    const dir = await Deno.makeTempDir({ prefix: "vscode-page-" });
    const browser = await launchChromium();
    try {
      const url = await buildPage(dir, { page: PAGE, packages: PACKAGES });
      const page = await browser.newPage();
      await page.setViewport({ width: 1100, height: 900 });
      const errors = pageErrors(page);
      await page.goto(url, { waitUntil: "load" });
      let charts: Chart[] = [];
      await t.step("committed notebooks' charts", async () => {
        charts = await committedCharts(page);
      });
      await runChartChecks(t, page, charts, "vscode");
      await t.step("no console error", () => assert.deepEqual(errors, [], "console errors"));
    } finally {
      await browser.close();
      await Deno.remove(dir, { recursive: true });
    }
  },
});
