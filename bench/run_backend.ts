/**
 * One backend's training run, in a subprocess of its own so that its peak memory is its own:
 * `deno run --allow-all bench/run_backend.ts BACKEND EPOCHS` trains with lib/training/train.ts
 * and prints what it measured as one JSON line; {@linkcode runBackend} starts it and reads it.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { initBackend } from "../lib/backend/init.ts";
import type { BackendName } from "../lib/config.ts";
import { loadMnist } from "../lib/data/mnist.ts";
import { firstSamples } from "../lib/data/splits.ts";
import { median } from "../lib/evaluation/results.ts";
import { buildMlp } from "../lib/model/mlp.ts";
import { toTensors } from "../lib/preprocessing/tensors.ts";
import { type LayersModel, tf } from "../lib/tf.ts";
import { train } from "../lib/training/train.ts";
import { CPU_IMAGES, EPOCH_IMAGES, SETTINGS, TRAIN_IMAGES } from "./options.ts";

/** What one backend's run measured. */
export interface BackendResult {
  /** The backend's name, from DEFAULT_BACKENDS. */
  backend: string;
  /** Seconds of each epoch (validation included), extrapolated to 60,000 images for cpu. */
  epochSeconds: number[];
  /** Median of `epochSeconds`. */
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
}

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

/** Trains on `backend` in this process and returns what it measured. */
export async function measureBackend(backend: string, epochs: number): Promise<BackendResult> {
  await useBackend(backend);
  const extrapolated = backend === "cpu";
  const dataset = await loadMnist();
  const split = extrapolated ? firstSamples(dataset.train, CPU_IMAGES) : dataset.train;
  const { x, y } = toTensors(split);
  const model = benchModel();
  let sampledRss = 0;
  const history = await train(model, x, y, {
    epochs: extrapolated ? 1 : epochs,
    batchSize: SETTINGS.batchSize,
    validationSplit: SETTINGS.validationSplit,
    seed: SETTINGS.seed,
    onBatchEnd: () => {
      sampledRss = Math.max(sampledRss, Deno.memoryUsage().rss / 2 ** 20);
    },
  });
  tf.dispose([x, y]);
  const scale = EPOCH_IMAGES / split.labels.length;
  const epochSeconds = history.seconds.map((s) => s * scale);
  const medianSeconds = median(epochSeconds);
  const hwm = vmHwmMiB();
  return {
    backend,
    epochSeconds,
    medianSeconds,
    imagesPerSecond: TRAIN_IMAGES / medianSeconds,
    peakRssMiB: hwm ?? sampledRss,
    rssSource: hwm === undefined ? "sampled rss" : "VmHWM",
    valAccuracy: history.val_acc[history.val_acc.length - 1],
    extrapolated,
  };
}

/** Runs {@linkcode measureBackend} in a subprocess (this file) and parses its JSON result. */
export async function runBackend(backend: string, epochs: number): Promise<BackendResult> {
  const script = fileURLToPath(import.meta.url);
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", script, backend, String(epochs)],
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
  const [backend, epochs] = Deno.args;
  console.log(JSON.stringify(await measureBackend(backend, Number(epochs))));
}
