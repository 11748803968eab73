/**
 * Samples projected to two dimensions (e.g. PCA or t-SNE of hidden activations) as SVG scatter
 * plots, one panel per projection, each point coloured by its class.
 *
 * @module
 */
import { checkError, checkIndex, checkNumber } from "../checks.ts";
import { checkPositiveInt } from "./pixels.ts";
import { renderSvg } from "./render.ts";

/** One panel of {@linkcode projectionSvg}: every sample's two coordinates. */
export interface ProjectionPanel {
  /** Title above the panel, e.g. "PCA of hidden layer 1". */
  title: string;
  /** [N·2]: x0, y0, x1, y1, … for the N samples. */
  points: Float32Array;
}

/** Input of {@linkcode projectionSvg}. */
export interface ProjectionInput {
  /** The panels, row by row. */
  panels: ProjectionPanel[];
  /** [N]: each sample's class, an index into `classNames`. */
  labels: ArrayLike<number>;
  /** The classes' names, in order, for the legend. */
  classNames: string[];
  /** Samples drawn on top as black crosses, e.g. the misclassified ones. */
  marked?: number[];
  /** Panels per row (default 2). */
  columns?: number;
  /** Title above the figure. */
  title: string;
}

/** Side of one panel in CSS pixels. */
const PANEL_SIZE = 300;
/** A "×" as a vega symbol path, scaled by the mark's size. */
const CROSS = "M-1,-1L1,1M-1,1L1,-1";
const MARKED_NAME = "misclassified";

/**
 * Draws one scatter plot per panel, points small and half transparent, coloured by class, and
 * the marked samples on top as black crosses.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const svg = await projectionSvg({
 *   panels: [{ title: "PCA", points: Float32Array.of(0, 0, 1, 2, 3, 1) }],
 *   labels: [0, 1, 1], classNames: ["zero", "one"], marked: [2],
 *   title: "Hidden activations in 2-D",
 * });
 * assert.match(svg, /<title>Hidden activations in 2-D: 3 samples in 2-D/); // its alt text
 * ```
 */
export async function projectionSvg(input: ProjectionInput): Promise<string> {
  const fn = "projectionSvg";
  const { panels, labels, classNames, marked = [], columns = 2 } = input;
  if (panels.length === 0) throw checkError(`${fn}: panels`, "at least one panel", "none");
  if (classNames.length === 0) throw checkError(`${fn}: classNames`, "at least one class", "none");
  if (labels.length === 0) throw checkError(`${fn}: labels`, "at least one sample", "none");
  checkPositiveInt(fn, "columns", columns);
  const names = Array.from(labels, (label, i) => {
    checkIndex(`${fn}: labels[${i}]`, label, classNames.length);
    return classNames[label];
  });
  marked.forEach((index, k) => checkIndex(`${fn}: marked[${k}]`, index, labels.length));
  const specs = panels.map((panel, p) => {
    const { points } = panel;
    if (points.length !== 2 * labels.length) {
      const expected = `2·labels.length = ${2 * labels.length}`;
      throw checkError(`${fn}: panels[${p}].points.length`, expected, `${points.length}`);
    }
    const rows = names.map((name, i) => {
      const [x, y] = [points[2 * i], points[2 * i + 1]];
      checkNumber(`${fn}: panels[${p}].points[${2 * i}]`, x);
      checkNumber(`${fn}: panels[${p}].points[${2 * i + 1}]`, y);
      // Three significant digits are finer than a pixel of the panel, and keep the SVG lean.
      return { x: Number(x.toPrecision(3)), y: Number(y.toPrecision(3)), name };
    });
    // A projection's scale means little: no tick labels, and a few pixels' margin in the frame.
    const scale = { zero: false, nice: false, padding: 5 };
    const axis = (title: string) => ({ title, labels: false, ticks: false, grid: false });
    const encoding = {
      x: { field: "x", type: "quantitative", scale, axis: axis("component 1") },
      y: { field: "y", type: "quantitative", scale, axis: axis("component 2") },
    };
    return {
      title: { text: panel.title, fontSize: 13, fontWeight: "normal" },
      width: PANEL_SIZE,
      height: PANEL_SIZE,
      encoding,
      layer: [
        {
          data: { values: rows },
          mark: { type: "point", filled: true, size: 9, opacity: 0.5, aria: false },
          encoding: {
            color: {
              field: "name",
              type: "nominal",
              scale: { domain: classNames },
              legend: { title: "class", symbolOpacity: 1 },
            },
          },
        },
        {
          // Copies: vega would draw an object listed twice only once.
          data: { values: marked.map((i) => ({ ...rows[i] })) },
          mark: {
            type: "point",
            shape: CROSS,
            size: 30,
            strokeWidth: 1.2,
            opacity: 0.9,
            aria: false,
          },
          encoding: {
            stroke: { datum: MARKED_NAME, scale: { range: ["black"] }, legend: { title: null } },
          },
        },
      ],
    };
  });
  const svg = await renderSvg({
    title: input.title,
    description:
      `${labels.length} samples in 2-D, coloured by class; ${marked.length} ${MARKED_NAME} marked ×`,
    columns: Math.min(columns, panels.length),
    concat: specs,
    // Laid out by the panels' sizes alone (vega overestimates a title's width, with no canvas to
    // measure it); the spacing holds the axis titles and the next row's panel titles.
    bounds: "flush",
    spacing: { column: 44, row: 72 },
    config: { view: { stroke: "#ccc" } },
    // deno-lint-ignore no-explicit-any
  } as any);
  // Vega writes each point's position with 17 digits; a tenth of a pixel is enough.
  return svg.replace(
    /translate\(([^,()]+),([^,()]+)\)/g,
    (_, x, y) => `translate(${Math.round(x * 10) / 10},${Math.round(y * 10) / 10})`,
  );
}
