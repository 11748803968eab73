/**
 * The types a training run takes and reports: options, callbacks, progress and history.
 *
 * @module
 */
import type { Tensor } from "../tf.ts";

/** Metrics per epoch, named as Keras's `history.history`. */
export interface History {
  /** Mean training loss of each epoch. */
  loss: number[];
  /** Mean training accuracy of each epoch. */
  acc: number[];
  /** Validation loss after each epoch (empty without validation data). */
  val_loss: number[];
  /** Validation accuracy after each epoch (empty without validation data). */
  val_acc: number[];
  /** Wall-clock seconds of each epoch, validation included. */
  seconds: number[];
  /** 1-based epoch of the highest validation accuracy, the one checkpointed (0: none). */
  bestEpoch: number;
}

/** What a per-batch callback receives. */
export interface BatchProgress {
  /** 1-based epoch. */
  epoch: number;
  /** Number of epochs. */
  epochs: number;
  /** 1-based step within the epoch. */
  step: number;
  /** Steps per epoch. */
  steps: number;
  /** Running mean of the epoch's training loss so far. */
  loss: number;
  /** Running mean of the epoch's training accuracy so far. */
  acc: number;
  /** This step's own training loss (dropout on), as `trainOnBatch` returned it. */
  batchLoss: number;
  /** This step's own training accuracy (dropout on). */
  batchAcc: number;
  /** Seconds since the epoch began. */
  elapsed: number;
}

/** What an epoch-start callback receives. */
export interface EpochStart {
  /** 1-based epoch. */
  epoch: number;
  /** Number of epochs. */
  epochs: number;
  /** Steps this epoch will take. */
  steps: number;
}

/** What a per-epoch callback receives. */
export interface EpochProgress {
  /** 1-based epoch. */
  epoch: number;
  /** Number of epochs. */
  epochs: number;
  /** The history so far, this epoch included. */
  history: History;
  /** The folder this epoch's model was saved to as the best so far (undefined: not saved). */
  savedTo?: string;
}

/**
 * Callbacks that follow a training run, as tfjs's `fit` takes them; e.g. `terminalProgress()`
 * or `notebookProgress(title)`, spread into {@linkcode TrainOptions}.
 */
export interface TrainCallbacks {
  /** Called before the first step of every epoch. */
  onEpochBegin?: (start: EpochStart) => void | Promise<void>;
  /** Called after every step. */
  onBatchEnd?: (progress: BatchProgress) => void | Promise<void>;
  /** Called after every epoch, after validation and checkpointing. */
  onEpochEnd?: (progress: EpochProgress) => void | Promise<void>;
  /** Called once when training ends, also when it ends with an error. */
  onTrainEnd?: () => void | Promise<void>;
}

/** Options of `train`; the defaults are the study's (`STUDY_CONFIG`). */
export interface TrainOptions extends TrainCallbacks {
  /** Passes over the training data (default 10). */
  epochs?: number;
  /** Samples per step (default 256). */
  batchSize?: number;
  /** Fraction taken from the end, before shuffling, as validation set (default 0.2). */
  validationSplit?: number;
  /** An explicit validation set `[x, y]`, used instead of `validationSplit`. */
  validationData?: [Tensor, Tensor];
  /** Shuffle the training samples before each epoch (default true). */
  shuffle?: boolean;
  /** Seed of the shuffling (default 42). */
  seed?: number;
  /**
   * Folder that keeps the model with the best validation accuracy (default: none), saved
   * atomically with the history so far and the run's settings, so a run can resume from it.
   */
  checkpointDir?: string;
  /**
   * Go on from the checkpoint that `model` was loaded from (default false): `model` must come
   * from `loadCheckpoint(dir)` of a `checkpointDir` that train wrote, and seed, shuffle,
   * batchSize and the data must be the run's. Training starts after the checkpoint's epoch with
   * the same shuffles and dropout masks as the uninterrupted run, and the history returned
   * starts at epoch 1, e.g.
   * `train(await loadCheckpoint(dir), x, y, { checkpointDir: dir, resume: true })`.
   */
  resume?: boolean;
  /**
   * Stops the run after its current step when aborted, with an Error naming the epoch, the step
   * and the checkpoint to resume from; in Deno's Jupyter kernel the Stop button does the same.
   */
  signal?: AbortSignal;
}
