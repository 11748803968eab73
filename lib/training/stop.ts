/**
 * Stop in Jupyter: while library work runs in Deno's Jupyter kernel, Jupyter's interrupt (the
 * Stop button, Kernel → Interrupt, which sends SIGINT) asks that work to stop at its next step
 * instead of ending the kernel and every variable with it (Deno exits on SIGINT unless a listener
 * is registered). The listener is there only while such work runs: a Stop at any other time does
 * what the kernel does by default. Scripts and tests keep SIGINT's default and pass an
 * `AbortSignal` instead.
 *
 * @module
 */
import { inJupyter } from "../display/show.ts";

/** Library work that has started watching and not yet ended (nested calls share one listener). */
let active = 0;
/** Whether SIGINT arrived since the outermost watching work began. */
let interrupted = false;

function onInterrupt() {
  interrupted = true;
}

/** What {@linkcode watchStop} returns: whether to stop, until it is disposed of. */
export interface StopWatch extends Disposable {
  /** True once Stop was pressed (in Jupyter) or `signal` aborted, since the watch began. */
  readonly requested: boolean;
}

/**
 * Watches for a request to stop: Jupyter's interrupt while the watch lasts (in Deno's Jupyter
 * kernel only), or `signal` aborting. Dispose of it (`using stop = watchStop(signal)`) when the
 * work ends; a request during one piece of work does not carry over to the next.
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
  const listening = inJupyter();
  if (listening && active++ === 0) {
    interrupted = false;
    Deno.addSignalListener("SIGINT", onInterrupt);
  }
  let open = true;
  return {
    get requested() {
      return (listening && interrupted) || (signal?.aborted ?? false);
    },
    [Symbol.dispose]() {
      if (!open) return;
      open = false;
      if (listening && --active === 0) {
        Deno.removeSignalListener("SIGINT", onInterrupt);
        interrupted = false;
      }
    },
  };
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
