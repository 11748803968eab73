/**
 * Where the project's `@tensorflow/tfjs-core` lives, found at run time through Deno's npm
 * resolution (so the version is the one deno.json pins): its `dist` folder, which ships the op
 * tests, and the entry module the project imports.
 *
 * @module
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const packageJson = createRequire(import.meta.url).resolve("@tensorflow/tfjs-core/package.json");

/**
 * The package's `dist` folder, holding `ops/*_test.js` and `jasmine_util.js`.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // e.g. "/root/.cache/deno/npm/registry.npmjs.org/@tensorflow/tfjs-core/4.22.0/dist"
 * assert.ok(Deno.statSync(`${TFJS_CORE_DIST}/ops/abs_test.js`).isFile);
 * ```
 */
export const TFJS_CORE_DIST: string = join(dirname(packageJson), "dist");

/**
 * URL of the module the project gets for `import "@tensorflow/tfjs-core"` (the package's node
 * bundle): importing it from anywhere gives the project's own instance.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as core from "@tensorflow/tfjs-core";
 *
 * const tf = await import(TFJS_CORE_ENTRY);
 * assert.equal(tf.engine(), core.engine()); // the same module, so the same engine
 * ```
 */
export const TFJS_CORE_ENTRY: string = import.meta.resolve("@tensorflow/tfjs-core");

/**
 * `require` as from inside the package: its own dependencies (seedrandom, long, node-fetch)
 * resolve as they do for tfjs-core.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const random = requireFromTfjsCore("seedrandom").alea("seed")();
 * assert.ok(random >= 0 && random < 1);
 * ```
 */
export const requireFromTfjsCore: ReturnType<typeof createRequire> = createRequire(packageJson);
