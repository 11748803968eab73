/**
 * `bench.ts --profile BACKEND`: where a training step's time goes.
 *
 * On blas, whose one-pass step runs outside tfjs's kernels, one epoch of the project's `train`
 * and one of tfjs-layers' `model.fit` (each after a warm-up epoch) are split into phases by
 * wrapping the functions that do each phase's work (bench/phase_clock.ts): the matrix products,
 * the step's other passes, Adam, the dropout masks, batch gathering, validation; what is left is
 * JavaScript and tfjs-layers' own work (tensors, callbacks, the loop). Beside it, the epoch's
 * floor: its matrix products alone (bench/floor.ts). On the other backends, the time of each tfjs
 * kernel over {@linkcode PROFILE_STEPS} training steps, from `tf.profile`.
 *
 * @module
 */
import { BLAS_BACKEND_NAME, type BlasBackend } from "../packages/tfjs-backend-blas/mod.ts";
import { DenseStep } from "../packages/tfjs-backend-blas/dense_step.ts";
import { FusedAdamOptimizer } from "../packages/tfjs-backend-blas/training/mod.ts";
import { loadMnist } from "../lib/data/mnist.ts";
import { firstSamples } from "../lib/data/splits.ts";
import { disposeModel } from "../lib/model/mlp.ts";
import { SeededDropout } from "../lib/model/seeded_dropout.ts";
import { toTensors } from "../lib/preprocessing/tensors.ts";
import { type LayersModel, type Tensor, tf } from "../lib/tf.ts";
import { train } from "../lib/training/train.ts";
import { epochFloorSeconds } from "./floor.ts";
import { PROFILE_STEPS, SETTINGS, TRAIN_IMAGES } from "./options.ts";
import { PhaseClock, type PhaseTotal } from "./phase_clock.ts";
import { benchModel, type TrainPath, useBackend } from "./run_backend.ts";

/** The phases of a blas epoch, in the order the table lists them. */
export const PHASES = {
  stepSgemm: "matrix products, training step",
  passes: "step's other passes (bias, relu, dropout, softmax, loss, bias gradients)",
  masks: "dropout masks",
  adam: "Adam",
  gathering: "batch gathering (GatherV2: each batch's rows, validation's too)",
  slicing: "slicing (Slice: the splits, tfjs-layers' batch indices)",
  validationSgemm: "matrix products, validation",
  validation: "validation's other passes",
} as const;

/** The phase of a validation pass, which splits the matrix products by their caller. */
const EVALUATE = PHASES.validation;

/**
 * Wraps the functions that do each phase's work on blas — the BLAS handle's `sgemm`, the one-pass
 * step's `run` and `evaluate`, the dropout layers' masks, the fused Adam, the gather and slice
 * kernels — into `clock`'s {@linkcode PHASES}, for the rest of the process.
 */
export function instrument(clock: PhaseClock, backend: BlasBackend): void {
  clock.wrapMethod(
    backend.blas,
    "sgemm",
    (active) => active.includes(EVALUATE) ? PHASES.validationSgemm : PHASES.stepSgemm,
  );
  clock.wrapMethod(DenseStep.prototype, "run", PHASES.passes);
  clock.wrapMethod(DenseStep.prototype, "evaluate", EVALUATE);
  clock.wrapMethod(SeededDropout.prototype, "fillDropoutMask", PHASES.masks);
  clock.wrapMethod(FusedAdamOptimizer.prototype, "applyGradients", PHASES.adam);
  for (const [name, phase] of [["GatherV2", PHASES.gathering], ["Slice", PHASES.slicing]]) {
    const kernel = tf.getKernel(name, BLAS_BACKEND_NAME)!;
    tf.unregisterKernel(name, BLAS_BACKEND_NAME);
    tf.registerKernel({ ...kernel, kernelFunc: clock.wrap(phase, kernel.kernelFunc) });
  }
}

/** Milliseconds of the second of two epochs along `path`, and its phases' totals from `clock`. */
async function secondEpoch(
  path: TrainPath,
  model: LayersModel,
  x: Tensor,
  y: Tensor,
  clock: PhaseClock,
): Promise<{ ms: number; totals: Map<string, PhaseTotal> }> {
  let start = 0;
  let ms = 0;
  let totals = new Map<string, PhaseTotal>();
  const begin = () => {
    clock.reset();
    start = performance.now();
  };
  const end = () => {
    ms = performance.now() - start;
    totals = clock.totals();
  };
  const { batchSize, validationSplit, seed } = SETTINGS;
  if (path === "train") {
    await train(model, x, y, {
      epochs: 2,
      batchSize,
      validationSplit,
      seed,
      onEpochBegin: ({ epoch }) => epoch === 2 ? begin() : undefined,
      onEpochEnd: ({ epoch }) => epoch === 2 ? end() : undefined,
    });
  } else {
    await model.fit(x, y, {
      epochs: 2,
      batchSize,
      validationSplit,
      verbose: 0,
      callbacks: {
        onEpochBegin: (epoch) => epoch === 1 ? begin() : undefined,
        onEpochEnd: (epoch) => epoch === 1 ? end() : undefined,
      },
    });
  }
  return { ms, totals };
}

