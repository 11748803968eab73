/**
 * The study itself, above training and evaluation, which it uses: its models, the seeds it derives
 * from one seed, the sets each model trains and is tested on, the steps that train and measure a
 * model (notebook 06), one seed of the whole study (notebook 07), and the study's claims tested
 * over seeds.
 *
 * @module
 */
export * from "./claims.ts";
export * from "./protocol.ts";
export * from "./study_seed.ts";
