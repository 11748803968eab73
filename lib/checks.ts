/**
 * The argument checks of the whole library, with one message style:
 * `"<what>: expected <X>, got <Y>"`, where `<what>` names the function and the argument, e.g.
 * `digitPng: scale: expected a positive integer, got 0`.
 *
 * No tfjs here: the pictures and the notebook display use these checks too.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * checkInteger("digitPng: scale", 4, { min: 1 }); // passes
 * assert.throws(() => checkIndex("imageAt: index", 12, 10), {
 *   message: "imageAt: index: expected an integer in [0, 10), got 12",
 * });
 * ```
 *
 * @module
 */

/**
 * Bounds of a number or integer: `min`/`max` include the bound, `above`/`below` exclude it
 * (give at most one lower and one upper bound).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const density: Bounds = { above: 0 };
 * assert.throws(() => checkNumber("svgToPng: density", 0, density), {
 *   message: "svgToPng: density: expected a finite number > 0, got 0",
 * });
 * ```
 */
export interface Bounds {
  /** The least value allowed. */
  min?: number;
  /** The greatest value allowed. */
  max?: number;
  /** Values must be greater than this. */
  above?: number;
  /** Values must be less than this. */
  below?: number;
}

/**
 * The Error of a failed check: `"<what>: expected <expected>, got <got>"`, for checks that the
 * functions below do not cover (`got` is written as given).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const error = checkError("MLP_BLAS_LIB", "an existing file", '"/nonexistent.so"');
 * assert.equal(error.message, 'MLP_BLAS_LIB: expected an existing file, got "/nonexistent.so"');
 * ```
 */
export function checkError(what: string, expected: string, got: string): Error {
  return new Error(`${what}: expected ${expected}, got ${got}`);
}

/** A value as a message shows it: strings quoted, numbers as JavaScript prints them. */
function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null || typeof value !== "object" && typeof value !== "function") {
    return String(value);
  }
  if (Array.isArray(value)) return "an array";
  return typeof value === "function" ? "a function" : "an object";
}

/** "an integer in [0, 10)", "a finite number ≥ 0", "a positive integer"… */
function describe(kind: "integer" | "number", bounds: Bounds): string {
  const { min, max, above, below } = bounds;
  const low = above ?? min;
  const high = below ?? max;
  if (kind === "integer" && min === 1 && high === undefined) return "a positive integer";
  const noun = kind === "integer" ? "an integer" : "a number";
  if (low !== undefined && high !== undefined) {
    return `${noun} in ${above === undefined ? "[" : "("}${low}, ${high}${
      below === undefined ? "]" : ")"
    }`;
  }
  const base = kind === "integer" ? noun : "a finite number";
  if (low !== undefined) return `${base} ${above === undefined ? "≥" : ">"} ${low}`;
  if (high !== undefined) return `${base} ${below === undefined ? "≤" : "<"} ${high}`;
  return base;
}

function inBounds(value: number, { min, max, above, below }: Bounds): boolean {
  return (min === undefined || value >= min) && (max === undefined || value <= max) &&
    (above === undefined || value > above) && (below === undefined || value < below);
}

/**
 * Throws unless `value` is a safe integer within `bounds`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * checkInteger("progressText: epoch", 3, { min: 1, max: 10 }); // passes
 * assert.throws(() => checkInteger("buildMlp: hiddenUnits[1]", -3, { min: 1 }), {
 *   message: "buildMlp: hiddenUnits[1]: expected a positive integer, got -3",
 * });
 * ```
 */
export function checkInteger(
  what: string,
  value: unknown,
  bounds: Bounds = {},
): asserts value is number {
  if (Number.isSafeInteger(value) && inBounds(value as number, bounds)) return;
  const unsafe = Number.isInteger(value) && !Number.isSafeInteger(value);
  const expected = describe("integer", bounds) + (unsafe ? " within ±(2^53 − 1)" : "");
  throw checkError(what, expected, show(value));
}

/**
 * Throws unless `value` is an index into `length` items: an integer in [0, length).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * checkIndex("takeSamples: indices[3]", 9, 10); // passes
 * assert.throws(() => checkIndex("takeSamples: indices[3]", 12, 10), {
 *   message: "takeSamples: indices[3]: expected an integer in [0, 10), got 12",
 * });
 * ```
 */
export function checkIndex(what: string, value: unknown, length: number): asserts value is number {
  checkInteger(what, value, { min: 0, below: length });
}

/**
 * Throws unless `value` is a finite number within `bounds`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * checkNumber("buildMlp: dropout", 0.2, { min: 0, below: 1 }); // passes
 * assert.throws(() => checkNumber("buildMlp: dropout", 1, { min: 0, below: 1 }), {
 *   message: "buildMlp: dropout: expected a number in [0, 1), got 1",
 * });
 * ```
 */
export function checkNumber(
  what: string,
  value: unknown,
  bounds: Bounds = {},
): asserts value is number {
  if (typeof value === "number" && Number.isFinite(value) && inBounds(value, bounds)) return;
  throw checkError(what, describe("number", bounds), show(value));
}

/**
 * Throws unless `values` is a non-empty list of finite numbers within `bounds`, naming the first
 * that is not.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * checkValues("history.loss", [0.3, 0.1], { above: 0 }); // passes
 * assert.throws(() => checkValues("history.loss", [0.3, 0], { above: 0 }), {
 *   message: "history.loss[1]: expected a finite number > 0, got 0",
 * });
 * ```
 */
export function checkValues(what: string, values: number[], bounds: Bounds): void {
  if (values.length === 0) throw checkError(what, "at least one value", "none");
  values.forEach((v, i) => checkNumber(`${what}[${i}]`, v, bounds));
}

/**
 * Throws unless `value` is one of `allowed`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.throws(() => checkOneOf("MLP_BACKEND", "gpu", ["blas", "wasm", "cpu"]), {
 *   message: 'MLP_BACKEND: expected one of blas, wasm, cpu, got "gpu"',
 * });
 * ```
 */
export function checkOneOf<T extends string | number>(
  what: string,
  value: unknown,
  allowed: readonly T[],
): asserts value is T {
  if ((allowed as readonly unknown[]).includes(value)) return;
  throw checkError(what, `one of ${allowed.join(", ")}`, show(value));
}
