/**
 * Executes every notebook in quick mode through Jupyter, on copies in a temporary folder inside
 * the repository (so the kernel finds deno.json), and checks their outputs.
 */
import assert from "node:assert/strict";
import { decode } from "fast-png";
import { executeNotebook } from "../../scripts/execute_notebook.ts";
import { setup } from "../../scripts/setup.ts";
import { readResults } from "../../lib/evaluation/results.ts";
import { VEGA_LITE_MIME } from "../../lib/display/chart.ts";
import { NOTEBOOKS, notebookSandbox, type Output, QUICK, savedOutputs } from "./fixtures.ts";
import { inlineDataNumbers } from "../fixtures/chart_data.ts";
import { ROOT as root } from "../fixtures/root.ts";

async function committedNotebooks(): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  for await (const entry of Deno.readDir(`${root}notebooks`)) {
    if (entry.name.endsWith(".ipynb")) {
      files.set(entry.name, await Deno.readTextFile(`${root}notebooks/${entry.name}`));
    }
  }
  return files;
}

/** Runs the notebooks in a fresh sandbox; returns each notebook's outputs and the results file. */
async function runQuick(names: string[], env: Record<string, string>) {
  await setup("notebooks", { install: false });
  const sandbox = await notebookSandbox(names);
  try {
    const outputs = new Map<string, Output[]>();
    for (const name of names) {
      const copy = `${sandbox}/notebooks/${name}.ipynb`;
      await executeNotebook(copy, { env: { ...QUICK, ...env }, quiet: true });
      outputs.set(name, await savedOutputs(copy));
    }
    return { outputs, results: await readResults(`${sandbox}/checkpoints/results.json`) };
  } finally {
    await Deno.remove(sandbox, { recursive: true });
  }
}

function text(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join("") : value ?? "";
}

function mimeCount(outputs: Output[], mime: string): number {
  return outputs.filter((o) => o.data?.[mime] !== undefined).length;
}

function allText(outputs: Output[]): string {
  return outputs.map((o) => text(o.text) + Object.values(o.data ?? {}).map(text).join("")).join(
    "\n",
  );
}

/**
 * Checks a notebook's outputs: no error, at least `expected` outputs of each MIME type, every PNG
 * at 2× with its display size, and exactly `charts` charts, each a live Vega-Lite 5 spec with its
 * data inline beside its PNG and alt text.
 */
function assertOutputs(
  name: string,
  outputs: Output[],
  expected: Record<string, number>,
  charts: number,
) {
  const errors = outputs.filter((o) =>
    o.output_type === "error" || o.output_type === "stream" && text(o.text).includes("error")
  );
  assert.deepEqual(
    errors.map((e) => `${e.ename}: ${e.evalue}${text(e.text)}`),
    [],
    `${name}: error output`,
  );
  for (const [mime, count] of Object.entries(expected)) {
    const found = mimeCount(outputs, mime);
    const seen = outputs.map((o) => Object.keys(o.data ?? { [o.output_type]: "" }).join("+"));
    assert.ok(found >= count, `${name}: expected ≥ ${count} ${mime}, found ${found} in ${seen}`);
  }
  assert.equal(mimeCount(outputs, "image/svg+xml"), 0, `${name}: an SVG output, hidden untrusted`);
  for (const o of outputs.filter((o) => o.data?.["image/png"])) {
    const png = Uint8Array.from(
      atob(text(o.data!["image/png"]).replace(/\s/g, "")),
      (c) => c.charCodeAt(0),
    );
    const { width, height } = decode(png);
    const size = o.metadata?.["image/png"];
    assert.ok(size, `${name}: a ${width}×${height} PNG without its display size`);
    assert.deepEqual([width, height], [size.width * 2, size.height * 2], `${name}: not 2× density`);
  }
  const live = outputs.filter((o) => o.data?.[VEGA_LITE_MIME] !== undefined);
  assert.equal(live.length, charts, `${name}: charts with a live form`);
  for (const o of live) {
    const spec = o.data![VEGA_LITE_MIME] as unknown as Record<string, unknown>;
    const what = `${name}: chart "${text(o.data!["text/plain"])}"`;
    assert.equal(spec.$schema, "https://vega.github.io/schema/vega-lite/v5.json", what);
    assert.ok(o.data!["image/png"] && o.data!["text/plain"], `${what}: no PNG or alt text`);
    assert.ok(inlineDataNumbers(spec).length > 0, `${what}: no inline data`);
  }
}

