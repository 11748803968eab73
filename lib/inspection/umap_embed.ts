/**
 * UMAP itself (umap-js), seeded: what the worker of `umap` in projection.ts runs.
 *
 * @module
 */
import { UMAP } from "umap-js";
import { createRandom } from "../preprocessing/random.ts";

/** What the UMAP worker receives: N points of `dims` values and the settings. */
export interface UmapRequest {
  /** [N, dims] row-major. */
  points: Float32Array;
  /** Values per point. */
  dims: number;
  /** Seed of every random draw. */
  seed: number;
  /** Neighbours each point keeps close. */
  neighbors: number;
}

/**
 * Embeds the request's N points in 2-D → [N, 2], every random draw from the seeded generator.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const points = Float32Array.from({ length: 30 * 2 }, (_, i) => (i % 7) + (i < 30 ? 0 : 50));
 * const embedded = await embedUmap({ points, dims: 2, seed: 1, neighbors: 5 });
 * assert.equal(embedded.length, 30 * 2);
 * ```
 */
export async function embedUmap(request: UmapRequest): Promise<Float32Array> {
  const { points, dims, seed, neighbors } = request;
  const n = points.length / dims;
  const rows = Array.from(
    { length: n },
    (_, i) => Array.from(points.subarray(i * dims, (i + 1) * dims)),
  );
  const random = createRandom(seed);
  const model = new UMAP({ nComponents: 2, nNeighbors: neighbors, random: () => random.float() });
  return Float32Array.from((await model.fitAsync(rows)).flat());
}
