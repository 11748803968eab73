/**
 * A layer's incoming weights as pictures: each hidden unit's weights from the 784 input pixels
 * drawn as a 28×28 image, red for negative, white for zero, blue for positive (ColorBrewer RdBu).
 *
 * The kernel is a tfjs Dense kernel of shape [inputs, units], row-major: the weight of pixel `p`
 * into unit `u` is `kernel[p * units + u]`.
 *
 * @module
 */
import { encode, type IndexedColors } from "fast-png";
import { checkError, checkIndex, checkInteger, checkNumber } from "../checks.ts";
import { checkPositiveInt } from "./pixels.ts";
import { pngDataUrl, pngSize } from "./png.ts";
import { renderSvg } from "./render.ts";

/** Where the units' images sit in a grid, and how weights map to colours. */
export interface WeightGridOptions {
  /** Inputs of the layer, the kernel's first dimension (default 784). */
  inputs?: number;
  /** Height of one unit's image; rows×cols = inputs (default 28). */
  rows?: number;
  /** Width of one unit's image (default 28). */
  cols?: number;
  /** Units of the layer, the kernel's second dimension. */
  units: number;
  /** The units to draw, in order. */
  indices: number[];
  /** Images per grid row (default 16). */
  columns?: number;
  /** Weights at ±limit get the scale's end colours; weights beyond are clamped. */
  limit: number;
  /** Output pixels per weight, across and down (default 3). */
  block?: number;
  /** Grey pixels between two units' images and around them (default 2). */
  gap?: number;
}

/** One panel of {@linkcode weightImagesSvg}: a kernel of shape [inputs, units] under a title. */
export interface WeightPanel {
  /** Title above the panel, e.g. "After 10 epochs". */
  title: string;
  /** The Dense kernel, [inputs·units] row-major. */
  kernel: Float32Array;
}

/** Input of {@linkcode weightImagesSvg}: the panels and the grid they share. */
export interface WeightImagesInput extends Omit<WeightGridOptions, "limit"> {
  /** The panels, row by row, all drawn on one colour scale. */
  panels: WeightPanel[];
  /** Panels side by side before the next row (default 1: stacked). */
  panelColumns?: number;
  /**
   * Weights at ±limit get the end colours, those beyond are clamped (default: the largest |w|
   * drawn in any panel, or the quantile that `clip` sets).
   */
  limit?: number;
  /**
   * Share of the drawn weights, in [0, 1), allowed beyond ±limit when `limit` is not given
   * (default 0): 0.01 sets limit to the 99th percentile of |w|, so that a few large weights do
   * not wash out the rest.
   */
  clip?: number;
  /** Title above the figure. */
  title: string;
}

/** ColorBrewer's 9-class RdBu, negative (red) to positive (blue), #f7f7f7 at 0. */
const RDBU = [
  "#b2182b",
  "#d6604d",
  "#f4a582",
  "#fddbc7",
  "#f7f7f7",
  "#d1e5f0",
  "#92c5de",
  "#4393c3",
  "#2166ac",
];
const RDBU_RGB = RDBU.map((hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)));
/** Colours of the scale from −limit to +limit: odd, so that 0 has its own (the middle one). */
const LEVELS = 255;
/** The PNG's palette: the scale's colours, then the grey of the gaps (index `LEVELS`). */
const PALETTE: IndexedColors = [
  ...Array.from({ length: LEVELS }, (_, i) => weightColor(2 * i / (LEVELS - 1) - 1, 1)),
  [150, 150, 150],
];

/**
 * Encodes the chosen units' incoming weights as one PNG grid, row by row: each weight a 3×3 block
 * (or `block`×`block`) coloured on the RdBu scale from −limit to +limit in 255 steps (an 8-bit
 * palette: a third of the bytes of RGB), with 2 px (or `gap`) grey gaps between units.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { convertIndexedToRgb, decode } from "fast-png";
 *
 * // 4 inputs (a 2×2 image) into 3 units; unit 1's weights are −1, 0, 0.5, 1
 * const kernel = Float32Array.of(0, -1, 0, 0, 0, 0, 0, 0.5, 0, 0, 1, 0);
 * const opts = { inputs: 4, rows: 2, cols: 2, units: 3, indices: [1], limit: 1 };
 * const png = decode(weightGridPng(kernel, opts));
 * assert.deepEqual([png.width, png.height], [2 + 6 + 2, 2 + 6 + 2]); // 3×3 blocks, 2 px gaps
 * const rgb = (x: number, y: number) => {
 *   const i = 3 * (y * png.width + x);
 *   return Array.from(convertIndexedToRgb(png).slice(i, i + 3));
 * };
 * assert.deepEqual(rgb(2, 2), [178, 24, 43]); // −1: dark red
 * assert.deepEqual(rgb(5, 2), [247, 247, 247]); // 0: nearly white
 * assert.deepEqual(rgb(5, 5), [33, 102, 172]); // 1: dark blue
 * ```
 */
