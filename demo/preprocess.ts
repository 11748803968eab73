/**
 * A drawing made into a model input the way the MNIST digits were made: the ink's bounding box
 * scaled to fit a 20×20 box keeping its aspect ratio, anti-aliased by averaging the area each
 * output pixel covers, then placed in a 28×28 frame so that its centre of mass sits at the
 * frame's centre (pixel (14, 14), where the MNIST digits have theirs on average).
 *
 * Pure TypeScript on flat row-major pixel arrays (no DOM, no tfjs): the page and the tests run
 * the same code. Ink is a value in [0, 1] per pixel, 0 for blank paper and 1 for full ink, the
 * convention of the normalized MNIST images.
 *
 * @module
 */

/** A rectangle of pixels: `x`, `y` of its top-left pixel, `width` × `height` pixels. */
export interface Box {
  /** Column of the leftmost pixel. */
  x: number;
  /** Row of the topmost pixel. */
  y: number;
  /** Columns. */
  width: number;
  /** Rows. */
  height: number;
}

/** A grayscale image: `pixels` holds height×width values, row-major. */
export interface Gray {
  /** height×width ink values, row-major. */
  pixels: Float32Array;
  /** Columns. */
  width: number;
  /** Rows. */
  height: number;
}

/** How a drawing is fitted into the model's square input frame. */
export interface Fit {
  /** Side of the square frame in pixels (28). */
  size: number;
  /** Side of the box the ink's bounding box is scaled to fit, keeping its aspect ratio. */
  box: number;
  /** Where the scaled ink goes: its centre of mass, or its bounding box, at the frame's centre. */
  center: "mass" | "box";
}

/** MNIST's recipe: fit a 20×20 box, centre of mass at the centre of 28×28. */
export const MNIST_FIT: Readonly<Fit> = Object.freeze({ size: 28, box: 20, center: "mass" });

/**
 * Fashion-MNIST's recipe (Xiao et al. 2017): the longest edge scaled to 28, the box centred
 * in 28×28 (their sharpening step is left out).
 */
export const FASHION_MNIST_FIT: Readonly<Fit> = Object.freeze({
  size: 28,
  box: 28,
  center: "box",
});

/**
 * Ink of RGBA pixels drawn on white paper: width×height×4 bytes → width×height values in
 * [0, 1], 1 − luminance, times alpha (transparent pixels are blank paper).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const whiteThenBlack = new Uint8Array([255, 255, 255, 255, 0, 0, 0, 255]);
 * assert.deepEqual(inkFromRgba(whiteThenBlack, 2, 1), new Float32Array([0, 1]));
 * ```
 */
export function inkFromRgba(rgba: ArrayLike<number>, width: number, height: number): Float32Array {
  checkSize(width, height);
  if (rgba.length !== width * height * 4) {
    throw new Error(`inkFromRgba: ${rgba.length} bytes for ${width}×${height} RGBA pixels`);
  }
  const ink = new Float32Array(width * height);
  for (let i = 0; i < ink.length; i++) {
    const luminance = 0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2];
    ink[i] = Math.min(1, Math.max(0, (1 - luminance / 255) * (rgba[4 * i + 3] / 255)));
  }
  return ink;
}

/**
 * The smallest box holding every pixel with ink (value > 0) of a width×height image;
 * undefined when there is none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(inkBox(new Float32Array([0, 0, 0, 1]), 2, 2), { x: 1, y: 1, width: 1, height: 1 });
 * assert.equal(inkBox(new Float32Array(4), 2, 2), undefined);
 * ```
 */
export function inkBox(ink: ArrayLike<number>, width: number, height: number): Box | undefined {
  checkImage(ink, width, height);
  let left = width, right = -1, top = height, bottom = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!(ink[y * width + x] > 0)) continue;
      if (x < left) left = x;
      if (x > right) right = x;
      if (y < top) top = y;
      bottom = y;
    }
  }
  if (right < 0) return undefined;
  return { x: left, y: top, width: right - left + 1, height: bottom - top + 1 };
}

/** For each output pixel along one axis: the source pixels it covers and their weights. */
function areaWeights(sourceLength: number, step: number, outLength: number) {
  return Array.from({ length: outLength }, (_, j) => {
    const from = j * step;
    const to = (j + 1) * step;
    const taps: [number, number][] = [];
    for (let i = Math.floor(from); i < Math.min(Math.ceil(to), sourceLength); i++) {
      const overlap = Math.min(to, i + 1) - Math.max(from, i);
      if (overlap > 0) taps.push([i, overlap / step]);
    }
    return taps;
  });
}

/**
 * Scales the part of a width-wide image inside `box` by `1 / step` (each output pixel covers
 * step×step source pixels) and anti-aliases it: every output pixel is the mean ink of the area
 * it covers. Returns ⌈box.width / step⌉ × ⌈box.height / step⌉ pixels.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const stripes = new Float32Array([1, 0, 1, 0, 1, 0, 1, 0]); // 4×2
 * assert.deepEqual(resizeArea(stripes, 4, { x: 0, y: 0, width: 4, height: 2 }, 2), {
 *   pixels: new Float32Array([0.5, 0.5]),
 *   width: 2,
 *   height: 1,
 * });
 * ```
 */
