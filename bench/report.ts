/**
 * The bench's results: bench/results.json and the markdown table printed at the end.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { validationSplitAt } from "../lib/data/splits.ts";
import { median } from "../lib/evaluation/results.ts";
import { thisCpu } from "./machine.ts";
import { CPU_IMAGES, EPOCH_IMAGES, SETTINGS, steadyMedian, TRAIN_IMAGES } from "./options.ts";
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
  /** The machine's CPU: model, family and model numbers, widest AVX level (bench/machine.ts). */
  cpu: string;
  /** The kernel set and build of the BLAS library the blas runs used, if it says. */
  blasKernels?: { corename: string; config: string };
  /** Epochs timed (`BENCH_EPOCHS`). */
  epochs: number;
  /** What each tfjs run measured, in the order run. */
  backends: BackendResult[];
  /** Runs that failed, with the first line of their error. */
  skipped: Record<string, string>;
  /** What PyTorch measured at each thread count, with its median seconds per epoch after the first. */
  torch: (TorchResult & { medianSeconds: number })[];
  /**
   * Median seconds per epoch of blas's fastest run over PyTorch's fastest, for the project's
   * `train` and for `model.fit`; absent without PyTorch or blas.
   */
  overTorch: Partial<Record<TrainPath, number>>;
  /**
   * Median seconds per epoch of blas's fastest run over the lowest floor (the epoch's matrix
   * products alone, at the thread count where they are fastest; each the median of the floors
   * measured in that count's runs), for `train` and `model.fit`; absent without blas.
   */
  overFloor: Partial<Record<TrainPath, number>>;
}

/** The run with the fewest seconds per epoch, or undefined for none. */
function fastest<T extends { medianSeconds: number }>(runs: T[]): T | undefined {
  return runs.reduce<T | undefined>(
    (a, b) => a && a.medianSeconds <= b.medianSeconds ? a : b,
    undefined,
  );
}

/**
 * Gathers the runs' results on the machine with CPU `cpu` into the report, with blas's fastest
 * run of each path over its floor and over PyTorch's fastest.
 */
export function benchReport(
  results: BackendResult[],
  skipped: Record<string, string>,
  torch: TorchResult[],
  epochs: number,
  cpu: string = thisCpu(),
): BenchReport {
  const torchRuns = torch.map((t) => ({ ...t, medianSeconds: steadyMedian(t.seconds) }));
  const torchBest = fastest(torchRuns);
  const overTorch: Partial<Record<TrainPath, number>> = {};
  const overFloor: Partial<Record<TrainPath, number>> = {};
  const floor = Math.min(...floorsByThreads(results).values());
  for (const path of ["train", "fit"] as const) {
    const best = fastest(results.filter((r) => r.backend === "blas" && r.path === path));
    if (best && torchBest) overTorch[path] = best.medianSeconds / torchBest.medianSeconds;
    if (best && Number.isFinite(floor)) overFloor[path] = best.medianSeconds / floor;
  }
  return {
    date: new Date().toISOString(),
    deno: Deno.version.deno,
    cores: navigator.hardwareConcurrency,
    cpu,
    blasKernels: results.find((r) => r.blasKernels !== undefined)?.blasKernels,
    epochs,
    backends: results,
    skipped,
    torch: torchRuns,
    overTorch,
    overFloor,
  };
}

/** The BLAS library's build and kernel set, as the report names it. */
function blasName(report: BenchReport): string {
  const kernels = report.blasKernels;
  return kernels ? `${kernels.config} (kernels: ${kernels.corename})` : "not reported";
}

/** Writes the report to bench/results.json. */
export async function writeReport(report: BenchReport): Promise<void> {
  await Deno.writeTextFile(
    fileURLToPath(new URL("./results.json", import.meta.url)),
    JSON.stringify(report, null, 2) + "\n",
  );
}

/** Per thread count, the median of the floors its blas runs measured. */
function floorsByThreads(results: BackendResult[]): Map<number, number> {
  const floors = new Map<number, number[]>();
  for (const r of results) {
    if (r.floorSeconds) floors.set(r.threads, [...floors.get(r.threads) ?? [], r.floorSeconds]);
  }
  return new Map([...floors].map(([threads, seconds]) => [threads, median(seconds)]));
}

