/**
 * Statistics over seeds: the seed list, mean ± standard deviation, the 95% confidence interval of
 * a paired difference (Student's t), and a verdict in plain words — what notebook 07 uses to tell
 * a method's effect from the luck of one seed.
 *
 * @module
 */
import tDistributionQuantile from "@stdlib/stats-base-dists-t-quantile";
import { checkError, checkInteger, checkNumber } from "../checks.ts";

/** Mean, spread and range of some values (e.g. one metric over seeds). */
export interface Summary {
  /** How many values. */
  n: number;
  /** Their mean. */
  mean: number;
  /** Their sample standard deviation (divisor n − 1). */
  sd: number;
  /** The smallest. */
  min: number;
  /** The largest. */
  max: number;
}

/** A mean with its confidence interval. */
export interface Interval extends Summary {
  /** Lower end of the interval. */
  low: number;
  /** Upper end of the interval. */
  high: number;
  /** Confidence level, e.g. 0.95. */
  level: number;
}

/** The paired differences `b[i] − a[i]` and their {@linkcode Interval}. */
export interface PairedDifference extends Interval {
  /** One difference per pair, in order. */
  differences: number[];
  /** Pairs where b is above a. */
  above: number;
  /** Pairs where b is below a. */
  below: number;
}

function checkValues(what: string, values: readonly number[], min: number): void {
  if (values.length < min) {
    throw checkError(`${what}: values`, `at least ${min} numbers`, `${values.length}`);
  }
  const bad = values.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw checkError(`${what}: values[${bad}]`, "a finite number", `${values[bad]}`);
}

/**
 * The seeds of a study over `count` seeds: `first`, `first + step`, … — so seed `first` (the
 * study's 42) repeats the single run. The default step of 1000 keeps every seed's derived seeds
 * (`seed + 1` … `seed + 100` for noise) apart from the next seed's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(seedList(42, 3), [42, 1042, 2042]);
 * ```
 */
export function seedList(first: number, count: number, step = 1000): number[] {
  checkInteger("seedList: first", first, { min: 0 });
  checkInteger("seedList: count", count, { min: 1 });
  checkInteger("seedList: step", step, { min: 1 });
  return Array.from({ length: count }, (_, i) => first + i * step);
}

/**
 * The arithmetic mean.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(mean([1, 2, 6]), 3);
 * ```
 */
export function mean(values: readonly number[]): number {
  checkValues("mean", values, 1);
  return values.reduce((sum, v) => sum + v, 0) / values.length;
}

/**
 * The sample standard deviation (divisor n − 1), the spread one run is expected to show.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(standardDeviation([2, 4, 4, 4, 5, 5, 7, 9]), Math.sqrt(32 / 7));
 * ```
 */
export function standardDeviation(values: readonly number[]): number {
  checkValues("standardDeviation", values, 2);
  const m = mean(values);
  return Math.sqrt(values.reduce((sum, v) => sum + (v - m) ** 2, 0) / (values.length - 1));
}

/**
 * The values at the given quantiles `ps` (each in [0, 1]) of `values`, by linear interpolation
 * between the sorted values (as NumPy's default).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(quantiles([4, 1, 3, 2, 5], [0, 0.5, 0.9, 1]), [1, 3, 4.6, 5]);
 * ```
 */
export function quantiles(values: ArrayLike<number>, ps: readonly number[]): number[] {
  checkValues("quantiles", Array.from(values), 1);
  ps.forEach((p, i) => checkNumber(`quantiles: ps[${i}]`, p, { min: 0, max: 1 }));
  const sorted = Float64Array.from(values).sort();
  return ps.map((p) => {
    const at = p * (sorted.length - 1);
    const below = Math.floor(at);
    const above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (sorted[above] - sorted[below]) * (at - below);
  });
}

/**
 * Mean, sample standard deviation, min and max of at least two values.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(summarize([3, 1, 2]), { n: 3, mean: 2, sd: 1, min: 1, max: 3 });
 * ```
 */
export function summarize(values: readonly number[]): Summary {
  checkValues("summarize", values, 2);
  return {
    n: values.length,
    mean: mean(values),
    sd: standardDeviation(values),
    min: Math.min(...values),
    max: Math.max(...values),
  };
}

/**
 * Where an accuracy `value` lies against the `min`–`max` of a {@linkcode Summary}, compared as
 * printed: in percent with `decimals` digits, so that a float32 accuracy of 9,781 / 10,000
 * (0.97810000…) counts as 97.81%, inside a range that starts at 97.81%.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const range = { min: Math.fround(0.9781), max: 0.9801 };
 * assert.equal(rangePosition(0.9781, range), "inside"); // not below: both print as 97.81%
 * assert.equal(rangePosition(0.9741, range), "below");
 * ```
 */
export function rangePosition(
  value: number,
  range: Pick<Summary, "min" | "max">,
  decimals = 2,
): "below" | "inside" | "above" {
  checkInteger("rangePosition: decimals", decimals, { min: 0, max: 10 });
  checkNumber("rangePosition: value", value);
  checkNumber("rangePosition: range.min", range.min);
  checkNumber("rangePosition: range.max", range.max, { min: range.min });
  const printed = (x: number) => Math.round(x * 100 * 10 ** decimals);
  const [v, min, max] = [printed(value), printed(range.min), printed(range.max)];
  return v < min ? "below" : v > max ? "above" : "inside";
}

