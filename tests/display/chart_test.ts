/**
 * Charts as notebooks show them: one bundle with the live Vega-Lite spec, the 2× PNG and the alt
 * text; the spec lean (rounded numbers, each dataset once), tooltips on every mark, zoom and pan on
 * the line charts' x axis, and a PNG that the zoom leaves as it was.
 */
import assert from "node:assert/strict";
import { decode } from "fast-png";
import { compile, type TopLevelSpec } from "vega-lite";
import { chartBundle, VEGA_LITE_MIME, vegaLiteSpec } from "../../lib/display/chart.ts";
import { figureBundle } from "../../lib/display/show.ts";
import { accuracyCurve } from "../../lib/display/progress_notebook.ts";
import { reliabilityDiagram } from "../../lib/pictures/calibration.ts";
import { barChart, heatmap, lineChart } from "../../lib/pictures/charts.ts";
import { dotPlot } from "../../lib/pictures/dot_plot.ts";
import { dropoutCurves } from "../../lib/pictures/dropout_curves.ts";
import { layerDynamics, trainingCurves } from "../../lib/pictures/learning.ts";
import { type Chart, renderSvg } from "../../lib/pictures/render.ts";
import { inlineDataNumbers } from "../fixtures/chart_data.ts";

const titles = { xTitle: "x", yTitle: "y" };
const epochs = 20;
const steps = 375;
const batches = Array.from({ length: epochs * steps }, (_, i) => ({
  epoch: Math.floor(i / steps) + 1,
  step: (i % steps) + 1,
  steps,
  loss: 2 / (i + 2) + 0.01,
  acc: 0.99 - 1 / (i + 3),
}));
const series = (start: number) => Array.from({ length: epochs }, (_, i) => start + i / 1000);
const history = {
  loss: series(0.1),
  acc: series(0.9),
  val_loss: series(0.12),
  val_acc: series(0.91),
  seconds: series(1),
  bestEpoch: 3,
};

/** Every chart the notebooks draw, with the x-zoom parameters each line chart should carry. */
const CHARTS: { name: string; chart: Chart; zooms: string[] }[] = [
  {
    name: "barChart",
    chart: barChart({ labels: ["0", "1"], values: [5923, 6742], title: "Counts", ...titles }),
    zooms: [],
  },
  {
    name: "lineChart",
    chart: lineChart({ series: [{ name: "a", values: [0.123456789, 2] }], title: "L", ...titles }),
    zooms: ["zoom"],
  },
  {
    name: "heatmap",
    chart: heatmap({ matrix: [[970, 10], [3, 1017]], labels: ["0", "1"], title: "C", ...titles }),
    zooms: [],
  },
  { name: "accuracyCurve", chart: accuracyCurve(history, "Accuracy"), zooms: ["zoom"] },
  {
    name: "dotPlot",
    chart: dotPlot({
      title: "Seeds",
      xTitle: "Accuracy (%)",
      seeds: [42, 1042],
      panels: [{
        title: "Clean",
        values: [97.97, 98.05],
        reference: 97.96,
        interval: [97.9, 98.1],
      }],
    }),
    zooms: [],
  },
  {
    name: "trainingCurves",
    chart: trainingCurves({ batches, history, title: "Training" }),
    zooms: ["zoom_loss", "zoom_acc"],
  },
  {
    name: "layerDynamics",
    chart: layerDynamics({
      layers: [{ name: "dense_1", norm: series(19), updateRatio: series(0.002) }],
      title: "Weights",
    }),
    zooms: ["zoom_norm", "zoom_ratio"],
  },
  {
    name: "dropoutCurves",
    chart: dropoutCurves({
      runs: [{ name: "dropout 0", loss: series(0.1), valLoss: series(0.12), overfitEpoch: 4 }],
      title: "Dropout",
    }),
    zooms: ["zoom"],
  },
  {
    name: "reliabilityDiagram",
    chart: reliabilityDiagram({
      panels: [{
        title: "Clean",
        bins: [{ low: 0.5, high: 1, count: 9500, confidence: 0.98, accuracy: 0.99 }],
        ece: 0.0123,
      }],
      title: "Reliability",
    }),
    zooms: [],
  },
];

/** The names of the parameters bound to the scales, anywhere in a spec. */
function scaleBindings(node: unknown): string[] {
  if (Array.isArray(node)) return node.flatMap(scaleBindings);
  if (node === null || typeof node !== "object") return [];
  return Object.entries(node).flatMap(([k, v]) =>
    k === "params" && Array.isArray(v)
      ? v.filter((p) => p.bind === "scales").map((p) => p.name)
      : scaleBindings(v)
  );
}

for (const { name, chart, zooms } of CHARTS) {
  Deno.test(`${name}: a lean Vega-Lite 5 spec with tooltips, and zoom on x for line charts`, () => {
    const spec = vegaLiteSpec(chart);
    assert.equal(spec.$schema, "https://vega.github.io/schema/vega-lite/v5.json");
    assert.deepEqual(JSON.parse(JSON.stringify(spec)), spec, "plain JSON");
    assert.deepEqual((spec.config.mark as { tooltip: boolean }).tooltip, true);
    assert.equal(spec.config.font, "Inter, Helvetica, Arial, sans-serif", "the library's theme");
    assert.deepEqual(scaleBindings(spec), zooms);
    const numbers = inlineDataNumbers(spec);
    assert.ok(numbers.length > 0, "data inline");
    for (const v of numbers) assert.equal(v, Number(v.toPrecision(5)), `${v}: 5 digits at most`);
    const compiled = compile(spec as unknown as TopLevelSpec).spec;
    assert.ok((compiled.marks ?? []).length > 0, "compiles to marks");
  });
}

Deno.test("trainingCurves carries its 7,500 batches once, at under 60 bytes each", () => {
  const chart = CHARTS.find((c) => c.name === "trainingCurves")!.chart;
  const spec = vegaLiteSpec(chart);
  const lists: unknown[][] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node) && node.length === batches.length) lists.push(node);
    if (node !== null && typeof node === "object") Object.values(node).forEach(walk);
  };
  walk(spec);
  assert.equal(lists.length, 1, "one list of batches, shared by both panels");
  const bytes = JSON.stringify(spec).length;
  assert.ok(bytes < 60 * batches.length, `${bytes} bytes`);
});

Deno.test("chartBundle: the spec, the PNG of the static drawing and the title as alt text", async () => {
  const chart = CHARTS.find((c) => c.name === "lineChart")!.chart;
  const { bundle, metadata } = await chartBundle(chart);
  assert.deepEqual(Object.keys(bundle).sort(), [VEGA_LITE_MIME, "image/png", "text/plain"]);
  assert.deepEqual(bundle[VEGA_LITE_MIME], vegaLiteSpec(chart));
  assert.equal(bundle["text/plain"], "L");
  // The zoom only acts where the chart is live: the PNG is that of the chart without it.
  const { params: _, ...unzoomed } = chart as { params: unknown };
  const still = await figureBundle(await renderSvg(unzoomed as Chart));
  assert.equal(bundle["image/png"], still.bundle["image/png"]);
  assert.deepEqual(metadata, still.metadata);
  const png = decode(Uint8Array.from(atob(bundle["image/png"] as string), (c) => c.charCodeAt(0)));
  const { width, height } = metadata["image/png"] as { width: number; height: number };
  assert.deepEqual([png.width, png.height], [2 * width, 2 * height]);
});
