/**
 * What the bench runs: the model and training settings (the study's, from `STUDY_CONFIG`), the
 * benchmark's own constants, and the `BENCH_*` environment variables, read as lib/config.ts reads
 * the `MLP_*` ones.
 *
 * @module
 */
import { envInteger, envList, envValue, STUDY_CONFIG } from "../lib/config.ts";
import { validationSplitAt } from "../lib/data/splits.ts";
import { median } from "../lib/evaluation/results.ts";

/**
 * Backends benchmarked by default, in this order, as `initBackend` starts them; wasm-plain is
 * tfjs's wasm backend without `speedUpWasm()`, for the before/after comparison.
 */
export const DEFAULT_BACKENDS = ["blas", "wasm", "wasm-plain", "cpu"] as const;

/** A backend the bench can run, from {@linkcode DEFAULT_BACKENDS}. */
export type BenchBackend = typeof DEFAULT_BACKENDS[number];

/** The study's model and training settings, which the tfjs runs and PyTorch both train with. */
export const SETTINGS = {
  /** Images per training step. */
  batchSize: STUDY_CONFIG.batchSize,
  /** Fraction of the 60,000 training images held out for validation, from the end. */
  validationSplit: STUDY_CONFIG.validationSplit,
  /** Units of each hidden layer. */
  hiddenUnits: STUDY_CONFIG.hiddenUnits,
  /** Dropout rate after each hidden layer. */
  dropout: STUDY_CONFIG.dropout,
  /** Adam's learning rate. */
  learningRate: STUDY_CONFIG.learningRate,
  /** Seed of the model's initialization, dropout and shuffling. */
  seed: STUDY_CONFIG.seed,
} as const;

/**
 * Epochs timed when `BENCH_EPOCHS` is unset: 3, not the study's 10, since the bench takes the
 * median of the epochs after the first (see {@linkcode steadyMedian}) and does not train to
 * convergence.
 */
export const DEFAULT_EPOCHS = 3;

/**
 * The median of `seconds` per epoch after the first, which warms up (compiling, caches); of the
 * one epoch when there is only one.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(steadyMedian([9, 2, 4]), 3); // the first epoch's 9 s left out
 * assert.equal(steadyMedian([5]), 5);
 * ```
 */
export function steadyMedian(seconds: readonly number[]): number {
  return median(seconds.length > 1 ? seconds.slice(1) : [...seconds]);
}

/** Images in a full epoch: the 60,000 MNIST training images, trained on and validated. */
export const EPOCH_IMAGES = 60_000;

/** Images trained on in a full epoch (48,000), the rest validated. */
export const TRAIN_IMAGES: number = validationSplitAt(EPOCH_IMAGES, SETTINGS.validationSplit);

/** Images the cpu backend runs (20 steps + 1,280 validation images), then extrapolated. */
export const CPU_IMAGES = 6_400;

/** Training steps timed by `--profile`, after as many warm-up steps. */
export const PROFILE_STEPS = 20;

/** Epochs to time: `BENCH_EPOCHS`, a positive integer, else {@linkcode DEFAULT_EPOCHS}. */
export function benchEpochs(env: Record<string, string | undefined> = Deno.env.toObject()): number {
  return envInteger(env, "BENCH_EPOCHS", 1) ?? DEFAULT_EPOCHS;
}

/**
 * Rounds to run when `BENCH_ROUNDS` is unset: each round runs every configuration once, so that
 * on a shared machine, whose second core comes and goes, the configurations alternate and meet
 * the same moments; each row is the median of its rounds.
 */
export const DEFAULT_ROUNDS = 2;

/** Rounds to run: `BENCH_ROUNDS`, a positive integer, else {@linkcode DEFAULT_ROUNDS}. */
export function benchRounds(env: Record<string, string | undefined> = Deno.env.toObject()): number {
  return envInteger(env, "BENCH_ROUNDS", 1) ?? DEFAULT_ROUNDS;
}

/** Backends to run: `BENCH_BACKENDS`, comma-separated, else all of {@linkcode DEFAULT_BACKENDS}. */
export function benchBackends(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): BenchBackend[] {
  return envList(env, "BENCH_BACKENDS", DEFAULT_BACKENDS) ?? [...DEFAULT_BACKENDS];
}

/** The Python interpreter that `BENCH_PYTHON` names, or undefined when it is unset or empty. */
export function benchPython(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): string | undefined {
  return envValue(env, "BENCH_PYTHON");
}

/**
 * BLAS and PyTorch thread counts to run: `BENCH_THREADS`, comma-separated, each from 1 to the
 * core count; else 1 and all cores (PyTorch's best on two cores is often one thread).
 */
export function benchThreads(
  env: Record<string, string | undefined> = Deno.env.toObject(),
  cores: number = navigator.hardwareConcurrency,
): number[] {
  const allowed = Array.from({ length: cores }, (_, i) => String(i + 1));
  const listed = envList(env, "BENCH_THREADS", allowed)?.map(Number) ?? [1, cores];
  return [...new Set(listed)];
}
