/**
 * Checkpoint folders on disk, under the public `saveCheckpoint` and `loadCheckpoint`
 * (../checkpoint.ts): the files and their checks (format.ts, no tfjs), the folder lock (lock.ts),
 * the recovery of the earlier scheme's leftovers (old_scheme.ts), the commit of a save and the
 * locked read of a load (commit.ts), and the tfjs model ↔ artifacts step (model_artifacts.ts).
 * `train` (its resume state), the kill test (its stop points) and the demo (the format) use the
 * parts here; lib/mod.ts does not export them.
 *
 * A save is `writeCheckpoint(dir, await serializeModel(model))`, a load
 * `modelFromCheckpoint(await readCheckpoint(dir))`.
 *
 * @module
 */
export * from "./commit.ts";
export * from "./format.ts";
export * from "./lock.ts";
export * from "./model_artifacts.ts";
export * from "./old_scheme.ts";
