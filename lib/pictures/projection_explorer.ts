/**
 * A 2-D map of test images to question: hovering a point shows its digit, its label and the
 * prediction, and a click on a class in the legend brings that class forward (Vega-Lite's tooltip
 * with an image, and a point selection bound to the legend, which JupyterLab and VSCode draw live).
 *
 * @module
 */
import { checkError, checkInteger } from "../checks.ts";
import type { Pixels } from "./pixels.ts";
import { digitPng, pngDataUrl } from "./png.ts";
import { type Chart, CHART_HEIGHT } from "./render.ts";

/** Input of {@linkcode projectionExplorer}. */
export interface ProjectionExplorerInput {
  /** The 2-D points, [N, 2] row-major (e.g. UMAP of a hidden layer). */
  points: Float32Array;
  /** Each point's image, N × 784 pixels. */
  images: Pixels;
  /** Each point's true class. */
  labels: ArrayLike<number>;
  /** Each point's predicted class. */
  predicted: ArrayLike<number>;
  /** Class names, by class. */
  classNames: readonly string[];
  /** How many points to draw, the first ones (a few thousand keep the notebook small). */
  count: number;
  /** Title above the chart. */
  title: string;
}

/**
 * Draws the first `count` points coloured by true class, misclassified ones as crosses; each
 * point's tooltip holds its digit (a 28×28 PNG, the size the network sees), its label and the
 * prediction, and clicking a class
 * in the legend dims the other classes (a second click, or a double click, shows all again).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "./render.ts";
 *
 * const chart = projectionExplorer({
 *   points: Float32Array.of(0, 0, 1, 1), images: new Uint8Array(2 * 784),
 *   labels: [0, 1], predicted: [0, 0], classNames: ["0", "1"], count: 2, title: "Map",
 * });
 * const svg = await renderSvg(chart);
 * assert.equal(svg.match(/aria-roledescription="point"/g)?.length, 2);
 * assert.match(svg, /aria-label="true 1, predicted 0"/); // the image stays in the tooltip
 * ```
 */
export function projectionExplorer(input: ProjectionExplorerInput): Chart {
  const fn = "projectionExplorer";
  const { points, images, labels, predicted, classNames, count } = input;
  const n = labels.length;
  checkInteger(`${fn}: count`, count, { min: 1, max: n });
  if (points.length !== 2 * n) {
    throw checkError(`${fn}: points.length`, `${2 * n} (2 per label)`, `${points.length}`);
  }
  if (predicted.length !== n) {
    throw checkError(`${fn}: predicted.length`, `${n} (one per label)`, `${predicted.length}`);
  }
  if (images.length !== 784 * n) {
    throw checkError(`${fn}: images.length`, `${784 * n} (784 per label)`, `${images.length}`);
  }
  const rows = Array.from({ length: count }, (_, i) => ({
    x: points[2 * i],
    y: points[2 * i + 1],
    class: classNames[labels[i]],
    predicted: classNames[predicted[i]],
    right: labels[i] === predicted[i] ? "right" : "wrong",
    description: `true ${classNames[labels[i]]}, predicted ${classNames[predicted[i]]}`,
    image: pngDataUrl(digitPng(images.subarray(784 * i, 784 * (i + 1)), { scale: 1 })),
  }));
  const axis = (field: string, title: string) =>
    ({ field, type: "quantitative", title, axis: { labels: false, ticks: false } }) as const;
  return {
    title: input.title,
    width: CHART_HEIGHT + 120,
    height: CHART_HEIGHT + 120,
    data: { values: rows },
    params: [{ name: "chosen", select: { type: "point", fields: ["class"] }, bind: "legend" }],
    mark: { type: "point", filled: true, size: 28 },
    encoding: {
      x: axis("x", "UMAP 1"),
      y: axis("y", "UMAP 2"),
      color: {
        field: "class",
        type: "nominal",
        sort: [...classNames],
        legend: { title: "true class (click one)" },
      },
      shape: {
        field: "right",
        type: "nominal",
        scale: { domain: ["right", "wrong"], range: ["circle", "cross"] },
        legend: { title: "prediction" },
      },
      opacity: { condition: { param: "chosen", value: 0.9 }, value: 0.06 },
      description: { field: "description" },
      tooltip: [
        { field: "image", title: "image" },
        { field: "class", title: "true class" },
        { field: "predicted", title: "predicted" },
      ],
    },
    // deno-lint-ignore no-explicit-any
  } as any;
}
