/**
 * Hands PNG figures, HTML and text to the notebook through the Deno Jupyter kernel (charts, which
 * add a live Vega-Lite form, go through `./chart.ts`).
 *
 * Figures go out as PNG, not SVG: Jupyter Notebook 6 hides the SVG of an untrusted notebook and
 * nbconvert's HTML export mangles it, while every front end shows a PNG. A figure is drawn at 2
 * device pixels per CSS pixel and shown at 1× through the output's metadata
 * (`{ "image/png": { width, height } }`, as IPython's `Image(retina=True)`), so it stays sharp.
 *
 * Outside the kernel (`deno run`, `deno test`) every helper does nothing, so library code and
 * scripts may call them freely; `inJupyter` tells which case holds. The helpers resolve to
 * nothing, so a call that ends a cell adds no stray result to the notebook. How outputs reach the
 * kernel is in the private `lib/_kernel.ts`.
 *
 * @module
 */
import { checkNumber } from "../checks.ts";
import { base64, pngSize } from "../pictures/png.ts";
import { unescapeHtml } from "../pictures/tables.ts";
import { svgToPng } from "../pictures/raster.ts";
import { inJupyter, kernel, publish, send } from "../_kernel.ts";
import { mirrorProgress } from "./progress_mirror.ts";

export { inJupyter };

/**
 * A Jupyter MIME bundle: MIME type → data, e.g. `{ "text/html": "<b>hi</b>" }`; JSON types such
 * as Vega-Lite's carry an object.
 */
export type MimeBundle = Record<string, string | object>;

/**
 * Jupyter output metadata: MIME type → how to show it, e.g.
 * `{ "image/png": { width: 290, height: 198 } }` (CSS pixels).
 */
export type OutputMetadata = Record<string, Record<string, unknown>>;

/** A bundle with the metadata that sizes its image, ready to display. */
export interface SizedBundle {
  /** The data: `image/png` (base64), a `text/plain` alt text, and other forms of the figure. */
  bundle: MimeBundle;
  /** `{ "image/png": { width, height } }`: the size to show the PNG at, in CSS pixels. */
  metadata: OutputMetadata;
}

/** Options of {@linkcode showPng} and {@linkcode pngBundle}. */
export interface ShowPngOptions {
  /** Image pixels per CSS pixel: 2 shows a PNG at half its pixel size (default 1). */
  density?: number;
  /** Plain-text stand-in for the image (default "image"). */
  alt?: string;
}

/** An output cell area that shows the latest bundle given to {@linkcode LiveOutput.update}. */
export interface LiveOutput {
  /** The Jupyter display id shared by the output's messages. */
  readonly id: string;
  /** Shows `bundle` (sized by `metadata`) in place of the previous one (nothing outside Jupyter). */
  update(bundle: MimeBundle, metadata?: OutputMetadata): Promise<void>;
}

/**
 * Builds the bundle of a PNG shown at `density` image pixels per CSS pixel: a W×H px PNG shows
 * at W/density × H/density CSS px.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { digitPng } from "../pictures/png.ts";
 *
 * const png = digitPng(new Uint8Array(784), { scale: 16 }); // 448×448 px
 * const { bundle, metadata } = pngBundle(png, { density: 2 });
 * assert.deepEqual(metadata, { "image/png": { width: 224, height: 224 } }); // shown at 224
 * assert.equal(bundle["text/plain"], "image");
 * ```
 */
export function pngBundle(png: Uint8Array, opts: ShowPngOptions = {}): SizedBundle {
  const { density = 1, alt = "image" } = opts;
  checkNumber("pngBundle: density", density, { above: 0 });
  const { width, height } = pngSize(png);
  return {
    bundle: { "image/png": base64(png), "text/plain": alt },
    metadata: { "image/png": { width: width / density, height: height / density } },
  };
}

/**
 * Rasterizes an SVG figure at 2× into the bundle that shows it sharp at 1× (see
 * {@linkcode svgToPng}); the alt text defaults to the SVG's `<title>`, else "figure".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30">
 *   <title>A seven</title><text y="20">7</text>
 * </svg>`; // as renderSvg writes them, e.g. digitsWithTitlesSvg(…)
 * const { bundle, metadata } = await figureBundle(svg);
 * assert.equal(bundle["text/plain"], "A seven"); // the alt text
 * assert.deepEqual(metadata, { "image/png": { width: 40, height: 30 } }); // an 80×60 PNG
 * ```
 */
export async function figureBundle(svg: string, alt?: string): Promise<SizedBundle> {
  const { png, density } = await svgToPng(svg, { density: 2 });
  return pngBundle(png, { density, alt: alt ?? svgTitle(svg) ?? "figure" });
}

