/// <reference lib="dom" />
/**
 * The test page of tests/notebooks/jupyterlab_test.ts: notebook outputs rendered by JupyterLab's
 * own packages, as JupyterLab 4 sets them up. A registry with rendermime's standard factories and
 * the Vega 5 extension's factory at the extension's rank picks each output's MIME type and creates
 * its renderer; the live replay goes through outputarea's own OutputArea. The test drives the page
 * through {@linkcode JupyterLabPage} on `globalThis.testPage`.
 *
 * @module
 */
import { OutputArea, OutputAreaModel } from "@jupyterlab/outputarea";
import {
  type IRenderMime,
  OutputModel,
  RenderMimeRegistry,
  standardRendererFactories,
} from "@jupyterlab/rendermime";
import * as vega5 from "@jupyterlab/vega5-extension";
import { type Panel, Widget } from "@lumino/widgets";
import { type ChartPage, chartPage, type OutputData, type VegaView } from "../chart_page.ts";

/** One iopub message of a cell, as captured from the kernel. */
export interface Message {
  msg_type: string;
  content: Record<string, unknown>;
}

/** What the page did with one output (every output of a notebook, drawn or not). */
export interface Shown {
  /** The key that names its renderer in {@linkcode ChartPage.marks} and `drawn`. */
  key: string;
  /** The output's MIME types. */
  types: string[];
  /** The registry's choice for an untrusted notebook (`'ensure'`: safe factories only). */
  untrusted?: string;
  /** The registry's choice for a trusted one (`'any'`). */
  trusted?: string;
  /** The class names of the renderer widget that shows it. */
  renderer: string;
  /** The first line of its `text/plain`, if any. */
  text: string;
}

/** The state of the live OutputArea after a replay. */
export interface Replayed {
  outputs: Shown[];
  /** The Vega-Lite spec of each output that has one, as the model holds it at the end. */
  specs: (Record<string, unknown> | undefined)[];
}

/** What the page offers the test: its charts as every chart page offers them, and more. */
export interface JupyterLabPage extends ChartPage {
  /** Renders a notebook's saved outputs (untrusted, as opened from disk) under a heading. */
  showNotebook(name: string, outputs: OutputData[]): Promise<Shown[]>;
  /** Feeds captured iopub messages to an OutputArea, as a running cell does, and waits. */
  replay(messages: Message[]): Promise<Replayed>;
}

/**
 * The registry of a JupyterLab notebook: rendermime's standard factories, then each mime
 * extension's factory at the extension's rank (JupyterLab's `createRendermimePlugin` in
 * packages/application/src/mimerenderers.ts calls `rendermime.addFactory(rendererFactory, rank)`).
 */
const rendermime = new RenderMimeRegistry({ initialFactories: standardRendererFactories });
// The package is ES modules without `"type": "module"`: Deno types it as CommonJS, esbuild bundles
// it as what it is, whose default export is the extension.
const extension = (vega5 as unknown as { default: IRenderMime.IExtension }).default;
if (typeof extension.rank !== "number") throw new Error("vega5-extension: no rank");
rendermime.addFactory(vega5.rendererFactory, extension.rank);

/** What vega-embed returns; `RenderedVega` keeps it as `_result`. */
interface EmbedResult {
  view: VegaView;
  spec: unknown;
}

const renderers = new Map<string, IRenderMime.IRenderer>();

function embedResult(key: string): EmbedResult | undefined {
  // The extension's RenderedVega keeps vega-embed's result in a private field.
  return (renderers.get(key) as unknown as { _result?: EmbedResult } | undefined)?._result;
}

function firstLine(text: unknown): string {
  return (Array.isArray(text) ? text.join("") : String(text ?? "")).split("\n")[0];
}

function describe(
  key: string,
  data: Record<string, unknown>,
  renderer: Widget | undefined,
): Shown {
  const bundle = data as Parameters<typeof rendermime.preferredMimeType>[0];
  return {
    key,
    types: Object.keys(data),
    untrusted: rendermime.preferredMimeType(bundle, "ensure"),
    trusted: rendermime.preferredMimeType(bundle, "any"),
    renderer: renderer?.node.className ?? "",
    text: firstLine(data["text/plain"]),
  };
}

function section(title: string): HTMLElement {
  const element = document.createElement("section");
  const heading = document.createElement("h2");
  heading.textContent = title;
  element.dataset.title = title;
  element.append(heading);
  document.body.append(element);
  return element;
}

