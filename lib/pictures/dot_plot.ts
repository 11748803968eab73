/**
 * Dot plots of runs over seeds: one panel per metric, one dot per seed, the mean marked, a
 * reference value (the original's figure, or 0 for a difference) as a dashed line, and
 * optionally a confidence interval as a band.
 *
 * @module
 */
import { checkError } from "../checks.ts";
import { type Chart, CHART_WIDTH, PRIMARY } from "./render.ts";

/** One panel of {@linkcode dotPlot}: a metric's value for each seed. */
export interface DotPanel {
  /** The panel's title, e.g. the metric. */
  title: string;
  /** One value per seed, in the unit of the x axis (e.g. percent). */
  values: number[];
  /** The reference drawn as a dashed line (undefined or null: none). */
  reference?: number | null;
  /** An interval drawn as a band, e.g. the 95% confidence interval of the mean. */
  interval?: [number, number];
}

/** Input of {@linkcode dotPlot}. */
export interface DotPlotInput {
  /** Title above the panels. */
  title: string;
  /** Title of every panel's horizontal axis. */
  xTitle: string;
  /** The seeds, one per value of each panel, labelling the rows. */
  seeds: number[];
  /** The panels, top to bottom. */
  panels: DotPanel[];
  /** Legend name of the reference line (default "original"). */
  referenceName?: string;
  /** Legend name of the interval band (default "95% CI"). */
  intervalName?: string;
}

const MEAN_COLOR = "#222222";
const REFERENCE_COLOR = "#e45756";
const INTERVAL_COLOR = "#cee4f4"; // opaque, so the legend shows every colour at full strength

/**
 * Draws one dot plot panel per metric, stacked, each with its own x scale: a row per seed with
 * its dot, the mean as a solid line, the reference as a dashed line, the interval as a band.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "./render.ts";
 *
 * const svg = await renderSvg(dotPlot({
 *   title: "Test accuracy over seeds", xTitle: "Accuracy (%)", seeds: [42, 1042, 2042],
 *   panels: [{ title: "Clean model", values: [97.97, 98.05, 97.9], reference: 97.96 }],
 * }));
 * assert.match(svg, /^<svg[^>]*><title>Test accuracy over seeds<\/title>/);
 * ```
 */
export function dotPlot(input: DotPlotInput): Chart {
  const { seeds, panels } = input;
  if (panels.length === 0) throw checkError("dotPlot: panels", "at least one panel", "none");
  if (seeds.length === 0) throw checkError("dotPlot: seeds", "at least one seed", "none");
  const referenceName = input.referenceName ?? "original";
  const intervalName = input.intervalName ?? "95% CI";
  const hasInterval = panels.some((p) => p.interval !== undefined);
  const hasReference = panels.some((p) => p.reference !== undefined && p.reference !== null);
  const names = [
    "seed",
    "mean",
    ...(hasReference ? [referenceName] : []),
    ...(hasInterval ? [intervalName] : []),
  ];
  const colors = [
    PRIMARY,
    MEAN_COLOR,
    ...(hasReference ? [REFERENCE_COLOR] : []),
    ...(hasInterval ? [INTERVAL_COLOR] : []),
  ];
  const color = {
    scale: { domain: names, range: colors },
    legend: { orient: "bottom", direction: "horizontal", title: null },
  };
  const height = Math.max(40, 16 * seeds.length);
  const seedLabels = seeds.map(String);
  const y = {
    field: "seed",
    type: "ordinal",
    sort: seedLabels,
    title: "Seed",
    axis: { labelFontSize: 11 },
  } as const;
  const specs = panels.map((panel, p) => {
    const what = `dotPlot: panels[${p}]`;
    if (panel.values.length !== seeds.length) {
      const expected = `${seeds.length} (one per seed)`;
      throw checkError(`${what}.values.length`, expected, `${panel.values.length}`);
    }
    const checked = [...panel.values, ...(panel.interval ?? [])];
    if (panel.reference !== undefined && panel.reference !== null) checked.push(panel.reference);
    const bad = checked.find((v) => !Number.isFinite(v));
    if (bad !== undefined) throw checkError(`${what}: a value`, "a finite number", `${bad}`);
    const meanValue = panel.values.reduce((s, v) => s + v, 0) / panel.values.length;
    const x = {
      type: "quantitative",
      title: input.xTitle,
      scale: { zero: false, padding: 12 },
      // Few enough ticks that no label is dropped for overlap, so a reference at 0 is labelled.
      axis: { tickCount: 5 },
    } as const;
    // deno-lint-ignore no-explicit-any
    const layer: any[] = [];
    if (panel.interval) {
      layer.push({
        data: { values: [{ low: panel.interval[0], high: panel.interval[1] }] },
        mark: { type: "rect" },
        encoding: {
          x: { ...x, field: "low" },
          x2: { field: "high" },
          color: { ...color, datum: intervalName },
        },
      });
    }
    if (panel.reference !== undefined && panel.reference !== null) {
      layer.push({
        data: { values: [{ value: panel.reference }] },
        mark: { type: "rule", strokeDash: [6, 4], strokeWidth: 2 },
        encoding: { x: { ...x, field: "value" }, color: { ...color, datum: referenceName } },
      });
    }
    layer.push({
      data: { values: [{ value: meanValue }] },
      mark: { type: "rule", strokeWidth: 2 },
      encoding: { x: { ...x, field: "value" }, color: { ...color, datum: "mean" } },
    });
    layer.push({
      data: { values: panel.values.map((value, i) => ({ seed: seedLabels[i], value })) },
      mark: { type: "point", filled: true, size: 70, opacity: 1 },
      encoding: { x: { ...x, field: "value" }, y, color: { ...color, datum: "seed" } },
    });
    return {
      title: { text: panel.title, fontSize: 13, fontWeight: "normal" },
      width: CHART_WIDTH,
      height,
      layer,
    };
  });
  return {
    title: input.title,
    vconcat: specs,
    spacing: 18,
    resolve: { scale: { x: "independent" } },
    // deno-lint-ignore no-explicit-any
  } as any;
}
