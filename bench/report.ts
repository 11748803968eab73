/**
 * The bench's results: bench/results.json and the markdown table printed at the end.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { validationSplitAt } from "../lib/data/splits.ts";
import { median } from "../lib/evaluation/results.ts";
import { CPU_IMAGES, EPOCH_IMAGES, SETTINGS, TRAIN_IMAGES } from "./options.ts";
import type { TorchResult } from "./pytorch.ts";
import type { BackendResult, TrainPath } from "./run_backend.ts";

/** What bench/results.json holds. */
export interface BenchReport {
  /** When the bench ran, ISO 8601. */
  date: string;
  /** Deno's version. */
  deno: string;
  /** Logical cores of the machine. */
  cores: number;
  /** Epochs timed (`BENCH_EPOCHS`). */
  epochs: number;
  /** What each tfjs run measured, in the order run. */
  backends: BackendResult[];
  /** Runs that failed, with the first line of their error. */
  skipped: Record<string, string>;
  /** What PyTorch measured at each thread count, with its median seconds per epoch. */
  torch: (TorchResult & { medianSeconds: number })[];
  /**
   * Median seconds per epoch of blas's fastest run over PyTorch's fastest, for the project's
   * `train` and for `model.fit`; absent without PyTorch or blas.
   */
  overTorch: Partial<Record<TrainPath, number>>;
}

/** The run with the fewest seconds per epoch, or undefined for none. */
function fastest<T extends { medianSeconds: number }>(runs: T[]): T | undefined {
  return runs.reduce<T | undefined>(
    (a, b) => a && a.medianSeconds <= b.medianSeconds ? a : b,
    undefined,
  );
}

/** Gathers the runs' results, with blas's best over PyTorch's best, into the report. */
export function benchReport(
  results: BackendResult[],
  skipped: Record<string, string>,
  torch: TorchResult[],
  epochs: number,
): BenchReport {
  const torchRuns = torch.map((t) => ({ ...t, medianSeconds: median(t.seconds) }));
  const torchBest = fastest(torchRuns);
  const overTorch: Partial<Record<TrainPath, number>> = {};
  for (const path of ["train", "fit"] as const) {
    const best = fastest(results.filter((r) => r.backend === "blas" && r.path === path));
    if (best && torchBest) overTorch[path] = best.medianSeconds / torchBest.medianSeconds;
  }
  return {
    date: new Date().toISOString(),
    deno: Deno.version.deno,
    cores: navigator.hardwareConcurrency,
    epochs,
    backends: results,
    skipped,
    torch: torchRuns,
    overTorch,
  };
}

/** Writes the report to bench/results.json. */
export async function writeReport(report: BenchReport): Promise<void> {
  await Deno.writeTextFile(
    fileURLToPath(new URL("./results.json", import.meta.url)),
    JSON.stringify(report, null, 2) + "\n",
  );
}

/** A row's name: the backend, with the path and threads for blas. */
function runName(r: BackendResult): string {
  const threads = `${r.threads} thread${r.threads > 1 ? "s" : ""}`;
  if (r.backend !== "blas") return `tfjs ${r.backend}`;
  return `tfjs blas, ${r.path === "fit" ? "model.fit" : "train"}, ${threads}`;
}

/** Prints the report as a markdown table with its caption and footnotes. */
export function printReport(report: BenchReport): void {
  const { backends: results, torch, overTorch, skipped } = report;
  const rows = results.map((r) =>
    `| ${runName(r)} | ${r.medianSeconds.toFixed(2)}${r.extrapolated ? " *" : ""} | ` +
    `${Math.round(r.imagesPerSecond)} | ${r.peakRssMiB.toFixed(0)} (${r.rssSource}) | ` +
    `${(r.valAccuracy * 100).toFixed(2)} |`
  );
  for (const t of torch) {
    rows.push(
      `| PyTorch ${t.torch}, ${t.threads} thread${t.threads > 1 ? "s" : ""} | ` +
        `${t.medianSeconds.toFixed(2)} | ${Math.round(TRAIN_IMAGES / t.medianSeconds)} | ` +
        `${t.peak_rss_mib.toFixed(0)} (ru_maxrss) | ` +
        `${(t.val_acc[t.val_acc.length - 1] * 100).toFixed(2)} |`,
    );
  }
  const count = (n: number) => n.toLocaleString("en-US");
  console.log(
    `\nMNIST MLP, batch ${SETTINGS.batchSize}, ${report.epochs} epochs of ` +
      `${count(TRAIN_IMAGES)} train + ${count(EPOCH_IMAGES - TRAIN_IMAGES)} validation ` +
      `images, ${report.cores} cores\n`,
  );
  console.log("| run | s/epoch (median) | train images/s | peak RSS MiB | val acc % |");
  console.log("|---|--:|--:|--:|--:|");
  console.log(rows.join("\n"));
  if (results.some((r) => r.extrapolated)) {
    const steps = Math.ceil(
      validationSplitAt(CPU_IMAGES, SETTINGS.validationSplit) / SETTINGS.batchSize,
    );
    console.log(
      `\n\\* cpu: 1 epoch of ${CPU_IMAGES} images (${steps} steps + validation), ` +
        `time scaled ×${EPOCH_IMAGES / CPU_IMAGES}; its accuracy is after that short run.`,
    );
  }
  for (const [path, ratio] of Object.entries(overTorch)) {
    const what = path === "fit" ? "model.fit" : "train";
    console.log(
      `\nblas ${what}, fastest thread count / PyTorch, fastest thread count ` +
        `(seconds per epoch): ${ratio.toFixed(2)}×`,
    );
  }
  for (const [name, reason] of Object.entries(skipped)) console.log(`\n${name} skipped: ${reason}`);
}
