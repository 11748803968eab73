/**
 * Evaluation: metrics, calibration, sensitivity to the input, robustness to noise, the study's
 * results beside this project's, and the study's models trained and measured for one seed, with
 * the statistics over seeds.
 *
 * @module
 */
export * from "./calibration.ts";
export * from "./metrics.ts";
export * from "./results.ts";
export * from "./robustness.ts";
export * from "./seeds.ts";
export * from "./sensitivity.ts";
export * from "./study_seed.ts";
