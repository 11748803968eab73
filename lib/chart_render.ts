/**
 * The one place that turns a Vega-Lite spec into SVG, headless, with the shared look.
 *
 * Every chart of the library goes through {@linkcode renderSvg}, so they all share one
 * font, one set of sizes and the Tableau 10 colours.
 *
 * @module
 */
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

/** The first colour of the scheme, for single-series marks. */
export const PRIMARY = "#4c78a8";

/** Colours for series and categories, in order (Tableau 10). */
export const SCHEME = "tableau10";

/** Default width of a chart's plotting area in pixels. */
export const CHART_WIDTH = 480;

/** Default height of a chart's plotting area in pixels. */
export const CHART_HEIGHT = 300;

const FONT = "Helvetica, Arial, sans-serif";

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
 * Renders a Vega-Lite spec to an SVG string, with the library's theme under the spec's own config.
 *
 * @example
 * ```ts
 * const svg = await renderSvg({ data: { values: [{ a: 1 }] }, mark: "point", encoding: {} });
 * ```
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const themed = { ...spec, config: { ...THEME, ...spec.config } } as TopLevelSpec;
  const view = new View(parse(compile(themed).spec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
