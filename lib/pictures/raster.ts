/**
 * SVG to PNG, headless: resvg compiled to WebAssembly, with the Inter font shipped by an npm
 * package (resvg sees no system fonts), so a figure looks the same on every machine.
 *
 * The .wasm and the two font files (regular and bold) are read from their npm packages on the
 * first call; later calls reuse them. Embedded images are scaled nearest-neighbour, as the
 * library's only images are pixel-exact digits.
 *
 * @module
 */
// Imported only so that Deno installs the font package; its .ttf files are read below.
import "@expo-google-fonts/inter/package.json" with { type: "json" };
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import { encode } from "fast-png";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { checkError, checkNumber } from "../checks.ts";

/** The font family every rasterized figure's text is drawn in (also the charts' first choice). */
export const FONT_FAMILY = "Inter";

/** Options of {@linkcode svgToPng}. */
export interface RasterOptions {
  /** Device pixels per CSS pixel (default 2: sharp on high-density screens when shown at 1×). */
  density?: number;
}

/** A rasterized figure: the PNG and the size to show it at. */
export interface RasterImage {
  /** The PNG's bytes, `width·density` × `height·density` pixels: RGB, or RGBA if any is clear. */
  png: Uint8Array;
  /** Width to show the image at, in CSS pixels: the SVG's width (to whole device pixels). */
  width: number;
  /** Height to show the image at, in CSS pixels: the SVG's height (to whole device pixels). */
  height: number;
  /** Device pixels per CSS pixel the PNG was drawn at. */
  density: number;
}

const FONT_FILES = ["400Regular/Inter_400Regular.ttf", "700Bold/Inter_700Bold.ttf"];

let fonts: Promise<Uint8Array[]> | undefined;

/** Loads resvg's WebAssembly and the font files, once. */
function ready(): Promise<Uint8Array[]> {
  fonts ??= (async () => {
    const require = createRequire(import.meta.url);
    const fontDir = dirname(require.resolve("@expo-google-fonts/inter/package.json"));
    const buffers = await Promise.all(FONT_FILES.map((f) => Deno.readFile(join(fontDir, f))));
    await initWasm(await Deno.readFile(require.resolve("@resvg/resvg-wasm/index_bg.wasm")));
    return buffers;
  })();
  return fonts;
}

/**
 * Draws an SVG document as a PNG at `density` device pixels per CSS pixel (an SVG of W×H CSS px
 * gives a PNG of W·density × H·density px), with text in {@linkcode FONT_FAMILY}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { pngSize } from "./png.ts";
 *
 * const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30">
 *   <text y="20">7</text>
 * </svg>`;
 * const { png, width, height } = await svgToPng(svg); // density 2 by default
 * assert.deepEqual([width, height], [40, 30]); // the size to show it at
 * assert.deepEqual(pngSize(png), { width: 80, height: 60 }); // sharp on a 2× screen
 * ```
 */
export async function svgToPng(svg: string, opts: RasterOptions = {}): Promise<RasterImage> {
  const { density = 2 } = opts;
  if (typeof svg !== "string" || !/^\s*(<[?!][^>]*>\s*)*<svg[\s>]/.test(svg)) {
    const found = typeof svg === "string" ? JSON.stringify(svg.slice(0, 40)) : typeof svg;
    throw checkError("svgToPng: svg", 'an SVG document starting with "<svg"', found);
  }
  checkNumber("svgToPng: density", density, { above: 0 });
  const fontBuffers = await ready();
  let resvg: InstanceType<typeof Resvg>;
  try {
    resvg = new Resvg(svg, {
      fitTo: { mode: "zoom", value: density },
      // Pixel images (digits) stay sharp: resvg ignores CSS "image-rendering: pixelated", which
      // vega writes for unsmoothed image marks, and would otherwise interpolate them.
      imageRendering: 1,
      font: { fontBuffers, defaultFontFamily: FONT_FAMILY, sansSerifFamily: FONT_FAMILY },
    });
  } catch (e) {
    throw new Error(`svgToPng: resvg could not read the SVG: ${e}`);
  }
  try {
    const image = resvg.render();
    try {
      return {
        png: compactPng(image),
        width: image.width / density,
        height: image.height / density,
        density,
      };
    } finally {
      image.free();
    }
  } finally {
    resvg.free();
  }
}

/**
 * The PNG of resvg's image: RGB when every pixel is opaque, as a figure on its white background
 * is, encoded by fast-png in about two-thirds of the bytes of resvg's own RGBA `asPng`, which is
 * kept for an image with clear pixels.
 */
function compactPng(
  image: { pixels: Uint8Array; width: number; height: number; asPng(): Uint8Array },
): Uint8Array {
  const { pixels: rgba, width, height } = image;
  for (let i = 3; i < rgba.length; i += 4) if (rgba[i] !== 255) return image.asPng();
  const rgb = new Uint8Array(width * height * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    rgb[j] = rgba[i];
    rgb[j + 1] = rgba[i + 1];
    rgb[j + 2] = rgba[i + 2];
  }
  return encode({ width, height, data: rgb, channels: 3, depth: 8 });
}
