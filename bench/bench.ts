/**
 * Training benchmark: the study's MLP on real MNIST, per tfjs backend, against PyTorch.
 *
 * Each run trains in its own subprocess (bench/run_backend.ts, so its peak memory is its own)
 * with the study's settings (`STUDY_CONFIG`, see bench/options.ts): 48,000 training images and
 * the last 12,000 as validation, batch 256. An epoch's time includes its validation pass. blas
 * runs twice per thread count: the project's `train` (seeded shuffling, best-only checkpoints
 * off) and tfjs-layers' own `model.fit` on a `buildMlp()` model. The other backends run `train`.
 * The cpu backend (a minute or two per epoch) trains only 20 steps on 6,400 images and its epoch
 * time is extrapolated linearly to 60,000. PyTorch (bench/torch_mlp.py, when a python3 imports
 * torch) trains the same model with the same settings, passed as arguments, at each thread count.
 * Each blas run also times its epoch's floor: the matrix products alone, through the same BLAS
 * handle and threads (bench/floor.ts). Each row is set against its floor and against PyTorch's
 * best (fastest thread count), and the table names the CPU and OpenBLAS's kernel set, so that
 * figures from two machines are never compared without saying so.
 *
 * ```sh
 * deno task bench      # blas (train, fit) at 1 and all threads, wasm, wasm-plain, cpu, PyTorch
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
import { benchBackends, benchEpochs, benchPython, benchThreads } from "./options.ts";
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
    };
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(1);
  }
}

/** Runs every backend, then PyTorch, and writes and prints the report. */
async function main(): Promise<void> {
  const [mode, backend] = Deno.args;
  if (mode === "--profile") {
    await runProfile(backend ?? "blas");
    return;
  }
  const { epochs, backends, python, threads } = await readOptions();
  const results: BackendResult[] = [];
  const skipped: Record<string, string> = {};
  for (const name of backends) {
    const runs: [TrainPath, number][] = name === "blas"
      ? (["train", "fit"] as const).flatMap((path) =>
        threads.map((t) => [path, t] as [TrainPath, number])
      )
      : [["train", blasThreads()]];
    for (const [path, t] of runs) {
      const label = name === "blas" ? `${name} ${path}, ${t} thread${t > 1 ? "s" : ""}` : name;
      console.log(`training on ${label}…`);
      try {
        results.push(await runBackend(name, epochs, path, t));
      } catch (error) {
        skipped[label] = (error as Error).message.split("\n")[0];
        console.log(`  skipped: ${skipped[label]}`);
      }
    }
  }
  const torch: TorchResult[] = [];
  if (python) {
    for (const t of threads) {
      console.log(`training with PyTorch (${python}, ${t} thread${t > 1 ? "s" : ""})…`);
      torch.push(await runTorch(python, epochs, t));
    }
  } else {
    console.log("PyTorch not found (python3 -c 'import torch' fails): no peer comparison");
  }
  const report = benchReport(results, skipped, torch, epochs);
  await writeReport(report);
  printReport(report);
}

if (import.meta.main) await main();
