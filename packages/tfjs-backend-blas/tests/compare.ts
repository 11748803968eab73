/**
 * Test helpers: run ops on a backend and compare the blas backend with cpu, value by value. They
 * register no backend (`backend.ts` does), so the study's tests use them too.
 *
 * @module
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

// Only silences the cpu backend's advice to install tfjs-node, printed on a backend's first use.
tf.enableProdMode();

/**
 * `Deno.test` for tests that need BLAS: where `library` is undefined, each is skipped with
 * `reason` in its name.
 */
export function blasTestFor(
  library: string | undefined,
  reason: string,
): (name: string, fn: () => void | Promise<void>) => void {
  const ignore = library === undefined;
  return (name, fn) =>
    Deno.test({ name: ignore ? `${name} (skipped: ${reason})` : name, ignore, fn });
}

/** Relative tolerance of blas against cpu (absolute for values under 1 in magnitude). */
export const TOLERANCE = 1e-4;

/** A tensor's shape, dtype and values, read back from a backend. */
export interface Result {
  shape: number[];
  dtype: string;
  values: number[];
}

/** Runs `build` on `backend` (restoring the previous backend) and reads back its tensors. */
export async function runOn(
  backend: string,
  build: () => tf.Tensor | tf.Tensor[],
): Promise<Result[]> {
  const previous = tf.getBackend();
  await tf.setBackend(backend);
  try {
    const out = tf.tidy(build);
    const list = Array.isArray(out) ? out : [out];
    const results = list.map((t) => ({
      shape: t.shape,
      dtype: t.dtype,
      values: Array.from(t.dataSync() as ArrayLike<number>),
    }));
    tf.dispose(list);
    return results;
  } finally {
    if (previous) await tf.setBackend(previous);
  }
}

/**
 * Asserts that `backend` (default blas) computes for `build` what cpu computes for `reference`
 * (default: `build`), within TOLERANCE.
 */
export async function assertSameAsCpu(
  what: string,
  build: () => tf.Tensor | tf.Tensor[],
  reference = build,
  backend = "blas",
): Promise<void> {
  const expected = await runOn("cpu", reference);
  const actual = await runOn(backend, build);
  assert.equal(actual.length, expected.length, what);
  actual.forEach((a, k) => {
    const e = expected[k];
    assert.deepEqual(a.shape, e.shape, `${what}: shape of output ${k}`);
    assert.equal(a.dtype, e.dtype, `${what}: dtype of output ${k}`);
    a.values.forEach((value, i) => {
      const want = e.values[i];
      const close = Object.is(value, want) || value === want ||
        Math.abs(value - want) <= TOLERANCE * Math.max(1, Math.abs(want));
      assert.ok(close, `${what}: output ${k}[${i}] is ${value}, cpu gives ${want}`);
    });
  });
}

/**
 * A seeded generator: floats in [0, 1) and integers in [from, to] (xoroshiro128+ from pure-rand,
 * a test-only dependency taken from the workspace's import map).
 */
export function createRandom(
  seed: number,
): { float(): number; int(from: number, to: number): number } {
  const rng = xoroshiro128plus(seed);
  return { float: () => uniformFloat64(rng), int: (from, to) => uniformInt(rng, from, to) };
}

/** Deterministic values in [-1, 1) for a tensor of `shape`. */
export function values(shape: number[], seed: number): Float32Array {
  const random = createRandom(seed);
  return Float32Array.from({ length: tf.util.sizeFromShape(shape) }, () => 2 * random.float() - 1);
}

/** A tensor of deterministic values, created on the current backend. */
export function tensor(shape: number[], seed: number): tf.Tensor {
  return tf.tensor(values(shape, seed), shape);
}

/** Shapes of a and b for op(a) · op(b) with batch dims, where op transposes when asked. */
export function matMulShapes(
  batchA: number[],
  batchB: number[],
  [m, k, n]: number[],
  transposeA: boolean,
  transposeB: boolean,
): [number[], number[]] {
  return [
    [...batchA, ...(transposeA ? [k, m] : [m, k])],
    [...batchB, ...(transposeB ? [n, k] : [k, n])],
  ];
}

/** The four combinations of transposeA and transposeB. */
export const TRANSPOSES = [[false, false], [true, false], [false, true], [true, true]];
