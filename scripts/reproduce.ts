/**
 * `deno task reproduce`: installs what is missing (see setup.ts), executes the five notebooks in
 * order, in place, then prints this project's results beside the original study's, leaves them
 * in checkpoints/results.json and copies the README's figures (PNG) from the notebooks into docs/.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { readResults, resultsText } from "../lib/evaluation/results.ts";
import { executeNotebook } from "./execute_notebook.ts";
import { setup } from "./setup.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const NOTEBOOKS = ["01_explore", "02_preprocess", "03_model", "04_train", "05_noise"];
const RESULTS = `${root}checkpoints/results.json`;
/** Figures copied from the executed notebooks for the README: file → [notebook, cell id]. */
const FIGURES: Record<string, [string, string]> = {
  "docs/misclassified.png": ["04_train", "04-10"],
  "docs/robustness.png": ["05_noise", "05-15"],
};
const QUICK_VARIABLES = ["MLP_EPOCHS", "MLP_BATCH_SIZE", "MLP_TRAIN_LIMIT", "MLP_TEST_LIMIT"];

try {
  await setup("notebooks");
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
  await executeNotebook(path);
  console.log(`  done in ${((performance.now() - start) / 1000).toFixed(0)} s`);
}
for (const [file, [name, id]] of Object.entries(FIGURES)) {
  const notebook = JSON.parse(await Deno.readTextFile(`${root}notebooks/${name}.ipynb`));
  const cell = notebook.cells.find((c: { id: string }) => c.id === id);
  const png = cell?.outputs?.find((o: { data?: object }) => o.data && "image/png" in o.data)
    ?.data["image/png"];
  if (png === undefined) throw new Error(`${name}.ipynb: cell ${id} has no PNG output for ${file}`);
  const base64 = (Array.isArray(png) ? png.join("") : png).replace(/\s/g, "");
  await Deno.mkdir(`${root}docs`, { recursive: true });
  await Deno.writeFile(`${root}${file}`, Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)));
}
console.log(`\n${resultsText(await readResults(RESULTS))}\n\nWritten to checkpoints/results.json`);
