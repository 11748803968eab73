/**
 * A confusion matrix to question: click a cell, and the test images behind it appear beside the
 * matrix, drawn from small PNGs the spec carries (Vega-Lite's point selection and image marks, which
 * JupyterLab and VSCode draw live; the PNG shows the initial cell).
 *
 * @module
 */
import { checkError, checkInteger } from "../checks.ts";
import { heatmap, type HeatmapInput } from "./charts.ts";
import type { Pixels } from "./pixels.ts";
import { digitPng, pngDataUrl } from "./png.ts";
import { type Chart, MIN_FONT_SIZE } from "./render.ts";

/** One test image of a confusion matrix's cell, as the explorer's data holds it. */
export interface CellExample {
  /** Its true class's name (the matrix's row). */
  row: string;
  /** Its predicted class's name (the matrix's column). */
  col: string;
  /** Its place among the cell's images shown, from 0. */
  rank: number;
  /** The cell's image count, all of them, not only those shown. */
  count: number;
  /** The image as a PNG data URL. */
  url: string;
}

/** Options of {@linkcode cellExamples}. */
export interface CellExamplesOptions {
  /** The most images kept per cell, the first ones in test-set order (default 20). */
  perCell?: number;
  /** Output pixels per image pixel of each PNG (default 2: 56×56 for MNIST). */
  scale?: number;
}

/**
 * The first `perCell` test images of every cell of a confusion matrix (true class × predicted
 * class), each a small PNG data URL: `images` N×784 pixels, `labels` and `predicted` N classes.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const images = new Uint8Array(3 * 784);
 * const examples = cellExamples(images, [4, 4, 1], [9, 4, 1], ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"]);
 * assert.deepEqual(examples.map((e) => `${e.row}→${e.col}`), ["4→9", "4→4", "1→1"]);
 * assert.ok(examples[0].url.startsWith("data:image/png;base64,"));
 * ```
 */
export function cellExamples(
  images: Pixels,
  labels: ArrayLike<number>,
  predicted: ArrayLike<number>,
  classNames: readonly string[],
  options: CellExamplesOptions = {},
): CellExample[] {
  const { perCell = 20, scale = 2 } = options;
  const fn = "cellExamples";
  checkInteger(`${fn}: perCell`, perCell, { min: 1 });
  if (predicted.length !== labels.length) {
    const expected = `${labels.length} (one per label)`;
    throw checkError(`${fn}: predicted.length`, expected, `${predicted.length}`);
  }
  if (images.length !== labels.length * 784) {
    const expected = `${labels.length} images of 28×28 = ${labels.length * 784} pixels`;
    throw checkError(`${fn}: images.length`, expected, `${images.length}`);
  }
  const counts = new Map<string, number>();
  const picked: { index: number; row: number; col: number; rank: number }[] = [];
  for (let i = 0; i < labels.length; i++) {
    const [row, col] = [labels[i], predicted[i]];
    for (const [what, c] of [["labels", row], ["predicted", col]] as const) {
      if (!Number.isInteger(c) || c < 0 || c >= classNames.length) {
        const expected = `a class from 0 to ${classNames.length - 1}`;
        throw checkError(`${fn}: ${what}[${i}]`, expected, `${c}`);
      }
    }
    const key = `${row},${col}`;
    const rank = counts.get(key) ?? 0;
    counts.set(key, rank + 1);
    if (rank < perCell) picked.push({ index: i, row, col, rank });
  }
  return picked.map(({ index, row, col, rank }) => ({
    row: classNames[row],
    col: classNames[col],
    rank,
    count: counts.get(`${row},${col}`)!,
    url: pngDataUrl(digitPng(images.subarray(index * 784, (index + 1) * 784), { scale })),
  }));
}

/** Input of {@linkcode confusionExplorer}: the matrix, its cells' images and the first cell shown. */
export interface ConfusionExplorerInput extends HeatmapInput {
  /** The images of the cells, from {@linkcode cellExamples}. */
  examples: CellExample[];
  /**
   * The cell selected at first (and in the PNG), as [true, predicted] class names (default: the
   * largest off-diagonal cell, the most frequent mistake).
   */
  initial?: [string, string];
}

/** Images per row of the panel beside the matrix. */
const COLUMNS = 5;
/** The side of one image in the panel, in CSS pixels. */
const IMAGE = 44;