/** "1 thread", "2 threads". */
function threadCount(n: number): string {
  return `${n} thread${n > 1 ? "s" : ""}`;
}

/** A row's name: the backend, with the path and threads for blas. */
function runName(r: BackendResult): string {
  if (r.backend !== "blas") return `tfjs ${r.backend}`;
  return `tfjs blas, ${r.path === "fit" ? "model.fit" : "train"}, ${threadCount(r.threads)}`;
}

/** `seconds` over `base` as "1.23×", or "–" without a base. */
function ratio(seconds: number, base: number | undefined): string {
  return base ? `${(seconds / base).toFixed(2)}×` : "–";
}

/** Prints the report as a markdown table with its caption and footnotes. */
export function printReport(report: BenchReport): void {
  const { backends: results, torch, overTorch, overFloor, skipped } = report;
  const torchBest = fastest(torch)?.medianSeconds;
  const rows = results.map((r) =>
    `| ${runName(r)} | ${r.medianSeconds.toFixed(2)}${r.extrapolated ? " *" : ""} | ` +
    `${ratio(r.medianSeconds, r.floorSeconds)} | ${ratio(r.medianSeconds, torchBest)} | ` +
    `${Math.round(r.imagesPerSecond)} | ${r.peakRssMiB.toFixed(0)} (${r.rssSource}) | ` +
    `${(r.valAccuracy * 100).toFixed(2)} |`
  );
  const floors = floorsByThreads(results);
  for (const [threads, floor] of floors) {
    rows.push(
      `| floor: the epoch's matrix products alone, ${threadCount(threads)} | ` +
        `${floor.toFixed(2)} | 1.00× | ${ratio(floor, torchBest)} | – | – | – |`,
    );
  }
  for (const t of torch) {
    rows.push(
      `| PyTorch ${t.torch}, ${threadCount(t.threads)} | ${t.medianSeconds.toFixed(2)} | – | ` +
        `${ratio(t.medianSeconds, torchBest)} | ${Math.round(TRAIN_IMAGES / t.medianSeconds)} | ` +
        `${t.peak_rss_mib.toFixed(0)} (ru_maxrss) | ` +
        `${(t.val_acc[t.val_acc.length - 1] * 100).toFixed(2)} |`,
    );
  }
  const count = (n: number) => n.toLocaleString("en-US");
  console.log(
    `\nMNIST MLP, batch ${SETTINGS.batchSize}, ${report.epochs} epochs of ` +
      `${count(TRAIN_IMAGES)} train + ${count(EPOCH_IMAGES - TRAIN_IMAGES)} validation ` +
      `images, ${report.cores} cores\n\nCPU: ${report.cpu}\nBLAS: ${blasName(report)}\n`,
  );
  console.log(
    "| run | s/epoch (median) | × floor | × PyTorch's best | train images/s | peak RSS MiB | " +
      "val acc % |",
  );
  console.log("|---|--:|--:|--:|--:|--:|--:|");
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
  if (floors.size > 0) {
    console.log(
      "\nfloor: the matrix products of an epoch (each step's 8, validation's 3 per batch) " +
        "through the blas run's own BLAS handle and threads, after its training (bench/floor.ts); " +
        "each blas row is set against its own run's floor, the lines below against the lowest",
    );
  }
  for (const path of ["train", "fit"] as const) {
    const what = path === "fit" ? "model.fit" : "train";
    const parts = [
      overFloor[path] && `${overFloor[path]!.toFixed(2)}× the lowest floor`,
      overTorch[path] && `${overTorch[path]!.toFixed(2)}× PyTorch's fastest`,
    ].filter(Boolean);
    if (parts.length > 0) console.log(`\nblas ${what}, fastest thread count: ${parts.join(", ")}`);
  }
  for (const [name, reason] of Object.entries(skipped)) console.log(`\n${name} skipped: ${reason}`);
}
