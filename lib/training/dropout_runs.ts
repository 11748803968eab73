/**
 * What dropout buys: the same model with the same seed trained at several dropout rates, each
 * run recorded step by step and its best checkpoint measured on the test set.
 *
 * @module
 */
import { checkError, checkInteger, checkNumber } from "../checks.ts";
import type { Config } from "../config.ts";
import type { Dataset } from "../data/mnist.ts";
import { splitValidation } from "../data/splits.ts";
import { evaluate, type Evaluation } from "../evaluation/metrics.ts";
import { buildMlp, disposeModel } from "../model/mlp.ts";
import { toTensors } from "../preprocessing/tensors.ts";
import type { LayersModel } from "../tf.ts";
import { loadCheckpoint } from "./checkpoint.ts";
import { joinCallbacks } from "./callbacks.ts";
import { type Dynamics, recordDynamics } from "./dynamics.ts";
import { stopError, watchStop } from "../stop.ts";
import { train } from "./train.ts";
import type { History, TrainCallbacks } from "./types.ts";

/** One run of {@linkcode dropoutRuns}. */
export interface DropoutRun {
  /** The dropout rate after each hidden layer. */
  rate: number;
  /** The run's history (every epoch, not only up to the best). */
  history: History;
  /** Every step's loss and accuracy, and the layers' norms and update sizes per epoch. */
  dynamics: Dynamics;
  /** 1-based epoch of the lowest validation loss: after it the model starts to overfit. */
  overfitEpoch: number;
  /** The best checkpoint (highest validation accuracy) on the test set. */
  test: Evaluation;
  /** The folder that holds the run's best checkpoint. */
  checkpointDir: string;
}

/** Options of {@linkcode dropoutRuns}. */
export interface DropoutRunsOptions {
  /** Dropout rates, one run each, in [0, 1). */
  rates: readonly number[];
  /** Epochs of every run. */
  epochs: number;
  /** Folder under which each run keeps its best checkpoint, in `dropout_<rate>`. */
  dir: string;
  /** Called before each run with its index and rate; its callbacks follow that run. */
  onRun?: (index: number, rate: number) => TrainCallbacks | void;
}

/**
 * The 1-based epoch of the lowest validation loss: the one after which validation loss rises
 * while training loss goes on falling (the first such epoch on ties).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(overfitEpoch({ val_loss: [0.3, 0.2, 0.25, 0.4] }), 2);
 * ```
 */
export function overfitEpoch(history: Pick<History, "val_loss">): number {
  const losses = history.val_loss;
  if (losses.length === 0) {
    throw checkError("overfitEpoch: history.val_loss", "at least one epoch", "none");
  }
  return losses.indexOf(Math.min(...losses)) + 1;
}

/**
 * Trains the MLP (with `config`'s hidden sizes and learning rate) once per dropout rate on
 * `data.train` (the last `validationSplit` validating, as train's `validationSplit` takes it),
 * each with `config.seed`, so every run starts from the same
 * weights and sees the same batches; records each run (`recordDynamics`), keeps its best
 * checkpoint in `<dir>/dropout_<rate>` and tests it on `data.test`. Every model it makes is
 * disposed before it returns.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { initBackend } from "../backend/init.ts";
 * import { STUDY_CONFIG } from "../config.ts";
 * import { loadDataset } from "../data/dataset.ts";
 *
 * await initBackend();
 * const data = await loadDataset({ dataset: "mnist", trainLimit: 600, testLimit: 100 });
 * const dir = await Deno.makeTempDir();
 * const runs = await dropoutRuns(data, STUDY_CONFIG, { rates: [0, 0.5], epochs: 2, dir });
 * assert.deepEqual(runs.map((r) => r.history.val_loss.length), [2, 2]);
 * assert.equal(runs[1].checkpointDir, `${dir}/dropout_0.5`);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function dropoutRuns(
  data: Pick<Dataset, "train" | "test">,
  config: Pick<
    Config,
    "batchSize" | "validationSplit" | "seed" | "hiddenUnits" | "learningRate" | "optimizer"
  >,
  options: DropoutRunsOptions,
): Promise<DropoutRun[]> {
  const { rates, epochs, dir, onRun } = options;
  if (rates.length === 0) throw checkError("dropoutRuns: rates", "at least one rate", "none");
  rates.forEach((r, i) => checkNumber(`dropoutRuns: rates[${i}]`, r, { min: 0, below: 1 }));
  checkInteger("dropoutRuns: epochs", epochs, { min: 1 });
  const { batchSize, validationSplit, seed, hiddenUnits, learningRate, optimizer } = config;
  // Split as train's validationSplit does, without the copy of the whole set that it slices.
  const parts = splitValidation(data.train, validationSplit);
  const sets = [toTensors(parts.train), toTensors(parts.validation), toTensors(data.test)];
  const [{ x, y }, validation, test] = sets;
  const models = new Set<LayersModel>();
  const open = (model: LayersModel) => (models.add(model), model);
  const dispose = (model: LayersModel) => {
    models.delete(model);
    disposeModel(model);
  };
  using stop = watchStop();
  try {
    const runs: DropoutRun[] = [];
    for (const [index, rate] of rates.entries()) {
      if (stop.requested) throw stopError("dropoutRuns", `dropout ${rate}, before its training`);
      const model = open(buildMlp({ hiddenUnits, learningRate, optimizer, dropout: rate, seed }));
      const recorder = recordDynamics(model);
      const checkpointDir = `${dir}/dropout_${rate}`;
      const history = await train(model, x, y, {
        epochs,
        batchSize,
        validationData: [validation.x, validation.y],
        seed,
        checkpointDir,
        ...joinCallbacks(recorder.callbacks, onRun?.(index, rate) ?? {}),
      });
      dispose(model);
      const best = open(await loadCheckpoint(checkpointDir));
      const result = await evaluate(best, test.x, test.y);
      dispose(best);
      runs.push({
        rate,
        history,
        dynamics: recorder.dynamics,
        overfitEpoch: overfitEpoch(history),
        test: result,
        checkpointDir,
      });
    }
    return runs;
  } finally {
    for (const model of models) dispose(model);
    for (const set of sets) set.x.dispose(), set.y.dispose();
  }
}
