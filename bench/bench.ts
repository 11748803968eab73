/**
 * Training benchmark: the study's MLP on real MNIST, per tfjs backend, against PyTorch.
 *
 * Each backend trains in its own subprocess (bench/run_backend.ts, so its peak memory is its own)
 * with lib/training/train.ts and the study's settings (`STUDY_CONFIG`, see bench/options.ts):
 * 48,000 training images and the last 12,000 as validation, batch 256, seeded shuffling.
 * An epoch's time includes its validation pass. The cpu backend (a minute or two per epoch)
 * trains only 20 steps on 6,400 images and its epoch time is extrapolated linearly to 60,000.
 * PyTorch (bench/torch_mlp.py, when a python3 imports torch) trains the same model with the same
 * settings, passed as arguments, and as many threads as BLAS: `MLP_BLAS_THREADS`, default all
 * cores.
 *
 * ```sh
 * deno task bench      # blas, wasm, wasm-plain, cpu, then PyTorch if present
 * BENCH_BACKENDS=blas,wasm BENCH_EPOCHS=3 MLP_BLAS_THREADS=1 deno task bench
 * BENCH_PYTHON=/usr/bin/python3 deno task bench       # that Python, which must import torch
 * deno run --allow-all bench/bench.ts --profile blas  # per-kernel times of 20 training steps
 * ```
 *
 * Writes bench/results.json (bench/report.ts) and prints a markdown table.
 *
 * @module
 */
import { blasThreads } from "../lib/config.ts";
import { benchBackends, benchEpochs, benchPython } from "./options.ts";
import { runProfile } from "./profile.ts";
import { findTorchPython, runTorch, type TorchResult } from "./pytorch.ts";
import { benchReport, printReport, writeReport } from "./report.ts";
import { type BackendResult, measureBackend, runBackend } from "./run_backend.ts";

/** The run's settings from the environment; an invalid variable stops the bench, named. */
async function readOptions() {
  try {
    return {
      epochs: benchEpochs(),
      backends: benchBackends(),
      python: await findTorchPython(benchPython()),
      threads: blasThreads(),
    };
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(1);
  }
}

/** Runs every backend, then PyTorch, and writes and prints the report. */
async function main(): Promise<void> {
  const [mode, backend, epochsArg] = Deno.args;
  if (mode === "--worker") { // the former subprocess entry, kept: bench/run_backend.ts is it now
    console.log(JSON.stringify(await measureBackend(backend, Number(epochsArg))));
    return;
  }
  if (mode === "--profile") {
    await runProfile(backend ?? "blas");
    return;
  }
  const { epochs, backends, python, threads } = await readOptions();
  const results: BackendResult[] = [];
  const skipped: Record<string, string> = {};
  for (const name of backends) {
    console.log(`training on ${name}…`);
    try {
      results.push(await runBackend(name, epochs));
    } catch (error) {
      skipped[name] = (error as Error).message.split("\n")[0];
      console.log(`  skipped: ${skipped[name]}`);
    }
  }
  let torch: TorchResult | undefined;
  if (python) {
    console.log(`training with PyTorch (${python}, ${threads} threads)…`);
    torch = await runTorch(python, epochs, threads);
  } else {
    console.log("PyTorch not found (python3 -c 'import torch' fails): no peer comparison");
  }
  const report = benchReport(results, skipped, torch, epochs, threads);
  await writeReport(report);
  printReport(report);
}

if (import.meta.main) await main();
