/**
 * The bench's settings: the study's (STUDY_CONFIG) for tfjs and PyTorch alike, and the BENCH_*
 * variables read with lib/config.ts's rules and messages. Nothing is trained here.
 */
import assert from "node:assert/strict";
import type { TrainPath } from "../../bench/run_backend.ts";
import { loadConfig, STUDY_CONFIG } from "../../lib/config.ts";
import {
  benchBackends,
  benchEpochs,
  benchPython,
  benchRounds,
  benchThreads,
  DEFAULT_BACKENDS,
  DEFAULT_EPOCHS,
  DEFAULT_ROUNDS,
  SETTINGS,
  TRAIN_IMAGES,
} from "../../bench/options.ts";
import { findTorchPython, torchArgs } from "../../bench/pytorch.ts";
import { benchReport, printReport } from "../../bench/report.ts";

Deno.test("the bench trains with the study's settings", () => {
  const { batchSize, validationSplit, hiddenUnits, dropout, learningRate, seed } = STUDY_CONFIG;
  assert.deepEqual(SETTINGS, {
    batchSize,
    validationSplit,
    hiddenUnits,
    dropout,
    learningRate,
    seed,
  });
  assert.equal(TRAIN_IMAGES, 48_000);
});

Deno.test("bench/torch_mlp.py gets every setting as an argument", () => {
  assert.deepEqual(torchArgs(3, 2), [
    ...["--epochs", "3", "--threads", "2", "--seed", String(STUDY_CONFIG.seed)],
    ...["--batch-size", String(STUDY_CONFIG.batchSize)],
    ...["--validation-split", String(STUDY_CONFIG.validationSplit)],
    ...["--hidden-units", ...STUDY_CONFIG.hiddenUnits.map(String)],
    ...["--dropout", String(STUDY_CONFIG.dropout)],
    ...["--learning-rate", String(STUDY_CONFIG.learningRate)],
  ]);
});

Deno.test("BENCH_EPOCHS, BENCH_ROUNDS, BENCH_BACKENDS and BENCH_PYTHON: unset or empty keep the defaults", () => {
  assert.equal(benchRounds({}), DEFAULT_ROUNDS);
  assert.equal(benchRounds({ BENCH_ROUNDS: " 3 " }), 3);
  assert.match(messageOf(() => benchRounds({ BENCH_ROUNDS: "0" })), /^BENCH_ROUNDS\b/);
  assert.equal(benchEpochs({}), DEFAULT_EPOCHS);
  assert.equal(benchEpochs({ BENCH_EPOCHS: " " }), DEFAULT_EPOCHS);
  assert.equal(benchEpochs({ BENCH_EPOCHS: " 3 " }), 3);
  assert.deepEqual(benchBackends({}), [...DEFAULT_BACKENDS]);
  assert.deepEqual(benchBackends({ BENCH_BACKENDS: "wasm-plain, blas," }), ["wasm-plain", "blas"]);
  assert.equal(benchPython({ BENCH_PYTHON: "" }), undefined);
  assert.equal(benchPython({ BENCH_PYTHON: " /usr/bin/python3 " }), "/usr/bin/python3");
});

/** The message of the Error that `read` throws. */
function messageOf(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected an Error");
}

Deno.test("invalid BENCH_* values fail as lib/config.ts's do, naming the variable", async () => {
  for (const value of ["0", "1.5", "two"]) {
    assert.equal(
      messageOf(() => benchEpochs({ BENCH_EPOCHS: value })),
      messageOf(() => loadConfig({ MLP_EPOCHS: value })).replace("MLP_EPOCHS", "BENCH_EPOCHS"),
    );
  }
  const unknown = messageOf(() => benchBackends({ BENCH_BACKENDS: "blas,gpu" }));
  assert.match(unknown, /^BENCH_BACKENDS\b.*\bblas, wasm, wasm-plain, cpu\b/);
  assert.match(unknown, /"gpu"/);
  assert.match(messageOf(() => benchBackends({ BENCH_BACKENDS: " , " })), /^BENCH_BACKENDS\b/);
  await assert.rejects(
    findTorchPython("/nonexistent/python3"),
    (error: Error) =>
      /^BENCH_PYTHON\b.*a Python interpreter that imports torch/.test(error.message) &&
      error.message.includes('"/nonexistent/python3"'),
  );
});

Deno.test("BENCH_THREADS: 1 and all cores by default, else the listed counts, each checked", () => {
  assert.deepEqual(benchThreads({}, 2), [1, 2]);
  assert.deepEqual(benchThreads({}, 1), [1]);
  assert.deepEqual(benchThreads({ BENCH_THREADS: "2, 2" }, 4), [2]);
  assert.match(
    messageOf(() => benchThreads({ BENCH_THREADS: "3" }, 2)),
    /BENCH_THREADS: expected one of 1, 2, got "3"/,
  );
});

/** The lines that printReport prints for `report`. */
function printedLines(report: ReturnType<typeof benchReport>): string[] {
  const printed: string[] = [];
  const log = console.log;
  console.log = (...args: unknown[]) => printed.push(args.join(" "));
  try {
    printReport(report);
  } finally {
    console.log = log;
  }
  return printed.join("\n").split("\n");
}

