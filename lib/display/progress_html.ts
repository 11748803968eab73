/**
 * A training progress bar as HTML, for a notebook output updated in place.
 *
 * @module
 */
import type { BatchProgress } from "../training/types.ts";

/** Where training stands: a `BatchProgress` from training, with the last validation metrics. */
export interface ProgressInfo extends BatchProgress {
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
 * progressText({ epoch: 1, epochs: 2, step: 5, steps: 10, loss: 0.5, acc: 0.9, elapsed: 1 });
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
 * const p = { epoch: 3, epochs: 10, step: 120, steps: 188, loss: 0.12, acc: 0.96, elapsed: 12.3 };
 * const html = progressHtml(p);
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
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new Error(`progress: epochs must be a positive integer, got ${epochs}`);
  }
  if (!Number.isInteger(epoch) || epoch < 1 || epoch > epochs) {
    throw new Error(`progress: epoch must be an integer in 1..${epochs}, got ${epoch}`);
  }
  if (!Number.isInteger(steps) || steps < 1) {
    throw new Error(`progress: steps must be a positive integer, got ${steps}`);
  }
  if (!Number.isInteger(step) || step < 0 || step > steps) {
    throw new Error(`progress: step must be an integer in 0..${steps}, got ${step}`);
  }
}
