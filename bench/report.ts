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

/**
 * The runs of each configuration (same `key`) as one: the run at the middle of its rounds, its
 * `medianSeconds` the median of theirs, and `rounds` their seconds per epoch, in the order run.
 */
function byConfig<T extends { medianSeconds: number }>(
  runs: T[],
  key: (run: T) => string,
): (T & { rounds: number[] })[] {
  const groups = new Map<string, T[]>();
  for (const run of runs) groups.set(key(run), [...groups.get(key(run)) ?? [], run]);
  return [...groups.values()].map((group) => {
    const sorted = [...group].sort((a, b) => a.medianSeconds - b.medianSeconds);
    const rounds = group.map((run) => run.medianSeconds);
    return { ...sorted[(sorted.length - 1) >> 1], medianSeconds: median(rounds), rounds };
  });
}

/** A tfjs configuration: backend, path and threads. */
const tfjsKey = (r: BackendResult) => `${r.backend} ${r.path} ${r.threads}`;

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
  const torchBest = fastest(byConfig(torchRuns, (t) => `${t.threads}`));
  const rows = byConfig(results, tfjsKey);
  const overTorch: Partial<Record<TrainPath, number>> = {};
  const overFloor: Partial<Record<TrainPath, number>> = {};
  const floor = Math.min(...floorsByThreads(results).values());
  for (const path of ["train", "fit"] as const) {
    const best = fastest(rows.filter((r) => r.backend === "blas" && r.path === path));
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

/** How each training loop is named in the report. */
const PATH_NAMES: Record<TrainPath, string> = {
  train: "train",
  fit: "model.fit",
  "fit-onehot": "model.fit, tf.oneHot labels",
};

/** A row's name: the backend, with the path and threads for blas. */
function runName(r: BackendResult): string {
  if (r.backend !== "blas") return `tfjs ${r.backend}`;
  return `tfjs blas, ${PATH_NAMES[r.path]}, ${threadCount(r.threads)}`;
}

/**
 * The time of `model.fit` with `tf.oneHot`'s int32 labels over its time with float32 labels, at
 * each thread count both ran.
 */
function oneHotRatios(results: BackendResult[]): [number, number][] {
  const blas = results.filter((r) => r.backend === "blas");
  return blas.filter((r) => r.path === "fit-onehot").flatMap((r) => {
    const float = blas.find((f) => f.path === "fit" && f.threads === r.threads);
    return float ? [[r.threads, r.medianSeconds / float.medianSeconds] as [number, number]] : [];
  });
}

/** Seconds per epoch as the table shows them: the median, and the range over several rounds. */
function secondsCell(row: { medianSeconds: number; rounds: number[] }): string {
  const range = row.rounds.length > 1
    ? ` (${Math.min(...row.rounds).toFixed(2)}–${Math.max(...row.rounds).toFixed(2)})`
    : "";
  return `${row.medianSeconds.toFixed(2)}${range}`;
}

/** `seconds` over `base` as "1.23×", or "–" without a base. */
function ratio(seconds: number, base: number | undefined): string {
  return base ? `${(seconds / base).toFixed(2)}×` : "–";
}

/** Prints the report as a markdown table with its caption and footnotes. */
export function printReport(report: BenchReport): void {
  const { backends: results, overTorch, overFloor, skipped } = report;
  const torch = byConfig(report.torch, (t) => `${t.threads}`);
  const runs = byConfig(results, tfjsKey);
  const torchBest = fastest(torch)?.medianSeconds;
  const rows = runs.map((r) =>
    `| ${runName(r)} | ${secondsCell(r)}${r.extrapolated ? " *" : ""} | ` +
    `${ratio(r.medianSeconds, r.floorSeconds)} | ${ratio(r.medianSeconds, torchBest)} | ` +
    `${Math.round(TRAIN_IMAGES / r.medianSeconds)} | ${
      r.peakRssMiB.toFixed(0)
    } (${r.rssSource}) | ` +
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
      `| PyTorch ${t.torch}, ${threadCount(t.threads)} | ${secondsCell(t)} | – | ` +
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
  for (const [threads, times] of oneHotRatios(runs)) {
    console.log(
      `\nmodel.fit, ${threadCount(threads)}: tf.oneHot's int32 labels take ${times.toFixed(2)}× ` +
        "the time of float32 labels",
    );
  }
  for (const path of ["train", "fit"] as const) {
    const what = PATH_NAMES[path];
    const parts = [
      overFloor[path] && `${overFloor[path]!.toFixed(2)}× the lowest floor`,
      overTorch[path] && `${overTorch[path]!.toFixed(2)}× PyTorch's fastest`,
    ].filter(Boolean);
    if (parts.length > 0) console.log(`\nblas ${what}, fastest thread count: ${parts.join(", ")}`);
  }
  for (const [name, reason] of Object.entries(skipped)) console.log(`\n${name} skipped: ${reason}`);
}
