/**
 * The checks of a chart page, test side: one list, {@linkcode CHART_CHECKS}, run by
 * {@linkcode runChartChecks} against every page that draws the notebooks' charts (JupyterLab's
 * renderer in jupyterlab_test.ts, VSCode's in vscode_test.ts), each through the page's
 * {@linkcode ChartPage} on `globalThis.testPage`.
 *
 * A check is one {@linkcode ChartCheck}: a name, the start of the alt text of the chart it drives
 * (or none: it runs on every chart, one step each), and a function of a {@linkcode CheckContext}.
 * To add one, append it to {@linkcode CHART_CHECKS}; both tests run it, in order, each as a step.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Page } from "puppeteer-core";
import { SHOTS } from "../fixtures/chromium.ts";
import type { ChartPage, MarkItem } from "./chart_page.ts";

/** The MIME type of a chart's live form, the Vega-Lite spec that both renderers draw. */
export const VEGA_LITE = "application/vnd.vegalite.v5+json";

/** A chart as a page shows it. */
export interface Chart {
  /** The key that names it in the page's {@linkcode ChartPage}. */
  key: string;
  /** The notebook that holds it. */
  notebook: string;
  /** The first line of its alt text (`text/plain`). */
  text: string;
  /** Its Vega-Lite spec, as the notebook saved it. */
  spec: unknown;
}

/** What a check gets: the page, the chart it drives, and where its screenshots go. */
export interface CheckContext {
  page: Page;
  chart: Chart;
  /** Saves a screenshot of the page as `tests/screenshots/<page>-<name>.png`. */
  screenshot(name: string): Promise<void>;
}

/** One check of a chart page. */
export interface ChartCheck {
  /** What it checks: the name of its test step. */
  name: string;
  /** The start of the alt text of the chart it drives; without it, it runs on every chart. */
  chart?: string;
  run(context: CheckContext): Promise<void>;
}

/** A typed caller of the methods of a page's `globalThis.testPage` (`P`: the page's interface). */
export function pageCaller<P>() {
  return <K extends keyof P & string>(
    page: Page,
    method: K,
    ...args: P[K] extends (...a: infer A) => unknown ? A : never
  ): Promise<Awaited<P[K] extends (...a: never[]) => infer R ? R : never>> =>
    page.evaluate(
      (name, values) => {
        const testPage = (globalThis as unknown as { testPage: Record<string, CallableFunction> })
          .testPage;
        return testPage[name](...values);
      },
      method,
      args as unknown[],
    ) as Promise<Awaited<P[K] extends (...a: never[]) => infer R ? R : never>>;
}

const call = pageCaller<ChartPage>();

