/**
 * Digit pixels as plain typed arrays, and the checks every drawing function shares.
 *
 * A `Uint8Array` holds raw values 0–255; a `Float32Array` holds normalized values 0–1.
 *
 * @module
 */

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
 * grayByte(new Float32Array([0.5]), 0); // 128
 * ```
 */
export function grayByte(pixels: Pixels, i: number): number {
  const v = pixels[i];
  if (pixels instanceof Uint8Array) return v;
  if (Number.isNaN(v)) throw new Error(`pixel ${i} is NaN; expected a value in 0..1`);
  return Math.round(Math.min(1, Math.max(0, v)) * 255);
}

/**
 * Throws unless `length` is one image of rows×cols pixels.
 *
 * @example
 * ```ts
 * checkShape("digitPng", pixels.length, 28, 28); // throws unless 784 pixels
 * ```
 */
export function checkShape(fn: string, length: number, rows: number, cols: number): void {
  checkPositiveInt(fn, "rows", rows);
  checkPositiveInt(fn, "cols", cols);
  if (length !== rows * cols) {
    throw new Error(
      `${fn}: pixels has length ${length}, expected rows×cols = ${rows}×${cols} = ${rows * cols}`,
    );
  }
}

/**
 * Throws unless `images` is a whole number of rows×cols images and `indices` a non-empty list
 * of their indices.
 *
 * @example
 * ```ts
 * checkImages("digitGridPng", images, [0, 1], 28, 28); // throws unless images 0 and 1 exist
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
    throw new Error(
      `${fn}: images has length ${images.length}, expected a non-zero multiple of rows×cols = ${size}`,
    );
  }
  if (indices.length === 0) throw new Error(`${fn}: indices is empty; expected at least one index`);
  const count = images.length / size;
  for (const index of indices) {
    if (!Number.isInteger(index) || index < 0 || index >= count) {
      throw new Error(`${fn}: index ${index} is not an image index in 0..${count - 1}`);
    }
  }
}

/**
 * Throws unless `value` is a positive integer, naming the option.
 *
 * @example
 * ```ts
 * checkPositiveInt("digitPng", "scale", 0); // throws "digitPng: scale must be a positive…"
 * ```
 */
export function checkPositiveInt(fn: string, name: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`${fn}: ${name} must be a positive integer, got ${value}`);
  }
}
