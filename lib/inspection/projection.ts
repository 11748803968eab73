/**
 * Many-dimensional points (pixels, hidden activations) seen in 2-D: principal component analysis
 * and UMAP, both deterministic.
 *
 * @module
 */
import { PCA } from "ml-pca";
import { checkError, checkInteger } from "../checks.ts";
import { tf } from "../tf.ts";
import { stopError, watchStop } from "../stop.ts";

/** A projection of N points: their new coordinates and how much each axis explains. */
export interface Projection {
  /** [N, components] row-major. */
  points: Float32Array;
  /** Fraction of the data's variance along each component (PCA only; empty for UMAP). */
  explained: number[];
}

function checkPoints(fn: string, points: Float32Array, dims: number): number {
  checkInteger(`${fn}: dims`, dims, { min: 1 });
  if (!(points instanceof Float32Array) || points.length === 0 || points.length % dims !== 0) {
    const got = points instanceof Float32Array ? `${points.length} values` : typeof points;
    throw checkError(`${fn}: points`, `a Float32Array of N×${dims} values (N ≥ 1)`, got);
  }
  const bad = points.findIndex((v) => !Number.isFinite(v));
  if (bad >= 0) throw checkError(`${fn}: points[${bad}]`, "a finite number", `${points[bad]}`);
  return points.length / dims;
}

/**
 * Projects N points of `dims` values ([N, dims] row-major) onto their first principal
 * components → [N, components]. The covariance matrix is a tfjs product; its eigenvectors come
 * from ml-pca. Each component's sign is fixed so that its largest entry is positive.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../backend/init.ts";
 *
 * await initBackend();
 * // Five points on the line (t, 2t): one component explains all the variance.
 * const points = Float32Array.from([0, 0, 1, 2, 2, 4, 3, 6, 4, 8]);
 * const { points: projected, explained } = pca(points, 2, { components: 1 });
 * assert.ok(explained[0] > 0.999);
 * assert.ok(Math.abs(projected[4] - projected[0] - 4 * Math.sqrt(5)) < 1e-4); // distance kept
 * ```
 */
export function pca(
  points: Float32Array,
  dims: number,
  opts: { components?: number } = {},
): Projection {
  const n = checkPoints("pca", points, dims);
  const { components = 2 } = opts;
  checkInteger("pca: components", components, { min: 1, max: dims });
  if (n < 2) throw checkError("pca: points", "at least 2 points", `${n}`);
  const [centered, covariance] = tf.tidy(() => {
    const x = tf.tensor2d(points, [n, dims]);
    const c = tf.sub(x, tf.mean(x, 0));
    return [c, tf.div(tf.matMul(c, c, true, false), n - 1)];
  });
  const covarianceRows = covariance.arraySync() as number[][];
  covariance.dispose();
  const model = new PCA(covarianceRows, { isCovarianceMatrix: true });
  const vectors = model.getEigenvectors().subMatrix(0, dims - 1, 0, components - 1);
  for (let k = 0; k < components; k++) {
    const column = vectors.getColumn(k);
    const largest = column.reduce((a, b) => (Math.abs(b) > Math.abs(a) ? b : a), 0);
    if (largest < 0) vectors.setColumn(k, column.map((v) => -v));
  }
  const projected = tf.tidy(() => tf.matMul(centered, tf.tensor2d(vectors.to2DArray())));
  const result = projected.dataSync() as Float32Array;
  tf.dispose([centered, projected]);
  return { points: result, explained: model.getExplainedVariance().slice(0, components) };
}

/**
 * The first `k` components of a projection of N points → [N, k]: e.g. the 2-D view of a PCA
 * computed with more components.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const three = { points: Float32Array.of(1, 2, 3, 4, 5, 6), explained: [0.5, 0.3, 0.1] };
 * assert.deepEqual(firstComponents(three, 2), {
 *   points: Float32Array.of(1, 2, 4, 5),
 *   explained: [0.5, 0.3],
 * });
 * ```
 */
export function firstComponents(projection: Projection, k: number): Projection {
  const { points, explained } = projection;
  const components = explained.length;
  checkInteger("firstComponents: k", k, { min: 1, max: components });
  checkPoints("firstComponents", points, components);
  const n = points.length / components;
  const out = new Float32Array(n * k);
  for (let i = 0; i < n; i++) out.set(points.subarray(i * components, i * components + k), i * k);
  return { points: out, explained: explained.slice(0, k) };
}

/**
 * Embeds N points of `dims` values ([N, dims] row-major) in 2-D with UMAP (umap-js), its every
 * random draw from the seeded generator → [N, 2]: the same seed gives the same picture. UMAP runs
 * in a worker that ends with it, so its working memory (about 400 MB for 10,000 points) is
 * returned at once instead of staying in the caller's heap.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // Two far-apart clusters of 20 points in 3-D stay apart in 2-D.
 * const points = Float32Array.from({ length: 40 * 3 }, (_, i) => (i < 60 ? 0 : 10) + (i % 7) / 7);
 * const { points: embedded } = await umap(points, 3, { seed: 1, neighbors: 5 });
 * assert.equal(embedded.length, 40 * 2);
 * ```
 */
export async function umap(
  points: Float32Array,
  dims: number,
  opts: { seed?: number; neighbors?: number } = {},
): Promise<Projection> {
  const n = checkPoints("umap", points, dims);
  const { seed = 42, neighbors = 15 } = opts;
  checkInteger("umap: seed", seed);
  checkInteger("umap: neighbors", neighbors, { min: 2, max: n - 1 });
  using stop = watchStop();
  const worker = new Worker(new URL("./umap_worker.ts", import.meta.url), { type: "module" });
  let poll: ReturnType<typeof setInterval> | undefined;
  try {
    const reply = await new Promise<{ embedded?: Float32Array; error?: string }>(
      (resolve, reject) => {
        worker.onmessage = (event) => resolve(event.data);
        worker.onerror = (event) => {
          event.preventDefault();
          reject(new Error(`umap: the UMAP worker failed: ${event.message}`));
        };
        // Stop ends the worker, and with it UMAP, within a tenth of a second.
        poll = setInterval(() => {
          if (stop.requested) reject(stopError("umap", `the embedding of ${n} points`));
        }, 100);
        worker.postMessage({ points, dims, seed, neighbors });
      },
    );
    if (reply.error !== undefined) throw new Error(`umap: ${reply.error}`);
    return { points: reply.embedded!, explained: [] };
  } finally {
    clearInterval(poll);
    worker.terminate();
  }
}