/**
 * The `p` quantile of Student's t distribution with `df` degrees of freedom (from the npm
 * package `@stdlib/stats-base-dists-t-quantile`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(tQuantile(0.975, 4).toFixed(6), "2.776445"); // 95% interval over 5 seeds
 * ```
 */
export function tQuantile(p: number, df: number): number {
  if (!(p > 0 && p < 1)) throw checkError("tQuantile: p", "a number in (0, 1)", `${p}`);
  if (!(df > 0) || !Number.isFinite(df)) {
    throw checkError("tQuantile: df", "a positive finite number", `${df}`);
  }
  return tDistributionQuantile(p, df);
}

/**
 * The mean of at least two values with its `level` confidence interval (Student's t, n − 1
 * degrees of freedom): mean ± t · sd / √n.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const ci = confidenceInterval([1, 2, 3, 4, 5]); // mean 3, sd √2.5, t(0.975, 4) = 2.776445
 * assert.equal(ci.low.toFixed(4), "1.0368");
 * assert.equal(ci.high.toFixed(4), "4.9632");
 * ```
 */
export function confidenceInterval(values: readonly number[], level = 0.95): Interval {
  if (!(level > 0 && level < 1)) {
    throw checkError("confidenceInterval: level", "a number in (0, 1)", `${level}`);
  }
  const summary = summarize(values);
  const half = tQuantile(1 - (1 - level) / 2, summary.n - 1) * summary.sd / Math.sqrt(summary.n);
  return { ...summary, low: summary.mean - half, high: summary.mean + half, level };
}

/**
 * The differences `b[i] − a[i]` of paired runs (the same seed for both) with the confidence
 * interval of their mean, and how many pairs went each way.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const d = pairedDifference([0.980, 0.981, 0.979], [0.982, 0.982, 0.981]);
 * assert.equal(d.above, 3); // b is higher in every pair
 * assert.ok(d.low > 0); // and the interval excludes 0
 * ```
 */
export function pairedDifference(
  a: readonly number[],
  b: readonly number[],
  level = 0.95,
): PairedDifference {
  if (a.length !== b.length) {
    throw checkError(
      "pairedDifference: b.length",
      `${a.length} (one per value of a)`,
      `${b.length}`,
    );
  }
  const differences = a.map((value, i) => b[i] - value);
  return {
    ...confidenceInterval(differences, level),
    differences,
    above: differences.filter((d) => d > 0).length,
    below: differences.filter((d) => d < 0).length,
  };
}

/** How {@linkcode verdict} words a difference. */
export interface VerdictWords {
  /** What was changed, e.g. "Noise training". */
  subject: string;
  /** Where it was measured, e.g. "on clean test images" (may be empty). */
  where: string;
  /** The verb of a positive difference (default "gains"). */
  gain?: string;
  /** The verb of a negative difference (default "costs"). */
  loss?: string;
  /** Factor from the values' unit to the printed one (default 100: accuracy to points). */
  scale?: number;
  /** The printed unit (default "points"). */
  unit?: string;
}

/**
 * Whether an interval of differences lies wholly on one side of 0: the difference is beyond seed
 * noise.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(beyondSeedNoise({ low: 0.0004, high: 0.0029 }), true);
 * assert.equal(beyondSeedNoise({ low: -0.0013, high: 0.0016 }), false); // it includes 0
 * ```
 */
export function beyondSeedNoise(interval: Pick<Interval, "low" | "high">): boolean {
  return interval.low > 0 || interval.high < 0;
}

/**
 * A paired difference in plain words: beyond seed noise when its confidence interval excludes 0,
 * else "not distinguishable from seed noise".
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const d = pairedDifference([0.980, 0.981, 0.979], [0.976, 0.978, 0.975]);
 * assert.equal(
 *   verdict(d, { subject: "Noise training", where: "on clean test images" }),
 *   "Noise training costs 0.37 points on clean test images in every seed (3 of 3; " +
 *     "95% CI −0.51 to −0.22): beyond seed noise.",
 * );
 * ```
 */
export function verdict(d: PairedDifference, words: VerdictWords): string {
  const { subject, where, gain = "gains", loss = "costs", scale = 100, unit = "points" } = words;
  const number = (v: number) => (v * scale).toFixed(2).replace("-", "−");
  const ci = `${Math.round(d.level * 100)}% CI ${number(d.low)} to ${number(d.high)}`;
  if (beyondSeedNoise(d)) {
    const up = d.low > 0;
    const count = up ? d.above : d.below;
    const seeds = count === d.n
      ? `in every seed (${count} of ${d.n}`
      : `in ${count} of ${d.n} seeds (`;
    const sep = count === d.n ? "; " : "";
    const words = [subject, up ? gain : loss, number(Math.abs(d.mean)), unit, where, seeds];
    return `${words.filter((w) => w !== "").join(" ")}${sep}${ci}): beyond seed noise.`;
  }
  const signed = d.mean > 0 ? `+${number(d.mean)}` : number(d.mean);
  return `${[subject, where].filter((w) => w !== "").join(" ")}: not distinguishable from seed ` +
    `noise (mean ${signed} ${unit}, ${ci} includes 0; higher in ${d.above} of ${d.n} seeds).`;
}
