/**
 * `deno task jupyter`: opens the notebooks in JupyterLab (or the classic Notebook) with the
 * Deno kernel registered.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { ensureJupyterWithDenoKernel, output } from "./jupyter_setup.ts";

await ensureJupyterWithDenoKernel();
const notebooks = fileURLToPath(new URL("../notebooks/", import.meta.url));
for (const app of ["lab", "notebook"]) {
  if (await output("jupyter", [app, "--version"]) === undefined) continue;
  const { code } = await new Deno.Command("jupyter", { args: [app], cwd: notebooks }).spawn()
    .status;
  Deno.exit(code);
}
console.error(
  "Neither JupyterLab nor Notebook is installed: `pip install jupyterlab`, or " +
    "`sudo apt-get install jupyter-notebook`; or open the notebooks in VSCode with the Deno kernel.",
);
Deno.exit(1);
