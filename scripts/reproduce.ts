/**
 * `deno task reproduce`: installs what is missing (see setup.ts), executes the eight notebooks in
 * order, in place, then prints this project's results beside the original study's, leaves them
 * in checkpoints/results.json and copies the README's figures (PNG) from the notebooks into docs/.
 *
 * A README figure comes from the notebook cell that marks it in its metadata: the Jupyter tag
 * `readme-figure` (shown in Jupyter's property inspector) and the key `readme_figure` with the
 * path to write, relative to the repository:
 *
 * ```json
 * "metadata": { "readme_figure": "docs/robustness.png", "tags": ["readme-figure"] }
 * ```
 *
 * Every `docs/*.png` that README.md shows must be marked so, once, in some notebook; pictures of
 * pages (not of results) live in `docs/screenshots/` and are not made here.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { readResults, resultsText } from "../lib/evaluation/results.ts";
import { executeNotebook, type NotebookProgress } from "./execute_notebook.ts";
import { setup } from "./setup.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
/** The notebooks, in the order they run. */
export const NOTEBOOKS = [
  "01_explore",
  "02_preprocess",
  "03_model",
  "04_one_step",
  "05_train",
  "06_noise",
  "07_seeds",
  "08_inside",
];
const RESULTS = `${root}checkpoints/results.json`;
const QUICK_VARIABLES = [
  "MLP_EPOCHS",
  "MLP_BATCH_SIZE",
  "MLP_TRAIN_LIMIT",
  "MLP_TEST_LIMIT",
  "MLP_SEEDS",
];

/** The Jupyter tag of a cell whose PNG output is a README figure. */
export const README_FIGURE_TAG = "readme-figure";

/** The cell metadata key that holds the path a README figure is written to. */
export const README_FIGURE_KEY = "readme_figure";

/** A notebook cell marked as a README figure, with its PNG output if it has one. */
export interface ReadmeFigure {
  /** The notebook, as messages name it (e.g. `notebooks/05_train.ipynb`). */
  notebook: string;
  /** The cell's id. */
  cellId: string;
  /** Where the figure goes, relative to the repository (`readme_figure`). */
  path: string;
  /** The cell's first PNG output, or undefined when it has none. */
  png?: Uint8Array;
}

/** What {@linkcode readmeFigures} reads of a notebook cell (the .ipynb JSON). */
export interface NotebookCell {
  /** The cell's id (nbformat 4.5). */
  id?: string;
  /** The cell's metadata: Jupyter's `tags` and any other keys. */
  metadata?: { tags?: unknown; [key: string]: unknown };
  /** The outputs of a code cell, each with its data by MIME type. */
  outputs?: { output_type?: string; data?: Record<string, string | string[]> }[];
}

/** Whether `path` is a relative path of a .png file inside the repository. */
function isRelativePng(path: unknown): path is string {
  return typeof path === "string" && /^[\w.-][\w./-]*\.png$/.test(path) &&
    !path.split("/").includes("..");
}

/** The cells of the notebook JSON `notebook` (read from `name`) marked as README figures. */
export function readmeFigures(name: string, notebook: { cells: NotebookCell[] }): ReadmeFigure[] {
  const figures: ReadmeFigure[] = [];
  notebook.cells.forEach((cell, index) => {
    const cellId = cell.id ?? `#${index}`;
    const tags = cell.metadata?.tags;
    const tagged = Array.isArray(tags) && tags.includes(README_FIGURE_TAG);
    const path = cell.metadata?.[README_FIGURE_KEY];
    if (!tagged && path === undefined) return;
    if (!tagged || !isRelativePng(path)) {
      throw new Error(
        `${name}: cell ${cellId}: expected both the tag "${README_FIGURE_TAG}" and ` +
          `"${README_FIGURE_KEY}": a relative path of a .png file, got tags ` +
          `${JSON.stringify(tags ?? [])} and ${README_FIGURE_KEY} ${JSON.stringify(path)}`,
      );
    }
    const data = cell.outputs?.find((o) => o.data?.["image/png"] !== undefined)?.data;
    const base64 = data && [data["image/png"]].flat().join("").replace(/\s/g, "");
    const png = base64 === undefined
      ? undefined
      : Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    figures.push({ notebook: name, cellId, path, png });
  });
  return figures;
}

/** The README figures marked in every notebook (`*.ipynb`) of the folder `dir`, by file name. */
export async function readmeFiguresIn(dir: string): Promise<ReadmeFigure[]> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name.endsWith(".ipynb")) names.push(entry.name);
  }
  const figures: ReadmeFigure[] = [];
  for (const name of names.sort()) {
    const notebook = JSON.parse(await Deno.readTextFile(`${dir}/${name}`));
    figures.push(...readmeFigures(`notebooks/${name}`, notebook));
  }
  return figures;
}

/** The `docs/*.png` files (not those in its subfolders) that the markdown `readme` shows, in order, each once. */
export function readmeImages(readme: string): string[] {
  return [...new Set(readme.match(/\bdocs\/[\w.-]+\.png\b/g) ?? [])];
}

