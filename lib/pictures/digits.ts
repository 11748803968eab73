/**
 * Digits drawn as SVG charts: a titled row of digits, and one digit with every pixel value printed.
 *
 * Digits are white strokes on black, as in {@link ./png.ts}.
 *
 * @module
 */
import { checkError, checkOneOf } from "../checks.ts";
import { MIN_FONT_SIZE, renderSvg } from "./render.ts";
import {
  checkImages,
  checkPositiveInt,
  checkShape,
  type DigitShape,
  type Pixels,
} from "./pixels.ts";
import { digitPng, pngDataUrl } from "./png.ts";

/** Options of {@linkcode digitsWithTitlesSvg}. */
export interface TitledDigitsOptions extends DigitShape {
  /** Digits per row before wrapping (default 5). */
  columns?: number;
  /** Output pixels per image pixel (default 4). */
  scale?: number;
  /** Title above the whole figure. */
  title?: string;
}

/** Default side of one pixel's cell in {@linkcode annotatedDigitSvg}, in CSS pixels. */
export const ANNOTATED_CELL_SIZE = 30;

/** Options of {@linkcode annotatedDigitSvg}. */
export interface AnnotatedDigitOptions extends DigitShape {
  /** Decimals printed: 0 for raw values 0–255, 2 for normalized values 0.00–1.00. */
  decimals: 0 | 2;
  /** Title above the digit. */
  title?: string;
  /** Side of one pixel's cell in CSS pixels (default 30; at least 25 for decimals 0, 28 for 2). */
  cellSize?: number;
}

/**
 * Draws the chosen digits of a flat N×(rows·cols) array side by side, each under its own title
 * (the titles, joined, also describe the figure: its `<title>` and alt text).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadMnist } from "../data/mnist.ts";
 *
 * const { train } = await loadMnist();
 * const svg = await digitsWithTitlesSvg(train.images, [0, 1], ["Label 5", "Label 0"]);
 * assert.match(svg, /<title>Label 5, Label 0<\/title>/); // its alt text
 * ```
 */
export function digitsWithTitlesSvg(
  images: Pixels,
  indices: number[],
  titles: string[],
  opts: TitledDigitsOptions = {},
): Promise<string> {
  const { rows = 28, cols = 28, scale = 4, columns = 5 } = opts;
  checkImages("digitsWithTitlesSvg", images, indices, rows, cols);
  checkPositiveInt("digitsWithTitlesSvg", "scale", scale);
  checkPositiveInt("digitsWithTitlesSvg", "columns", columns);
  if (titles.length !== indices.length) {
    const expected = `${indices.length} (one per index)`;
    throw checkError("digitsWithTitlesSvg: titles.length", expected, `${titles.length}`);
  }
  const size = rows * cols;
  const [width, height] = [cols * scale, rows * scale];
  const panels = indices.map((index, k) => ({
    title: { text: titles[k], anchor: "middle", fontSize: 13, fontWeight: "normal", offset: 6 },
    width,
    height,
    data: {
      values: [{
        url: pngDataUrl(
          digitPng(images.subarray(index * size, (index + 1) * size), { rows, cols, scale }),
        ),
      }],
    },
    mark: {
      type: "image",
      width,
      height,
      align: "left",
      baseline: "top",
      smooth: false,
      aria: false,
    },
    encoding: { url: { field: "url", type: "nominal" }, x: { value: 0 }, y: { value: 0 } },
  } as const));
  return renderSvg({
    ...(opts.title === undefined ? {} : { title: opts.title }),
    description: titles.join(", "),
    columns: Math.min(columns, indices.length),
    spacing: 16,
    concat: panels,
  });
}

/**
 * Draws one digit as a grayscale grid with each pixel's value printed in a contrasting colour.
 *
 * Values print as given: pass raw bytes with `decimals: 0`, or the normalized image with
 * `decimals: 2`. Zeros print in dim grey so that the stroke's values stand out.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadMnist } from "../data/mnist.ts";
 *
 * const { train } = await loadMnist();
 * const raw = await annotatedDigitSvg(train.images.subarray(0, 784), { decimals: 0 });
 * assert.ok(raw.includes(">255</text>")); // the brightest pixels of the first digit, a 5
 * ```
 */
export function annotatedDigitSvg(pixels: Pixels, opts: AnnotatedDigitOptions): Promise<string> {
  const { rows = 28, cols = 28, cellSize = ANNOTATED_CELL_SIZE, decimals } = opts;
  checkShape("annotatedDigitSvg", pixels.length, rows, cols);
  checkPositiveInt("annotatedDigitSvg", "cellSize", cellSize);
  checkOneOf("annotatedDigitSvg: decimals", decimals, [0, 2]);
  // Font size as a share of the cell: "0.00" is about 2.1 times as wide as its font size, "255"
  // about 1.9 times, so both leave a margin in their cell.
  const fontSize = Math.round(cellSize * (decimals === 0 ? 0.42 : 0.38));
  if (fontSize < MIN_FONT_SIZE) {
    const least = decimals === 0 ? 25 : 28;
    throw checkError(
      "annotatedDigitSvg: cellSize",
      `at least ${least}, so that values print at the ${MIN_FONT_SIZE} px minimum`,
      `${cellSize}, which prints them at ${fontSize} px`,
    );
  }
  const top = pixels instanceof Uint8Array ? 255 : 1;
  const cells = Array.from(pixels, (v, i) => {
    if (Number.isNaN(v)) throw checkError(`annotatedDigitSvg: pixels[${i}]`, "a number", "NaN");
    return { r: Math.floor(i / cols), c: i % cols, v, label: v.toFixed(decimals) };
  });
  const band = (field: string) =>
    ({
      field,
      type: "ordinal",
      axis: null,
      scale: { paddingInner: 0, paddingOuter: 0 },
    }) as const;
  return renderSvg({
    ...(opts.title === undefined ? {} : { title: opts.title }),
    width: cols * cellSize,
    height: rows * cellSize,
    data: { values: cells },
    encoding: { x: band("c"), y: band("r") },
    layer: [
      {
        mark: { type: "rect", aria: false },
        encoding: {
          color: {
            field: "v",
            type: "quantitative",
            scale: { domain: [0, top], range: ["black", "white"], clamp: true },
            legend: null,
          },
        },
      },
      {
        mark: {
          type: "text",
          aria: false,
          fontSize,
        },
        encoding: {
          text: { field: "label", type: "nominal" },
          color: {
            condition: [
              { test: "datum.v == 0", value: "#555" },
              { test: `datum.v > ${top / 2}`, value: "black" },
            ],
            value: "white",
          },
        },
      },
    ],
  });
}
