/**
 * Two models tested on the same images: the difference of their accuracies with its standard error
 * from the images on which they disagree (McNemar's setting).
 *
 * @module
 */
import { checkError, checkInteger } from "../checks.ts";

/** The paired difference of two models' accuracies on the same N samples, B's minus A's. */
export interface PairedAccuracy {
  /** b: how many samples only model A gets right. */
  onlyA: number;
  /** c: how many samples only model B gets right. */
  onlyB: number;
  /** (c − b) / N: B's accuracy minus A's. */
  difference: number;
  /** √(b + c − (c − b)²/N) / N: the standard error of the difference over draws of the N samples. */
  standardError: number;
  /** The lower end of the 95% interval, difference − 1.96 · standardError. */
  low: number;
  /** The upper end of the 95% interval, difference + 1.96 · standardError. */
  high: number;
}

/** The 97.5% quantile of the standard normal distribution, rounded: a 95% interval is ±1.96 SE. */
const Z_95 = 1.96;

/**
 * Compares the predicted classes of models A and B (`predictedA`, `predictedB`, N each) with the
 * true classes `truth` (N ≥ 1): b and c, B's accuracy minus A's, its standard error and 95%
 * interval, where the interval covers the luck of which N samples were drawn, the same for both.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // 4 samples: only A is right on sample 1, only B on samples 2 and 3, both on sample 0.
 * const d = pairedAccuracy([0, 1, 2, 3], [0, 1, 0, 0], [0, 2, 2, 3]);
 * assert.equal(d.onlyA, 1); // b
 * assert.equal(d.onlyB, 2); // c
 * assert.equal(d.difference, 0.25); // (c − b) / N = 3/4 − 2/4
 * assert.equal(d.standardError, Math.sqrt(1 + 2 - 1 / 4) / 4);
 * ```
 */
export function pairedAccuracy(
  truth: ArrayLike<number>,
  predictedA: ArrayLike<number>,
  predictedB: ArrayLike<number>,
): PairedAccuracy {
  const n = truth.length;
  if (n === 0) throw checkError("pairedAccuracy: truth.length", "at least 1 sample", "0");
  for (const [name, predicted] of [["predictedA", predictedA], ["predictedB", predictedB]]) {
    if (predicted.length !== n) {
      const expected = `${n} (one per sample of truth)`;
      throw checkError(`pairedAccuracy: ${name}.length`, expected, `${predicted.length}`);
    }
  }
  let [onlyA, onlyB] = [0, 0];
  for (let i = 0; i < n; i++) {
    checkInteger(`pairedAccuracy: truth[${i}]`, truth[i], { min: 0 });
    const [a, b] = [predictedA[i] === truth[i], predictedB[i] === truth[i]];
    if (a && !b) onlyA++;
    if (b && !a) onlyB++;
  }
  const difference = (onlyB - onlyA) / n;
  const discordant = onlyA + onlyB;
  // (c − b)² / N ≤ b + c, as b + c ≤ N; max() only keeps rounding from going below 0.
  const standardError = Math.sqrt(Math.max(0, discordant - (onlyB - onlyA) ** 2 / n)) / n;
  const half = Z_95 * standardError;
  return {
    onlyA,
    onlyB,
    difference,
    standardError,
    low: difference - half,
    high: difference + half,
  };
}
