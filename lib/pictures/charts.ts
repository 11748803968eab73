/**
 * Bar, line and heat-map charts as Vega-Lite specs: class counts, accuracy curves, confusion
 * matrices. Draw one with `renderSvg`, show it in a notebook with `showChart`.
 *
 * @module
 */
import { checkError, checkNumber } from "../checks.ts";
import { zoomX } from "./axes.ts";
import { type Chart, CHART_HEIGHT, CHART_WIDTH, MIN_FONT_SIZE, PRIMARY } from "./render.ts";

/** Titles every chart carries. */
export interface ChartTitles {
  /** Title above the chart. */
  title: string;
  /** Title of the horizontal axis. */
  xTitle: string;
  /** Title of the vertical axis. */
  yTitle: string;
}

/** Input of {@linkcode barChart}: one bar per label. */
export interface BarChartInput extends ChartTitles {
  /** Category names along x, in order. */
  labels: string[];
  /** One value per label. */
  values: number[];
  /** The y scale's domain, e.g. [0.95, 1] to tell accuracies apart (default: from 0). */
  yDomain?: [number, number];
  /** d3 format of the values printed on the bars (default ","). */
  format?: string;
}

/** One named line of {@linkcode lineChart}. */
export interface Series {
  /** Name shown in the legend. */
  name: string;
  /** One y value per x, from the first. */
  values: number[];
}

/** Input of {@linkcode lineChart}: lines over a shared x (1, 2, … when not given). */
export interface LineChartInput extends ChartTitles {
  /** The lines, coloured in order. */
  series: Series[];
  /** Shared x values (default 1, 2, …, as epochs). */
  x?: number[];
  /** A logarithmic y axis, for values spanning several powers of ten (default false). */
  logY?: boolean;
}

/** Input of {@linkcode heatmap}: a square matrix, rows along y and columns along x. */
export interface HeatmapInput extends ChartTitles {
  /** Counts: `matrix[row][column]`. */
  matrix: number[][];
  /** Names of the rows and of the columns, in order. */
  labels: string[];
}

/**
 * Draws one bar per label with its value printed on top, e.g. the count of each class.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "./render.ts";
 *
 * const chart = barChart({
 *   labels: ["0", "1"], values: [5923, 6742],
 *   title: "Training digits per class", xTitle: "Digit", yTitle: "Count",
 * });
 * const svg = await renderSvg(chart); // in a notebook: await showChart(chart)
 * assert.match(svg, /^<svg[^>]*><title>Training digits per class<\/title>/);
 * ```
 */
export function barChart(input: BarChartInput): Chart {
  const { labels, values } = input;
  if (labels.length === 0) throw checkError("barChart: labels", "at least one label", "none");
  if (values.length !== labels.length) {
    const expected = `${labels.length} (one per label)`;
    throw checkError("barChart: values.length", expected, `${values.length}`);
  }
  checkFinite("barChart", "values", values);
  const { yDomain } = input;
  if (yDomain !== undefined) {
    checkFinite("barChart", "yDomain", yDomain);
    if (yDomain.length !== 2 || yDomain[0] >= yDomain[1]) {
      const got = yDomain.length === 2 ? `[${yDomain.join(", ")}]` : `${yDomain.length} values`;
      throw checkError("barChart: yDomain", "[low, high] with low < high", got);
    }
  }
  const x = { field: "label", type: "nominal", sort: null, title: input.xTitle } as const;
  const y = { field: "value", type: "quantitative", title: input.yTitle } as const;
  // Values outside a given domain are clamped to its ends; bars then rise from its low end.
  const scale = yDomain === undefined
    ? {}
    : { scale: { domain: yDomain, clamp: true, zero: false } };
  return {
    title: input.title,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    data: { values: labels.map((label, i) => ({ label, value: values[i] })) },
    encoding: { x: { ...x, axis: { labelAngle: 0 } }, y: { ...y, ...scale } },
    layer: [
      { mark: { type: "bar", color: PRIMARY } },
      {
        mark: { type: "text", dy: -6, fontSize: MIN_FONT_SIZE, color: "#333" },
        encoding: { text: { ...y, format: input.format ?? "," } },
      },
    ],
  };
}

/**
 * Draws one line with points per series against x, e.g. training vs validation accuracy per epoch;
 * where it is shown live, the x axis zooms (wheel) and pans (drag).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "./render.ts";
 *
 * const svg = await renderSvg(lineChart({
 *   series: [{ name: "train", values: [0.9, 0.95] }, { name: "validation", values: [0.93, 0.96] }],
 *   title: "Accuracy per epoch", xTitle: "Epoch", yTitle: "Accuracy",
 * }));
 * assert.match(svg, /^<svg[^>]*><title>Accuracy per epoch<\/title>/);
 * ```
 */
