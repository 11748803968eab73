/** What the notebook tests share: the quick settings, the output shape, and a sandbox of copies. */
import { ROOT } from "../fixtures/root.ts";

/** The eight notebooks, in order: reproduce's list. */
export { NOTEBOOKS } from "../../scripts/reproduce.ts";

/** Environment of a quick run: 6,000 training images, 2 epochs, 2,000 test images. */
export const QUICK = {
  MLP_TRAIN_LIMIT: "6000",
  MLP_EPOCHS: "2",
  MLP_BATCH_SIZE: "64",
  MLP_TEST_LIMIT: "2000",
};

/** One output of a notebook cell, as saved in the .ipynb file. */
export interface Output {
  output_type: string;
  data?: Record<string, string | string[]>;
  metadata?: Record<string, { width: number; height: number }>;
  text?: string | string[];
  ename?: string;
  evalue?: string;
}

/** The outputs of every cell of a saved notebook, in order. */
export async function savedOutputs(path: string): Promise<Output[]> {
  const notebook = JSON.parse(await Deno.readTextFile(path));
  return notebook.cells.flatMap((c: { outputs?: Output[] }) => c.outputs ?? []);
}

/**
 * Copies the named notebooks into a fresh `.nbtest-*` folder inside the repository (so the kernel
 * finds deno.json), beside links to lib/ and demo/ (05's drawing canvas); returns the folder,
 * which the caller removes.
 */
export async function notebookSandbox(names: string[]): Promise<string> {
  const sandbox = await Deno.makeTempDir({ dir: ROOT, prefix: ".nbtest-" });
  await Deno.mkdir(`${sandbox}/notebooks`);
  for (const dir of ["lib", "demo"]) await Deno.symlink(`${ROOT}${dir}`, `${sandbox}/${dir}`);
  for (const name of names) {
    await Deno.copyFile(`${ROOT}notebooks/${name}.ipynb`, `${sandbox}/notebooks/${name}.ipynb`);
  }
  return sandbox;
}
