/**
 * The robustness curve to question: a slider over the noise levels the curve measured marks one
 * level on the chart, prints each model's accuracy there, and shows a test digit as the models saw
 * it at that level (a Vega-Lite parameter bound to a range input, which JupyterLab and VSCode draw
 * live; the PNG shows the initial level).
 *
 * @module
 */
import { checkError, checkIndex, checkValues } from "../checks.ts";
import { type Pixels } from "./pixels.ts";
import { digitPng, pngDataUrl } from "./png.ts";
import { type Chart, CHART_HEIGHT, MIN_FONT_SIZE } from "./render.ts";

/** Input of {@linkcode robustnessExplorer}. */
export interface RobustnessExplorerInput {
  /** The noise standard deviations measured, increasing. */
  stds: number[];
  /** One series per model: its accuracy (in [0, 1]) at each std. */
  series: { name: string; values: number[] }[];
  /** One test image at each std, as the models saw it (28×28 pixels each). */
  first: Pixels[];
  /** The index into `stds` of the level shown first (and in the PNG). */
  initial: number;
  /** Title above the chart. */
  title: string;
}

/** The side of the digit beside the chart, in CSS pixels. */
const DIGIT = 140;

/**
 * Draws each model's accuracy against the noise's standard deviation, and a slider ("noise
 * level") over the levels measured: the chosen level is a dashed rule, and beside the chart are
 * the first test image at that level and each model's accuracy there.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "./render.ts";
 *
 * const svg = await renderSvg(robustnessExplorer({
 *   stds: [0, 0.3],
 *   series: [{ name: "clean", values: [0.98, 0.79] }],
 *   first: [new Float32Array(784), new Float32Array(784).fill(0.3)],
 *   initial: 1,
 *   title: "Test accuracy under Gaussian noise",
 * }));
 * assert.match(svg, /σ = 0\.3/); // the digit's caption at the initial level
 * assert.match(svg, /clean: 79\.00%/); // the accuracy there
 * ```
 */
export function robustnessExplorer(input: RobustnessExplorerInput): Chart {
  const fn = "robustnessExplorer";
  const { stds, series, first, initial } = input;
  checkValues(`${fn}: stds`, stds, { min: 0 });
  if (stds.some((s, i) => i > 0 && s <= stds[i - 1])) {
    throw checkError(`${fn}: stds`, "increasing standard deviations", `[${stds.join(", ")}]`);
  }
  series.forEach((s, i) => {
    checkValues(`${fn}: series[${i}].values`, s.values, { min: 0, max: 1 });
    if (s.values.length !== stds.length) {
      const expected = `${stds.length} (one per std)`;
      throw checkError(`${fn}: series[${i}].values.length`, expected, `${s.values.length}`);
    }
  });
  if (first.length !== stds.length) {
    throw checkError(`${fn}: first.length`, `${stds.length} (one per std)`, `${first.length}`);
  }
  checkIndex(`${fn}: initial`, initial, stds.length);
  const points = series.flatMap((s) =>
    s.values.map((accuracy, level) => ({ model: s.name, level, std: stds[level], accuracy }))
  );
  const digits = first.map((pixels, level) => ({
    level,
    url: pngDataUrl(digitPng(pixels, { scale: 4 })),
    caption: `Test image 0 at σ = ${stds[level]}`,
  }));
  const x = { field: "std", type: "quantitative", title: "Noise standard deviation" } as const;
  const y = {
    field: "accuracy",
    type: "quantitative",
    title: "Test accuracy",
    scale: { zero: false },
  } as const;
  const color = { field: "model", type: "nominal", sort: series.map((s) => s.name) } as const;
  const atLevel = [{ filter: "datum.level == level" }];
  return {
    title: input.title,
    params: [{
      name: "level",
      value: initial,
      bind: { input: "range", min: 0, max: stds.length - 1, step: 1, name: "noise level " },
    }],
    hconcat: [
      {
        width: 420,
        height: CHART_HEIGHT,
        data: { values: points },
        layer: [
          { mark: { type: "line", point: true }, encoding: { x, y, color } },
          {
            transform: [...atLevel, { filter: `datum.model == ${JSON.stringify(series[0].name)}` }],
            mark: { type: "rule", strokeDash: [5, 4], color: "#666" },
            encoding: { x },
          },
        ],
      },
      {
        width: DIGIT,
        height: DIGIT,
        data: { values: digits },
        transform: atLevel,
        layer: [
          {
            mark: { type: "image", width: DIGIT, height: DIGIT },
            encoding: {
              url: { field: "url", type: "nominal" },
              x: { value: DIGIT / 2 },
              y: { value: DIGIT / 2 },
              tooltip: { field: "caption" },
            },
          },
          {
            mark: { type: "text", baseline: "bottom", dy: -6, fontSize: MIN_FONT_SIZE + 1 },
            encoding: { text: { field: "caption" }, x: { value: DIGIT / 2 }, y: { value: 0 } },
          },
          {
            data: { values: points },
            transform: [
              ...atLevel,
              { calculate: "datum.model + ': ' + format(datum.accuracy, '.2%')", as: "label" },
            ],
            mark: { type: "text", align: "left", fontSize: MIN_FONT_SIZE + 1 },
            encoding: {
              text: { field: "label" },
              color,
              x: { value: 0 },
              y: {
                field: "model",
                type: "nominal",
                sort: series.map((s) => s.name),
                axis: null,
                scale: { range: [DIGIT + 24, DIGIT + 24 + 20 * (series.length - 1)] },
              },
            },
          },
        ],
      },
    ],
    // deno-lint-ignore no-explicit-any
  } as any;
}
