/**
 * Training benchmark: the study's MLP on real MNIST, per tfjs backend, against PyTorch.
 *
 * Each run trains in its own subprocess (bench/run_backend.ts, so its peak memory is its own)
 * with the study's settings (`STUDY_CONFIG`, see bench/options.ts): 48,000 training images and
 * the last 12,000 as validation, batch 256. An epoch's time includes its validation pass. blas
 * runs three times per thread count: the project's `train` (seeded shuffling, best-only
 * checkpoints off), tfjs-layers' own `model.fit` on a `buildMlp()` model, and `model.fit` with the
 * int32 labels `tf.oneHot` makes. The other backends run `train`. Every configuration runs once
 * per round (`BENCH_ROUNDS`, 2 by default), the rounds in alternating order, and each row is the
 * median of its rounds, with their range: on a shared machine a second core comes and goes from
 * minute to minute, and configurations compared must meet the same minutes.
 * The cpu backend (a minute or two per epoch) trains only 20 steps on 6,400 images and its epoch
 * time is extrapolated linearly to 60,000. PyTorch (bench/torch_mlp.py, when a python3 imports
 * torch) trains the same model with the same settings, passed as arguments, at each thread count.
 * Each blas run also times its epoch's floor: the matrix products alone, through the same BLAS
 * handle and threads (bench/floor.ts). Each row is set against its floor and against PyTorch's
 * best (fastest thread count), and the table names the CPU and OpenBLAS's kernel set, so that
 * figures from two machines are never compared without saying so.
 *
 * ```sh
 * deno task bench      # blas (train, fit, fit-onehot) at 1 and all threads, wasm, wasm-plain,
 *                      # cpu, PyTorch; every one of them once in each of 2 rounds
 * BENCH_ROUNDS=3 deno task bench                      # 3 rounds, alternating
 * BENCH_BACKENDS=blas BENCH_EPOCHS=3 BENCH_THREADS=2 deno task bench
 * BENCH_PYTHON=/usr/bin/python3 deno task bench       # that Python, which must import torch
 * deno run --allow-all bench/bench.ts --profile blas  # where an epoch's time goes, by phase
 * deno run --allow-all bench/bench.ts --profile wasm  # per-kernel times of 20 training steps
 * ```
 *
 * Writes bench/results.json (bench/report.ts) and prints a markdown table.
 *
 * @module
 */
import { blasThreads } from "../lib/config.ts";
import { benchBackends, benchEpochs, benchPython, benchRounds, benchThreads } from "./options.ts";
import { runProfile } from "./profile.ts";
import { findTorchPython, runTorch, type TorchResult } from "./pytorch.ts";
import { benchReport, printReport, writeReport } from "./report.ts";
import { type BackendResult, runBackend, type TrainPath } from "./run_backend.ts";

/** The run's settings from the environment; an invalid variable stops the bench, named. */
async function readOptions() {
  try {
    return {
      epochs: benchEpochs(),
      backends: benchBackends(),
      python: await findTorchPython(benchPython()),
      threads: benchThreads(),
      rounds: benchRounds(),
    };
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(1);
  }
}

/** One configuration of a round: a tfjs backend's run, or PyTorch at a thread count. */
type Config =
  | { kind: "tfjs"; backend: string; path: TrainPath; threads: number; label: string }
  | { kind: "torch"; python: string; threads: number; label: string };

/** Every configuration, in the order of the first round: the tfjs runs, then PyTorch's. */
function configs(backends: string[], threads: number[], python?: string): Config[] {
  const plural = (t: number) => `${t} thread${t > 1 ? "s" : ""}`;
  const tfjs = backends.flatMap((backend): Config[] =>
    backend === "blas"
      ? (["train", "fit", "fit-onehot"] as const).flatMap((path) =>
        threads.map((t) => ({
          kind: "tfjs" as const,
          backend,
          path,
          threads: t,
          label: `${backend} ${path}, ${plural(t)}`,
        }))
      )
      : [{ kind: "tfjs", backend, path: "train", threads: blasThreads(), label: backend }]
  );
  const torch = python
    ? threads.map((t): Config => ({
      kind: "torch",
      python,
      threads: t,
      label: `PyTorch (${python}), ${plural(t)}`,
    }))
    : [];
  return [...tfjs, ...torch];
}

/**
 * Runs every configuration once per round, the rounds in alternating order (first to last, then
 * last to first), then writes and prints the report.
 */
async function main(): Promise<void> {
  const [mode, backend] = Deno.args;
  if (mode === "--profile") {
    await runProfile(backend ?? "blas");
    return;
  }
  const { epochs, backends, python, threads, rounds } = await readOptions();
  if (!python) {
    console.log("PyTorch not found (python3 -c 'import torch' fails): no peer comparison");
  }
  const results: BackendResult[] = [];
  const torch: TorchResult[] = [];
  const skipped: Record<string, string> = {};
  const all = configs(backends, threads, python);
  for (let round = 1; round <= rounds; round++) {
    for (const config of round % 2 === 1 ? all : [...all].reverse()) {
      if (config.label in skipped) continue;
      console.log(`round ${round}/${rounds}: training on ${config.label}…`);
      try {
        if (config.kind === "torch") {
          torch.push({ ...await runTorch(config.python, epochs, config.threads), round });
        } else {
          const { backend, path, threads } = config;
          results.push({ ...await runBackend(backend, epochs, path, threads), round });
        }
      } catch (error) {
        skipped[config.label] = (error as Error).message.split("\n")[0];
        console.log(`  skipped: ${skipped[config.label]}`);
      }
    }
  }
  const report = benchReport(results, skipped, torch, epochs);
  await writeReport(report);
  printReport(report);
}

if (import.meta.main) await main();
