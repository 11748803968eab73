/**
 * Hands PNG, SVG and HTML to the notebook through the Deno Jupyter kernel.
 *
 * Outside the kernel (`deno run`, `deno test`) every helper does nothing, so library code and
 * scripts may call them freely; {@linkcode inJupyter} tells which case holds. `"jupyter" in Deno`
 * cannot tell them apart (the property exists everywhere and throws outside the kernel), so
 * `inJupyter` reads it inside `try`. The helpers resolve to nothing, so a call that ends a
 * cell adds no stray result to the notebook.
 *
 * @module
 */

/** A Jupyter MIME bundle: MIME type → data, e.g. `{ "text/html": "<b>hi</b>" }`. */
export type MimeBundle = Record<string, string>;

/** An output cell area that shows the latest bundle given to {@linkcode LiveOutput.update}. */
export interface LiveOutput {
  /** The Jupyter display id shared by the output's messages. */
  readonly id: string;
  /** Shows `bundle` in place of the previous one (nothing outside Jupyter). */
  update(bundle: MimeBundle): Promise<void>;
}

type Kernel = typeof Deno.jupyter;

/**
 * Hands a bundle to the kernel, then lets the event loop turn once: the Deno kernel sends
 * display messages from a task of its own, and without this turn a cell can finish (and the
 * executor stop listening) before its last outputs are sent, which then go missing from the
 * saved notebook.
 */
async function send(
  k: Kernel,
  content: Parameters<Kernel["display"]>[0],
  options?: Parameters<Kernel["display"]>[1],
) {
  await k.display(content, options);
  await new Promise((resolve) => setTimeout(resolve, 0));
}

function kernel(): Kernel | undefined {
  try {
    return Deno.jupyter;
  } catch {
    return undefined;
  }
}

/**
 * Tells whether this code runs in the Deno Jupyter kernel.
 *
 * @example
 * ```ts
 * if (!inJupyter()) console.log("not in a notebook: nothing will be displayed");
 * ```
 */
export function inJupyter(): boolean {
  return kernel() !== undefined;
}

/**
 * Shows a PNG image as a cell output (nothing outside Jupyter).
 *
 * @example
 * ```ts
 * await showPng(digitPng(pixels));
 * ```
 */
export async function showPng(png: Uint8Array): Promise<void> {
  const k = kernel();
  if (k !== undefined) await send(k, k.image(png));
}

/**
 * Shows an SVG image as a cell output (nothing outside Jupyter).
 *
 * @example
 * ```ts
 * await showSvg(await barChartSvg(counts));
 * ```
 */
export function showSvg(svg: string): Promise<void> {
  return showBundle({ "image/svg+xml": svg });
}

/**
 * Shows HTML as a cell output (nothing outside Jupyter).
 *
 * @example
 * ```ts
 * await showHtml(htmlTable(["Model", "Accuracy"], [["clean", 0.9796]]));
 * ```
 */
export function showHtml(html: string): Promise<void> {
  return showBundle({ "text/html": html });
}

/**
 * Shows plain text as a cell output (printed with console.log outside Jupyter).
 *
 * Unlike console.log, whose stream output the Deno kernel may deliver after the cell has
 * finished (and nbconvert then drops), a display output is always saved in the notebook.
 *
 * @example
 * ```ts
 * await showText(`test accuracy ${accuracy}`);
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
 *
 * @example
 * ```ts
 * const live = liveOutput();
 * for (const p of steps) {
 *   await live.update({ "text/html": progressHtml(p), "text/plain": progressText(p) });
 * }
 * ```
 */
export function liveOutput(): LiveOutput {
  const id = `live-${crypto.randomUUID()}`;
  let shown = false;
  return {
    id,
    async update(bundle: MimeBundle): Promise<void> {
      const k = kernel();
      if (k === undefined) return;
      await send(k, bundle, { raw: true, display_id: id, update: shown });
      shown = true;
    },
  };
}

async function showBundle(bundle: MimeBundle): Promise<void> {
  const k = kernel();
  if (k !== undefined) await send(k, bundle, { raw: true });
}