/**
 * Shows a PNG image as a cell output at `density` image pixels per CSS pixel (nothing outside
 * Jupyter); render pixel images at twice the scale and pass `density: 2` for sharp screens.
 *
 * @example
 * ```ts
 * import { loadMnist } from "../data/mnist.ts";
 * import { digitPng } from "../pictures/png.ts";
 *
 * const { train } = await loadMnist();
 * const png = digitPng(train.images.subarray(0, 784), { scale: 16 }); // 448 px
 * await showPng(png, { density: 2 }); // shown at 224 px in a notebook; nothing elsewhere
 * ```
 */
export async function showPng(png: Uint8Array, opts: ShowPngOptions = {}): Promise<void> {
  const k = kernel();
  if (k === undefined) return;
  if ((opts.density ?? 1) === 1 && opts.alt === undefined) await send(k, k.image(png));
  else await publish(k, pngBundle(png, opts));
}

/**
 * Shows an SVG figure (digits, the model diagram, weights) as a sharp PNG cell output with a
 * plain-text alt text (nothing outside Jupyter); see {@linkcode figureBundle}. Charts go through
 * `showChart`, which adds their live form.
 *
 * @example
 * ```ts
 * import { loadMnist } from "../data/mnist.ts";
 * import { digitsWithTitlesSvg } from "../pictures/digits.ts";
 *
 * const { train } = await loadMnist();
 * const svg = await digitsWithTitlesSvg(train.images, [0, 1], ["Label 5", "Label 0"]);
 * await showFigure(svg); // nothing outside Jupyter
 * ```
 */
export async function showFigure(svg: string, alt?: string): Promise<void> {
  if (!inJupyter()) return;
  const { bundle, metadata } = await figureBundle(svg, alt);
  await showOutput(bundle, metadata);
}

/**
 * Shows HTML as a cell output (nothing outside Jupyter).
 *
 * @example
 * ```ts
 * import { htmlTable } from "../pictures/tables.ts";
 *
 * await showHtml(htmlTable(["Model", "Accuracy"], [["clean", 0.9796]])); // nothing outside Jupyter
 * ```
 */
export function showHtml(html: string): Promise<void> {
  return showOutput({ "text/html": html });
}

/**
 * Shows plain text as a cell output (printed with console.log outside Jupyter).
 *
 * Unlike console.log, whose stream output the Deno kernel may deliver after the cell has
 * finished (and nbconvert then drops), a display output is always saved in the notebook.
 *
 * @example
 * ```ts
 * const accuracy = 0.9797;
 * await showText(`test accuracy ${accuracy}`); // console.log outside Jupyter
 * ```
 */
export async function showText(text: string): Promise<void> {
  const k = kernel();
  if (k === undefined) console.log(text);
  else await send(k, { "text/plain": text }, { raw: true });
}

/**
 * Opens an output that each `update` replaces in place (Jupyter's `display_data` then
 * `update_display_data` with one display id); the last state is what the saved notebook keeps.
 * A text update (a progress bar) is also copied to `MLP_PROGRESS_FILE` when set (see
 * `mirrorProgress`).
 *
 * @example
 * ```ts
 * import { progressHtml, progressText } from "./progress_html.ts";
 *
 * const live = liveOutput(); // nothing is shown outside Jupyter
 * for (let step = 1; step <= 3; step++) {
 *   const p = { epoch: 1, epochs: 1, step, steps: 3, loss: 0.3, acc: 0.9, elapsed: step };
 *   await live.update({ "text/html": progressHtml(p), "text/plain": progressText(p) });
 * }
 * const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="30"></svg>`;
 * const figure = await figureBundle(svg); // an image sized by its metadata
 * await live.update(figure.bundle, figure.metadata); // replaces the progress bar
 * ```
 */
export function liveOutput(): LiveOutput {
  const id = `live-${crypto.randomUUID()}`;
  let shown = false;
  return {
    id,
    async update(bundle: MimeBundle, metadata?: OutputMetadata): Promise<void> {
      const k = kernel();
      if (k === undefined) return;
      if (metadata === undefined) {
        const text = bundle["text/plain"];
        if (typeof text === "string") mirrorProgress(text);
        await send(k, bundle, { raw: true, display_id: id, update: shown });
      } else {
        await publish(k, { bundle, metadata }, { id, update: shown });
      }
      shown = true;
    },
  };
}

/**
 * Shows a MIME bundle as one cell output, sized by `metadata` when given (nothing outside
 * Jupyter); the front end picks the richest form it can draw.
 *
 * @example
 * ```ts
 * await showOutput({ "text/markdown": "**98.0%**", "text/plain": "98.0%" }); // nothing here
 * ```
 */
export async function showOutput(bundle: MimeBundle, metadata?: OutputMetadata): Promise<void> {
  const k = kernel();
  if (k === undefined) return;
  if (metadata === undefined) await send(k, bundle, { raw: true });
  else await publish(k, { bundle, metadata });
}

/** The text of the `<title>` that opens an SVG (as renderSvg writes it), unescaped. */
function svgTitle(svg: string): string | undefined {
  const match = /^\s*<svg[^>]*>\s*<title>([^<]*)<\/title>/.exec(svg);
  return match === null ? undefined : unescapeHtml(match[1]);
}
