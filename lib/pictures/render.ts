/**
 * The one place that turns a Vega-Lite spec into SVG, headless, with the shared look.
 *
 * Every figure of the library goes through {@linkcode renderSvg}, so they all share one
 * font, one set of sizes and the Tableau 10 colours. A {@linkcode Chart} is such a spec kept as
 * it is: `lib/display/chart.ts` shows it as a live Vega-Lite chart beside its PNG.
 *
 * @module
 */
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { FONT_FAMILY } from "./raster.ts";
import { escapeHtml } from "./tables.ts";

/** The first colour of the scheme, for single-series marks. */
export const PRIMARY = "#4c78a8";

/** Colours for series and categories, in order (Tableau 10). */
const SCHEME = "tableau10";

/** Default width of a chart's plotting area in pixels. */
export const CHART_WIDTH = 480;

/** Default height of a chart's plotting area in pixels. */
export const CHART_HEIGHT = 300;

/** The smallest font size any figure uses, in CSS pixels (legible when shown at 1×). */
export const MIN_FONT_SIZE = 11;

/** Inter is the font lib/raster.ts draws with; a browser without it falls back to the rest. */
const FONT = `${FONT_FAMILY}, Helvetica, Arial, sans-serif`;

const THEME = {
  background: "white",
  padding: 12,
  font: FONT,
  title: { fontSize: 16, fontWeight: "bold", subtitleFontSize: 12, anchor: "start", offset: 10 },
  axis: { titleFontSize: 13, labelFontSize: 12, titleFontWeight: "normal", titlePadding: 8 },
  legend: { titleFontSize: 12, labelFontSize: 12 },
  header: { labelFontSize: 13, titleFontSize: 13 },
  range: { category: { scheme: SCHEME } },
  view: { stroke: null },
} as const;

/**
 * A chart as its Vega-Lite spec with the data inline, e.g. `barChart(…)`: drawn to SVG by
 * {@linkcode renderSvg}, shown live beside its PNG by `showChart`.
 */
export type Chart = TopLevelSpec;

/**
 * The spec with the library's theme (font, sizes, colours) under its own config, as drawn.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const spec = withTheme({ data: { values: [] }, mark: "point", config: { padding: 4 } });
 * assert.equal(spec.config?.padding, 4); // the spec's own config wins
 * assert.equal(spec.config?.font, "Inter, Helvetica, Arial, sans-serif"); // the theme's
 * ```
 */
export function withTheme(spec: TopLevelSpec): TopLevelSpec {
  // deno-lint-ignore no-explicit-any
  return { ...spec, config: { ...THEME, ...spec.config } } as any;
}

/**
 * Renders a Vega-Lite spec to an SVG string, with the library's theme under the spec's own config.
 *
 * When the spec has a title or a description, the SVG starts with them as a `<title>` element
 * ("title: description"), the figure's accessible name and its alt text in notebooks. A drawing
 * has no mouse, so parameters bound to the scales (zoom and pan) are left out: they would clip the
 * marks at the plot's edges.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const svg = await renderSvg({
 *   title: "One point",
 *   data: { values: [{ a: 1 }] },
 *   mark: "point",
 *   encoding: { x: { field: "a", type: "quantitative" } },
 * });
 * assert.match(svg, /^<svg[^>]*><title>One point<\/title>/); // its accessible name
 * ```
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const drawn = withTheme(withoutScaleBindings(spec) as TopLevelSpec);
  const view = new View(parse(compile(drawn).spec), { renderer: "none" });
  try {
    const svg = await view.toSVG();
    const title = [titleText(spec.title), spec.description ?? ""].filter((t) => t !== "")
      .join(": ");
    if (title === "") return svg;
    return svg.replace(/^<svg[^>]*>/, (open) => `${open}<title>${escapeHtml(title)}</title>`);
  } finally {
    view.finalize();
  }
}

/** A copy of a spec, or of any part of one, without the parameters bound to its scales. */
function withoutScaleBindings(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutScaleBindings);
  if (node === null || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node).map(([k, v]) => {
      if (k !== "params" || !Array.isArray(v)) return [k, withoutScaleBindings(v)];
      return [k, v.filter((p) => p?.bind !== "scales")];
    }),
  );
}

/** A spec's title as one line: a string, several lines, or the `text` of a title object. */
function titleText(title: TopLevelSpec["title"]): string {
  const text = typeof title === "object" && !Array.isArray(title) ? title.text : title;
  return typeof text === "string" || Array.isArray(text) ? [text].flat().join(" ") : "";
}
