/**
 * The demo's preprocessing (demo/preprocess.ts), without a browser: a drawing becomes a 28×28
 * input the way MNIST's digits were made, and MNIST's own digits, enlarged, come back unchanged.
 */
import assert from "node:assert/strict";
import {
  centerOfMass,
  FASHION_MNIST_FIT,
  inkBox,
  inkFromRgba,
  resizeArea,
  toModelInput,
} from "../../demo/preprocess.ts";
import { loadMnist } from "../../lib/mod.ts";

/** A width×height blank image with the rectangle [x, x + w) × [y, y + h) full of ink. */
function rectangle(width: number, height: number, x: number, y: number, w: number, h: number) {
  const ink = new Float32Array(width * height);
  for (let row = y; row < y + h; row++) ink.fill(1, row * width + x, row * width + x + w);
  return ink;
}

/** Each pixel of a size×size image as a scale×scale block. */
function enlarge(pixels: ArrayLike<number>, size: number, scale: number): Float32Array {
  const big = new Float32Array(size * size * scale * scale);
  for (let y = 0; y < size * scale; y++) {
    for (let x = 0; x < size * scale; x++) {
      big[y * size * scale + x] = pixels[Math.floor(y / scale) * size + Math.floor(x / scale)];
    }
  }
  return big;
}

/** The box of pixels above `level` of a 28×28 input. */
function box28(input: Float32Array, level = 0) {
  return inkBox(input.map((v) => v > level ? v : 0), 28, 28);
}

Deno.test("inkFromRgba: white paper is 0, black ink 1, grey between, transparent 0", () => {
  const rgba = new Uint8Array([255, 255, 255, 255, 0, 0, 0, 255, 51, 51, 51, 255, 0, 0, 0, 0]);
  const ink = inkFromRgba(rgba, 2, 2);
  assert.deepEqual([...ink].map((v) => +v.toFixed(3)), [0, 1, 0.8, 0]);
  assert.throws(() => inkFromRgba(rgba, 3, 2), /16 bytes for 3×2 RGBA pixels/);
});

Deno.test("inkBox finds the smallest box around the ink, none on a blank image", () => {
  assert.equal(inkBox(new Float32Array(12), 4, 3), undefined);
  assert.deepEqual(inkBox(rectangle(10, 8, 2, 3, 5, 4), 10, 8), {
    x: 2,
    y: 3,
    width: 5,
    height: 4,
  });
  assert.throws(() => inkBox(new Float32Array(5), 2, 2), /5 pixels for a 2×2 image/);
});

Deno.test("resizeArea averages the area each output pixel covers (anti-aliasing)", () => {
  const stripes = new Float32Array([1, 0, 1, 0, 1, 1, 1, 1]);
  const half = resizeArea(stripes, 4, { x: 0, y: 0, width: 4, height: 2 }, 2);
  assert.deepEqual(half, { pixels: new Float32Array([0.75, 0.75]), width: 2, height: 1 });
  // 3×2 pixels in steps of 2: the second output pixel covers one ink column and one beyond the box.
  const three = resizeArea(new Float32Array(6).fill(1), 3, { x: 0, y: 0, width: 3, height: 2 }, 2);
  assert.deepEqual([...three.pixels], [1, 0.5]);
  // Steps that are not whole pixels weigh the partly covered pixels by their share.
  const column = new Float32Array([0, 1, 0, 0, 1, 0, 0, 1, 0]);
  const third = resizeArea(column, 3, { x: 0, y: 0, width: 3, height: 3 }, 1.5);
  assert.deepEqual([...third.pixels].map((v) => +v.toFixed(6)), [
    0.333333,
    0.333333,
    0.333333,
    0.333333,
  ]);
});

Deno.test("centerOfMass is the ink-weighted mean pixel index", () => {
  assert.deepEqual(centerOfMass(new Float32Array([1, 0, 0, 3]), 2, 2), { x: 0.75, y: 0.75 });
  assert.equal(centerOfMass(new Float32Array(4), 2, 2), undefined);
});