/** Prints one path's phases in ms per training step, with the rest and the floor. */
function printPhases(
  path: TrainPath,
  epochMs: number,
  totals: Map<string, PhaseTotal>,
  floorMs: number,
): void {
  const steps = Math.ceil(TRAIN_IMAGES / SETTINGS.batchSize);
  const perStep = (ms: number) => (ms / steps).toFixed(3);
  const share = (ms: number) => `${(100 * ms / epochMs).toFixed(1)}%`;
  const named = Object.values(PHASES).map((name) => [name, totals.get(name)?.ms ?? 0] as const);
  const rest = epochMs - named.reduce((sum, [, ms]) => sum + ms, 0);
  console.log(
    `\n${path === "fit" ? "model.fit" : "train"}: ${(epochMs / 1000).toFixed(3)} s per epoch ` +
      `(${steps} steps + validation), ${perStep(epochMs)} ms per step; ` +
      `${(epochMs / floorMs).toFixed(2)}× the floor\n`,
  );
  console.log("| phase | ms/step | share |");
  console.log("|---|--:|--:|");
  for (const [name, ms] of named) console.log(`| ${name} | ${perStep(ms)} | ${share(ms)} |`);
  console.log(`| JavaScript and tfjs-layers (the rest) | ${perStep(rest)} | ${share(rest)} |`);
  console.log(
    `| **floor: the epoch's matrix products alone** | ${perStep(floorMs)} | ${share(floorMs)} |`,
  );
}

/** Prints where an epoch's time goes on blas, along `train` and `model.fit`. */
async function profileBlas(): Promise<void> {
  await useBackend("blas");
  const backend = tf.backend() as BlasBackend;
  const clock = new PhaseClock();
  instrument(clock, backend);
  const { x, y } = toTensors((await loadMnist()).train);
  for (const path of ["train", "fit"] as const) {
    const model = benchModel();
    const { ms, totals } = await secondEpoch(path, model, x, y, clock);
    disposeModel(model);
    const floorMs = 1000 * epochFloorSeconds(backend.blas, x.shape[1]!, y.shape[1]!);
    printPhases(path, ms, totals, floorMs);
  }
  tf.dispose([x, y]);
}

/** Prints the total time per tfjs kernel over `PROFILE_STEPS` training steps on `backend`. */
async function profileKernels(backend: string): Promise<void> {
  await useBackend(backend);
  const dataset = await loadMnist();
  const { x, y } = toTensors(firstSamples(dataset.train, SETTINGS.batchSize));
  const model = benchModel();
  for (let i = 0; i < PROFILE_STEPS; i++) await model.trainOnBatch(x, y);
  const start = performance.now();
  for (let i = 0; i < PROFILE_STEPS; i++) await model.trainOnBatch(x, y);
  const stepMs = (performance.now() - start) / PROFILE_STEPS;
  const info = await tf.profile(async () => {
    for (let i = 0; i < PROFILE_STEPS; i++) await model.trainOnBatch(x, y);
  });
  const totals = new Map<string, { ms: number; calls: number; elements: number }>();
  for (const kernel of info.kernels) {
    const entry = totals.get(kernel.name) ?? { ms: 0, calls: 0, elements: 0 };
    entry.ms += kernel.kernelTimeMs as number;
    entry.calls++;
    entry.elements += kernel.outputShapes.reduce((n, shape) => n + tf.util.sizeFromShape(shape), 0);
    totals.set(kernel.name, entry);
  }
  const rows = [...totals].sort((a, b) => b[1].ms - a[1].ms);
  const kernelMs = rows.reduce((sum, [, e]) => sum + e.ms, 0) / PROFILE_STEPS;
  console.log(
    `${backend}: ${stepMs.toFixed(2)} ms per training step (batch ${SETTINGS.batchSize}), ` +
      `${kernelMs.toFixed(2)} ms of it in kernels under tf.profile (which reads every output ` +
      `back)\n`,
  );
  console.log("| kernel | ms/step | calls/step | ns/output element |");
  console.log("|---|--:|--:|--:|");
  for (const [name, e] of rows) {
    const nsPerElement = e.elements ? (e.ms * 1e6 / e.elements).toFixed(2) : "–";
    console.log(
      `| ${name} | ${(e.ms / PROFILE_STEPS).toFixed(3)} | ${e.calls / PROFILE_STEPS} | ` +
        `${nsPerElement} |`,
    );
  }
  disposeModel(model);
  tf.dispose([x, y]);
}

/**
 * Prints where a training step's time goes on `backend`: phases and the floor on blas, kernels
 * elsewhere.
 */
export async function runProfile(backend: string): Promise<void> {
  if (backend === "blas") await profileBlas();
  else await profileKernels(backend);
}
