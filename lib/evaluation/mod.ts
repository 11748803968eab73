/**
 * Evaluation: metrics, calibration, sensitivity to noise, robustness to noise, paired comparisons
 * on the same test images, the study's results beside this project's, and the statistics over
 * seeds.
 *
 * @module
 */
export * from "./calibration.ts";
export * from "./metrics.ts";
export * from "./paired.ts";
export * from "./results.ts";
export * from "./robustness.ts";
export * from "./seeds.ts";
export * from "./sensitivity.ts";