Deno.test("toModelInput: a blank drawing has no input", () => {
  assert.equal(toModelInput(new Float32Array(280 * 280), 280, 280), undefined);
});

Deno.test("toModelInput fits the ink's box to 20×20 keeping its aspect ratio, centre of mass at (14, 14)", () => {
  const wide = toModelInput(rectangle(280, 280, 30, 100, 100, 50), 280, 280)!;
  assert.equal(wide.length, 784);
  assert.deepEqual(box28(wide), { x: 5, y: 10, width: 20, height: 10 });
  assert.ok(wide.every((v) => v === 0 || v === 1), "whole pixels of a rectangle: no grey");
  const mass = centerOfMass(wide, 28, 28)!;
  assert.ok(Math.abs(mass.x - 14) <= 0.5 && Math.abs(mass.y - 14) <= 0.5, JSON.stringify(mass));
  const tall = toModelInput(rectangle(280, 280, 200, 10, 40, 200), 280, 280)!;
  assert.deepEqual(box28(tall), { x: 13, y: 5, width: 4, height: 20 });
});

Deno.test("toModelInput gives the same input wherever and however large the shape is drawn", () => {
  const shape = new Float32Array(28 * 28);
  for (const [x, y] of [[3, 2], [4, 2], [5, 3], [5, 4], [4, 5], [3, 6], [3, 7], [4, 7], [5, 7]]) {
    shape[y * 28 + x] = 1; // a little "2"
  }
  const small = toModelInput(enlarge(shape, 28, 5), 140, 140)!;
  const large = toModelInput(enlarge(shape, 28, 10), 280, 280)!;
  assert.deepEqual(large, small);
  const moved = new Float32Array(28 * 28);
  shape.forEach((v, i) => moved[i + 28 * 9 + 15] = v);
  assert.deepEqual(toModelInput(enlarge(moved, 28, 10), 280, 280), large);
});

Deno.test("toModelInput anti-aliases: a box scaled by a fraction gets grey edges, the strongest pixel is full ink", () => {
  const input = toModelInput(rectangle(280, 280, 50, 50, 150, 45), 280, 280)!;
  // 150 × 45 → 20 × 6 exactly; 45 × 20 / 150 = 6: no grey. 150 × 50 → 20 × 6.67: a grey row.
  assert.ok(input.every((v) => v === 0 || v === 1));
  const grey = toModelInput(rectangle(280, 280, 50, 50, 150, 50), 280, 280)!;
  const values = [...grey].filter((v) => v > 0 && v < 1).map((v) => +v.toFixed(4));
  assert.deepEqual([...new Set(values)], [0.6667]);
  assert.equal(Math.max(...grey), 1);
});

Deno.test("toModelInput with Fashion-MNIST's recipe fits 28×28 and centres the box", () => {
  const input = toModelInput(rectangle(280, 280, 10, 20, 100, 200), 280, 280, FASHION_MNIST_FIT)!;
  assert.deepEqual(box28(input), { x: 7, y: 0, width: 14, height: 28 });
  assert.throws(
    () => toModelInput(new Float32Array(4), 2, 2, { size: 28, box: 30, center: "box" }),
    /box 30 > frame 28/,
  );
});

Deno.test("MNIST's test digits, enlarged 10×, come back as they were (the recipe is MNIST's)", async () => {
  const { test } = await loadMnist();
  const n = 1000;
  let same = 0;
  for (let k = 0; k < n; k++) {
    const digit = test.images.subarray(k * 784, (k + 1) * 784);
    const input = toModelInput(enlarge(digit, 28, 10), 280, 280)!;
    // Digits whose brightest pixel is under 255 come back stretched to 255: 1 grey level off.
    if (input.every((v, i) => Math.abs(v * 255 - digit[i]) <= 1 + 1e-3)) same++;
  }
  assert.ok(same >= 0.995 * n, `${same} of ${n} digits came back as they were`);
});
