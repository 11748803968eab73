/**
 * The picture a notebook output shows where its script does not run: a digit as the network
 * sees it (28×28) beside its ten probabilities, laid out as the live view lays them out.
 *
 * @module
 */
import type { Chart } from "../lib/pictures/render.ts";
import { digitPng, pngDataUrl } from "../lib/pictures/png.ts";
import type { Pixels } from "../lib/pictures/pixels.ts";

/** The blue of the most probable class's bar, as on the demo page. */
const BEST = "#0969da";
/** The grey of the other bars. */
const REST = "#8c959f";

/** What {@linkcode predictionFigure} draws. */
export interface PredictionFigureInput {
  /** The image the network sees: size×size pixels, raw 0–255 or normalized 0–1. */
  pixels: Pixels;
  /** Side of the square image (28). */
  size: number;
  /** The network's probability of each class, by output index. */
  probabilities: ArrayLike<number>;
  /** Name of each class, by output index. */
  classNames: readonly string[];
  /** The figure's title. */
  title: string;
}

/**
 * A Vega-Lite figure of an image and its class probabilities: the image at 5× on the left, one
 * bar per class on the right with its percentage, the most probable class in blue and named in
 * the bars' title.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "../lib/pictures/render.ts";
 *
 * const figure = predictionFigure({
 *   pixels: new Uint8Array(784),
 *   size: 28,
 *   probabilities: [0.1, 0.9],
 *   classNames: ["0", "1"],
 *   title: "A blank image",
 * });
 * assert.match(await renderSvg(figure), /<title>A blank image: predicted 1, 90\.0% sure/);
 * ```
 */
export function predictionFigure(input: PredictionFigureInput): Chart {
  const { pixels, size, probabilities, classNames } = input;
  if (probabilities.length !== classNames.length) {
    throw new Error(
      `predictionFigure: ${probabilities.length} probabilities for ${classNames.length} classes`,
    );
  }
  const best = Array.from(probabilities).reduce((b, p, i, all) => p > all[b] ? i : b, 0);
  const sure = `${(probabilities[best] * 100).toFixed(1)}% sure`;
  const side = size * 5;
  const rows = classNames.map((name, i) => ({
    name,
    p: probabilities[i],
    best: i === best,
  }));
  return {
    title: input.title,
    description: `predicted ${classNames[best]}, ${sure}`,
    spacing: 32,
    hconcat: [
      {
        title: "The network sees",
        width: side,
        height: side,
        data: { values: [{ url: pngDataUrl(digitPng(pixels, { rows: size, cols: size })) }] },
        mark: {
          type: "image",
          width: side,
          height: side,
          align: "left",
          baseline: "top",
          smooth: false,
          aria: false,
        },
        encoding: { url: { field: "url", type: "nominal" }, x: { value: 0 }, y: { value: 0 } },
      },
      {
        title: `Predicted ${classNames[best]}, ${sure}`,
        width: 240,
        height: 18 * classNames.length,
        data: { values: rows },
        encoding: {
          y: { field: "name", type: "nominal", sort: null, title: null },
          x: {
            field: "p",
            type: "quantitative",
            scale: { domain: [0, 1] },
            axis: { format: "%", title: "Probability", tickCount: 5 },
          },
        },
        layer: [
          {
            mark: { type: "bar", cornerRadiusEnd: 2 },
            encoding: {
              color: { condition: { test: "datum.best", value: BEST }, value: REST },
            },
          },
          {
            mark: { type: "text", align: "left", dx: 4, fontSize: 11, color: "#59636e" },
            encoding: { text: { field: "p", type: "quantitative", format: ".1%" } },
          },
        ],
      },
    ],
  } as Chart;
}
