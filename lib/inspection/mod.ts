/**
 * Inside a trained model: a Dense layer's kernel, a layer's activations, and projections of
 * many-dimensional points to 2-D (PCA, UMAP).
 *
 * @module
 */
export * from "./layers.ts";
export * from "./projection.ts";
