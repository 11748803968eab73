/**
 * One backend's training run, in a subprocess of its own so that its peak memory is its own:
 * `deno run --allow-all bench/run_backend.ts BACKEND EPOCHS PATH` trains the study's MLP with
 * lib/training/train.ts (PATH `train`) or with tfjs-layers' own `model.fit` on a `buildMlp()`
 * model (PATH `fit`; `fit-onehot` with labels made by `tf.oneHot`, int32, as tfjs's examples
 * make them), with `MLP_BLAS_THREADS` BLAS threads, and prints what it measured as one
 * JSON line; {@linkcode runBackend} starts it and reads it.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { BlasBackend } from "../packages/tfjs-backend-blas/mod.ts";
import { initBackend } from "../lib/backend/init.ts";
import { type BackendName, blasThreads } from "../lib/config.ts";
import { loadMnist } from "../lib/data/mnist.ts";
import { firstSamples } from "../lib/data/splits.ts";
import { buildMlp } from "../lib/model/mlp.ts";
import { toTensors } from "../lib/preprocessing/tensors.ts";
import { type LayersModel, type Tensor, tf } from "../lib/tf.ts";
import { train } from "../lib/training/train.ts";
import { epochFloorSeconds } from "./floor.ts";
import { CPU_IMAGES, EPOCH_IMAGES, SETTINGS, steadyMedian, TRAIN_IMAGES } from "./options.ts";

/** What one backend's run measured. */
export interface BackendResult {
  /** The backend's name, from DEFAULT_BACKENDS. */
  backend: string;
  /** How it trained: the project's `train`, or tfjs's own `model.fit` on a `buildMlp()` model. */
  path: TrainPath;
  /** Threads of the BLAS library (the blas backend's matrix products). */
  threads: number;
  /** Seconds of each epoch (validation included), extrapolated to 60,000 images for cpu. */
  epochSeconds: number[];
  /** Median of `epochSeconds` after the first (`steadyMedian`). */
  medianSeconds: number;
  /** Training images per second: 48,000 / median epoch seconds. */
  imagesPerSecond: number;
  /** Peak resident memory of the subprocess in MiB. */
  peakRssMiB: number;
  /** How the peak was measured. */
  rssSource: "VmHWM" | "sampled rss";
  /** Validation accuracy after the last epoch. */
  valAccuracy: number;
  /** Whether `epochSeconds` were extrapolated from a shorter run. */
  extrapolated: boolean;
  /**
   * blas only: seconds of the epoch's matrix products alone (bench/floor.ts), through the same
   * BLAS handle and threads, measured after training.
   */
  floorSeconds?: number;
  /** blas only: the kernel set and build of the BLAS library (`Blas.kernels`), if it says. */
  blasKernels?: { corename: string; config: string };
  /** The bench's round it ran in, from 1 (set by bench.ts). */
  round?: number;
}

/**
 * The training loops the bench times: lib/training/train.ts, or tfjs-layers' `model.fit` with
 * float32 one-hot labels, or with `tf.oneHot`'s int32 labels.
 */
export type TrainPath = "train" | "fit" | "fit-onehot";

