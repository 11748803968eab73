/**
 * Running a notebook headless with Jupyter's own executor, and reading a command's output.
 *
 * @module
 */

/** The stdout of a command, or undefined when it is missing or fails. */
export async function output(cmd: string, args: string[]): Promise<string | undefined> {
  try {
    const { success, stdout } = await new Deno.Command(cmd, { args, stderr: "null" }).output();
    return success ? new TextDecoder().decode(stdout) : undefined;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** Where a running notebook is: the code cell running, and the training progress it shows. */
export interface NotebookProgress {
  /** The running code cell, from 1 (0 before the first starts). */
  cell: number;
  /** The notebook's code cells. */
  cells: number;
  /** The progress bar's latest text in this cell (its `text/plain`), or "" when none. */
  progress: string;
}

/** Options of {@linkcode executeNotebook}. */
export interface ExecuteOptions {
  /** Write the executed notebook into this folder instead of in place. */
  outputDir?: string;
  /** Environment variables for the kernel, added to this process's. */
  env?: Record<string, string>;
  /** Keep nbconvert's own output out of the terminal (it still names a failure). */
  quiet?: boolean;
  /**
   * Called when a code cell starts and every `everyMs` while it runs, with the cell and the
   * progress line the notebook's own bar shows (copied through `MLP_PROGRESS_FILE`).
   */
  onProgress?: (progress: NotebookProgress) => void;
  /** How often `onProgress` hears the progress line, in ms (default 2000). */
  everyMs?: number;
}

/** The nbconvert configuration that reports each code cell as it starts. */
const CELL_REPORTER = new URL("./nbconvert_progress.py", import.meta.url).pathname;

/**
 * Executes a notebook with Jupyter's own executor (nbconvert): in place, or into `outputDir`.
 * With `onProgress`, reports the running cell and the notebook's training progress as it goes;
 * the saved notebook is the same.
 *
 * Throws, naming the notebook, when a cell fails.
 */
export async function executeNotebook(path: string, options: ExecuteOptions = {}): Promise<void> {
  const { onProgress, quiet, everyMs = 2000 } = options;
  const target = options.outputDir ? ["--output-dir", options.outputDir] : ["--inplace"];
  const report = onProgress === undefined ? undefined : await progressReporter(path, onProgress);
  const command = new Deno.Command("jupyter", {
    args: [
      "nbconvert",
      ...(report ? [`--config=${CELL_REPORTER}`] : []),
      "--to",
      "notebook",
      "--execute",
      "--ExecutePreprocessor.timeout=-1",
      "--ExecutePreprocessor.kernel_name=deno",
      ...target,
      path,
    ],
    env: { ...options.env, ...(report ? { MLP_PROGRESS_FILE: report.file } : {}) },
    stdout: quiet ? "null" : "inherit",
    stderr: "piped",
  });
  const child = command.spawn();
  const timer = report ? setInterval(report.tick, everyMs) : undefined;
  const log: string[] = [];
  try {
    for await (const line of lines(child.stderr)) {
      const cell = /^@cell (\d+)$/.exec(line);
      if (cell && report) {
        report.cellStarted(Number(cell[1]));
        continue;
      }
      log.push(line);
      if (log.length > 30) log.shift();
      if (!quiet) console.error(line);
    }
    const status = await child.status;
    if (!status.success) {
      throw new Error(`${path}: execution failed\n${quiet ? log.join("\n") : ""}`);
    }
  } finally {
    clearInterval(timer);
    if (report) await Deno.remove(report.file).catch(() => {});
  }
}

/** The lines of a byte stream, as they come. */
async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let rest = "";
  for await (const bytes of stream) {
    const parts = (rest + decoder.decode(bytes, { stream: true })).split("\n");
    rest = parts.pop() ?? "";
    yield* parts;
  }
  if (rest !== "") yield rest;
}

/** The state behind `onProgress`: the notebook's code cells, the running one, the progress file. */
async function progressReporter(path: string, onProgress: (p: NotebookProgress) => void) {
  const cells: { cell_type: string }[] = JSON.parse(await Deno.readTextFile(path)).cells;
  const code = cells.flatMap((c, i) => c.cell_type === "code" ? [i] : []);
  const file = await Deno.makeTempFile({ prefix: "mlp-progress-" });
  let cell = 0;
  const read = () => {
    try {
      return Deno.readTextFileSync(file);
    } catch {
      return "";
    }
  };
  return {
    file,
    cellStarted(index: number) {
      cell = code.indexOf(index) + 1;
      Deno.writeTextFileSync(file, ""); // the bar of an earlier cell is not this one's
      onProgress({ cell, cells: code.length, progress: "" });
    },
    tick() {
      if (cell > 0) onProgress({ cell, cells: code.length, progress: read() });
    },
  };
}