/**
 * A saved notebook's outputs as JupyterLab's OutputArea shows an untrusted notebook's: the MIME
 * type `preferredMimeType(data, 'ensure')`, its factory's renderer, `renderModel` of an untrusted
 * OutputModel, one `jp-OutputArea-output` box per output.
 */
async function showNotebook(name: string, outputs: OutputData[]): Promise<Shown[]> {
  const host = section(name);
  host.classList.add("jp-OutputArea");
  const shown: Shown[] = [];
  for (const [i, output] of outputs.entries()) {
    if (!output.data) continue;
    const key = `${name}:${i}`;
    // A saved output as JupyterLab's notebook model holds it: nbformat's multi-line strings (lists
    // of lines, each with its "\n") joined into one string.
    const data = Object.fromEntries(
      Object.entries(output.data).map(([k, v]) => [k, Array.isArray(v) ? v.join("") : v]),
    );
    const value = { ...output, data } as ConstructorParameters<typeof OutputModel>[0]["value"];
    const model = new OutputModel({ value, trusted: false });
    const mime = rendermime.preferredMimeType(model.data, "ensure");
    if (mime === undefined) {
      shown.push(describe(key, output.data, undefined));
      continue;
    }
    const box = document.createElement("div");
    box.className = "jp-OutputArea-child";
    box.dataset.key = key;
    host.append(box);
    const renderer = rendermime.createRenderer(mime);
    renderer.addClass("jp-OutputArea-output");
    Widget.attach(renderer, box);
    renderers.set(key, renderer);
    await renderer.renderModel(model);
    shown.push(describe(key, output.data, renderer));
  }
  return shown;
}

/** The renderer inside an OutputArea child, found as `OutputArea._setOutput` finds it. */
function rendererOf(child: Widget): IRenderMime.IRenderer {
  const panel = child as Panel;
  const inner = panel.widgets ? panel.widgets.filter((w) => "renderModel" in w).pop() : child;
  return inner as IRenderMime.IRenderer;
}

function frame(): Promise<void> {
  return new Promise((resolve) => requestAnimationFrame(() => resolve()));
}

/**
 * Replays a cell's iopub messages into a fresh OutputArea the way a running cell delivers them:
 * the area's kernel future is a stand-in whose `onIOPub` (set by OutputArea) gets each message,
 * so OutputArea's own code adds `display_data` and maps its display id, and `update_display_data`
 * sets the outputs of that id in place (OutputArea's `_onIOPub` in
 * packages/outputarea/src/widget.ts). The model is trusted, as a cell run in the session is.
 * Resolves once every Vega-Lite output shows the spec its model holds, or after 30 s.
 */
async function replay(messages: Message[]): Promise<Replayed> {
  const host = section("live replay");
  const model = new OutputAreaModel({ trusted: true });
  const area = new OutputArea({ model, rendermime });
  Widget.attach(area, host);
  const future = {
    done: new Promise(() => {}),
    onIOPub: (_msg: unknown) => {},
    onReply: (_msg: unknown) => {},
    onStdin: (_msg: unknown) => {},
    dispose() {},
  };
  area.future = future as unknown as OutputArea["future"];
  for (const { msg_type, content } of messages) {
    future.onIOPub({ header: { msg_type }, content, parent_header: {}, metadata: {} });
    await frame();
  }
  const specOf = (i: number) => model.get(i).data[vega5.VEGALITE5_MIME_TYPE];
  const settled = () =>
    area.widgets.every((child, i) => {
      const spec = specOf(i);
      if (spec === undefined) return true;
      renderers.set(`live:${i}`, rendererOf(child));
      return JSON.stringify(embedResult(`live:${i}`)?.spec) === JSON.stringify(spec);
    });
  const end = performance.now() + 30_000;
  while (!settled() && performance.now() < end) await frame();
  const outputs = area.widgets.map((child, i) =>
    describe(`live:${i}`, model.get(i).data as Record<string, unknown>, rendererOf(child))
  );
  const specs = area.widgets.map((_, i) => specOf(i) as Record<string, unknown> | undefined);
  return { outputs, specs };
}

function drawnChart(key: string) {
  const result = embedResult(key);
  const node = renderers.get(key)?.node;
  return result && node ? { view: result.view, node } : undefined;
}

const page: JupyterLabPage = { ...chartPage(drawnChart), showNotebook, replay };
Object.assign(globalThis, { testPage: page });
