/**
 * Charts in a notebook: one output that carries the chart three ways, so that each front end shows
 * the best it can. JupyterLab and VSCode draw the Vega-Lite spec live (tooltips on every mark, the
 * x axis of line charts zooms and pans); Notebook 6, nbconvert's HTML and GitHub show the PNG;
 * a terminal shows the alt text.
 *
 * @module
 */
import { type Chart, renderSvg, withTheme } from "../pictures/render.ts";
import { figureBundle, inJupyter, showOutput, type SizedBundle } from "./show.ts";

/** The MIME type JupyterLab's and VSCode's Vega-Lite renderers draw. */
export const VEGA_LITE_MIME = "application/vnd.vegalite.v5+json";

/** The schema a front end's Vega-Lite 5 checks the spec against. */
const SCHEMA = "https://vega.github.io/schema/vega-lite/v5.json";

/** A Vega-Lite spec as JSON, as a front end receives it. */
export type VegaLiteJson =
  & { $schema: string; config: Record<string, unknown> }
  & Record<
    string,
    unknown
  >;

/** Significant digits kept in a chart's inline data: finer than any chart can show. */
const DIGITS = 5;

/**
 * The chart as a front end draws it live: the library's theme, tooltips on every mark, the
 * Vega-Lite 5 schema, and its inline data rounded to 5 significant digits to keep notebooks lean.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { lineChart } from "../pictures/charts.ts";
 *
 * const chart = lineChart({
 *   series: [{ name: "train", values: [0.912345678, 0.95] }],
 *   title: "Accuracy", xTitle: "Epoch", yTitle: "Accuracy",
 * });
 * const spec = vegaLiteSpec(chart);
 * const rows = (spec.data as { values: { value: number }[] }).values;
 * assert.equal(rows[0].value, 0.91235); // rounded
 * assert.deepEqual(spec.config.mark, { tooltip: true });
 * ```
 */
export function vegaLiteSpec(chart: Chart): VegaLiteJson {
  const themed = withTheme(chart);
  return {
    $schema: SCHEMA,
    ...rounded(themed) as object,
    config: { ...themed.config, mark: { tooltip: true, ...themed.config?.mark } },
  };
}

/**
 * Builds a chart's output: the live Vega-Lite spec, its 2× PNG sized at 1× by the metadata, and
 * the alt text (the chart's title), as {@linkcode figureBundle} draws every figure.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { barChart } from "../pictures/charts.ts";
 *
 * const chart = barChart({
 *   labels: ["0", "1"], values: [5923, 6742], title: "Digits", xTitle: "Digit", yTitle: "Count",
 * });
 * const { bundle, metadata } = await chartBundle(chart);
 * assert.deepEqual(Object.keys(bundle).sort(), [VEGA_LITE_MIME, "image/png", "text/plain"]);
 * assert.equal(bundle["text/plain"], "Digits");
 * const { width } = metadata["image/png"] as { width: number };
 * assert.ok(width > 480); // the plot's 480 px plus axes and padding
 * ```
 */
export async function chartBundle(chart: Chart): Promise<SizedBundle> {
  const { bundle, metadata } = await figureBundle(await renderSvg(chart));
  return { bundle: { [VEGA_LITE_MIME]: vegaLiteSpec(chart), ...bundle }, metadata };
}

/**
 * Shows a chart as one cell output that each front end draws its best way (nothing outside
 * Jupyter); see {@linkcode chartBundle}.
 *
 * @example
 * ```ts
 * import { heatmap } from "../pictures/charts.ts";
 *
 * await showChart(heatmap({
 *   matrix: [[970, 10], [3, 1017]], labels: ["0", "1"],
 *   title: "Confusion matrix", xTitle: "Predicted", yTitle: "True",
 * })); // nothing outside Jupyter
 * ```
 */
export async function showChart(chart: Chart): Promise<void> {
  if (!inJupyter()) return;
  const { bundle, metadata } = await chartBundle(chart);
  await showOutput(bundle, metadata);
}

/** A copy of `node` whose inline data (`data.values`, `datasets`) has its numbers rounded. */
function rounded(node: unknown, parent = ""): unknown {
  if (Array.isArray(node)) return node.map((v) => rounded(v));
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => {
      const rows = (parent === "data" && k === "values") || parent === "datasets";
      return [k, rows && Array.isArray(v) ? v.map(roundRow) : rounded(v, k)];
    }),
  );
}

/** A data row (an object or a number) with its fractional numbers at 5 significant digits. */
function roundRow(row: unknown): unknown {
  if (typeof row === "number") return Number.isInteger(row) ? row : Number(row.toPrecision(DIGITS));
  if (row === null || typeof row !== "object") return row;
  return Object.fromEntries(Object.entries(row).map(([k, v]) => [k, roundRow(v)]));
}
