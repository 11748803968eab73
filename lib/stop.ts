/**
 * Stop in Jupyter: while library work runs in Deno's Jupyter kernel, Jupyter's interrupt (the
 * Stop button, Kernel → Interrupt, which sends SIGINT) asks that work to stop at its next step
 * instead of ending the kernel and every variable with it (Deno exits on SIGINT unless a listener
 * is registered). The listener is there only while such work runs: a Stop at any other time does
 * what the kernel does by default. Scripts and tests keep SIGINT's default and pass an
 * `AbortSignal` to `train`, or call `requestStop`.
 *
 * @module
 */
import { inJupyter } from "./_kernel.ts";

/** Library work that has started watching and not yet ended (nested calls share one state). */
let active = 0;
/** Whether a stop was asked for since the outermost watching work began. */
let interrupted = false;
/** Whether the SIGINT listener is registered (in Deno's Jupyter kernel, while work runs). */
let listening = false;

function onInterrupt() {
  interrupted = true;
}

/** What {@linkcode watchStop} returns: whether to stop, until it is disposed of. */
export interface StopWatch extends Disposable {
  /** True once a stop was asked for (Stop in Jupyter, `requestStop`) or `signal` aborted. */
  readonly requested: boolean;
}

/**
 * Watches for a request to stop: Jupyter's interrupt while the watch lasts (in Deno's Jupyter
 * kernel only), {@linkcode requestStop}, or `signal` aborting. Dispose of it
 * (`using stop = watchStop(signal)`) when the work ends; a request during one piece of work does
 * not carry over to the next.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const controller = new AbortController();
 * {
 *   using stop = watchStop(controller.signal);
 *   assert.equal(stop.requested, false);
 *   controller.abort(); // in a notebook: the Stop button
 *   assert.equal(stop.requested, true); // the work checks this at each step and stops
 * }
 * ```
 */
export function watchStop(signal?: AbortSignal): StopWatch {
  if (active++ === 0) {
    interrupted = false;
    if (inJupyter()) {
      Deno.addSignalListener("SIGINT", onInterrupt);
      listening = true;
    }
  }
  let open = true;
  return {
    get requested() {
      return interrupted || (signal?.aborted ?? false);
    },
    [Symbol.dispose]() {
      if (!open) return;
      open = false;
      if (--active === 0) {
        if (listening) Deno.removeSignalListener("SIGINT", onInterrupt);
        listening = false;
        interrupted = false;
      }
    },
  };
}

/**
 * Asks the library work that runs now to stop at its next check, as Stop does in Jupyter; does
 * nothing when none runs (so it cannot stop later work). For a stop button of your own.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * using stop = watchStop(); // what train, umap, robustnessCurve… do while they run
 * requestStop();
 * assert.equal(stop.requested, true);
 * ```
 */
export function requestStop(): void {
  if (active > 0) interrupted = true;
}

/**
 * The Error that ends stopped library work: `"<what>: stopped at <where> (Stop / interrupt)"`,
 * then what was kept, if the work says so.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const error = stopError("robustnessCurve", "noise std 0.2, model noisy");
 * assert.equal(error.message, "robustnessCurve: stopped at noise std 0.2, model noisy (Stop / interrupt)");
 * ```
 */
export function stopError(what: string, where: string, kept?: string): Error {
  return new Error(`${what}: stopped at ${where} (Stop / interrupt)${kept ? `; ${kept}` : ""}`);
}