/** A blas run as run_backend.ts reports it; its floor is 0.5 s at one thread, 0.3 s at more. */
function blasRun(path: TrainPath, threads: number, medianSeconds: number) {
  return {
    backend: "blas",
    path,
    threads,
    epochSeconds: [medianSeconds],
    medianSeconds,
    imagesPerSecond: TRAIN_IMAGES / medianSeconds,
    peakRssMiB: 400,
    rssSource: "VmHWM" as const,
    valAccuracy: 0.97,
    extrapolated: false,
    floorSeconds: threads === 1 ? 0.5 : 0.3,
    blasKernels: { corename: "Zen", config: "OpenBLAS 0.3.21 DYNAMIC_ARCH Zen" },
  };
}

/** A PyTorch run as bench/pytorch.ts reports it. */
function torchRun(threads: number, seconds: number[]) {
  return { seconds, val_acc: [0.97], threads, torch: "1.13", peak_rss_mib: 450 };
}

Deno.test("the report sets blas's fastest run of each path against its floor and PyTorch's fastest", () => {
  const cpu = "AMD EPYC 7551 (family 23, model 1), AVX2";
  const report = benchReport(
    [
      blasRun("train", 1, 0.9),
      blasRun("train", 2, 0.6),
      blasRun("fit", 1, 1.2),
      blasRun("fit", 2, 0.8),
      blasRun("fit-onehot", 1, 1.26),
    ],
    {},
    [torchRun(1, [0.8, 0.7, 0.9]), torchRun(2, [2.0, 2.5])],
    2,
    cpu,
  );
  assert.deepEqual(report.torch.map((t) => t.medianSeconds), [0.8, 2.5]); // the first epoch left out
  assert.ok(Math.abs(report.overTorch.train! - 0.6 / 0.8) < 1e-12);
  assert.ok(Math.abs(report.overTorch.fit! - 0.8 / 0.8) < 1e-12);
  assert.ok(Math.abs(report.overFloor.train! - 0.6 / 0.3) < 1e-12);
  assert.ok(Math.abs(report.overFloor.fit! - 0.8 / 0.3) < 1e-12);
  // A one-thread run that happens to be fastest is still set against the two-thread floor.
  const noisy = benchReport([blasRun("train", 1, 0.55), blasRun("train", 2, 0.6)], {}, [], 2, cpu);
  assert.ok(Math.abs(noisy.overFloor.train! - 0.55 / 0.3) < 1e-12);
  assert.deepEqual(benchReport([blasRun("train", 2, 1)], {}, [], 2).overTorch, {});

  const lines = printedLines(report);
  assert.ok(lines.includes(`CPU: ${cpu}`));
  assert.ok(lines.includes("BLAS: OpenBLAS 0.3.21 DYNAMIC_ARCH Zen (kernels: Zen)"));
  assert.ok(lines.includes(
    "| tfjs blas, train, 2 threads | 0.60 | 2.00× | 0.75× | 80000 | 400 " +
      "(VmHWM) | 97.00 |",
  ));
  assert.ok(
    lines.some((l) =>
      l.startsWith("| floor: the epoch's matrix products alone, 1 thread | 0.50 | 1.00× | 0.63× |")
    ),
  );
  assert.ok(
    lines.includes(
      "blas train, fastest thread count: 2.00× the lowest floor, 0.75× PyTorch's fastest",
    ),
  );
  // tf.oneHot's labels: its own row, and its time against float32 labels' at the same threads.
  assert.ok(
    lines.some((l) => l.startsWith("| tfjs blas, model.fit, tf.oneHot labels, 1 thread |")),
  );
  assert.ok(
    lines.includes(
      "model.fit, 1 thread: tf.oneHot's int32 labels take 1.05× the time of float32 labels",
    ),
  );
});

Deno.test("the report makes one row of each configuration's rounds: their median and range", () => {
  const run = (round: number, medianSeconds: number) => ({
    ...blasRun("fit", 2, medianSeconds),
    round,
  });
  const torch = (round: number, seconds: number[]) => ({ ...torchRun(1, seconds), round });
  // Round 2 met a busy second core: 3.18 s against 1.60 and 1.70.
  const runs = [run(1, 1.6), run(2, 3.18), run(3, 1.7)];
  const report = benchReport(runs, {}, [torch(1, [9, 2]), torch(2, [9, 2.2])], 3, "a CPU");
  assert.equal(report.backends.length, 3, "every run kept in results.json");
  assert.ok(Math.abs(report.overTorch.fit! - 1.7 / 2.1) < 1e-12, "medians of the rounds");
  const lines = printedLines(report);
  const rows = lines.filter((l) => l.startsWith("| tfjs blas, model.fit, 2 threads |"));
  assert.deepEqual(rows.map((l) => l.split(" | ")[1]), ["1.70 (1.60–3.18)"]);
  assert.ok(lines.some((l) => l.startsWith("| PyTorch 1.13, 1 thread | 2.10 (2.00–2.20) |")));
});
