/**
 * Data: IDX files, MNIST and Fashion-MNIST, splits, and a first look at the images.
 *
 * @module
 */
export * from "./dataset.ts";
export * from "./explore.ts";
export * from "./idx.ts";
export * from "./mnist.ts";
export * from "./splits.ts";
