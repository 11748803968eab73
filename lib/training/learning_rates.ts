/**
 * How the learning rate steers training: the same model trained for a few epochs at several
 * learning rates with each optimizer, every step's loss recorded, a run that blows up marked
 * with the step where it did.
 *
 * @module
 */
import { checkError, checkInteger, checkNumber, checkOneOf } from "../checks.ts";
import { type Config, type OptimizerName, OPTIMIZERS } from "../config.ts";
import type { Split } from "../data/mnist.ts";
import { buildMlp, disposeModel } from "../model/mlp.ts";
import { splitValidation } from "../data/splits.ts";
import { toTensors } from "../preprocessing/tensors.ts";
import type { Tensor } from "../tf.ts";
import { joinCallbacks } from "./callbacks.ts";
import { DivergedError, train } from "./train.ts";
import type { TrainCallbacks } from "./types.ts";

/** One run of {@linkcode learningRateRuns}. */
export interface LearningRateRun {
  /** The optimizer it trained with. */
  optimizer: OptimizerName;
  /** Its learning rate η. */
  rate: number;
  /** Every step's loss on its batch, from step 1 (fewer than all steps when it diverged). */
  losses: number[];
  /** Validation accuracy after each finished epoch, in [0, 1]. */
  valAccuracy: number[];
  /** The 1-based step (counted over all epochs) at which it diverged; undefined: it did not. */
  divergedAt?: number;
}

/** Options of {@linkcode learningRateRuns}. */
export interface LearningRateRunsOptions {
  /** Learning rates, one run each per optimizer (> 0). */
  rates: readonly number[];
  /** The optimizers, each run at every rate. */
  optimizers: readonly OptimizerName[];
  /** Epochs of every run. */
  epochs: number;
  /** Called before each run; its callbacks follow that run (e.g. a progress bar). */
  onRun?: (optimizer: OptimizerName, rate: number) => TrainCallbacks | void;
}

/**
 * The loss above which {@linkcode learningRateRuns} calls a run diverged: twice ln(classes), the
 * loss of a network that spreads its bets evenly, which training should only ever go below.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(divergenceLoss(10).toFixed(3), "4.605"); // 2 ln 10
 * ```
 */
export function divergenceLoss(classes: number): number {
  return 2 * Math.log(classes);
}

/**
 * Trains the MLP (`config`'s sizes, dropout and seed, so every run starts from the same weights
 * and sees the same batches) for `epochs` at each learning rate with each optimizer, on
 * `data` with its last `validationSplit` validating. A run whose loss on a batch goes above
 * {@linkcode divergenceLoss} or becomes NaN stops there and records the step; the others
 * run all their epochs. Runs go optimizer by optimizer, rate by rate; every model is disposed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../backend/init.ts";
 * import { STUDY_CONFIG } from "../config.ts";
 * import { loadDataset } from "../data/dataset.ts";
 *
 * await initBackend();
 * const data = await loadDataset({ dataset: "mnist", trainLimit: 1000 });
 * const runs = await learningRateRuns(data.train, STUDY_CONFIG, {
 *   rates: [0.001, 1], optimizers: ["adam"], epochs: 1,
 * });
 * assert.equal(runs[0].losses.length, 4); // 800 training images in batches of 256
 * assert.ok(runs[1].divergedAt !== undefined); // Adam at η = 1 blows up at once
 * ```
 */
export async function learningRateRuns(
  data: Split,
  config: RunConfig,
  options: LearningRateRunsOptions,
): Promise<LearningRateRun[]> {
  const fn = "learningRateRuns";
  const { rates, optimizers, epochs, onRun } = options;
  if (rates.length === 0) throw checkError(`${fn}: rates`, "at least one rate", "none");
  if (optimizers.length === 0) {
    throw checkError(`${fn}: optimizers`, "at least one optimizer", "none");
  }
  rates.forEach((r, i) => checkNumber(`${fn}: rates[${i}]`, r, { above: 0 }));
  optimizers.forEach((o, i) => checkOneOf(`${fn}: optimizers[${i}]`, o, OPTIMIZERS));
  checkInteger(`${fn}: epochs`, epochs, { min: 1 });
  // Split as train's validationSplit does, once, instead of a copy of the whole set per run.
  const parts = splitValidation(data, config.validationSplit);
  const sets = [toTensors(parts.train), toTensors(parts.validation)];
  try {
    const runs: LearningRateRun[] = [];
    for (const optimizer of optimizers) {
      for (const rate of rates) {
        const callbacks = onRun?.(optimizer, rate) ?? {};
        runs.push(await rateRun(sets, config, { optimizer, rate, epochs, callbacks }));
      }
    }
    return runs;
  } finally {
    for (const set of sets) set.x.dispose(), set.y.dispose();
  }
}

/** The settings of {@linkcode learningRateRuns} that every run shares. */
type RunConfig = Pick<Config, "batchSize" | "validationSplit" | "seed" | "hiddenUnits" | "dropout">;

/** One run of {@linkcode learningRateRuns}: its model trained, recorded and disposed. */
async function rateRun(
  [{ x, y }, validation]: { x: Tensor; y: Tensor }[],
  config: RunConfig,
  { optimizer, rate, epochs, callbacks }: {
    optimizer: OptimizerName;
    rate: number;
    epochs: number;
    callbacks: TrainCallbacks;
  },
): Promise<LearningRateRun> {
  const { batchSize, seed, hiddenUnits, dropout } = config;
  const ceiling = divergenceLoss(y.shape[1]!);
  const run: LearningRateRun = { optimizer, rate, losses: [], valAccuracy: [] };
  let steps = 0;
  const record: TrainCallbacks = {
    onEpochBegin(start) {
      steps = start.steps;
    },
    onBatchEnd({ epoch, step, batchLoss }) {
      run.losses.push(batchLoss);
      if (batchLoss > ceiling) {
        throw new DivergedError(`loss ${batchLoss} above ${ceiling}`, epoch, step);
      }
    },
    onEpochEnd({ history }) {
      run.valAccuracy = [...history.val_acc];
    },
  };
  const model = buildMlp({ hiddenUnits, dropout, seed, optimizer, learningRate: rate });
  try {
    const settings = {
      epochs,
      batchSize,
      seed,
      validationData: [validation.x, validation.y] as [Tensor, Tensor],
    };
    await train(model, x, y, { ...settings, ...joinCallbacks(callbacks, record) });
  } catch (error) {
    if (!(error instanceof DivergedError)) throw error;
    // At validation (step 0) the loss went bad after the epoch's last step.
    run.divergedAt = (error.epoch - 1) * steps + (error.step || steps);
  } finally {
    disposeModel(model);
  }
  return run;
}