/**
 * The PNG of each README figure, by path; throws naming the notebook and the path when a marked
 * cell has no PNG output, when two cells mark the same path, or when an image of `expected`
 * (the README's) is marked by no cell.
 */
export function figurePngs(figures: ReadmeFigure[], expected: string[]): Map<string, Uint8Array> {
  const pngs = new Map<string, Uint8Array>();
  for (const { notebook, cellId, path, png } of figures) {
    if (pngs.has(path)) {
      const first = figures.find((f) => f.path === path)!;
      throw new Error(
        `${notebook}: cell ${cellId} marks ${path}, which ${first.notebook} (cell ` +
          `${first.cellId}) marks already: expected one cell per README figure`,
      );
    }
    if (png === undefined) {
      throw new Error(
        `${notebook}: cell ${cellId} is marked as README figure ${path} but has no PNG output: ` +
          `expected the notebook to be executed, with that cell showing a PNG`,
      );
    }
    pngs.set(path, png);
  }
  checkMarked(figures, expected);
  return pngs;
}

/** Throws, naming the path, unless every image of `expected` is marked by one of `figures`. */
export function checkMarked(figures: ReadmeFigure[], expected: string[]): void {
  const missing = expected.filter((path) => !figures.some((f) => f.path === path));
  if (missing.length > 0) {
    throw new Error(
      `README.md shows ${missing.join(", ")}, but no notebook cell produces ` +
        `${missing.length === 1 ? "it" : "them"}: expected a cell tagged "${README_FIGURE_TAG}" ` +
        `with "${README_FIGURE_KEY}": "${missing[0]}" in its metadata`,
    );
  }
}

/** Runs the notebooks, prints the results, and writes the README's figures. */
/**
 * One line on where a notebook is: its code cell, the training progress its own bar shows (the
 * bar's lines joined), and the time since it started, cut to `width` characters.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const progress = "Seed 2/5 (1042) · model 3/4: Noisy model\nEpoch 4/10 · step 100/375";
 * assert.equal(
 *   statusLine("07_seeds", { cell: 5, cells: 9, progress }, 151, 200),
 *   "  07_seeds · cell 5/9 · 2:31 · Seed 2/5 (1042) · model 3/4: Noisy model · Epoch 4/10 · step 100/375",
 * );
 * assert.equal(statusLine("07_seeds", { cell: 5, cells: 9, progress: "" }, 7, 20), "  07_seeds · cell 5…");
 * ```
 */
export function statusLine(
  name: string,
  where: NotebookProgress,
  seconds: number,
  width: number,
): string {
  const clock = `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, "0")}`;
  const parts = [name, `cell ${where.cell}/${where.cells}`, clock, ...where.progress.split("\n")];
  const line = `  ${parts.filter((p) => p.trim() !== "").join(" · ")}`;
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`;
}

/**
 * Shows a running notebook's status line: rewritten in place every few seconds on a terminal,
 * else printed when it changes and at most every 30 s (a log stays short).
 */
function statusPrinter(name: string, start: number) {
  const tty = Deno.stdout.isTerminal();
  const encoder = new TextEncoder();
  let printed = -Infinity;
  let last = "";
  return {
    show(where: NotebookProgress) {
      const seconds = (performance.now() - start) / 1000;
      const width = tty ? Deno.consoleSize().columns : 160;
      const line = statusLine(name, where, seconds, width);
      if (tty) Deno.stdout.writeSync(encoder.encode(`\r\x1b[2K${line}`));
      else if (line !== last && performance.now() - printed >= 30_000) {
        console.log(line);
        printed = performance.now();
      }
      last = line;
    },
    clear() {
      if (tty && last !== "") Deno.stdout.writeSync(encoder.encode("\r\x1b[2K"));
    },
  };
}

async function main(): Promise<void> {
  const expected = readmeImages(await Deno.readTextFile(`${root}README.md`));
  try {
    await setup("notebooks");
    checkMarked(await readmeFiguresIn(`${root}notebooks`), expected);
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(1);
  }
  const overridden = QUICK_VARIABLES.filter((name) => Deno.env.get(name));
  if (overridden.length > 0) {
    console.warn(`Note: ${overridden.join(", ")} set: not the study's full settings.`);
  }
  await Deno.remove(RESULTS).catch(() => {});
  for (const name of NOTEBOOKS) {
    const path = `${root}notebooks/${name}.ipynb`;
    const start = performance.now();
    console.log(`Executing ${name}.ipynb ...`);
    const status = statusPrinter(name, start);
    try {
      await executeNotebook(path, { quiet: true, onProgress: status.show });
    } finally {
      status.clear();
    }
    console.log(`  done in ${((performance.now() - start) / 1000).toFixed(0)} s`);
  }
  const pngs = figurePngs(await readmeFiguresIn(`${root}notebooks`), expected);
  for (const [path, png] of pngs) {
    const file = `${root}${path}`;
    await Deno.mkdir(file.slice(0, file.lastIndexOf("/")), { recursive: true });
    await Deno.writeFile(file, png);
  }
  console.log(
    `\n${resultsText(await readResults(RESULTS))}\n\nWritten to checkpoints/results.json`,
  );
}

if (import.meta.main) await main();
