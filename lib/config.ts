/**
 * The study's settings in one object, and the one reader of the environment variables that
 * override them (`MLP_*`, and the bench's `BENCH_*` through the same `env*` readers).
 *
 * @module
 */
import { type Bounds, checkError, checkNumber, checkOneOf } from "./checks.ts";

/** Which data set the notebooks run on. */
export type DatasetName = typeof DATASETS[number];

/** The data sets the notebooks can run on. */
export const DATASETS = ["mnist", "fashion-mnist"] as const;

/** The optimizers a model can train with: Adam (the study's) or plain stochastic gradient descent. */
export const OPTIMIZERS = ["adam", "sgd"] as const;

/** An optimizer name from {@linkcode OPTIMIZERS}. */
export type OptimizerName = typeof OPTIMIZERS[number];

/** Names of the tfjs backends this project can run on, fastest first. */
export const BACKENDS = ["blas", "wasm", "cpu"] as const;

/** A tfjs backend name from {@linkcode BACKENDS}. */
export type BackendName = typeof BACKENDS[number];

/** Settings of a run: the study's values unless the environment says otherwise. */
export interface Config {
  /** Passes over the training set (`MLP_EPOCHS`, default 10). */
  epochs: number;
  /** Images per gradient step (`MLP_BATCH_SIZE`, default 256). */
  batchSize: number;
  /** Fraction of the training set held out for validation, taken from its end (default 0.2). */
  validationSplit: number;
  /** Units of each hidden Dense layer (`MLP_HIDDEN`, e.g. `512,128`; default [256, 256]). */
  hiddenUnits: readonly number[];
  /** Dropout rate after each hidden layer (`MLP_DROPOUT`, in [0, 1); default 0.2). */
  dropout: number;
  /** The optimizer's learning rate (`MLP_LEARNING_RATE`, default 0.001, Keras's Adam default). */
  learningRate: number;
  /** The optimizer (`MLP_OPTIMIZER`, `adam` or `sgd`; default `adam`, the study's). */
  optimizer: OptimizerName;
  /** Standard deviation of the noise experiments' Gaussian noise (`MLP_NOISE_STD`, default 0.1). */
  noiseStd: number;
  /** Seed of every random choice: init, dropout, shuffling, noise (`MLP_SEED`, default 42). */
  seed: number;
  /** Use only the first N training images (`MLP_TRAIN_LIMIT`; undefined: all). */
  trainLimit?: number;
  /** Use only the first N test images (`MLP_TEST_LIMIT`; undefined: all). */
  testLimit?: number;
  /** Force a tfjs backend (`MLP_BACKEND`; undefined: the fastest available). */
  backend?: BackendName;
  /** The data set (`MLP_DATASET`, default "mnist"). */
  dataset: DatasetName;
  /** Seeds of notebook 07, from `seed` in steps of 1000 (`MLP_SEEDS`, default 5, at least 2). */
  seeds: number;
  /** Keep notebook 07's models of every seed in checkpoints/seeds/ (`MLP_KEEP_SEEDS=1`). */
  keepSeeds: boolean;
}

/** The original study's settings, with seed 42. */
export const STUDY_CONFIG: Readonly<Config> = Object.freeze({
  epochs: 10,
  batchSize: 256,
  validationSplit: 0.2,
  hiddenUnits: Object.freeze([256, 256]),
  dropout: 0.2,
  learningRate: 0.001,
  optimizer: "adam",
  noiseStd: 0.1,
  seed: 42,
  dataset: "mnist",
  seeds: 5,
  keepSeeds: false,
});

function integer(name: string, value: string, min: 0 | 1): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min) {
    const expected = min === 1 ? "a positive integer" : "an integer ≥ 0";
    throw checkError(name, expected, JSON.stringify(value));
  }
  return n;
}

/** The number in `value` of variable `name`, within `bounds`; an Error naming both otherwise. */
function decimal(name: string, value: string, bounds: Bounds): number {
  const n = Number(value);
  checkNumber(name, Number.isNaN(n) ? value : n, bounds);
  return n;
}

function oneOf<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  checkOneOf(name, value, allowed);
  return value;
}

/** The backend `MLP_BACKEND` forces, or undefined when it is unset or empty. */
export function loadBackendChoice(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): BackendName | undefined {
  return envChoice(env, "MLP_BACKEND", BACKENDS);
}

/**
 * Reads the run's settings from environment variables over {@linkcode STUDY_CONFIG}.
 *
 * Unset or empty variables keep the study's value; invalid ones throw an Error naming the variable.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const config = loadConfig({ MLP_EPOCHS: "1", MLP_TRAIN_LIMIT: "6000" });
 * assert.equal(config.epochs, 1);
 * assert.equal(config.trainLimit, 6000);
 * assert.equal(config.batchSize, STUDY_CONFIG.batchSize); // unset: the study's 256
 * assert.throws(() => loadConfig({ MLP_EPOCHS: "0" })); // names MLP_EPOCHS
 * const wider = loadConfig({ MLP_HIDDEN: "512,128", MLP_LEARNING_RATE: "0.003", MLP_DROPOUT: "0.3" });
 * assert.deepEqual(wider.hiddenUnits, [512, 128]); // buildMlp(config) builds this model
 * ```
 */