Deno.test("the eight notebooks run in quick mode with their pictures, tables and accuracy", async () => {
  const before = await committedNotebooks();
  const { outputs, results } = await runQuick(NOTEBOOKS, { MLP_DATASET: "mnist", MLP_SEEDS: "2" });
  assertOutputs("01_explore", outputs.get("01_explore")!, { "image/png": 5, "text/html": 1 }, 1);
  const preprocess = { "image/png": 1, "text/html": 2 };
  assertOutputs("02_preprocess", outputs.get("02_preprocess")!, preprocess, 0);
  assertOutputs("03_model", outputs.get("03_model")!, { "image/png": 1, "text/html": 2 }, 0);
  assertOneStep(outputs.get("04_one_step")!);
  // 05: the live accuracy curve, the final one, the confusion matrix, the learning rates' losses.
  assertOutputs("05_train", outputs.get("05_train")!, { "image/png": 5, "text/html": 4 }, 4);
  // 06: four models' live curves and the robustness curve.
  assertOutputs("06_noise", outputs.get("06_noise")!, { "image/png": 7, "text/html": 7 }, 5);
  const all = allText(outputs.get("03_model")!);
  assert.match(all, /269,?322/);
  assert.match(allText(outputs.get("05_train")!), /Pred \d \/ True \d/);
  assert.match(allText(outputs.get("05_train")!), /Epoch 2\/2 · step 75\/75/);
  // Adam at η = 0.1 blows up within a few steps; it is marked, not raised.
  const adamDiverged = />Adam<\/td><td[^>]*>0\.1<\/td>(?:(?!<\/tr>).)*>at step \d+</s;
  assert.match(allText(outputs.get("05_train")!), adamDiverged);
  // The draw page in an output: its script, the checkpoint's weights, and the PNG it falls back to.
  const drawDigit = outputs.get("05_train")!.filter((o) =>
    text(o.data?.["text/html"]).includes('class="draw-digit"')
  );
  assert.equal(drawDigit.length, 1, "05: one draw-a-digit output");
  const html = text(drawDigit[0].data!["text/html"]);
  assert.match(html, /<img src="data:image\/png;base64,[^"]+"/);
  assert.match(html, /<script>[^]*"weights":"[A-Za-z0-9+/]{1000,}/);
  assert.ok(
    results["clean.test_accuracy"] > 0.85,
    `clean test accuracy ${results["clean.test_accuracy"]}`,
  );
  assert.ok(results["noisy.clean_test_accuracy"] > 0.8);
  assert.ok(results["robust.clean_test_accuracy"] > 0.85);
  assert.ok(
    results["leaky.best_val_accuracy"] > results["robust.best_val_accuracy"],
    "the leak inflates validation accuracy",
  );
  assertSeeds(outputs.get("07_seeds")!, results);
  assertInside(outputs.get("08_inside")!);
  assert.deepEqual(await committedNotebooks(), before, "the committed notebooks were rewritten");
});

/** 04 in quick mode (batches of 64): the batch, the checks it asserts, and the loss slice. */
function assertOneStep(outputs: Output[]) {
  assertOutputs("04_one_step", outputs, { "image/png": 2, "text/html": 5 }, 1);
  const figures = outputs.filter((o) => o.data?.["image/png"]).map((o) =>
    text(o.data!["text/plain"]).split(":")[0]
  );
  assert.deepEqual(figures, [
    "The first 10 of the batch's 64 images",
    "The batch's loss along the gradient's direction",
  ]);
  const all = allText(outputs);
  assert.match(all, /largest \|p by hand − p of the model\|: \d\.\de-[78] of the largest p/);
  assert.match(all, /largest relative error \d\.\de-\d/);
  const [, before, after] = all.match(/L before the step: (\d\.\d+); after: (\d\.\d+)/) ?? [];
  assert.ok(Number(after) < Number(before), `the step's loss: ${before} → ${after}`);
  assert.match(all, /4,800 training images \/ 64 per batch → 75 steps per epoch/);
  assert.match(all, /2 epochs → 150 steps/);
}

/** 07 in quick mode (2 seeds): its tables, its two dot plots, its verdicts and its results. */
function assertSeeds(outputs: Output[], results: Record<string, number>) {
  assertOutputs("07_seeds", outputs, { "image/png": 2, "text/html": 5 }, 2);
  const all = allText(outputs);
  assert.match(all, /seeds: 42, 1042\n/);
  assert.match(all, /Done: 2 seeds × 5 models in \d+ s/);
  assert.match(all, /Mean ± sd \(2 seeds\)/);
  assert.match(all, /Original inside the range\?/);
  assert.match(all, /Paired differences over 2 seeds/);
  const figures = outputs.filter((o) => o.data?.["image/png"]).map((o) =>
    text(o.data!["text/plain"])
  );
  assert.deepEqual(figures, ["Accuracy over 2 seeds", "Paired differences, seed by seed"]);
  const verdicts = all.split("\n").filter((line) => line.startsWith("• "));
  assert.equal(verdicts.length, 6, `verdict lines: ${verdicts.join("\n")}`);
  // Two seeds give a wide interval (t = 12.7), so whether a claim clears seed noise depends on
  // the backend's numbers; what must hold is that each verdict follows from its own interval.
  for (const line of verdicts) {
    const ci = line.match(/95% CI (−?\d+\.\d\d) to (−?\d+\.\d\d)/);
    assert.ok(ci, `no interval in: ${line}`);
    const [low, high] = [ci[1], ci[2]].map((v) => Number(v.replace("−", "-")));
    const beyond = low > 0 || high < 0;
    assert.match(
      line,
      beyond ? /: beyond seed noise\.$/ : /: not distinguishable from seed noise /,
      `verdict against its interval ${low} to ${high}`,
    );
  }
  // The leak inflates validation accuracy in both seeds, whatever the verdict.
  assert.match(verdicts[5], /^• The leak.*(in every seed \(2 of 2|higher in 2 of 2 seeds)/);
  // Memory does not grow with the seeds: the same tensors are held after each.
  const memory = all.match(/Memory after each seed.*?<\/table>/s)?.[0] ?? "";
  const held = [...memory.matchAll(/<tr><td[^>]*>\d+<\/td><td[^>]*>(\d+)<\/td>/g)].map((m) => m[1]);
  assert.equal(held.length, 2, `memory table: ${memory}`);
  assert.equal(held[0], held[1], "tensors held after each seed");
  assert.equal(results["seeds.count"], 2);
  for (const seed of [42, 1042]) {
    assert.ok(results[`seeds.${seed}.clean.test_accuracy`] > 0.85);
    assert.ok(results[`seeds.${seed}.robust.noisy_test_accuracy`] > 0.8);
    assert.ok(results[`seeds.${seed}.long.test_accuracy`] > 0.85); // the step-count control
  }
  // Seed 42 is notebook 06's run: the same numbers.
  assert.equal(
    results["seeds.42.robust.clean_test_accuracy"],
    results["robust.clean_test_accuracy"],
  );
  assert.equal(results["seeds.42.leaky.best_val_accuracy"], results["leaky.best_val_accuracy"]);
  assert.equal(results["seeds.42.clean.test_accuracy"], results["clean.test_accuracy"]);
  const low = results["seeds.diff.leak.val_inflation.low"];
  assert.ok(low <= results["seeds.diff.leak.val_inflation.mean"], `CI low ${low}`);
}

/** 08 in quick mode: its ten figures, its tables, and the checks it prints. */
function assertInside(outputs: Output[]) {
  assertOutputs("08_inside", outputs, { "image/png": 10, "text/html": 4 }, 8);
  const figures = outputs.filter((o) => o.data?.["image/png"]).map((o) =>
    `${o.data![VEGA_LITE_MIME] ? "chart" : "picture"}: ${text(o.data!["text/plain"]).split(":")[0]}`
  );
  assert.deepEqual(figures, [
    "picture: Weights into 64 of the 256 first-layer units (those training changed most)",
    "picture: The 2,000 test images in 2-D",
    "chart: Hidden layer 2 (UMAP), the first 2,000 test images",
    "chart: Training the study's model (dropout 0.2), step by step",
    "chart: Weights and update sizes per layer (dropout 0.2)",
    "chart: The first layer, epoch by epoch (dropout 0.2)",
    "chart: Training (solid) and validation (dashed) loss per epoch",
    "chart: Reliability of the three models' confidence",
    "chart: Test accuracy per class, clean model",
    "chart: How much the noise raises each model's mean loss on the test images",
  ]);
  const all = allText(outputs);
  // The dropout-0.2 run with the study's seed repeats notebook 05's run epoch for epoch.
  assert.match(all, /validation accuracy of epochs 1–\d+ equal to notebook 05's run, bit for bit/);
  assert.match(all, /Done: 1 seed × 3 models in \d+ s/);
  // Dropout 0.2 and 0.5 against 0, paired on the same test images: two rows with an interval.
  assert.match(all, /Test accuracy of dropout r − dropout 0, paired on the same 2,000 images/);
  const paired = /[+−]?\d+\.\d\d points<\/td><td[^>]*>[+−]?\d+\.\d\d to [+−]?\d+\.\d\d</g;
  assert.equal(all.match(paired)?.length, 2, "paired rows");
  assert.match(all, /Mean loss on the clean test images, its increase under noise, and accuracy/);
  assert.match(all, /\d+ misclassified \(crosses\); 50 components keep \d+% of the pixels'/);
  // Three models on two test sets: six rows of accuracy, mean confidence and ECE, each a percent
  // with two decimals (so that accuracy and confidence can be compared), the ECE under 20%.
  const table = all.match(/Expected calibration error.*?<\/table>/s)?.[0] ?? "";
  const percents =
    /<td[^>]*>(\d+\.\d\d)%<\/td><td[^>]*>(\d+\.\d\d)%<\/td><td[^>]*>(\d+\.\d\d)%<\/td><\/tr>/g;
  const ece = [...table.matchAll(percents)].map((m) => Number(m[3]));
  assert.equal(ece.length, 6, `calibration table: ${table}`);
  assert.ok(ece.every((e) => e >= 0 && e < 20), `ECE: ${ece}`);
}

Deno.test("01 and 05 run on Fashion-MNIST with its class names", async () => {
  const { outputs, results } = await runQuick(["01_explore", "05_train"], {
    MLP_DATASET: "fashion-mnist",
  });
  assertOutputs("01_explore", outputs.get("01_explore")!, { "image/png": 5 }, 1);
  assertOutputs("05_train", outputs.get("05_train")!, { "image/png": 5 }, 4);
  assert.match(allText(outputs.get("01_explore")!), /Ankle boot/);
  assert.match(allText(outputs.get("05_train")!), /Pred [A-Za-z-/ ]+ \/ True/);
  assert.ok(
    results["clean.test_accuracy"] > 0.7,
    `fashion test accuracy ${results["clean.test_accuracy"]}`,
  );
});

Deno.test("the notebooks import what lib/mod.ts offers from it, the rest from a folder's mod.ts", async () => {
  const front = await Deno.readTextFile(`${root}lib/mod.ts`);
  const offered = new Set(
    [...front.matchAll(/^export (?:type )?\{([^}]*)\}/gm)].flatMap((m) =>
      m[1].split(",").map((n) => n.replace("type ", "").trim()).filter((n) => n !== "")
    ),
  );
  assert.ok(offered.has("train") && offered.has("showChart"), `lib/mod.ts offers ${[...offered]}`);
  const astray: string[] = [];
  for (const [name, text] of await committedNotebooks()) {
    const cells: { cell_type: string; id: string; source: string[] }[] = JSON.parse(text).cells;
    for (const cell of cells.filter((c) => c.cell_type === "code")) {
      for (
        const m of cell.source.join("").matchAll(/import \{([^}]*)\} from "\.\.\/lib\/([^"]+)"/g)
      ) {
        const from = m[2];
        const names = m[1].split(",").map((n) => n.replace("type ", "").trim()).filter((n) => n);
        if (!/^(\w+\/)?mod\.ts$/.test(from)) astray.push(`${name} ${cell.id}: from lib/${from}`);
        if (from === "mod.ts") continue;
        const front = names.filter((n) => offered.has(n));
        if (front.length) astray.push(`${name} ${cell.id}: ${front} from lib/${from}`);
      }
    }
  }
  assert.deepEqual(astray, [], "imports against the rule");
});

Deno.test("every committed notebook stays under 6 MB, its live charts' data included", async () => {
  const bytes = (text: string) => new TextEncoder().encode(text).length;
  const sizes = [...await committedNotebooks()].map(([name, text]) => [name, bytes(text)] as const);
  const large = sizes.filter(([, size]) => size >= 6_000_000);
  assert.deepEqual(large, [], "notebooks of 6 MB or more");
});

Deno.test("every code cell of the committed notebooks is short: 25 lines at most", async () => {
  const long: string[] = [];
  for (const [name, text] of await committedNotebooks()) {
    const cells: { cell_type: string; id: string; source: string[] }[] = JSON.parse(text).cells;
    for (const cell of cells.filter((c) => c.cell_type === "code")) {
      if (cell.source.length > 25) long.push(`${name} cell ${cell.id}: ${cell.source.length}`);
    }
  }
  assert.deepEqual(long, [], "cells over 25 lines");
});

Deno.test("every committed notebook ends with two to four exercises, each answer folded", async () => {
  const lacking: string[] = [];
  for (const [name, text] of await committedNotebooks()) {
    const cells: { cell_type: string; source: string[] }[] = JSON.parse(text).cells;
    const last = cells.at(-1)!;
    const source = last.source.join("");
    const exercises = source.match(/^\d+\. \*\*/gm)?.length ?? 0;
    const answers = source.match(/<details><summary>Answer<\/summary>/g)?.length ?? 0;
    const ok = last.cell_type === "markdown" && source.startsWith("## Try this") &&
      exercises >= 2 && exercises <= 4 && answers === exercises;
    if (!ok) lacking.push(`${name}: ${exercises} exercises, ${answers} folded answers`);
  }
  assert.deepEqual(lacking, [], "notebooks without exercises at the end");
});

Deno.test("the notebooks honour MLP_HIDDEN, MLP_LEARNING_RATE, MLP_DROPOUT, MLP_NOISE_STD and MLP_OPTIMIZER", async () => {
  const { outputs, results } = await runQuick(NOTEBOOKS, {
    MLP_DATASET: "mnist",
    MLP_SEEDS: "2",
    MLP_HIDDEN: "128,64",
    MLP_LEARNING_RATE: "0.003",
    MLP_DROPOUT: "0.3",
    MLP_NOISE_STD: "0.2",
    MLP_OPTIMIZER: "sgd",
  });
  for (const [name, cells] of outputs) {
    const errors = cells.filter((o) => o.output_type === "error").map((o) => o.evalue);
    assert.deepEqual(errors, [], `${name}: error output`);
  }
  // 784·128 + 128 + 128·64 + 64 + 64·10 + 10 parameters, in layers of 128 and 64 units.
  const model = allText(outputs.get("03_model")!);
  assert.match(model, />109386</);
  assert.match(model, /\[None, 128\].*\[None, 64\]/s);
  const step = allText(outputs.get("04_one_step")!);
  assert.match(step, /\[784,128\]/);
  assert.match(step, /of 128 first-layer units fire/);
  assert.match(step, /MLP_OPTIMIZER=sgd: 04 uses Adam/);
  assert.match(step, /the largest change of any weight: 0\.003000/); // Adam's first step: ±η
  const settings = /dropout 0\.3, SGD with η = 0\.003, noise std 0\.2/;
  for (const name of NOTEBOOKS.filter((n) => n !== "04_one_step")) {
    assert.match(allText(outputs.get(name)!), settings, `${name}: its run details`);
  }
  assert.match(allText(outputs.get("06_noise")!), /noise std 0\.2,/);
  assert.match(allText(outputs.get("08_inside")!), /Weights into 64 of the 128 first-layer units/);
  // SGD at η = 0.003 for 150 steps learns, but slowly (notebook 05's learning rates show why):
  // above chance (10%), far from Adam's 85% or more at the same settings.
  const accuracy = results["clean.test_accuracy"];
  assert.ok(accuracy > 0.2 && accuracy < 0.8, `SGD's test accuracy ${accuracy}`);
});
