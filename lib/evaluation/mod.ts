/**
 * Evaluation: metrics, calibration, sensitivity to the input, robustness to noise, the study's
 * results beside this project's, the study's protocol (its models, seeds, sets and steps) run for
 * one seed, and the statistics over seeds.
 *
 * @module
 */
export * from "./calibration.ts";
export * from "./claims.ts";
export * from "./metrics.ts";
export * from "./paired.ts";
export * from "./protocol.ts";
export * from "./results.ts";
export * from "./robustness.ts";
export * from "./seeds.ts";
export * from "./sensitivity.ts";
export * from "./study_seed.ts";