export function lineChart(input: LineChartInput): Chart {
  const { series } = input;
  if (series.length === 0) throw checkError("lineChart: series", "at least one series", "none");
  const longest = Math.max(...series.map((s) => s.values.length));
  const x = input.x ?? Array.from({ length: longest }, (_, i) => i + 1);
  checkFinite("lineChart", "x", x);
  for (const s of series) {
    const what = `series "${s.name}".values`;
    if (s.values.length === 0 || s.values.length > x.length) {
      throw checkError(`lineChart: ${what}.length`, `1 to ${x.length}`, `${s.values.length}`);
    }
    checkFinite("lineChart", what, s.values);
    const negative = s.values.findIndex((v) => v <= 0);
    if (input.logY && negative >= 0) {
      const where = `lineChart: ${what}[${negative}]`;
      throw checkError(where, "a value > 0 on a log axis", `${s.values[negative]}`);
    }
  }
  const rows = series.flatMap((s) =>
    s.values.map((value, i) => ({ series: s.name, x: x[i], value }))
  );
  // Epochs: whole numbers only. A short run names each, since a front end's Vega-Lite 5 puts
  // ticks between them ("1 2 2 3 3"; and vega drops explicit values formatted "d", hence ".0f");
  // a long one lets the axis choose whole steps.
  const epochAxis = x.length <= 15 ? { values: x, format: ".0f" } : { tickMinStep: 1, format: "d" };
  return {
    title: input.title,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    data: { values: rows },
    params: [zoomX("zoom")],
    mark: { type: "line", point: { size: 50 }, strokeWidth: 2.5 },
    encoding: {
      x: {
        field: "x",
        type: "quantitative",
        title: input.xTitle,
        scale: { zero: false, nice: false },
        axis: input.x === undefined ? epochAxis : {},
      },
      y: {
        field: "value",
        type: "quantitative",
        title: input.yTitle,
        scale: input.logY ? { type: "log" } : { zero: false },
      },
      color: {
        field: "series",
        type: "nominal",
        title: null,
        sort: series.map((s) => s.name),
        legend: { orient: "bottom", direction: "horizontal" },
      },
    },
  };
}

/**
 * Draws a square matrix of counts as shaded cells with each count printed, e.g. a confusion
 * matrix (rows: true class on y, columns: predicted class on x). The shading is logarithmic
 * so that small off-diagonal counts still show beside a large diagonal. A cell's tooltip names its
 * row, column and count.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "./render.ts";
 *
 * const svg = await renderSvg(heatmap({
 *   matrix: [[970, 10], [3, 1017]], labels: ["0", "1"],
 *   title: "Confusion matrix", xTitle: "Predicted", yTitle: "True",
 * }));
 * assert.match(svg, /^<svg[^>]*><title>Confusion matrix<\/title>/);
 * ```
 */
export function heatmap(input: HeatmapInput): Chart {
  const { matrix, labels } = input;
  const n = matrix.length;
  if (n === 0) throw checkError("heatmap: matrix", "at least one row", "none");
  matrix.forEach((row, i) => {
    if (row.length !== n) {
      const expected = `${n} (a square matrix)`;
      throw checkError(`heatmap: matrix[${i}].length`, expected, `${row.length}`);
    }
    row.forEach((v, j) => checkNumber(`heatmap: matrix[${i}][${j}]`, v, { min: 0 }));
  });
  if (labels.length !== n) {
    const expected = `${n} (the matrix size)`;
    throw checkError("heatmap: labels.length", expected, `${labels.length}`);
  }
  const cells = matrix.flatMap((row, i) =>
    row.map((value, j) => ({ row: labels[i], col: labels[j], value }))
  );
  const max = Math.max(...cells.map((c) => c.value));
  // Cells of at least 30 px hold a four-digit count at the smallest font size.
  const cell = Math.max(30, Math.min(44, Math.floor(440 / n)));
  return {
    title: input.title,
    width: cell * n,
    height: cell * n,
    data: { values: cells },
    encoding: {
      tooltip: [
        { field: "row", type: "ordinal", title: input.yTitle },
        { field: "col", type: "ordinal", title: input.xTitle },
        { field: "value", type: "quantitative", title: "Count", format: "," },
      ],
      x: {
        field: "col",
        type: "ordinal",
        sort: labels,
        title: input.xTitle,
        axis: { orient: "top", labelAngle: 0, domain: false, ticks: false },
      },
      y: {
        field: "row",
        type: "ordinal",
        sort: labels,
        title: input.yTitle,
        axis: { domain: false, ticks: false },
      },
    },
    layer: [
      {
        mark: { type: "rect", stroke: "white", strokeWidth: 1 },
        encoding: {
          color: {
            field: "value",
            type: "quantitative",
            scale: { type: "symlog", domain: [0, Math.max(max, 1)], range: ["#f7fbff", "#08306b"] },
            legend: null,
          },
        },
      },
      {
        mark: { type: "text", fontSize: cell >= 36 ? 12 : MIN_FONT_SIZE },
        encoding: {
          text: { field: "value", type: "quantitative" },
          color: {
            condition: { test: `log(1 + datum.value) > ${Math.log1p(max) / 2}`, value: "white" },
            value: "#222",
          },
        },
      },
    ],
  };
}

function checkFinite(fn: string, name: string, values: number[]): void {
  const i = values.findIndex((v) => !Number.isFinite(v));
  if (i >= 0) checkNumber(`${fn}: ${name}[${i}]`, values[i]);
}
