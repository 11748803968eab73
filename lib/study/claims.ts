/**
 * Notebook 07's tables over seeds: each metric's spread beside the original's value, and the
 * study's claims as paired differences with their verdicts, formatted as the notebook shows them,
 * and the values it records.
 *
 * @module
 */
import { checkError } from "../checks.ts";
import { percent, points, type Results, STUDY_METRICS } from "../evaluation/results.ts";
import {
  beyondSeedNoise,
  type PairedDifference,
  pairedDifference,
  rangePosition,
  summarize,
  type VerdictWords,
} from "../evaluation/seeds.ts";
import { SEED_METRIC_KEYS, type SeedMetricKey } from "./study_seed.ts";

/** One of the study's claims: model b against model a, paired seed by seed. */
export interface StudyClaim {
  /** Its key in the results file, under `seeds.diff.`. */
  key: string;
  /** Its row title, "b − a, where". */
  title: string;
  /** The results key of the baseline's value. */
  a: SeedMetricKey;
  /** The results key of the value compared with it. */
  b: SeedMetricKey;
  /** How {@linkcode verdict} words it. */
  words: VerdictWords;
}

/** A claim with its paired difference over the seeds. */
export interface TestedClaim extends StudyClaim {
  /** b − a seed by seed, their mean and its 95% confidence interval. */
  difference: PairedDifference;
}

/**
 * The study's four claims, as notebook 07 tests them, and two that control the clean + noisy
 * model's gains for its twice as many steps.
 */
export const STUDY_CLAIMS: readonly StudyClaim[] = Object.freeze([
  {
    key: "noisy_vs_clean.clean_test",
    title: "Noisy − clean model, clean test set",
    a: "clean.test_accuracy",
    b: "noisy.clean_test_accuracy",
    words: { subject: "Noise training", where: "on clean test images" },
  },
  {
    key: "robust_vs_clean.clean_test",
    title: "Clean + noisy − clean model, clean test set",
    a: "clean.test_accuracy",
    b: "robust.clean_test_accuracy",
    words: { subject: "Clean + noisy training (vs clean)", where: "on clean test images" },
  },
  {
    key: "robust_vs_clean.noisy_test",
    title: "Clean + noisy − clean model, noisy test set",
    a: "clean.noisy_test_accuracy",
    b: "robust.noisy_test_accuracy",
    words: { subject: "Clean + noisy training (vs clean)", where: "on noisy test images" },
  },
  {
    key: "robust_vs_long.clean_test",
    title: "Clean + noisy − clean model with as many steps, clean test set",
    a: "long.test_accuracy",
    b: "robust.clean_test_accuracy",
    words: {
      subject: "Clean + noisy training (vs as many clean steps)",
      where: "on clean test images",
    },
  },
  {
    key: "robust_vs_long.noisy_test",
    title: "Clean + noisy − clean model with as many steps, noisy test set",
    a: "long.noisy_test_accuracy",
    b: "robust.noisy_test_accuracy",
    words: {
      subject: "Clean + noisy training (vs as many clean steps)",
      where: "on noisy test images",
    },
  },
  {
    key: "leak.val_inflation",
    title: "Leaky − split-first validation accuracy",
    a: "robust.best_val_accuracy",
    b: "leaky.best_val_accuracy",
    words: {
      subject: "The leak",
      gain: "inflates validation accuracy by",
      loss: "lowers validation accuracy by",
      where: "",
    },
  },
]);

/** The column titles of {@linkcode seedSummaryRows}'s table, for `seeds` seeds. */
export const seedSummaryHeader = (seeds: number): string[] => [
  "Metric",
  `Mean ± sd (${seeds} seeds)`,
  "Min–max",
  "Original (Keras)",
  "Original inside the range?",
];

/** The column titles of {@linkcode claimRows}'s table. */
export const CLAIM_HEADER: readonly string[] = Object.freeze([
  "Claim",
  "Mean difference (points)",
  "95% CI",
  "Seeds where higher",
  "Verdict",
]);

/**
 * A results key's label in tables (also for the metrics over seeds that the study's table lacks).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(metricLabel("clean.test_accuracy"), "Clean model, clean test set");
 * // @ts-expect-error: a key runStudySeed does not measure
 * assert.throws(() => metricLabel("clean.tset_accuracy"), /metricLabel: key: expected one of/);
 * ```
 */
export function metricLabel(key: SeedMetricKey): string {
  const label = STUDY_METRICS.find((m) => m.key === key)?.label ?? EXTRA_LABELS[key];
  if (label === undefined) {
    throw checkError("metricLabel: key", `one of ${SEED_METRIC_KEYS.join(", ")}`, `"${key}"`);
  }
  return label;
}

/** Labels of the metrics over seeds that the study's table lacks. */
const EXTRA_LABELS: Readonly<Partial<Record<SeedMetricKey, string>>> = Object.freeze({
  "clean.noisy_test_accuracy": "Clean model, noisy test set",
  "long.test_accuracy": "Clean model, as many steps, clean test set",
  "long.noisy_test_accuracy": "Clean model, as many steps, noisy test set",
});

/**
 * The original study's value of a results key, or null where it reported none.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(metricOriginal("clean.test_accuracy"), 0.9796);
 * assert.equal(metricOriginal("robust.best_val_accuracy"), null);
 * ```
 */
