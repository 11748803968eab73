/**
 * Digits as PNG images: one digit, or several in a grid, white strokes on black.
 *
 * Pixels come as a flat row-major array: a `Uint8Array` holds raw values 0–255, a
 * `Float32Array` holds normalized values 0–1 (values outside are clamped, as noisy
 * images may be). Each image pixel becomes a `scale`×`scale` block (nearest neighbour).
 *
 * @module
 */
import { encode } from "fast-png";
import { checkError, checkInteger } from "../checks.ts";
import {
  checkImages,
  checkPositiveInt,
  checkShape,
  type DigitShape,
  grayByte,
  type Pixels,
} from "./pixels.ts";

/** Options of {@linkcode digitPng}. */
export interface DigitPngOptions extends DigitShape {
  /** Output pixels per image pixel (default 6). */
  scale?: number;
}

/** Options of {@linkcode digitGridPng}. */
export interface DigitGridOptions extends DigitShape {
  /** Digits per grid row (default 10). */
  columns?: number;
  /** Output pixels per image pixel (default 3). */
  scale?: number;
  /** Grey border between digits, in output pixels (default 2). */
  gap?: number;
}

const GAP_GREY = 128;

/**
 * Encodes one grayscale digit as a PNG, upscaled with nearest neighbour.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const png = digitPng(new Uint8Array(784), { scale: 4 }); // a black square
 * assert.deepEqual(pngSize(png), { width: 112, height: 112 });
 * ```
 */
export function digitPng(pixels: Pixels, opts: DigitPngOptions = {}): Uint8Array {
  const { rows = 28, cols = 28, scale = 6 } = opts;
  checkShape("digitPng", pixels.length, rows, cols);
  checkPositiveInt("digitPng", "scale", scale);
  const out = new Uint8Array(rows * scale * cols * scale);
  blit(out, cols * scale, 0, 0, pixels, 0, rows, cols, scale);
  return encode({ width: cols * scale, height: rows * scale, data: out, channels: 1, depth: 8 });
}

/**
 * Encodes the chosen digits of a flat N×(rows·cols) array as one PNG grid, row by row.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { loadMnist } from "../data/mnist.ts";
 *
 * const { train } = await loadMnist();
 * const png = digitGridPng(train.images, [0, 1, 2, 3, 4], { columns: 5 });
 * // five digits of 28×3 px in one row, with 2 px gaps around them
 * assert.deepEqual(pngSize(png), { width: 5 * 84 + 6 * 2, height: 84 + 2 * 2 });
 * ```
 */
export function digitGridPng(
  images: Pixels,
  indices: number[],
  opts: DigitGridOptions = {},
): Uint8Array {
  const { rows = 28, cols = 28, scale = 3, gap = 2 } = opts;
  checkImages("digitGridPng", images, indices, rows, cols);
  checkPositiveInt("digitGridPng", "scale", scale);
  checkInteger("digitGridPng: gap", gap, { min: 0 });
  const columns = Math.min(opts.columns ?? 10, indices.length);
  checkPositiveInt("digitGridPng", "columns", columns);
  const gridRows = Math.ceil(indices.length / columns);
  const width = columns * cols * scale + (columns + 1) * gap;
  const height = gridRows * rows * scale + (gridRows + 1) * gap;
  const out = new Uint8Array(width * height).fill(GAP_GREY);
  indices.forEach((index, k) => {
    const x = gap + (k % columns) * (cols * scale + gap);
    const y = gap + Math.floor(k / columns) * (rows * scale + gap);
    blit(out, width, x, y, images, index * rows * cols, rows, cols, scale);
  });
  return encode({ width, height, data: out, channels: 1, depth: 8 });
}

/**
 * Returns a digit as a `data:image/png;base64,…` URL, for embedding in SVG or HTML.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const url = pngDataUrl(digitPng(new Uint8Array(784)));
 * assert.ok(url.startsWith("data:image/png;base64,iVBORw0")); // the PNG signature in base64
 * ```
 */
export function pngDataUrl(png: Uint8Array): string {
  return `data:image/png;base64,${base64(png)}`;
}

/**
 * Encodes bytes as base64, a slice at a time (a PNG or a model's weights can be megabytes, more
 * than one call's arguments can hold).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(base64(Uint8Array.of(137, 80, 78, 71)), "iVBORw==");
 * ```
 */
export function base64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/**
 * Reads a PNG's size in pixels from its header, without decoding it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const { width, height } = pngSize(digitPng(new Uint8Array(784), { scale: 4 }));
 * assert.deepEqual([width, height], [112, 112]);
 * ```
 */
export function pngSize(png: Uint8Array): { width: number; height: number } {
  const signature = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (!(png instanceof Uint8Array) || png.length < 24 || signature.some((b, i) => png[i] !== b)) {
    const head = png instanceof Uint8Array
      ? `${png.length} bytes starting ${Array.from(png.subarray(0, 8), (b) => b.toString(16))}`
      : typeof png;
    throw checkError("pngSize: png", "PNG bytes (signature 89 50 4e 47 …)", head);
  }
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

function blit(
  out: Uint8Array,
  outWidth: number,
  x0: number,
  y0: number,
  pixels: Pixels,
  offset: number,
  rows: number,
  cols: number,
  scale: number,
): void {
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const v = grayByte(pixels, offset + r * cols + c);
      for (let dy = 0; dy < scale; dy++) {
        const start = (y0 + r * scale + dy) * outWidth + x0 + c * scale;
        out.fill(v, start, start + scale);
      }
    }
  }
}
