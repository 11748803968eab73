/**
 * Seeded random numbers for every random choice made outside tfjs's own initializers.
 *
 * @module
 */
import { uniformFloat64 } from "pure-rand/distribution/uniformFloat64";
import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { checkInteger } from "../checks.ts";

/** A seeded source of random numbers: the same seed gives the same sequence. */
export interface Random {
  /** A uniform float in [0, 1). */
  float(): number;
  /** A uniform integer in [from, to], both included. */
  int(from: number, to: number): number;
}

/**
 * Creates a seeded generator (xoroshiro128+ from the pure-rand package).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const random = createRandom(42);
 * assert.equal(random.int(0, 9), 5); // the same digit every run
 * assert.ok(random.float() < 1);
 * ```
 */
export function createRandom(seed: number): Random {
  checkInteger("createRandom: seed", seed);
  const rng = xoroshiro128plus(seed);
  return {
    float: () => uniformFloat64(rng),
    int: (from, to) => uniformInt(rng, from, to),
  };
}

/**
 * A seeded permutation of 0…n−1 (Fisher–Yates).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const order = shuffledIndices(5, createRandom(1));
 * assert.deepEqual(order, Int32Array.of(2, 4, 3, 0, 1)); // the same order for the same seed
 * ```
 */
export function shuffledIndices(n: number, random: Random): Int32Array {
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) indices[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = random.int(0, i);
    const t = indices[i];
    indices[i] = indices[j];
    indices[j] = t;
  }
  return indices;
}