export function weightGridPng(kernel: Float32Array, opts: WeightGridOptions): Uint8Array {
  const { inputs = 784, rows = 28, cols = 28, units, indices, columns = 16, limit } = opts;
  const { block = 3, gap = 2 } = opts;
  checkGrid("weightGridPng", { inputs, rows, cols, units, indices, columns });
  checkKernel("weightGridPng: kernel", kernel, inputs, units);
  checkNumber("weightGridPng: limit", limit, { above: 0 });
  checkPositiveInt("weightGridPng", "block", block);
  checkInteger("weightGridPng: gap", gap, { min: 0 });
  const across = Math.min(columns, indices.length);
  const down = Math.ceil(indices.length / across);
  const width = across * cols * block + (across + 1) * gap;
  const height = down * rows * block + (down + 1) * gap;
  const out = new Uint8Array(width * height).fill(LEVELS);
  indices.forEach((unit, k) => {
    const x0 = gap + (k % across) * (cols * block + gap);
    const y0 = gap + Math.floor(k / across) * (rows * block + gap);
    for (let p = 0; p < inputs; p++) {
      const w = kernel[p * units + unit];
      if (Number.isNaN(w)) {
        throw checkError(`weightGridPng: kernel[${p * units + unit}]`, "a number", "NaN");
      }
      const level = Math.round((Math.max(-1, Math.min(1, w / limit)) + 1) / 2 * (LEVELS - 1));
      const x = x0 + (p % cols) * block;
      const y = y0 + Math.floor(p / cols) * block;
      for (let dy = 0; dy < block; dy++) {
        out.fill(level, (y + dy) * width + x, (y + dy) * width + x + block);
      }
    }
  });
  return encode({ width, height, data: out, channels: 1, depth: 8, palette: PALETTE });
}

/**
 * Draws the chosen units' incoming weights of each panel's kernel as grids of images, panels
 * under their titles (stacked, or `panelColumns` side by side), on one diverging colour scale
 * with its legend.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const kernel = Float32Array.from({ length: 784 * 256 }, (_, i) => Math.sin(i) / 10);
 * const svg = await weightImagesSvg({
 *   panels: [{ title: "Dense 1", kernel }], units: 256, indices: [0, 1, 2, 3],
 *   title: "Incoming weights of four hidden units",
 * });
 * assert.match(svg, /<title>Incoming weights of four hidden units/);
 * ```
 */
export function weightImagesSvg(input: WeightImagesInput): Promise<string> {
  const { panels, inputs = 784, rows = 28, cols = 28, units, indices, columns = 16 } = input;
  const grid = { inputs, rows, cols, units, indices, columns };
  checkGrid("weightImagesSvg", grid);
  if (panels.length === 0) {
    throw checkError("weightImagesSvg: panels", "at least one panel", "none");
  }
  panels.forEach((p, i) =>
    checkKernel(`weightImagesSvg: panels[${i}].kernel`, p.kernel, inputs, units)
  );
  const { clip = 0, panelColumns = 1 } = input;
  checkNumber("weightImagesSvg: clip", clip, { min: 0, below: 1 });
  checkPositiveInt("weightImagesSvg", "panelColumns", panelColumns);
  const kernels = panels.map((p) => p.kernel);
  const quantile = weightLimit("weightImagesSvg: panels", kernels, grid, clip); // checks finite
  if (input.limit !== undefined) checkNumber("weightImagesSvg: limit", input.limit, { above: 0 });
  const limit = input.limit ?? quantile;
  const stops = RDBU.map((_, i) => limit * (i / (RDBU.length - 1) * 2 - 1));
  const legendColor = {
    field: "w",
    type: "quantitative",
    scale: { domain: stops, range: RDBU, interpolate: "rgb" },
    legend: {
      title: "weight",
      values: [-limit, 0, limit],
      format: ".2~r",
      gradientLength: 120,
      gradientThickness: 14,
    },
  } as const;
  const specs = panels.map((panel, i) => {
    const png = weightGridPng(panel.kernel, { ...grid, limit });
    const { width, height } = pngSize(png);
    // Shown at half size: pixel-exact when the figure is drawn at 2×, as svgToPng does.
    const [w, h] = [width / 2, height / 2];
    const image = {
      data: { values: [{ url: pngDataUrl(png) }] },
      mark: { type: "image", width: w, height: h, align: "left", baseline: "top", smooth: false },
      encoding: { url: { field: "url", type: "nominal" }, x: { value: 0 }, y: { value: 0 } },
    };
    // An invisible mark inside the image that carries the colour scale, for the legend.
    const scale = {
      data: { values: [{ w: -limit }, { w: limit }] },
      mark: { type: "point", opacity: 0, aria: false },
      encoding: { x: { value: w / 2 }, y: { value: h / 2 }, color: legendColor },
    };
    return {
      title: { text: panel.title, fontSize: 13, fontWeight: "normal" },
      width: w,
      height: h,
      layer: i === 0 ? [image, scale] : [image],
    };
  });
  return renderSvg({
    title: input.title,
    description: `incoming weights of ${indices.length} units as ${rows}×${cols} images, ` +
      `red negative, blue positive, clamped to ±${limit.toPrecision(2)}`,
    concat: specs,
    columns: panelColumns,
    spacing: 14,
    // deno-lint-ignore no-explicit-any
  } as any);
}