export function metricOriginal(key: SeedMetricKey): number | null {
  return STUDY_METRICS.find((m) => m.key === key)?.original ?? null;
}

/** Each seed's value of `key`, in the seeds' order. */
function valuesOf(perSeed: readonly Results[], key: string): number[] {
  return perSeed.map((values, s) => {
    const v = values[key];
    if (typeof v !== "number") throw checkError(`perSeed[${s}]["${key}"]`, "a number", `${v}`);
    return v;
  });
}

/**
 * Rows of the table over seeds, one per `SEED_METRIC_KEYS` entry: the metric, mean ± sd, min–max,
 * the original's value and whether it lies inside the range (as printed, in hundredths of a point).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SEED_METRIC_KEYS } from "./study_seed.ts";
 *
 * const seed = (v: number) => Object.fromEntries(SEED_METRIC_KEYS.map((k) => [k, v]));
 * const rows = seedSummaryRows([seed(0.9790), seed(0.9810)]);
 * assert.deepEqual(rows[0], [
 *   "Clean model, clean test set", "98.00% ± 0.14", "97.90–98.10%", "97.96%", "yes",
 * ]);
 * ```
 */
export function seedSummaryRows(perSeed: readonly Results[]): string[][] {
  const position = { below: "no, below", above: "no, above", inside: "yes" } as const;
  return SEED_METRIC_KEYS.map((key) => {
    const s = summarize(valuesOf(perSeed, key));
    const o = metricOriginal(key);
    return [
      metricLabel(key),
      `${percent(s.mean)} ± ${points(s.sd)}`,
      `${points(s.min)}–${percent(s.max)}`,
      o === null ? "—" : percent(o),
      o === null ? "—" : position[rangePosition(o, s)],
    ];
  });
}

/**
 * Every claim of {@linkcode STUDY_CLAIMS} with its paired difference over the seeds.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SEED_METRIC_KEYS } from "./study_seed.ts";
 *
 * const seed = (v: number) => Object.fromEntries(SEED_METRIC_KEYS.map((k) => [k, v]));
 * const claims = testClaims([seed(0.98), seed(0.981)]);
 * assert.equal(claims.length, 6);
 * assert.equal(claims[0].difference.mean, 0); // every model the same in this made-up run
 * ```
 */
export function testClaims(perSeed: readonly Results[]): TestedClaim[] {
  return STUDY_CLAIMS.map((claim) => ({
    ...claim,
    difference: pairedDifference(valuesOf(perSeed, claim.a), valuesOf(perSeed, claim.b)),
  }));
}

/**
 * Rows of the claims table: the claim, its mean difference and 95% CI in points, the seeds where
 * b was higher, and whether it is beyond seed noise (the CI excludes 0).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SEED_METRIC_KEYS } from "./study_seed.ts";
 *
 * const seed = (v: number) => Object.fromEntries(SEED_METRIC_KEYS.map((k) => [k, v]));
 * const rows = claimRows(testClaims([seed(0.98), seed(0.981)]));
 * assert.deepEqual(rows[0].slice(3), ["0 of 2", "not distinguishable from seed noise"]);
 * ```
 */
export function claimRows(claims: readonly TestedClaim[]): string[][] {
  return claims.map(({ title, difference: d }) => [
    title,
    points(d.mean, { signed: true }),
    `${points(d.low)} to ${points(d.high)}`,
    `${d.above} of ${d.n}`,
    beyondSeedNoise(d) ? "beyond seed noise" : "not distinguishable from seed noise",
  ]);
}

/**
 * The values notebook 07 records in the results file: the seed count and time, each seed's
 * values, each metric's mean and sd, and each claim's mean difference and 95% CI.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { SEED_METRIC_KEYS } from "./study_seed.ts";
 *
 * const seed = (v: number) => Object.fromEntries(SEED_METRIC_KEYS.map((k) => [k, v]));
 * const perSeed = [seed(0.98), seed(0.981)];
 * const updates = seedResults([42, 1042], perSeed, testClaims(perSeed), 600);
 * assert.equal(updates["seeds.count"], 2);
 * assert.equal(updates["seeds.1042.clean.test_accuracy"], 0.981);
 * assert.equal(updates["seeds.diff.leak.val_inflation.mean"], 0);
 * ```
 */
export function seedResults(
  seeds: readonly number[],
  perSeed: readonly Results[],
  claims: readonly TestedClaim[],
  seconds: number,
): Results {
  const updates: Results = { "seeds.count": seeds.length, "seeds.seconds": seconds };
  for (const [s, seed] of seeds.entries()) {
    for (const key of SEED_METRIC_KEYS) updates[`seeds.${seed}.${key}`] = perSeed[s][key];
  }
  for (const key of SEED_METRIC_KEYS) {
    const { mean, sd } = summarize(valuesOf(perSeed, key));
    updates[`seeds.mean.${key}`] = mean;
    updates[`seeds.sd.${key}`] = sd;
  }
  claims.forEach(({ key, difference: { mean, low, high } }) => {
    updates[`seeds.diff.${key}.mean`] = mean;
    updates[`seeds.diff.${key}.low`] = low;
    updates[`seeds.diff.${key}.high`] = high;
  });
  return updates;
}
