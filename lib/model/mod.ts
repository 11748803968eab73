/**
 * The model: the study's MLP, its seeded dropout layer, and a Keras-style summary.
 *
 * @module
 */
export * from "./mlp.ts";
export * from "./seeded_dropout.ts";
export * from "./summary.ts";