/** Peak resident set size in MiB from /proc/self/status, or undefined off Linux. */
function vmHwmMiB(): number | undefined {
  try {
    const match = Deno.readTextFileSync("/proc/self/status").match(/^VmHWM:\s+(\d+) kB/m);
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Activates the benchmarked backend `name` (see DEFAULT_BACKENDS); throws if it cannot start. */
export async function useBackend(name: string): Promise<void> {
  if (name !== "wasm-plain") {
    await initBackend(name as BackendName);
    return;
  }
  if (!(await tf.setBackend("wasm"))) throw new Error("backend wasm could not be started");
  await tf.ready();
}

/** Builds the study's MLP with the bench's settings. */
export function benchModel(): LayersModel {
  const { hiddenUnits, dropout, learningRate, seed } = SETTINGS;
  return buildMlp({ hiddenUnits, dropout, learningRate, seed });
}

/** Seconds of each epoch of `model.fit` (validation included), timed by its callbacks. */
async function fitSeconds(
  model: LayersModel,
  x: Tensor,
  y: Tensor,
  epochs: number,
  onBatchEnd: () => void,
): Promise<{ seconds: number[]; valAccuracy: number }> {
  const seconds: number[] = [];
  let started = 0;
  const { history } = await model.fit(x, y, {
    epochs,
    batchSize: SETTINGS.batchSize,
    validationSplit: SETTINGS.validationSplit,
    verbose: 0,
    callbacks: {
      onEpochBegin: () => {
        started = performance.now();
      },
      onBatchEnd,
      onEpochEnd: () => {
        seconds.push((performance.now() - started) / 1000);
      },
    },
  });
  const valAccuracy = history.val_acc.at(-1) as number;
  return { seconds, valAccuracy };
}

/** Trains on `backend` along `path` in this process and returns what it measured. */
export async function measureBackend(
  backend: string,
  epochs: number,
  path: TrainPath = "train",
): Promise<BackendResult> {
  await useBackend(backend);
  const extrapolated = backend === "cpu";
  const dataset = await loadMnist();
  const split = extrapolated ? firstSamples(dataset.train, CPU_IMAGES) : dataset.train;
  const { x, y } = toTensors(split);
  const model = benchModel();
  let sampledRss = 0;
  const onBatchEnd = () => {
    sampledRss = Math.max(sampledRss, Deno.memoryUsage().rss / 2 ** 20);
  };
  const run = extrapolated ? 1 : epochs;
  const oneHot = path === "fit-onehot"
    ? tf.oneHot(tf.tensor1d(Int32Array.from(split.labels), "int32"), y.shape[1]!)
    : undefined;
  const { seconds, valAccuracy } = path !== "train"
    ? await fitSeconds(model, x, oneHot ?? y, run, onBatchEnd)
    : await train(model, x, y, {
      epochs: run,
      batchSize: SETTINGS.batchSize,
      validationSplit: SETTINGS.validationSplit,
      seed: SETTINGS.seed,
      onBatchEnd,
    }).then((history) => ({ seconds: history.seconds, valAccuracy: history.val_acc.at(-1)! }));
  const blas = tf.backend() instanceof BlasBackend ? (tf.backend() as BlasBackend).blas : undefined;
  const [inputs, classes] = [x.shape[1]!, y.shape[1]!];
  tf.dispose([x, y, ...oneHot ? [oneHot] : []]);
  const scale = EPOCH_IMAGES / split.labels.length;
  const epochSeconds = seconds.map((s) => s * scale);
  const medianSeconds = steadyMedian(epochSeconds);
  const hwm = vmHwmMiB();
  return {
    backend,
    path,
    threads: blasThreads(),
    epochSeconds,
    medianSeconds,
    imagesPerSecond: TRAIN_IMAGES / medianSeconds,
    peakRssMiB: hwm ?? sampledRss,
    rssSource: hwm === undefined ? "sampled rss" : "VmHWM",
    valAccuracy,
    extrapolated,
    floorSeconds: blas && epochFloorSeconds(blas, inputs, classes),
    blasKernels: blas?.kernels(),
  };
}

/**
 * Runs {@linkcode measureBackend} in a subprocess (this file) with `threads` BLAS threads and
 * parses its JSON result.
 */
export async function runBackend(
  backend: string,
  epochs: number,
  path: TrainPath,
  threads: number,
): Promise<BackendResult> {
  const script = fileURLToPath(import.meta.url);
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", script, backend, String(epochs), path],
    env: { MLP_BLAS_THREADS: String(threads) },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const out = new TextDecoder().decode(stdout).trim();
  if (code !== 0) {
    throw new Error(
      `backend ${backend}: benchmark subprocess exited with code ${code}:\n` +
        new TextDecoder().decode(stderr),
    );
  }
  return JSON.parse(out.split("\n").at(-1)!) as BackendResult;
}

if (import.meta.main) {
  const [backend, epochs, path] = Deno.args;
  console.log(JSON.stringify(await measureBackend(backend, Number(epochs), path as TrainPath)));
}
