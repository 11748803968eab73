/**
 * Training: the seeded loop and the epoch it repeats, its options and callbacks, checkpoints on
 * disk, a recorder of what a run did step by step, and the same model trained at several dropout
 * rates and learning rates (Stop in Jupyter is in `lib/stop.ts`, below every folder).
 *
 * @module
 */
export * from "./callbacks.ts";
export * from "./checkpoint.ts";
export * from "./dropout_runs.ts";
export * from "./dynamics.ts";
export * from "./epoch.ts";
export * from "./learning_rates.ts";
export * from "./train.ts";
export * from "./types.ts";
