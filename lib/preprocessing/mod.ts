/**
 * Preprocessing: tensors from bytes, Gaussian noise, and seeded randomness.
 *
 * @module
 */
export * from "./noise.ts";
export * from "./random.ts";
export * from "./tensors.ts";
