/**
 * Training: the seeded loop, its options and callbacks, and checkpoints on disk.
 *
 * @module
 */
export * from "./checkpoint.ts";
export * from "./train.ts";
export * from "./types.ts";
