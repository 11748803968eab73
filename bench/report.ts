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
import type { BackendResult } from "./run_backend.ts";

/** What bench/results.json holds. */
export interface BenchReport {
  /** When the bench ran, ISO 8601. */
  date: string;
  /** Deno's version. */
  deno: string;
  /** Logical cores of the machine. */
  cores: number;
  /** Threads of BLAS and PyTorch (`MLP_BLAS_THREADS`, default all cores). */
  blasThreads: number;
  /** Epochs timed (`BENCH_EPOCHS`). */
  epochs: number;
  /** What each backend that ran measured, in the order run. */
  backends: BackendResult[];
  /** Backends that failed to run, with the first line of their error. */
  skipped: Record<string, string>;
  /** What PyTorch measured, with its median seconds per epoch; absent without PyTorch. */
  torch?: TorchResult & { medianSeconds: number };
  /** Median seconds per epoch of each blas run over PyTorch's. */
  overTorch: Record<string, number>;
}

/** Gathers the runs' results, with the blas runs' ratio to PyTorch, into the report. */
export function benchReport(
  results: BackendResult[],
  skipped: Record<string, string>,
  torch: TorchResult | undefined,
  epochs: number,
  threads: number,
): BenchReport {
  const torchMedian = torch && median(torch.seconds);
  const overTorch = Object.fromEntries(
    torchMedian === undefined ? [] : results
      .filter((r) => r.backend.startsWith("blas"))
      .map((r) => [r.backend, r.medianSeconds / torchMedian]),
  );
  return {
    date: new Date().toISOString(),
    deno: Deno.version.deno,
    cores: navigator.hardwareConcurrency,
    blasThreads: threads,
    epochs,
    backends: results,
    skipped,
    torch: torch && { ...torch, medianSeconds: torchMedian! },
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

/** Prints the report as a markdown table with its caption and footnotes. */
export function printReport(report: BenchReport): void {
  const { backends: results, torch, overTorch, skipped } = report;
  const rows = results.map((r) =>
    `| tfjs ${r.backend} | ${r.medianSeconds.toFixed(2)}${r.extrapolated ? " *" : ""} | ` +
    `${Math.round(r.imagesPerSecond)} | ${r.peakRssMiB.toFixed(0)} (${r.rssSource}) | ` +
    `${(r.valAccuracy * 100).toFixed(2)} |`
  );
  if (torch && torch.medianSeconds) {
    rows.push(
      `| PyTorch ${torch.torch} | ${torch.medianSeconds.toFixed(2)} | ` +
        `${Math.round(TRAIN_IMAGES / torch.medianSeconds)} | ` +
        `${torch.peak_rss_mib.toFixed(0)} (ru_maxrss) | ` +
        `${(torch.val_acc[torch.val_acc.length - 1] * 100).toFixed(2)} |`,
    );
  }
  const count = (n: number) => n.toLocaleString("en-US");
  console.log(
    `\nMNIST MLP, batch ${SETTINGS.batchSize}, ${report.epochs} epochs of ` +
      `${count(TRAIN_IMAGES)} train + ${count(EPOCH_IMAGES - TRAIN_IMAGES)} validation ` +
      `images, ${report.cores} cores, BLAS/PyTorch threads ${report.blasThreads}\n`,
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
  for (const [name, ratio] of Object.entries(overTorch)) {
    console.log(`\ntfjs ${name} / PyTorch (seconds per epoch): ${ratio.toFixed(2)}×`);
  }
  for (const [name, reason] of Object.entries(skipped)) console.log(`\n${name} skipped: ${reason}`);
}
