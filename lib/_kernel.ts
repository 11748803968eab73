/**
 * The kernel's plumbing, private to the library: whether code runs in Deno's Jupyter kernel, and
 * sending outputs so that none is lost when a cell ends. `lib/display/show.ts` holds the public
 * helpers built on it.
 *
 * @module
 */
/** Deno's Jupyter API. */
export type Kernel = typeof Deno.jupyter;

/**
 * Gives the kernel time to send a message of `bytes` before the cell goes on. Deno's kernel
 * queues display messages for a sender of its own but sends the end of a cell ("idle") directly,
 * so a cell that ends while a figure is still being sent can lose its last outputs from the saved
 * notebook: seen with a 1 MB figure followed by a line of text, and, under the load of a test run,
 * with a table after a 60 kB chart while the wait was 10 ms plus 1 ms per 5 kB. Waiting 50 ms plus
 * 1 ms per 2 kB (0.55 s for a 1 MB figure) after each new output lets the queue drain first; the
 * updates of a progress bar, which replace an output already saved, do not wait.
 */
function settle(bytes: number): Promise<unknown> {
  return new Promise((resolve) => setTimeout(resolve, 50 + Math.ceil(bytes / 2_000)));
}

/** The size of a message's data, as sent: the sum of its strings' lengths. */
function size(data: unknown): number {
  if (typeof data === "string") return data.length;
  if (data === null || typeof data !== "object") return 0;
  return Object.values(data).reduce((sum: number, v) => sum + size(v), 0);
}

/** Hands a bundle to the kernel's `display`, then lets the kernel send it. */
export async function send(
  k: Kernel,
  content: Parameters<Kernel["display"]>[0],
  options?: Parameters<Kernel["display"]>[1],
) {
  await k.display(content, options);
  if (!options?.update) await settle(size(content));
}

/**
 * Publishes a bundle with metadata (which `display` cannot carry) as Jupyter's `display_data`,
 * or `update_display_data` of a live output, then lets the kernel send it.
 */
export async function publish(
  k: Kernel,
  { bundle, metadata }: {
    bundle: Record<string, string | object>;
    metadata: Record<string, Record<string, unknown>>;
  },
  live?: { id: string; update: boolean },
) {
  await k.broadcast(live?.update ? "update_display_data" : "display_data", {
    data: bundle,
    metadata,
    transient: live ? { display_id: live.id } : {},
  });
  await settle(size(bundle));
}

/** Deno's Jupyter API, or undefined outside the kernel (where reading it throws). */
export function kernel(): Kernel | undefined {
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
 * import assert from "node:assert/strict";
 *
 * assert.equal(inJupyter(), false); // under `deno test`; true in a notebook's cells
 * ```
 */
export function inJupyter(): boolean {
  return kernel() !== undefined;
}
