/**
 * Digit pixels as plain typed arrays, and the checks every drawing function shares.
 *
 * A `Uint8Array` holds raw values 0–255; a `Float32Array` holds normalized values 0–1.
 *
 * @module
 */
import { checkError, checkIndex, checkInteger } from "../checks.ts";

/** Pixels of images, row-major: raw `Uint8Array` 0–255 or normalized `Float32Array` 0–1. */
export type Pixels = Uint8Array | Float32Array;

/** Image size in pixels; MNIST's 28×28 unless told otherwise. */
export interface DigitShape {
  /** Image height in pixels (default 28). */
  rows?: number;
  /** Image width in pixels (default 28). */
  cols?: number;
}

/**
 * Reads one pixel as a byte 0–255: raw bytes as they are, normalized floats ×255, clamped.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(grayByte(Float32Array.of(0.5), 0), 128); // normalized: ×255, rounded
 * assert.equal(grayByte(Uint8Array.of(200), 0), 200); // raw: as it is
 * ```
 */
export function grayByte(pixels: Pixels, i: number): number {
  const v = pixels[i];
  if (pixels instanceof Uint8Array) return v;
  if (Number.isNaN(v)) throw checkError(`pixels[${i}]`, "a number", "NaN");
  return Math.round(Math.min(1, Math.max(0, v)) * 255);
}

/**
 * Throws unless `length` is one image of rows×cols pixels.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * checkShape("digitPng", 784, 28, 28); // passes: one 28×28 image
 * assert.throws(() => checkShape("digitPng", 783, 28, 28), /digitPng/);
 * ```
 */
export function checkShape(fn: string, length: number, rows: number, cols: number): void {
  checkPositiveInt(fn, "rows", rows);
  checkPositiveInt(fn, "cols", cols);
  if (length !== rows * cols) {
    const expected = `rows×cols = ${rows}×${cols} = ${rows * cols}`;
    throw checkError(`${fn}: pixels.length`, expected, `${length}`);
  }
}

/**
 * Throws unless `images` is a whole number of rows×cols images and `indices` a non-empty list
 * of their indices.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const images = new Uint8Array(2 * 784); // two 28×28 images
 * checkImages("digitGridPng", images, [0, 1], 28, 28); // passes
 * assert.throws(() => checkImages("digitGridPng", images, [2], 28, 28), /digitGridPng/);
 * ```
 */
export function checkImages(
  fn: string,
  images: Pixels,
  indices: number[],
  rows: number,
  cols: number,
): void {
  checkPositiveInt(fn, "rows", rows);
  checkPositiveInt(fn, "cols", cols);
  const size = rows * cols;
  if (images.length === 0 || images.length % size !== 0) {
    const expected = `a non-zero multiple of rows×cols = ${size}`;
    throw checkError(`${fn}: images.length`, expected, `${images.length}`);
  }
  if (indices.length === 0) throw checkError(`${fn}: indices`, "at least one index", "none");
  const count = images.length / size;
  indices.forEach((index, k) => checkIndex(`${fn}: indices[${k}]`, index, count));
}

/**
 * Throws unless `value` is a positive integer, naming the option.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * checkPositiveInt("digitPng", "scale", 4); // passes
 * assert.throws(() => checkPositiveInt("digitPng", "scale", 0), /digitPng: scale/);
 * ```
 */
export function checkPositiveInt(fn: string, name: string, value: number): void {
  checkInteger(`${fn}: ${name}`, value, { min: 1 });
}
