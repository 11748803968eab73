/**
 * The study's reported numbers beside this project's, and the file that collects them.
 *
 * @module
 */
import { dirname } from "node:path";
import { writeFileAtomic } from "../atomic_write.ts";

/** One reported metric: where it is stored, what it means, and the original study's value. */
export interface StudyMetric {
  /** Key in the results file, e.g. "clean.test_accuracy". */
  key: string;
  /** What the number is, for tables. */
  label: string;
  /** The original Keras study's value (null: not reported). */
  original: number | null;
  /** How to print it. */
  format: "percent" | "count" | "seconds";
}

/** The metrics compared with the original study, in table order. */
export const STUDY_METRICS: readonly StudyMetric[] = Object.freeze([
  {
    key: "clean.test_accuracy",
    label: "Clean model, clean test set",
    original: 0.9796,
    format: "percent",
  },
  { key: "clean.test_errors", label: "Clean model, test errors", original: 204, format: "count" },
  {
    key: "clean.epoch_seconds",
    label: "Clean model, seconds per epoch",
    original: 2,
    format: "seconds",
  },
  {
    key: "noisy.noisy_test_accuracy",
    label: "Noisy model, noisy test set",
    original: 0.9753,
    format: "percent",
  },
  {
    key: "noisy.clean_test_accuracy",
    label: "Noisy model, clean test set",
    original: 0.9741,
    format: "percent",
  },
  {
    key: "leaky.best_val_accuracy",
    label: "Clean + noisy, split after concatenating (leak): validation",
    original: 0.99,
    format: "percent",
  },
  {
    key: "robust.best_val_accuracy",
    label: "Clean + noisy, split first (no leak): validation",
    original: null,
    format: "percent",
  },
  {
    key: "robust.clean_test_accuracy",
    label: "Clean + noisy model, clean test set",
    original: 0.9825,
    format: "percent",
  },
  {
    key: "robust.noisy_test_accuracy",
    label: "Clean + noisy model, noisy test set",
    original: 0.9781,
    format: "percent",
  },
]);

/** Results by metric key, e.g. `{ "clean.test_accuracy": 0.981 }`. */
export type Results = Record<string, number>;

/**
 * Reads a results file; a missing file is an empty result set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir(); // the notebooks read "../checkpoints/results.json"
 * await Deno.writeTextFile(`${dir}/results.json`, `{ "clean.test_accuracy": 0.981 }`);
 * assert.deepEqual(await readResults(`${dir}/results.json`), { "clean.test_accuracy": 0.981 });
 * assert.deepEqual(await readResults(`${dir}/missing.json`), {});
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readResults(path: string): Promise<Results> {
  let text: string;
  try {
    text = await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return {};
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`${path}: corrupt JSON (${(error as Error).message})`);
  }
  if (
    typeof parsed !== "object" || parsed === null || Array.isArray(parsed) ||
    !Object.values(parsed).every((v) => typeof v === "number")
  ) {
    throw new Error(`${path}: expected an object of numbers by metric key`);
  }
  return parsed as Results;
}

/**
 * Merges `updates` into the results file (created if missing) and returns the whole set.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir(); // the notebooks write "../checkpoints/results.json"
 * await recordResults(`${dir}/results.json`, { "clean.test_accuracy": 0.981 });
 * const all = await recordResults(`${dir}/results.json`, { "clean.test_errors": 190 });
 * assert.deepEqual(all, { "clean.test_accuracy": 0.981, "clean.test_errors": 190 });
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function recordResults(path: string, updates: Results): Promise<Results> {
  for (const [key, value] of Object.entries(updates)) {
    if (!Number.isFinite(value)) {
      throw new Error(`result ${key} = ${value}: expected a finite number`);
    }
  }
  const results = { ...await readResults(path), ...updates };
  await Deno.mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, JSON.stringify(results, null, 2) + "\n");
  return results;
}

/**
 * The median of some numbers (the mean of the middle two for an even count).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(median([3, 1, 2, 10]), 2.5);
 * assert.equal(median([3, 1, 2]), 2);
 * ```
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values: expected at least one number");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * A share in [0, 1] as a percentage with `digits` decimals (default 2), as every table and line of
 * the notebooks prints accuracies.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(percent(0.98163), "98.16%");
 * assert.equal(percent(0.0054, 1), "0.5%");
 * ```
 */
export function percent(value: number, digits = 2): string {
  return `${(value * 100).toFixed(digits)}%`;
}

/**
 * A difference of accuracies in percentage points, two decimals, with a real minus sign and,
 * when `signed`, a plus sign on gains.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(points(-0.0026), "−0.26");
 * assert.equal(points(0.0074, { signed: true }), "+0.74");
 * ```
 */
export function points(value: number, options: { signed?: boolean } = {}): string {
  const text = (value * 100).toFixed(2).replace("-", "−");
  return options.signed && value > 0 ? `+${text}` : text;
}

function formatValue(value: number | null | undefined, format: StudyMetric["format"]): string {
  if (value === null || value === undefined) return "—";
  if (format === "percent") return percent(value);
  if (format === "seconds") return `${value.toFixed(1)} s`;
  return String(Math.round(value));
}

/**
 * Table rows [metric, original, this project] for the study's metrics, formatted.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const rows = resultRows({ "clean.test_accuracy": 0.9797 });
 * assert.deepEqual(rows[0], ["Clean model, clean test set", "97.96%", "97.97%"]);
 * assert.deepEqual(rows[1], ["Clean model, test errors", "204", "—"]); // not measured yet
 * // in a notebook: await showHtml(htmlTable(["Metric", "Original", "This project"], rows));
 * ```
 */
export function resultRows(results: Results): string[][] {
  return STUDY_METRICS.map((m) => [
    m.label,
    formatValue(m.original, m.format),
    formatValue(results[m.key], m.format),
  ]);
}

/**
 * The results as a plain-text table for the terminal.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // deno task reproduce prints resultsText(await readResults("checkpoints/results.json"))
 * const lines = resultsText({ "clean.test_errors": 203 }).split("\n");
 * assert.match(lines[0], /^Metric +Original \(Keras\) +This project$/);
 * assert.match(lines[3], /^Clean model, test errors +204 +203$/);
 * ```
 */
export function resultsText(results: Results): string {
  const rows = [["Metric", "Original (Keras)", "This project"], ...resultRows(results)];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((r) => r[c].length)));
  const line = (r: string[]) => r.map((cell, c) => cell.padEnd(widths[c])).join("  ").trimEnd();
  return [line(rows[0]), widths.map((w) => "-".repeat(w)).join("  "), ...rows.slice(1).map(line)]
    .join("\n");
}