export function resizeArea(ink: ArrayLike<number>, width: number, box: Box, step: number): Gray {
  if (!(step > 0 && Number.isFinite(step))) throw new Error(`resizeArea: step ${step}`);
  const outWidth = Math.max(1, Math.ceil(box.width / step - 1e-9));
  const outHeight = Math.max(1, Math.ceil(box.height / step - 1e-9));
  const columns = areaWeights(box.width, step, outWidth);
  const rows = areaWeights(box.height, step, outHeight);
  const across = new Float32Array(box.height * outWidth);
  for (let y = 0; y < box.height; y++) {
    const row = (box.y + y) * width + box.x;
    for (let j = 0; j < outWidth; j++) {
      let sum = 0;
      for (const [i, w] of columns[j]) sum += w * ink[row + i];
      across[y * outWidth + j] = sum;
    }
  }
  const pixels = new Float32Array(outHeight * outWidth);
  for (let k = 0; k < outHeight; k++) {
    for (const [y, w] of rows[k]) {
      for (let j = 0; j < outWidth; j++) pixels[k * outWidth + j] += w * across[y * outWidth + j];
    }
  }
  return { pixels, width: outWidth, height: outHeight };
}

/**
 * The ink-weighted mean position of a width×height image, in pixel indices (the centre of the
 * top-left pixel is (0, 0)); undefined when there is no ink.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(centerOfMass(new Float32Array([1, 0, 0, 1]), 2, 2), { x: 0.5, y: 0.5 });
 * ```
 */
export function centerOfMass(
  pixels: ArrayLike<number>,
  width: number,
  height: number,
): { x: number; y: number } | undefined {
  checkImage(pixels, width, height);
  let mass = 0, sx = 0, sy = 0;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const v = pixels[y * width + x];
      mass += v;
      sx += v * x;
      sy += v * y;
    }
  }
  return mass > 0 ? { x: sx / mass, y: sy / mass } : undefined;
}

/**
 * The model input for a drawing: width×height ink values → size×size values in [0, 1]
 * (784 for 28×28), made as `fit` says ({@linkcode MNIST_FIT} by default), with the
 * strongest pixel scaled to full ink as the MNIST strokes are; undefined for a blank drawing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const ink = new Float32Array(280 * 280);
 * for (let y = 40; y < 240; y++) ink.fill(1, y * 280 + 130, y * 280 + 150); // a "1", 20×200
 * const input = toModelInput(ink, 280, 280)!; // the 1 becomes 2×20 pixels
 * assert.equal(input.length, 784);
 * assert.equal(input.reduce((sum, v) => sum + v, 0), 40);
 * assert.equal(toModelInput(new Float32Array(280 * 280), 280, 280), undefined);
 * ```
 */
export function toModelInput(
  ink: ArrayLike<number>,
  width: number,
  height: number,
  fit: Readonly<Fit> = MNIST_FIT,
): Float32Array | undefined {
  if (!(Number.isInteger(fit.size) && Number.isInteger(fit.box) && fit.box > 0)) {
    throw new Error(`toModelInput: fit ${JSON.stringify(fit)}: expected integer sizes`);
  }
  if (fit.box > fit.size) throw new Error(`toModelInput: box ${fit.box} > frame ${fit.size}`);
  const box = inkBox(ink, width, height);
  if (!box) return undefined;
  const scaled = resizeArea(ink, width, box, Math.max(box.width, box.height) / fit.box);
  let max = 0;
  for (const v of scaled.pixels) max = Math.max(max, v);
  if (!(max > 0)) return undefined;
  let dx: number, dy: number;
  if (fit.center === "mass") {
    const center = centerOfMass(scaled.pixels, scaled.width, scaled.height)!;
    dx = Math.round(fit.size / 2 - center.x);
    dy = Math.round(fit.size / 2 - center.y);
  } else {
    dx = Math.floor((fit.size - scaled.width) / 2);
    dy = Math.floor((fit.size - scaled.height) / 2);
  }
  const out = new Float32Array(fit.size * fit.size);
  for (let y = 0; y < scaled.height; y++) {
    const ty = y + dy;
    if (ty < 0 || ty >= fit.size) continue;
    for (let x = 0; x < scaled.width; x++) {
      const tx = x + dx;
      if (tx < 0 || tx >= fit.size) continue;
      out[ty * fit.size + tx] = Math.min(1, scaled.pixels[y * scaled.width + x] / max);
    }
  }
  return out;
}

function checkSize(width: number, height: number) {
  if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
    throw new Error(`image of ${width}×${height} pixels: expected positive integers`);
  }
}

function checkImage(pixels: ArrayLike<number>, width: number, height: number) {
  checkSize(width, height);
  if (pixels.length !== width * height) {
    throw new Error(`${pixels.length} pixels for a ${width}×${height} image`);
  }
}
