/**
 * Live progress of a study over seeds in a notebook: which seed and which model is training
 * ("Seed 2/5 (1042) · model 3/4: …") above the training's progress bar, and a last line when all
 * are done.
 *
 * @module
 */
import { checkError, checkIndex, checkNumber } from "../checks.ts";
import { escapeHtml } from "../pictures/tables.ts";
import type { TrainCallbacks } from "../training/types.ts";
import { progressHtml, progressText } from "./progress_html.ts";
import { type LiveOutput, liveOutput } from "./show.ts";

/** What {@linkcode seedProgress} returns: the callbacks of each training and the last line. */
export interface SeedProgress {
  /** The callbacks of the training of `models[model]` for `seeds[seed]` (both indices). */
  model(seed: number, model: number): Required<Pick<TrainCallbacks, "onBatchEnd">>;
  /** Replaces the progress with "Done: N seeds × M models in S s". */
  done(seconds: number): Promise<void>;
}

const HEAD_STYLE = "font-family:monospace";

/** "1 seed", "5 seeds". */
function count(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/**
 * Opens one live output (or draws into `output`) for training every model of `models` for every
 * seed of `seeds`: the bar of the current training at most every `everyMs` milliseconds and at
 * each epoch's end, headed by the seed and the model. Outside Jupyter it shows nothing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const bundles: Record<string, string>[] = [];
 * const output = { id: "demo", update: async (b: Record<string, string>) => void bundles.push(b) };
 * const progress = seedProgress([42, 1042], ["clean", "noisy"], { output }); // notebook: no output
 * const running = { loss: 0.5, acc: 0.9, batchLoss: 0.4, batchAcc: 0.92 }; // means, and the step's
 * const batch = { epoch: 1, epochs: 1, step: 4, steps: 4, ...running, elapsed: 1 };
 * await progress.model(1, 0).onBatchEnd(batch); // in train(…, { ...progress.model(1, 0) })
 * assert.equal(bundles[0]["text/plain"].split("\n")[0], "Seed 2/2 (1042) · model 1/2: clean");
 * await progress.done(12.3);
 * assert.equal(bundles[1]["text/plain"], "Done: 2 seeds × 2 models in 12 s");
 * ```
 */
export function seedProgress(
  seeds: readonly number[],
  models: readonly string[],
  options: { everyMs?: number; output?: LiveOutput } = {},
): SeedProgress {
  const { everyMs = 250, output = liveOutput() } = options;
  if (seeds.length === 0) throw checkError("seedProgress: seeds", "at least 1 seed", "none");
  if (models.length === 0) throw checkError("seedProgress: models", "at least 1 model", "none");
  checkNumber("seedProgress: everyMs", everyMs, { min: 0 });
  let drawn = -Infinity; // the first step is drawn
  const line = (text: string) => ({
    "text/html": `<div style="${HEAD_STYLE}">${escapeHtml(text)}</div>`,
    "text/plain": text,
  });
  return {
    model(s, m) {
      checkIndex("seedProgress: model: seed", s, seeds.length);
      checkIndex("seedProgress: model: model", m, models.length);
      const head =
        `Seed ${s + 1}/${seeds.length} (${seeds[s]}) · model ${m + 1}/${models.length}: ` +
        models[m];
      return {
        async onBatchEnd(batch) {
          const now = performance.now();
          if (batch.step < batch.steps && now - drawn < everyMs) return;
          drawn = now;
          const { "text/html": html, "text/plain": text } = line(head);
          await output.update({
            "text/html": html + progressHtml(batch),
            "text/plain": `${text}\n${progressText(batch)}`,
          });
        },
      };
    },
    async done(seconds) {
      checkNumber("seedProgress: done: seconds", seconds, { min: 0 });
      await output.update(
        line(
          `Done: ${count(seeds.length, "seed")} × ${count(models.length, "model")} in ${
            seconds.toFixed(0)
          } s`,
        ),
      );
    },
  };
}
