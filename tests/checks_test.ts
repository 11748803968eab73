import assert from "node:assert/strict";
import {
  type Bounds,
  checkError,
  checkIndex,
  checkInteger,
  checkNumber,
  checkOneOf,
} from "../lib/checks.ts";

/** Asserts that `check` throws exactly `message`. */
function fails(check: () => void, message: string) {
  assert.throws(check, (error: unknown) => {
    assert.ok(error instanceof Error);
    assert.equal(error.message, message);
    return true;
  });
}

Deno.test("checkError writes what, the expectation and what came, in that order", () => {
  const error = checkError("loadConfig: MLP_EPOCHS", "a positive integer", '"abc"');
  assert.ok(error instanceof Error);
  assert.equal(error.message, 'loadConfig: MLP_EPOCHS: expected a positive integer, got "abc"');
});

Deno.test("checkInteger passes integers within bounds, inclusive and exclusive", () => {
  const passing: [number, Bounds][] = [
    [0, {}],
    [-7, {}],
    [Number.MAX_SAFE_INTEGER, {}],
    [1, { min: 1 }],
    [0, { min: 0 }],
    [10, { min: 1, max: 10 }],
    [9, { min: 0, below: 10 }],
    [1, { above: 0 }],
    [-3, { max: -3 }],
  ];
  for (const [value, bounds] of passing) checkInteger("f: n", value, bounds);
});

Deno.test("checkInteger names the value and describes the bounds it missed", () => {
  const failing: [unknown, Bounds, string][] = [
    [0, { min: 1 }, "expected a positive integer, got 0"],
    [-3, { min: 1 }, "expected a positive integer, got -3"],
    [2.5, { min: 1 }, "expected a positive integer, got 2.5"],
    [-1, { min: 0 }, "expected an integer ≥ 0, got -1"],
    [1.5, {}, "expected an integer, got 1.5"],
    [NaN, {}, "expected an integer, got NaN"],
    [Infinity, {}, "expected an integer, got Infinity"],
    [11, { min: 1, max: 10 }, "expected an integer in [1, 10], got 11"],
    [0, { min: 1, max: 10 }, "expected an integer in [1, 10], got 0"],
    [10, { min: 0, below: 10 }, "expected an integer in [0, 10), got 10"],
    [0, { above: 0, max: 5 }, "expected an integer in (0, 5], got 0"],
    [0, { above: 0 }, "expected an integer > 0, got 0"],
    [4, { max: 3 }, "expected an integer ≤ 3, got 4"],
    [3, { below: 3 }, "expected an integer < 3, got 3"],
    ["3", { min: 1 }, 'expected a positive integer, got "3"'],
    [undefined, {}, "expected an integer, got undefined"],
    [null, {}, "expected an integer, got null"],
    [[1], {}, "expected an integer, got an array"],
    [{ n: 1 }, {}, "expected an integer, got an object"],
    [2 ** 60, { min: 1 }, `expected a positive integer within ±(2^53 − 1), got ${2 ** 60}`],
  ];
  for (const [value, bounds, message] of failing) {
    fails(() => checkInteger("f: n", value, bounds), `f: n: ${message}`);
  }
});

Deno.test("checkIndex takes 0 … length − 1 and refuses the rest", () => {
  checkIndex("imageAt: index", 0, 4);
  checkIndex("imageAt: index", 3, 4);
  fails(
    () => checkIndex("imageAt: index", 4, 4),
    "imageAt: index: expected an integer in [0, 4), got 4",
  );
  fails(
    () => checkIndex("takeSamples: indices[3]", -1, 10),
    "takeSamples: indices[3]: expected an integer in [0, 10), got -1",
  );
  fails(
    () => checkIndex("oneHot: labels[0]", 0.5, 10),
    "oneHot: labels[0]: expected an integer in [0, 10), got 0.5",
  );
  fails(
    () => checkIndex("imageAt: index", 0, 0),
    "imageAt: index: expected an integer in [0, 0), got 0",
  );
});

Deno.test("checkNumber passes finite numbers within bounds", () => {
  checkNumber("f: x", -1e300);
  checkNumber("f: x", 0, { min: 0 });
  checkNumber("f: x", 0.2, { min: 0, below: 1 });
  checkNumber("f: x", 0, { min: 0, below: 1 });
  checkNumber("f: x", 1e-9, { above: 0 });
  checkNumber("f: x", 1, { max: 1 });
});

Deno.test("checkNumber refuses non-finite values and values out of bounds, naming them", () => {
  const failing: [unknown, Bounds, string][] = [
    [NaN, {}, "expected a finite number, got NaN"],
    [-Infinity, {}, "expected a finite number, got -Infinity"],
    [Infinity, { min: 0 }, "expected a finite number ≥ 0, got Infinity"],
    [-0.1, { min: 0 }, "expected a finite number ≥ 0, got -0.1"],
    [0, { above: 0 }, "expected a finite number > 0, got 0"],
    [1, { min: 0, below: 1 }, "expected a number in [0, 1), got 1"],
    [-0.1, { min: 0, below: 1 }, "expected a number in [0, 1), got -0.1"],
    [NaN, { min: 0, below: 1 }, "expected a number in [0, 1), got NaN"],
    [2, { max: 1 }, "expected a finite number ≤ 1, got 2"],
    ["2", { above: 0 }, 'expected a finite number > 0, got "2"'],
  ];
  for (const [value, bounds, message] of failing) {
    fails(() => checkNumber("svgToPng: density", value, bounds), `svgToPng: density: ${message}`);
  }
});

Deno.test("checkOneOf passes the listed values only, strings and numbers alike", () => {
  checkOneOf("MLP_BACKEND", "wasm", ["blas", "wasm", "cpu"]);
  checkOneOf("annotatedDigitSvg: decimals", 2, [0, 2]);
  fails(
    () => checkOneOf("MLP_BACKEND", "gpu", ["blas", "wasm", "cpu"]),
    'MLP_BACKEND: expected one of blas, wasm, cpu, got "gpu"',
  );
  fails(
    () => checkOneOf("annotatedDigitSvg: decimals", 1, [0, 2]),
    "annotatedDigitSvg: decimals: expected one of 0, 2, got 1",
  );
  fails(
    () => checkOneOf("annotatedDigitSvg: decimals", "2", [0, 2]),
    'annotatedDigitSvg: decimals: expected one of 0, 2, got "2"',
  );
});

Deno.test("the checks narrow an unknown value to the type they passed", () => {
  const input: unknown = JSON.parse('{"epochs": 3, "backend": "cpu"}');
  const { epochs, backend } = input as Record<string, unknown>;
  checkInteger("f: epochs", epochs, { min: 1 });
  checkOneOf("f: backend", backend, ["blas", "wasm", "cpu"] as const);
  const typed: { epochs: number; backend: "blas" | "wasm" | "cpu" } = { epochs, backend };
  assert.deepEqual(typed, { epochs: 3, backend: "cpu" });
});

Deno.test("checks.ts imports nothing, so pictures/ and display/ stay free of tfjs", async () => {
  const source = await Deno.readTextFile(new URL("../lib/checks.ts", import.meta.url));
  assert.doesNotMatch(source, /^\s*(import|export .* from)\b/m);
});
