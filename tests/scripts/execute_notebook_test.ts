/**
 * `executeNotebook` as `deno task reproduce` runs it: through Jupyter's own executor, reporting
 * each code cell as it starts and the text of the notebook's progress bar while it trains, and
 * saving the same notebook as a run without the reports. Needs Jupyter and the Deno kernel, which
 * `deno task test` installs; outside CI it is skipped without them.
 */
import assert from "node:assert/strict";
import { executeNotebook, type NotebookProgress, output } from "../../scripts/execute_notebook.ts";
import { ROOT } from "../fixtures/root.ts";

const jupyter = await output("jupyter", ["nbconvert", "--version"]);
const skip = jupyter === undefined && !Deno.env.get("CI");
if (skip) {
  console.log("executeNotebook test skipped: no Jupyter (deno task setup test installs it)");
}

/** A notebook of a markdown cell and two code cells, the second training with a progress bar. */
const NOTEBOOK = {
  cells: [
    { cell_type: "markdown", id: "m", metadata: {}, source: ["# Progress"] },
    {
      cell_type: "code",
      id: "load",
      metadata: {},
      outputs: [],
      execution_count: null,
      source: [
        'import { buildMlp, initBackend, loadDataset, notebookProgress, toTensors, train } from "../lib/mod.ts";\n',
        "const backend = await initBackend();\n",
        'const data = await loadDataset({ dataset: "mnist", trainLimit: 2000, testLimit: 1 });',
      ],
    },
    {
      cell_type: "code",
      id: "train",
      metadata: {},
      outputs: [],
      execution_count: null,
      source: [
        "const { x, y } = toTensors(data.train);\n",
        "const model = buildMlp({ seed: 7 });\n",
        'const history = await train(model, x, y, { epochs: 2, batchSize: 32, seed: 7, ...notebookProgress("Live") });',
      ],
    },
  ],
  metadata: { kernelspec: { display_name: "Deno", language: "typescript", name: "deno" } },
  nbformat: 4,
  nbformat_minor: 5,
};

/** The live accuracy curve's Vega-Lite form. */
const CHART = "application/vnd.vegalite.v5+json";

type Output = { output_type: string; data?: Record<string, unknown> };

/** Each code cell's outputs as MIME types, and every PNG, of a saved notebook. */
async function saved(path: string) {
  const cells: { cell_type: string; outputs?: Output[] }[] =
    JSON.parse(await Deno.readTextFile(path)).cells;
  const outputs = cells.filter((c) => c.cell_type === "code").map((c) => c.outputs ?? []);
  return {
    types: outputs.map((o) => o.map((out) => Object.keys(out.data ?? {}).sort().join("+"))),
    pngs: outputs.flat().flatMap((o) => o.data?.["image/png"] ?? []),
  };
}

Deno.test({
  name: "executeNotebook reports each code cell and the bar's text, and saves the same notebook",
  ignore: skip,
  async fn() {
    // Beside lib/, so that the cells' "../lib/mod.ts" resolves; .nbtest-* is ignored by git.
    const dir = await Deno.makeTempDir({ dir: ROOT, prefix: ".nbtest-progress-" });
    try {
      const path = `${dir}/progress.ipynb`;
      await Deno.writeTextFile(path, JSON.stringify(NOTEBOOK));
      await executeNotebook(path, { outputDir: `${dir}/plain`, quiet: true });
      const seen: NotebookProgress[] = [];
      await executeNotebook(path, {
        outputDir: `${dir}/reported`,
        quiet: true,
        everyMs: 100,
        onProgress: (p) => seen.push({ ...p }),
      });
      assert.deepEqual(
        [...new Set(seen.map((p) => `${p.cell}/${p.cells}`))],
        ["1/2", "2/2"],
        "each code cell, in order, of 2",
      );
      const bars = seen.filter((p) => p.progress !== "");
      assert.ok(bars.length > 0, "the bar's text while training");
      assert.ok(bars.every((p) => p.cell === 2), "only in the training cell");
      for (const { progress } of bars) assert.match(progress, /^Epoch [12]\/2 · step \d+\/50 · /);

      const [plain, reported] = [`${dir}/plain`, `${dir}/reported`].map((d) =>
        saved(`${d}/progress.ipynb`)
      );
      const [a, b] = await Promise.all([plain, reported]);
      assert.deepEqual(b.types, a.types, "the same outputs");
      assert.deepEqual(b.types[1], ["text/html+text/plain", `${CHART}+image/png+text/plain`]);
      assert.deepEqual(b.pngs, a.pngs, "the same figure");
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
});
