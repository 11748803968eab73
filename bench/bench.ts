/**
 * Training benchmark: the study's MLP on real MNIST, per tfjs backend, against PyTorch.
 *
 * Each backend trains in its own subprocess (so its peak memory is its own) with lib/train.ts:
 * 48,000 training images and the last 12,000 as validation, batch 256, seeded shuffling.
 * An epoch's time includes its validation pass. The cpu backend (a minute or two per epoch)
 * trains only 20 steps on 6,400 images and its epoch time is extrapolated linearly to 60,000.
 * PyTorch (bench/torch_mlp.py, when a python3 imports torch) uses as many threads as BLAS:
 * `MLP_BLAS_THREADS`, default all cores.
 *
 * ```sh
 * deno task bench      # blas, wasm, wasm-plain, cpu, then PyTorch if present
 * BENCH_BACKENDS=blas,wasm BENCH_EPOCHS=3 MLP_BLAS_THREADS=1 deno task bench
 * deno run --allow-all bench/bench.ts --profile blas  # per-kernel times of 20 training steps
 * ```
 *
 * Writes bench/results.json and prints a markdown table.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { initBackend } from "../lib/backend/init.ts";
import { type BackendName, blasThreads } from "../lib/config.ts";
import { loadMnist, mnistPackageDir } from "../lib/data/mnist.ts";
import { buildMlp } from "../lib/model/mlp.ts";
import { median } from "../lib/evaluation/results.ts";
import { firstSamples } from "../lib/data/splits.ts";
import { toTensors } from "../lib/preprocessing/tensors.ts";
import { tf } from "../lib/tf.ts";
import { train } from "../lib/training/train.ts";

/**
 * Backends benchmarked by default, in this order, as `initBackend` starts them; wasm-plain is
 * tfjs's wasm backend without `speedUpWasm()`, for the before/after comparison.
 */
const DEFAULT_BACKENDS = ["blas", "wasm", "wasm-plain", "cpu"];
/** Images per training step. */
const BATCH_SIZE = 256;
/** Fraction of the 60,000 training images held out for validation, from the end. */
const VALIDATION_SPLIT = 0.2;
/** Images in a full epoch: 48,000 trained on and 12,000 validated. */
const EPOCH_IMAGES = 60_000;
/** Images the cpu backend trains on (20 steps + 1,280 validation images), then extrapolated. */
const CPU_IMAGES = 6_400;
/** Seed of the model's initialization, dropout and shuffling. */
const SEED = 42;
/** Training steps timed by `--profile`, after as many warm-up steps. */
const PROFILE_STEPS = 20;

