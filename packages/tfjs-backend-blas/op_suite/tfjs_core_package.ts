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
 * TFJS_CORE_DIST; // "/root/.cache/deno/npm/registry.npmjs.org/@tensorflow/tfjs-core/4.22.0/dist"
 * ```
 */
export const TFJS_CORE_DIST: string = join(dirname(packageJson), "dist");

/**
 * URL of the module the project gets for `import "@tensorflow/tfjs-core"` (the package's node
 * bundle): importing it from anywhere gives the project's own instance.
 *
 * @example
 * ```ts
 * const tf = await import(TFJS_CORE_ENTRY); // the same module object as the project's tfjs-core
 * ```
 */
export const TFJS_CORE_ENTRY: string = import.meta.resolve("@tensorflow/tfjs-core");

/**
 * `require` as from inside the package: its own dependencies (seedrandom, long, node-fetch)
 * resolve as they do for tfjs-core.
 *
 * @example
 * ```ts
 * requireFromTfjsCore("seedrandom").alea("seed")(); // a number in [0, 1)
 * ```
 */
export const requireFromTfjsCore: ReturnType<typeof createRequire> = createRequire(packageJson);