export function loadConfig(env: Record<string, string | undefined> = Deno.env.toObject()): Config {
  const config: Config = { ...STUDY_CONFIG };
  config.epochs = envInteger(env, "MLP_EPOCHS", 1) ?? config.epochs;
  config.batchSize = envInteger(env, "MLP_BATCH_SIZE", 1) ?? config.batchSize;
  config.seed = envInteger(env, "MLP_SEED", 0) ?? config.seed;
  config.dataset = envChoice(env, "MLP_DATASET", DATASETS) ?? config.dataset;
  const trainLimit = envInteger(env, "MLP_TRAIN_LIMIT", 1);
  if (trainLimit !== undefined) config.trainLimit = trainLimit;
  const testLimit = envInteger(env, "MLP_TEST_LIMIT", 1);
  if (testLimit !== undefined) config.testLimit = testLimit;
  const backend = loadBackendChoice(env);
  if (backend !== undefined) config.backend = backend;
  const seeds = envInteger(env, "MLP_SEEDS", 1);
  if (seeds === 1) throw envError("MLP_SEEDS", "1", "an integer ≥ 2 (a spread needs two runs)");
  config.seeds = seeds ?? config.seeds;
  config.optimizer = envChoice(env, "MLP_OPTIMIZER", OPTIMIZERS) ?? config.optimizer;
  config.keepSeeds = (envChoice(env, "MLP_KEEP_SEEDS", ["0", "1"]) ?? "0") === "1";
  const hidden = envValue(env, "MLP_HIDDEN");
  if (hidden !== undefined) {
    config.hiddenUnits = hidden.split(",").map((units) => integer("MLP_HIDDEN", units.trim(), 1));
  }
  const number = (name: string, bounds: Bounds) => {
    const value = envValue(env, name);
    return value === undefined ? undefined : decimal(name, value, bounds);
  };
  config.learningRate = number("MLP_LEARNING_RATE", { above: 0 }) ?? config.learningRate;
  config.dropout = number("MLP_DROPOUT", { min: 0, below: 1 }) ?? config.dropout;
  config.noiseStd = number("MLP_NOISE_STD", { min: 0 }) ?? config.noiseStd;
  return config;
}

/** Options for the blas backend's `registerBlasBackend`, from the environment. */
export interface BlasOptions {
  /** The BLAS library (`MLP_BLAS_LIB`; undefined: the first one found). */
  library?: string;
  /** BLAS threads (`MLP_BLAS_THREADS`, default: the number of logical cores). */
  threads: number;
}

/**
 * Reads the blas backend's options from `MLP_BLAS_LIB` and `MLP_BLAS_THREADS`.
 *
 * Unset or empty variables keep the defaults; invalid ones throw an Error naming the variable,
 * as does an `MLP_BLAS_LIB` that names no existing file.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.deepEqual(loadBlasOptions({ MLP_BLAS_THREADS: "1" }), { threads: 1 });
 * assert.equal(loadBlasOptions({}).threads, navigator.hardwareConcurrency);
 * ```
 */
export function loadBlasOptions(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): BlasOptions {
  const options: BlasOptions = {
    threads: envInteger(env, "MLP_BLAS_THREADS", 1) ?? navigator.hardwareConcurrency,
  };
  const library = envValue(env, "MLP_BLAS_LIB");
  if (library !== undefined) {
    if (!isFile(library)) {
      throw checkError("MLP_BLAS_LIB", "an existing file", JSON.stringify(library));
    }
    options.library = library;
  }
  return options;
}

/** BLAS threads: `MLP_BLAS_THREADS` if set, else the number of logical cores. */
export function blasThreads(env: Record<string, string | undefined> = Deno.env.toObject()): number {
  return loadBlasOptions({ MLP_BLAS_THREADS: env.MLP_BLAS_THREADS }).threads;
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/**
 * The file that `deno task reproduce` names in `MLP_PROGRESS_FILE` for the notebooks to copy their
 * training progress line into, or undefined when unset.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(progressFile({ MLP_PROGRESS_FILE: "/tmp/progress.txt" }), "/tmp/progress.txt");
 * assert.equal(progressFile({}), undefined);
 * ```
 */
export function progressFile(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): string | undefined {
  return envValue(env, "MLP_PROGRESS_FILE");
}

/**
 * The trimmed value of the environment variable `name`, or undefined when it is unset or empty,
 * as {@linkcode loadConfig} reads its variables; for other entry points such as the bench.
 */
export function envValue(
  env: Record<string, string | undefined>,
  name: string,
): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

/** The Error that {@linkcode loadConfig} throws for an invalid `value` of variable `name`. */
export function envError(name: string, value: string, expected: string): Error {
  return checkError(name, expected, JSON.stringify(value));
}

/** The integer ≥ `min` in variable `name` (undefined when unset or empty), as loadConfig checks. */
export function envInteger(
  env: Record<string, string | undefined>,
  name: string,
  min: 0 | 1,
): number | undefined {
  const value = envValue(env, name);
  return value === undefined ? undefined : integer(name, value, min);
}

/** The name in variable `name` (undefined when unset or empty), one of `allowed`. */
export function envChoice<T extends string>(
  env: Record<string, string | undefined>,
  name: string,
  allowed: readonly T[],
): T | undefined {
  const value = envValue(env, name);
  return value === undefined ? undefined : oneOf(name, value, allowed);
}

/** The comma-separated names in variable `name` (undefined when unset or empty), from `allowed`. */
export function envList<T extends string>(
  env: Record<string, string | undefined>,
  name: string,
  allowed: readonly T[],
): T[] | undefined {
  const value = envValue(env, name);
  if (value === undefined) return undefined;
  const items = value.split(",").map((item) => item.trim()).filter((item) => item !== "");
  if (items.length === 0) throw envError(name, value, `some of ${allowed.join(", ")}`);
  return items.map((item) => oneOf(name, item, allowed));
}