/** What one backend's run measured. */
interface BackendResult {
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

/** What the PyTorch peer measured. */
interface TorchResult {
  seconds: number[];
  val_acc: number[];
  threads: number;
  torch: string;
  peak_rss_mib: number;
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
async function useBackend(name: string): Promise<void> {
  if (name !== "wasm-plain") {
    await initBackend(name as BackendName);
    return;
  }
  if (!(await tf.setBackend("wasm"))) throw new Error("backend wasm could not be started");
  await tf.ready();
}

/** Trains on `backend` in this process and returns what it measured. */
async function runWorker(backend: string, epochs: number): Promise<BackendResult> {
  await useBackend(backend);
  const extrapolated = backend === "cpu";
  const dataset = await loadMnist();
  const split = extrapolated ? firstSamples(dataset.train, CPU_IMAGES) : dataset.train;
  const { x, y } = toTensors(split);
  const model = buildMlp({ seed: SEED });
  let sampledRss = 0;
  const history = await train(model, x, y, {
    epochs: extrapolated ? 1 : epochs,
    batchSize: BATCH_SIZE,
    validationSplit: VALIDATION_SPLIT,
    seed: SEED,
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
    imagesPerSecond: EPOCH_IMAGES * (1 - VALIDATION_SPLIT) / medianSeconds,
    peakRssMiB: hwm ?? sampledRss,
    rssSource: hwm === undefined ? "sampled rss" : "VmHWM",
    valAccuracy: history.val_acc[history.val_acc.length - 1],
    extrapolated,
  };
}

/** Prints the total time per kernel over `PROFILE_STEPS` training steps on `backend`. */
async function runProfile(backend: string): Promise<void> {
  await useBackend(backend);
  const dataset = await loadMnist();
  const { x, y } = toTensors(firstSamples(dataset.train, BATCH_SIZE));
  const model = buildMlp({ seed: SEED });
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
    `${backend}: ${stepMs.toFixed(2)} ms per training step (batch ${BATCH_SIZE}), ` +
      `${kernelMs.toFixed(2)} ms of it in kernels under tf.profile (which reads every output ` +
      `back, so blas cannot recycle arrays while profiling; the in-place Adam update and the ` +
      `dropout masks run outside kernels)\n`,
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
  tf.dispose([x, y]);
}

/** Runs this script with `--worker backend` in a subprocess and parses its JSON result. */
async function runSubprocess(backend: string, epochs: number): Promise<BackendResult> {
  const script = fileURLToPath(import.meta.url);
  const { code, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-all", script, "--worker", backend, String(epochs)],
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

/** The first Python interpreter that imports torch (`BENCH_PYTHON`, python3, /usr/bin/python3). */
async function findTorchPython(): Promise<string | undefined> {
  const candidates = [Deno.env.get("BENCH_PYTHON"), "python3", "/usr/bin/python3"];
  for (const python of candidates) {
    if (!python) continue;
    try {
      const probe = new Deno.Command(python, {
        args: ["-c", "import torch"],
        stdout: "null",
        stderr: "null",
      });
      if ((await probe.output()).success) return python;
    } catch {
      // Not installed under this name; try the next.
    }
  }
  return undefined;
}

/** Runs bench/torch_mlp.py with `python` and parses its JSON result. */
async function runTorch(python: string, epochs: number, threads: number): Promise<TorchResult> {
  const script = fileURLToPath(new URL("./torch_mlp.py", import.meta.url));
  const options = { epochs, threads, seed: SEED };
  const flags = Object.entries(options).flatMap(([name, value]) => [`--${name}`, String(value)]);
  const { code, stdout, stderr } = await new Deno.Command(python, {
    args: [script, mnistPackageDir(), ...flags],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(
      `${python} ${script} exited with code ${code}:\n${new TextDecoder().decode(stderr)}`,
    );
  }
  return JSON.parse(new TextDecoder().decode(stdout).trim().split("\n").at(-1)!) as TorchResult;
}

/** Parses BENCH_EPOCHS (default 2). */
function benchEpochs(): number {
  const text = Deno.env.get("BENCH_EPOCHS") ?? "2";
  const epochs = Number(text);
  if (!Number.isInteger(epochs) || epochs < 1) {
    throw new Error(`BENCH_EPOCHS must be a positive integer, got "${text}"`);
  }
  return epochs;
}

/** Parses BENCH_BACKENDS (default: all of DEFAULT_BACKENDS). */
function benchBackends(): string[] {
  const text = Deno.env.get("BENCH_BACKENDS");
  if (!text) return DEFAULT_BACKENDS;
  const names = text.split(",").map((name) => name.trim()).filter((name) => name !== "");
  const unknown = names.filter((name) => !DEFAULT_BACKENDS.includes(name));
  if (unknown.length > 0) {
    throw new Error(
      `BENCH_BACKENDS names unknown backend(s) ${unknown.join(", ")}; ` +
        `expected some of ${DEFAULT_BACKENDS.join(", ")}`,
    );
  }
  return names;
}

async function main(): Promise<void> {
  const [mode, backend, epochsArg] = Deno.args;
  if (mode === "--worker") {
    console.log(JSON.stringify(await runWorker(backend, Number(epochsArg))));
    return;
  }
  if (mode === "--profile") {
    await runProfile(backend ?? "blas");
    return;
  }
  const epochs = benchEpochs();
  const threads = blasThreads();
  const results: BackendResult[] = [];
  const skipped: Record<string, string> = {};
  for (const name of benchBackends()) {
    console.log(`training on ${name}…`);
    try {
      results.push(await runSubprocess(name, epochs));
    } catch (error) {
      skipped[name] = (error as Error).message.split("\n")[0];
      console.log(`  skipped: ${skipped[name]}`);
    }
  }
  const python = await findTorchPython();
  let torch: TorchResult | undefined;
  if (python) {
    console.log(`training with PyTorch (${python}, ${threads} threads)…`);
    torch = await runTorch(python, epochs, threads);
  } else {
    console.log("PyTorch not found (python3 -c 'import torch' fails): no peer comparison");
  }
  const torchMedian = torch && median(torch.seconds);
  const overTorch = Object.fromEntries(
    torchMedian === undefined ? [] : results
      .filter((r) => r.backend.startsWith("blas"))
      .map((r) => [r.backend, r.medianSeconds / torchMedian]),
  );

  const report = {
    date: new Date().toISOString(),
    deno: Deno.version.deno,
    cores: navigator.hardwareConcurrency,
    blasThreads: threads,
    epochs,
    backends: results,
    skipped,
    torch: torch && { ...torch, medianSeconds: torchMedian },
    overTorch,
  };
  await Deno.writeTextFile(
    fileURLToPath(new URL("./results.json", import.meta.url)),
    JSON.stringify(report, null, 2) + "\n",
  );

  const rows = results.map((r) =>
    `| tfjs ${r.backend} | ${r.medianSeconds.toFixed(2)}${r.extrapolated ? " *" : ""} | ` +
    `${Math.round(r.imagesPerSecond)} | ${r.peakRssMiB.toFixed(0)} (${r.rssSource}) | ` +
    `${(r.valAccuracy * 100).toFixed(2)} |`
  );
  if (torch && torchMedian) {
    rows.push(
      `| PyTorch ${torch.torch} | ${torchMedian.toFixed(2)} | ` +
        `${Math.round(EPOCH_IMAGES * (1 - VALIDATION_SPLIT) / torchMedian)} | ` +
        `${torch.peak_rss_mib.toFixed(0)} (ru_maxrss) | ` +
        `${(torch.val_acc[torch.val_acc.length - 1] * 100).toFixed(2)} |`,
    );
  }
  console.log(
    `\nMNIST MLP, batch ${BATCH_SIZE}, ${epochs} epochs of 48,000 train + 12,000 validation ` +
      `images, ${navigator.hardwareConcurrency} cores, BLAS/PyTorch threads ${threads}\n`,
  );
  console.log("| run | s/epoch (median) | train images/s | peak RSS MiB | val acc % |");
  console.log("|---|--:|--:|--:|--:|");
  console.log(rows.join("\n"));
  if (results.some((r) => r.extrapolated)) {
    console.log(
      `\n\\* cpu: 1 epoch of ${CPU_IMAGES} images (20 steps + validation), ` +
        `time scaled ×${EPOCH_IMAGES / CPU_IMAGES}; its accuracy is after that short run.`,
    );
  }
  for (const [name, ratio] of Object.entries(overTorch)) {
    console.log(`\ntfjs ${name} / PyTorch (seconds per epoch): ${ratio.toFixed(2)}×`);
  }
  for (const [name, reason] of Object.entries(skipped)) console.log(`\n${name} skipped: ${reason}`);
}

if (import.meta.main) await main();
