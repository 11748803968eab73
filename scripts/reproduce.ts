/**
 * `deno task reproduce`: executes the five notebooks in order, in place, then prints this
 * project's results beside the original study's and leaves them in checkpoints/results.json.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { readResults, resultsText } from "../lib/results.ts";
import { ensureJupyterWithDenoKernel, executeNotebook } from "./jupyter_setup.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const NOTEBOOKS = ["01_explore", "02_preprocess", "03_model", "04_train", "05_noise"];
const RESULTS = `${root}checkpoints/results.json`;
const QUICK_VARIABLES = ["MLP_EPOCHS", "MLP_BATCH_SIZE", "MLP_TRAIN_LIMIT", "MLP_TEST_LIMIT"];

try {
  await ensureJupyterWithDenoKernel();
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
console.log(`\n${resultsText(await readResults(RESULTS))}\n\nWritten to checkpoints/results.json`);
