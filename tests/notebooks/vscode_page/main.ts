/// <reference lib="dom" />
/**
 * The test page of tests/notebooks/vscode_test.ts: each chart output's Vega-Lite spec drawn as
 * VSCode's Jupyter renderer extension draws `application/vnd.vegalite.v5+json` (its
 * src/client/vegaRenderer.ts, microsoft/vscode-notebook-renderers): vega-embed 7 with vega 6 and
 * Vega-Lite 6, tooltips by vega-embed's vega-tooltip, the export menu on and the other menu
 * entries off, in a new element inside the output's own. The test drives the page through
 * {@linkcode ChartPage} on `globalThis.testPage`.
 *
 * @module
 */
import embed, { type EmbedOptions, type Result, vega, type VisualizationSpec } from "vega-embed";
import {
  type ChartPage,
  chartPage,
  type OutputData,
  type ShownOutput,
  type VegaView,
} from "../chart_page.ts";

/** The MIME type VSCode's Vega renderer draws as Vega-Lite. */
const VEGA_LITE = "application/vnd.vegalite.v5+json";

const results = new Map<string, { result: Result; node: HTMLElement }>();

function firstLine(text: unknown): string {
  return (Array.isArray(text) ? text.join("") : String(text ?? "")).split("\n")[0];
}

/** The `embed_options` VSCode reads from an output's metadata under the chart's MIME type. */
function embedOptions(output: OutputData): EmbedOptions {
  const own = output.metadata?.[VEGA_LITE] as { embed_options?: EmbedOptions } | undefined;
  return { ...own?.embed_options };
}

/** Draws one spec as the renderer's `renderOutputItem` does, into `element`. */
async function render(element: HTMLElement, spec: VisualizationSpec, options: EmbedOptions) {
  const loader = vega.loader({ http: { credentials: "same-origin" } });
  // VSCode's renderer draws into a new element: its output element has a fixed width.
  const ele = document.createElement("div");
  element.appendChild(ele);
  return await embed(ele, spec, {
    actions: { export: true, compiled: false, editor: false, source: false },
    defaultStyle: true,
    ...options,
    mode: "vega-lite",
    loader,
  });
}

/** Draws a notebook's Vega-Lite outputs under a heading, as VSCode would; returns them in order. */
async function showNotebook(name: string, outputs: OutputData[]): Promise<ShownOutput[]> {
  const host = document.createElement("section");
  const heading = document.createElement("h2");
  heading.textContent = name;
  host.dataset.title = name;
  host.append(heading);
  document.body.append(host);
  const shown: ShownOutput[] = [];
  for (const [i, output] of outputs.entries()) {
    const spec = output.data?.[VEGA_LITE] as VisualizationSpec | undefined;
    if (spec === undefined) continue;
    const key = `${name}:${i}`;
    const node = document.createElement("div");
    node.className = "output";
    node.dataset.key = key;
    host.append(node);
    results.set(key, { result: await render(node, spec, embedOptions(output)), node });
    shown.push({ key, text: firstLine(output.data?.["text/plain"]) });
  }
  return shown;
}

function drawnChart(key: string) {
  const found = results.get(key);
  return found && { view: found.result.view as unknown as VegaView, node: found.node };
}

const page: ChartPage = { ...chartPage(drawnChart), showNotebook };
Object.assign(globalThis, { testPage: page });