/**
 * Draws {@linkcode heatmap}'s confusion matrix with a click selection on its cells and, beside it,
 * the images of the selected cell (up to the number kept per cell) under a line that names the
 * cell and its count. The selected cell is outlined in red; a click outside the cells empties
 * the panel.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "./render.ts";
 *
 * const labels = ["0", "1"];
 * const examples = cellExamples(new Uint8Array(2 * 784), [0, 1], [1, 1], labels);
 * const svg = await renderSvg(confusionExplorer({
 *   matrix: [[0, 1], [0, 1]], labels, examples, initial: ["0", "1"],
 *   title: "Confusion matrix", xTitle: "Predicted", yTitle: "True",
 * }));
 * assert.match(svg, /<image /); // the initial cell's image, drawn
 * assert.match(svg, /True 0, predicted 1.*1 image</s);
 * ```
 */
export function confusionExplorer(input: ConfusionExplorerInput): Chart {
  const { examples, labels } = input;
  const initial = input.initial ?? largestMistake(input.matrix, labels);
  const fn = "confusionExplorer";
  for (const [i, name] of initial.entries()) {
    if (!labels.includes(name)) {
      throw checkError(`${fn}: initial[${i}]`, `one of ${labels.join(", ")}`, `"${name}"`);
    }
  }
  const { title, ...matrix } = heatmap(input) as unknown as Record<string, unknown> & {
    layer: Record<string, unknown>[];
  };
  const cell = {
    name: "cell",
    select: { type: "point", fields: ["row", "col"] },
    value: [{ row: initial[0], col: initial[1] }],
  };
  const [rect, ...rest] = matrix.layer as [{ encoding?: object }, ...object[]];
  const selected = (on: string | number, off: string | number) => ({
    condition: { param: "cell", empty: false, value: on },
    value: off,
  });
  const highlighted = {
    ...rect,
    params: [cell],
    encoding: {
      ...rect.encoding,
      stroke: selected("#d62728", "white"),
      strokeWidth: selected(3, 1),
    },
  };
  const shown = new Map<string, number>();
  for (const e of examples) shown.set(`${e.row},${e.col}`, e.rank + 1);
  const rows = examples.map((e) => {
    const kept = shown.get(`${e.row},${e.col}`)!;
    const images = `${e.count} image${e.count === 1 ? "" : "s"}`;
    const first = e.count > kept ? `, the first ${kept} shown` : "";
    return {
      ...e,
      gx: e.rank % COLUMNS,
      gy: Math.floor(e.rank / COLUMNS),
      caption: `True ${e.row}, predicted ${e.col}\n${images}${first}`,
    };
  });

  const kept = Math.max(1, ...examples.map((e) => e.rank + 1));
  const grid = {
    x: { field: "gx", type: "ordinal", axis: null, scale: { domain: range(COLUMNS) } },
    y: {
      field: "gy",
      type: "ordinal",
      axis: null,
      scale: { domain: range(Math.ceil(kept / COLUMNS)) },
    },
  };
  return {
    title,
    hconcat: [
      { ...matrix, layer: [highlighted, ...rest] },
      {
        width: COLUMNS * IMAGE,
        height: Math.ceil(kept / COLUMNS) * IMAGE,
        data: { values: rows },
        transform: [{ filter: { param: "cell", empty: false } }],
        layer: [
          {
            mark: { type: "image", width: IMAGE - 4, height: IMAGE - 4 },
            encoding: { ...grid, url: { field: "url", type: "nominal" }, tooltip: null },
          },
          {
            transform: [{ filter: "datum.rank == 0" }],
            mark: {
              type: "text",
              align: "left",
              baseline: "top",
              lineBreak: "\n",
              dy: -38,
              fontSize: MIN_FONT_SIZE + 1,
            },
            encoding: { text: { field: "caption" }, x: { value: 0 }, y: { value: 0 } },
          },
        ],
      },
    ],
    // deno-lint-ignore no-explicit-any
  } as any;
}

/** The [row, column] names of the largest off-diagonal count (the first on ties; [0, 1] if none). */
function largestMistake(matrix: number[][], labels: readonly string[]): [string, string] {
  let best: [number, number] = [0, Math.min(1, labels.length - 1)];
  let most = -1;
  matrix.forEach((row, i) =>
    row.forEach((v, j) => {
      if (i !== j && v > most) [best, most] = [[i, j], v];
    })
  );
  return [labels[best[0]], labels[best[1]]];
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
