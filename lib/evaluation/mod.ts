/**
 * Evaluation: metrics, robustness to noise, and the study's results beside this project's.
 *
 * @module
 */
export * from "./metrics.ts";
export * from "./results.ts";
export * from "./robustness.ts";
export * from "./seeds.ts";