/** The first `encoding[channel].field` of a Vega-Lite spec, searching its layers and views. */
export function encodingField(spec: unknown, channel: string): string | undefined {
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
export function inlineValues(spec: unknown, field: string): unknown[] {
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

/** Waits one animation frame of the page: what a click or an input changed is drawn. */
function frame(page: Page) {
  return page.waitForFunction(() => new Promise((resolve) => requestAnimationFrame(resolve)));
}

/** Moves the mouse off every chart and waits until no tooltip shows. */
async function leave(page: Page) {
  await page.mouse.move(0, 0);
  await page.waitForFunction(() => !document.querySelector("#vg-tooltip-element.visible"), {
    timeout: 5_000,
  });
}

/** The text of vega-tooltip's element once it is visible, or undefined after `ms` milliseconds. */
async function tooltipShown(page: Page, ms: number): Promise<string | undefined> {
  try {
    const tooltip = await page.waitForSelector("#vg-tooltip-element.visible", { timeout: ms });
    return await tooltip!.evaluate((e) => e.textContent ?? "");
  } catch {
    return undefined;
  }
}

/**
 * Hovers the item with the largest value of `field` among the chart's `marktype` items, at a
 * point `at` of its box (fractions of width and height), and checks vega-tooltip's element: it
 * becomes visible and shows the item's tooltip, including the value as the spec's data has it.
 */
async function hoverShows(
  { page, chart, screenshot }: CheckContext,
  marktype: string,
  channel: string,
  at: [number, number],
  shot: string,
) {
  const field = encodingField(chart.spec, channel);
  assert.ok(field, `${chart.text}: no ${channel} field in the spec`);
  const items = (await call(page, "marks", chart.key)).filter((item) =>
    item.marktype === marktype && typeof item.datum[field] === "number"
  );
  assert.ok(items.length > 0, `${chart.text}: no ${marktype} marks with ${field}`);
  const item = inside(items, encodingField(chart.spec, "x")).reduce((a, b) =>
    (b.datum[field] as number) > (a.datum[field] as number) ? b : a
  );
  const value = item.datum[field] as number;
  assert.ok(inlineValues(chart.spec, field).includes(value), `${chart.text}: ${value} not in data`);
  await page.mouse.move(item.left + at[0] * item.width, item.top + at[1] * item.height);
  const text = await tooltipShown(page, 5_000);
  assert.ok(text !== undefined, `${chart.text}: no tooltip`);
  for (const shownValue of tooltipValues(item.tooltip)) {
    assert.ok(text.includes(shownValue), `${chart.text}: tooltip "${text}" lacks ${shownValue}`);
  }
  assert.ok(showsNumber(text, value), `${chart.text}: tooltip "${text}" does not show ${value}`);
  await screenshot(shot);
  await leave(page);
}

/**
 * Clicks the confusion matrix's cell (true `row`, predicted `col`) and checks the panel beside it:
 * the cell's images as image marks, as many as the data keeps for it (all, or the first 20), and
 * the line that names the cell and its count; returns how many images it drew.
 */
async function clickShows(
  { page, chart, screenshot }: CheckContext,
  row: string,
  col: string,
  shot: string,
) {
  const items = await call(page, "marks", chart.key);
  const target = items.find((item) =>
    item.marktype === "rect" && item.datum.row === row && item.datum.col === col
  );
  assert.ok(target, `${chart.text}: no cell ${row} → ${col}`);
  const count = target.datum.value as number;
  await page.mouse.click(target.left + target.width / 2, target.top + target.height / 2);
  await frame(page);
  const after = await call(page, "marks", chart.key);
  const images = after.filter((item) => item.marktype === "image");
  assert.ok(
    images.every((item) => item.datum.row === row && item.datum.col === col),
    `${chart.text}: images of other cells after a click on ${row} → ${col}`,
  );
  assert.equal(images.length, Math.min(count, 20), `${chart.text}: images of ${row} → ${col}`);
  const caption = after.find((item) => item.marktype === "text" && "caption" in item.datum);
  assert.match(
    String(caption?.datum.caption),
    new RegExp(`^True ${row}, predicted ${col}\n${count} images?`),
  );
  await screenshot(shot);
  return images.length;
}

/**
 * Moves the chart's slider of the param `param` (the range input vega names after it) to `value`
 * as a person does (an input event), waits until it is drawn, and checks the param's value.
 */
async function moveSlider({ page, chart }: CheckContext, param: string, value: number) {
  const selector = `[data-key="${chart.key}"] .vega-bind input[type="range"][name="${param}"]`;
  const slider = await page.$(selector);
  assert.ok(slider, `${chart.text}: no slider of ${param}`);
  await slider.evaluate((input, value) => {
    (input as HTMLInputElement).value = String(value);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }, value);
  await frame(page);
  assert.equal(await call(page, "signal", chart.key, param), value, `${chart.text}: ${param}`);
}

/**
 * Moves the robustness curve's "noise level" slider to `level` and checks what the view then draws:
 * the param `level` at that value, the dashed rule and the digit of that level, and each model's
 * accuracy there as the spec's data has it.
 */
async function slideShows(context: CheckContext, level: number, shot: string) {
  const { page, chart, screenshot } = context;
  await moveSlider(context, "level", level);
  const items = await call(page, "marks", chart.key);
  const levels = (type: string) =>
    items.filter((item) => item.marktype === type).map((item) => item.datum.level);
  assert.deepEqual(levels("rule"), [level], `${chart.text}: the rule`);
  assert.deepEqual(levels("image"), [level], `${chart.text}: the digit`);
  const accuracies = inlineValues(chart.spec, "accuracy") as number[];
  const labels = items.filter((item) => item.marktype === "text" && "label" in item.datum);
  assert.equal(labels.length, 3, `${chart.text}: one accuracy per model`);
  for (const { datum } of labels) {
    assert.equal(datum.level, level);
    assert.ok(accuracies.includes(datum.accuracy as number), `${datum.accuracy} not in the data`);
    const percent = `${((datum.accuracy as number) * 100).toFixed(2)}%`;
    assert.equal(datum.label, `${datum.model}: ${percent}`);
  }
  await screenshot(shot);
}

/**
 * Moves 08's "epoch" slider to `epoch` and checks what the view then draws: the dashed rule at
 * that epoch on the loss chart, the weights' grid of that epoch (one image, as the spec's data
 * holds it for that epoch) under its caption, and the epoch's two losses as its points show them.
 */
async function epochShows(context: CheckContext, epoch: number, shot: string) {
  const { page, chart, screenshot } = context;
  await moveSlider(context, "epoch", epoch);
  const items = await call(page, "marks", chart.key);
  const rules = items.filter((item) => item.marktype === "rule").map((item) => item.datum.epoch);
  assert.deepEqual(rules, [epoch], `${chart.text}: the rule`);
  const images = items.filter((item) => item.marktype === "image");
  assert.equal(images.length, 1, `${chart.text}: one grid of weights`);
  const urls = inlineValues(chart.spec, "url") as string[];
  assert.equal(images[0].datum.url, urls[epoch], `${chart.text}: the grid of epoch ${epoch}`);
  const caption = epoch === 0 ? "Before training" : `After epoch ${epoch}`;
  assert.equal(images[0].datum.caption, caption);
  const texts = items.filter((item) => item.marktype === "text").map((item) => item.datum);
  // The epoch's points on the loss chart, as vega drew them from the spec's data.
  const loss = (set: string) => {
    const point = items.find((item) =>
      item.marktype === "symbol" && item.datum.epoch === epoch && item.datum.set === set
    );
    assert.ok(point, `${chart.text}: no ${set} point at epoch ${epoch}`);
    return (point.datum.loss as number).toFixed(4);
  };
  const expected = epoch === 0
    ? "no loss measured yet"
    : `training loss ${loss("training")}, validation loss ${loss("validation")}`;
  assert.ok(texts.some((datum) => datum.losses === expected), `${chart.text}: "${expected}"`);
  await screenshot(shot);
}

/**
 * Hovers a misclassified point of the hidden layer's map and checks that the tooltip shows a digit
 * (an image) with its classes; then clicks class 4 in the legend and checks that its points are
 * drawn opaque and every other point faint.
 */
async function mapAnswers({ page, chart, screenshot }: CheckContext) {
  const points = async () =>
    (await call(page, "marks", chart.key)).filter((item) => item.marktype === "symbol");
  const before = await points();
  const wrong = before.find((item) => item.datum.right === "wrong");
  assert.ok(wrong, `${chart.text}: no misclassified point`);
  await page.mouse.move(wrong.left + wrong.width / 2, wrong.top + wrong.height / 2);
  const tooltip = await page.waitForSelector("#vg-tooltip-element.visible", { timeout: 5_000 });
  const html = await tooltip!.evaluate((e) => e.innerHTML);
  assert.match(html, /<img[^>]+src="data:image\/png;base64,/, `${chart.text}: tooltip ${html}`);
  assert.match(html, /true class/);
  assert.match(html, /predicted/);
  await leave(page);
  const symbols = await call(page, "legendSymbols", chart.key);
  const four = symbols.find((item) => item.datum.value === "4");
  assert.ok(four, `${chart.text}: no legend entry 4 among ${symbols.length}`);
  await page.mouse.click(four.left + four.width / 2, four.top + four.height / 2);
  await frame(page);
  const after = await points();
  assert.equal(after.length, before.length);
  const fours = after.filter((item) => item.datum.class === "4");
  assert.ok(fours.length > 0, `${chart.text}: no point of class 4`);
  assert.ok(fours.every((item) => item.opacity === 0.9), `${chart.text}: 4 not brought forward`);
  const others = after.filter((item) => item.datum.class !== "4");
  assert.ok(
    others.every((item) => item.opacity === 0.06),
    `${chart.text}: other classes not dimmed`,
  );
  await screenshot("map");
}

/**
 * Points to hover on the items of one mark, best first: for a line, area or trail, its vertices
 * (vega shows the tooltip of a vertex within a stroke width of the pointer); for other marks, the
 * centre of each item's box and two points off it (off a label drawn at the centre). Those away
 * from both horizontal ends come first, as in `inside`.
 */
function hoverPoints(items: MarkItem[]): [number, number][] {
  const fractions = ["line", "area", "trail"].includes(items[0].marktype)
    ? [[0.5, 0.5]]
    : [[0.5, 0.5], [0.25, 0.25], [0.75, 0.75]];
  const xs = items.map((i) => i.left + i.width / 2);
  const [min, max] = [Math.min(...xs), Math.max(...xs)];
  const away = (i: number) => xs[i] > min + 1 && xs[i] < max - 1;
  return [...items.filter((_, i) => away(i)), ...items.filter((_, i) => !away(i))]
    .flatMap((i) =>
      fractions.map(([fx, fy]): [number, number] => [
        i.left + fx * i.width,
        i.top + fy * i.height,
      ])
    );
}

/** Scrolls the page until the point (x, y) of the viewport lies in it; returns where it then is. */
async function reach(page: Page, [x, y]: [number, number]): Promise<[number, number]> {
  const scrolled = await page.evaluate((y) => {
    if (y >= 0 && y < innerHeight) return 0;
    const before = scrollY;
    scrollBy(0, y - innerHeight / 2);
    return scrollY - before;
  }, y);
  return [x, y - scrolled];
}

/** How many points of the first mark {@linkcode tooltipOnFirstMark} tries for one vega picks. */
const TRIES = 12;

/**
 * Hovers the chart's first data mark (the first scene item of role "mark" that carries a datum)
 * at a point where vega picks a data item (of that mark, or of one drawn over it), as vega's own
 * mousemove listener reports, and checks that vega-tooltip's element becomes visible with text.
 */
async function tooltipOnFirstMark({ page, chart }: CheckContext) {
  await leave(page);
  const items = await call(page, "marks", chart.key);
  const first = items.find((item) => Object.keys(item.datum).length > 0);
  assert.ok(first, `${chart.text}: no mark carries a datum`);
  const own = items.filter((item) => item.mark === first.mark && item.marktype === first.marktype);
  const what = `${chart.notebook}, "${chart.text}", first mark ${first.marktype} ${first.mark}`;
  for (const point of hoverPoints(own).slice(0, TRIES)) {
    const [x, y] = await reach(page, point);
    await page.mouse.move(x, y);
    const picked = await call(page, "picked", chart.key);
    if (picked?.role !== "mark") continue;
    const text = await tooltipShown(page, 2_000);
    const at = `hovered at (${Math.round(x)}, ${Math.round(y)}), vega picked ${picked.mark}`;
    assert.ok(text !== undefined, `${what}: ${at}, no tooltip`);
    assert.ok(text.trim().length > 0, `${what}: ${at}, an empty tooltip`);
    return;
  }
  assert.fail(`${what}: vega picked no data item at ${TRIES} of its points`);
}

/**
 * The start of the alt text of 05's learning curve, of its confusion matrix, of 06's robustness
 * curve and of 08's map of the hidden layer.
 */
const LEARNING_CURVE = "Train vs validation accuracy";
const CONFUSION_MATRIX = "Confusion matrix";
const ROBUSTNESS = "Test accuracy under Gaussian noise";
const HIDDEN_MAP = "Hidden layer 2 (UMAP)";
/** The start of the alt text of 08's first layer, epoch by epoch. */
const EPOCHS = "The first layer, epoch by epoch";

/** The checks every chart page passes, in the order they run (some leave a chart changed). */
export const CHART_CHECKS: ChartCheck[] = [
  {
    name: "hovering a point of 05's learning curve shows its accuracy",
    chart: LEARNING_CURVE,
    run: (context) => hoverShows(context, "symbol", "y", [0.5, 0.5], "tooltip-curve"),
  },
  {
    name: "hovering a cell of 05's confusion matrix shows its count",
    chart: CONFUSION_MATRIX,
    run: (context) => hoverShows(context, "rect", "color", [0.25, 0.25], "tooltip-cell"),
  },
  {
    name: "a click on a cell of 05's confusion matrix shows its images",
    chart: CONFUSION_MATRIX,
    async run(context) {
      // At first the largest mistake; a click on a cell shows its images instead.
      const first = (await call(context.page, "marks", context.chart.key))
        .filter((item) => item.marktype === "image");
      assert.ok(first.length > 0, "the confusion matrix shows no images at first");
      await clickShows(context, "7", "2", "click-cell");
      assert.equal(await clickShows(context, "3", "3", "click-diagonal"), 20);
    },
  },
  {
    name: "06's noise-level slider moves the line, the digit and the accuracies",
    chart: ROBUSTNESS,
    async run(context) {
      // At first the training noise (level 2, σ = 0.1); the slider moves to σ = 0.3.
      await slideShows(context, 2, "slider-initial");
      await slideShows(context, 4, "slider-noise");
    },
  },
  {
    name: "08's map shows a point's digit on hover and a class on a legend click",
    chart: HIDDEN_MAP,
    run: mapAnswers,
  },
  {
    name: "08's epoch slider shows the first layer's weights of that epoch and marks it",
    chart: EPOCHS,
    async run(context) {
      // At first epoch 1; the slider moves to epoch 12, then back to before training.
      await epochShows(context, 1, "epochs-initial");
      await epochShows(context, 12, "epochs-12");
      await epochShows(context, 0, "epochs-before");
    },
  },
  {
    name: "every chart shows a tooltip on its first data mark",
    run: tooltipOnFirstMark,
  },
];

/** A copy of a Vega-Lite spec without a tooltip anywhere: every `tooltip` key removed. */
function withoutTooltips(spec: unknown): unknown {
  if (Array.isArray(spec)) return spec.map(withoutTooltips);
  if (spec === null || typeof spec !== "object") return spec;
  return Object.fromEntries(
    Object.entries(spec).filter(([k]) => k !== "tooltip").map(([k, v]) => [k, withoutTooltips(v)]),
  );
}

/**
 * Draws a copy of 05's learning curve without tooltips and checks that the check of every chart's
 * tooltip fails on it: it can tell a chart without tooltips.
 */
async function strippedFails(page: Page, charts: Chart[], context: (c: Chart) => CheckContext) {
  const curve = charts.find((c) => c.text.startsWith(LEARNING_CURVE));
  assert.ok(curve, `no Vega-Lite chart "${LEARNING_CURVE}…"`);
  const data = { [VEGA_LITE]: withoutTooltips(curve.spec), "text/plain": curve.text };
  const notebook = "without tooltips";
  const outputs = [{ output_type: "display_data", data }];
  const [shown] = await call(page, "showNotebook", notebook, outputs);
  const stripped = { ...curve, key: shown.key, notebook, spec: data[VEGA_LITE] };
  await assert.rejects(tooltipOnFirstMark(context(stripped)), /no tooltip|picked no data item/);
}

/**
 * Runs {@linkcode CHART_CHECKS} on a page's charts, each as a step of `t` (one step per chart for
 * a check of every chart), then checks that the tooltip check fails on a chart stripped of its
 * tooltips; screenshots are named `<shots>-<name>.png`.
 */
export async function runChartChecks(
  t: Deno.TestContext,
  page: Page,
  charts: Chart[],
  shots: string,
) {
  const context = (chart: Chart): CheckContext => ({
    page,
    chart,
    screenshot: (name) => page.screenshot({ path: `${SHOTS}/${shots}-${name}.png` }).then(() => {}),
  });
  for (const check of CHART_CHECKS) {
    if (check.chart === undefined) {
      await t.step(check.name, async (t) => {
        for (const chart of charts) {
          await t.step(`${chart.notebook}: ${chart.text}`, () => check.run(context(chart)));
        }
      });
      continue;
    }
    const start = check.chart;
    await t.step(check.name, () => {
      const chart = charts.find((c) => c.text.startsWith(start));
      assert.ok(chart, `no Vega-Lite chart "${start}…"`);
      return check.run(context(chart));
    });
  }
  await t.step(
    "a chart without tooltips fails the tooltip check",
    () => strippedFails(page, charts, context),
  );
}

/**
 * Checks that vega drew the chart: one canvas or SVG, of some size, with data marks on it; returns
 * what the page reports of it.
 */
export async function checkDrawn(page: Page, chart: Chart) {
  const what = `${chart.notebook}: "${chart.text}"`;
  const drawn = await call(page, "drawn", chart.key);
  assert.ok(drawn, `${what}: vega drew nothing`);
  assert.equal(drawn.surfaces, 1, `${what}: charts drawn`);
  assert.ok(drawn.width > 0 && drawn.height > 0, `${what}: drawn ${drawn.width}×${drawn.height}`);
  const marks = Object.values(drawn.marks).reduce((a, b) => a + b, 0);
  assert.ok(marks > 0, `${what}: no data marks drawn`);
  return drawn;
}
