/**
 * The PyTorch peer: finding a Python that imports torch, and running bench/torch_mlp.py with the
 * bench's settings as its arguments.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { envError } from "../lib/config.ts";
import { mnistPackageDir } from "../lib/data/mnist.ts";
import { SETTINGS } from "./options.ts";

/** What the PyTorch peer measured, as bench/torch_mlp.py prints it. */
export interface TorchResult {
  /** Seconds of each epoch, validation included. */
  seconds: number[];
  /** Validation accuracy after each epoch. */
  val_acc: number[];
  /** Threads PyTorch ran with. */
  threads: number;
  /** PyTorch's version. */
  torch: string;
  /** Peak resident memory of the Python process in MiB (ru_maxrss). */
  peak_rss_mib: number;
  /** The bench's round it ran in, from 1 (set by bench.ts). */
  round?: number;
}

/** Whether `python` runs and imports torch. */
async function importsTorch(python: string): Promise<boolean> {
  try {
    const probe = new Deno.Command(python, {
      args: ["-c", "import torch"],
      stdout: "null",
      stderr: "null",
    });
    return (await probe.output()).success;
  } catch {
    return false; // Not installed under this name.
  }
}

/**
 * The Python to run PyTorch with: `explicit` (from `BENCH_PYTHON`), which must import torch, else
 * the first of python3 and /usr/bin/python3 that does, else undefined.
 */
export async function findTorchPython(explicit?: string): Promise<string | undefined> {
  if (explicit !== undefined) {
    if (await importsTorch(explicit)) return explicit;
    throw envError("BENCH_PYTHON", explicit, "a Python interpreter that imports torch");
  }
  for (const python of ["python3", "/usr/bin/python3"]) {
    if (await importsTorch(python)) return python;
  }
  return undefined;
}

/** The command-line arguments of bench/torch_mlp.py after its data folder. */
export function torchArgs(epochs: number, threads: number): string[] {
  const { batchSize, validationSplit, hiddenUnits, dropout, learningRate, seed } = SETTINGS;
  return [
    ...["--epochs", String(epochs), "--threads", String(threads), "--seed", String(seed)],
    ...["--batch-size", String(batchSize), "--validation-split", String(validationSplit)],
    ...["--hidden-units", ...hiddenUnits.map(String)],
    ...["--dropout", String(dropout), "--learning-rate", String(learningRate)],
  ];
}

/** Runs bench/torch_mlp.py with `python` and parses its JSON result. */
export async function runTorch(
  python: string,
  epochs: number,
  threads: number,
): Promise<TorchResult> {
  const script = fileURLToPath(new URL("./torch_mlp.py", import.meta.url));
  const { code, stdout, stderr } = await new Deno.Command(python, {
    args: [script, mnistPackageDir(), ...torchArgs(epochs, threads)],
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
