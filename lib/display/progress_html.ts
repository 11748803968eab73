/**
 * A training progress bar as HTML, for a notebook output updated in place.
 *
 * @module
 */
import { checkInteger } from "../checks.ts";
import type { BatchProgress } from "../training/types.ts";

/**
 * Where training stands: a `BatchProgress` from training (its running means; the step's own loss
 * and accuracy are not shown), with the last validation metrics.
 */
export interface ProgressInfo extends Omit<BatchProgress, "batchLoss" | "batchAcc"> {
  /** Validation loss of the last finished epoch. */
  valLoss?: number;
  /** Validation accuracy of the last finished epoch. */
  valAcc?: number;
}

/**
 * Formats progress as one line, "Epoch 3/10 · step 120/188 · loss 0.1234 · acc 0.9650 · 12.3 s".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const p = { epoch: 1, epochs: 2, step: 5, steps: 10, loss: 0.5, acc: 0.9, elapsed: 1 };
 * assert.equal(progressText(p), "Epoch 1/2 · step 5/10 · loss 0.5000 · acc 0.9000 · 1.0 s");
 * ```
 */
export function progressText(p: ProgressInfo): string {
  checkProgress(p);
  const parts = [
    `Epoch ${p.epoch}/${p.epochs}`,
    `step ${p.step}/${p.steps}`,
    `loss ${p.loss.toFixed(4)}`,
    `acc ${p.acc.toFixed(4)}`,
  ];
  if (p.valLoss !== undefined) parts.push(`val_loss ${p.valLoss.toFixed(4)}`);
  if (p.valAcc !== undefined) parts.push(`val_acc ${p.valAcc.toFixed(4)}`);
  parts.push(`${p.elapsed.toFixed(1)} s`);
  return parts.join(" · ");
}

/**
 * Renders a `<progress>` bar of the whole run (all epochs) followed by {@linkcode progressText}.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const p = { epoch: 3, epochs: 10, step: 120, steps: 188, loss: 0.12, acc: 0.96, elapsed: 12.3 };
 * const html = progressHtml(p);
 * assert.ok(html.includes(`<progress value="${2 * 188 + 120}" max="${10 * 188}"`)); // whole run
 * ```
 */
export function progressHtml(p: ProgressInfo): string {
  const text = progressText(p);
  const done = (p.epoch - 1) * p.steps + p.step;
  const total = p.epochs * p.steps;
  return `<div style="font-family:monospace;display:flex;align-items:center;gap:10px">` +
    `<progress value="${done}" max="${total}" style="width:240px"></progress>` +
    `<span>${text}</span></div>`;
}

function checkProgress(p: ProgressInfo): void {
  const { epoch, epochs, step, steps } = p;
  checkInteger("progressText: epochs", epochs, { min: 1 });
  checkInteger("progressText: epoch", epoch, { min: 1, max: epochs });
  checkInteger("progressText: steps", steps, { min: 1 });
  checkInteger("progressText: step", step, { min: 0, max: steps });
}