interface Grid {
  inputs: number;
  rows: number;
  cols: number;
  units: number;
  indices: number[];
  columns: number;
}

function checkGrid(fn: string, { inputs, rows, cols, units, indices, columns }: Grid): void {
  for (const [name, value] of Object.entries({ inputs, rows, cols, units, columns })) {
    checkPositiveInt(fn, name, value);
  }
  if (rows * cols !== inputs) {
    throw checkError(`${fn}: rows×cols`, `inputs = ${inputs}`, `${rows}×${cols} = ${rows * cols}`);
  }
  if (indices.length === 0) throw checkError(`${fn}: indices`, "at least one unit", "none");
  indices.forEach((unit, k) => checkIndex(`${fn}: indices[${k}]`, unit, units));
}

function checkKernel(what: string, kernel: Float32Array, inputs: number, units: number): void {
  if (!(kernel instanceof Float32Array) || kernel.length !== inputs * units) {
    const got = kernel instanceof Float32Array ? `${kernel.length}` : typeof kernel;
    throw checkError(
      `${what}.length`,
      `inputs·units = ${inputs}·${units} = ${inputs * units}`,
      got,
    );
  }
}

/**
 * The colour limit for drawing the chosen units of several kernels [inputs·units] on one scale:
 * the `1 − clip` quantile of their |w| (clip 0: the largest; 1 when all are 0), as
 * {@linkcode weightImagesSvg} chooses it; throws on NaN, ±∞, naming `fn` and the weight.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // 2 inputs into 2 units; unit 1's weights are −3 and 1, unit 0's are ignored
 * const kernel = Float32Array.of(9, -3, 9, 1);
 * assert.equal(weightLimit("example", [kernel], { inputs: 2, units: 2, indices: [1] }, 0), 3);
 * ```
 */
export function weightLimit(
  fn: string,
  kernels: Float32Array[],
  grid: { inputs: number; units: number; indices: number[] },
  clip: number,
): number {
  const { inputs, units, indices } = grid;
  const drawn = new Float32Array(kernels.length * indices.length * inputs);
  let k = 0;
  kernels.forEach((kernel, i) => {
    for (const unit of indices) {
      for (let p = 0; p < inputs; p++) {
        const w = kernel[p * units + unit];
        if (!Number.isFinite(w)) checkNumber(`${fn}[${i}].kernel[${p * units + unit}]`, w);
        drawn[k++] = Math.abs(w);
      }
    }
  });
  drawn.sort();
  return drawn[Math.round((1 - clip) * (drawn.length - 1))] || 1;
}

/** The RdBu colour of weight `w` on the scale −limit…limit, interpolated in RGB as vega does. */
function weightColor(w: number, limit: number): number[] {
  const t = (Math.max(-1, Math.min(1, w / limit)) + 1) / 2 * (RDBU_RGB.length - 1);
  const i = Math.min(Math.floor(t), RDBU_RGB.length - 2);
  const f = t - i;
  return RDBU_RGB[i].map((c, k) => Math.round(c + (RDBU_RGB[i + 1][k] - c) * f));
}
