/// <reference lib="dom" />
/**
 * The test page of tests/notebooks/jupyterlab_test.ts: notebook outputs rendered by JupyterLab's
 * own packages, as JupyterLab 4 sets them up. A registry with rendermime's standard factories and
 * the Vega 5 extension's factory at the extension's rank picks each output's MIME type and creates
 * its renderer; the live replay goes through outputarea's own OutputArea. The test drives the page
 * through {@linkcode JupyterLabPage} on `globalThis.jupyterLab`.
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

/** One saved or published output: what a notebook file or a kernel message carries. */
export interface OutputData {
  output_type: string;
  data?: Record<string, unknown>;
  metadata?: Record<string, unknown>;
}

/** One iopub message of a cell, as captured from the kernel. */
export interface Message {
  msg_type: string;
  content: Record<string, unknown>;
}

/** What the page did with one output. */
export interface Shown {
  /** The key that names its renderer in {@linkcode JupyterLabPage.marks} and `drawn`. */
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

/** A chart as vega drew it. */
export interface Drawn {
  /** Canvas or SVG elements inside the renderer: one per drawn chart. */
  surfaces: number;
  /** The drawn size of the first one, in CSS pixels. */
  width: number;
  height: number;
  /** Scene items of role "mark" (data marks, not axes or legends), by mark type. */
  marks: Record<string, number>;
}

/** A mark item of a drawn chart: where it is on screen, its data and its tooltip. */
export interface MarkItem {
  marktype: string;
  /** The item's box in viewport coordinates (CSS pixels). */
  left: number;
  top: number;
  width: number;
  height: number;
  datum: Record<string, unknown>;
  tooltip: unknown;
  /** Its opacity as drawn (undefined: the mark's default, 1). */
  opacity?: number;
}

/** The state of the live OutputArea after a replay. */
export interface Replayed {
  outputs: Shown[];
  /** The Vega-Lite spec of each output that has one, as the model holds it at the end. */
  specs: (Record<string, unknown> | undefined)[];
}

/** What the page offers the test. */
export interface JupyterLabPage {
  /** Renders a notebook's saved outputs (untrusted, as opened from disk) under a heading. */
  showNotebook(name: string, outputs: OutputData[]): Promise<Shown[]>;
  /** Feeds captured iopub messages to an OutputArea, as a running cell does, and waits. */
  replay(messages: Message[]): Promise<Replayed>;
  /** How vega drew the chart of `key`, or undefined when it did not. */
  drawn(key: string): Drawn | undefined;
  /** Scrolls the chart of `key` into view and lists its data mark items. */
  marks(key: string): MarkItem[];
  /** Scrolls the chart of `key` into view and lists its legends' symbols (datum.value: the entry). */
  legendSymbols(key: string): MarkItem[];
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

/** The parts of a vega View and its scenegraph that the page reads. */
interface VegaView {
  origin(): [number, number];
  padding(): { left: number; top: number };
  scenegraph(): { root: SceneMark };
}
interface SceneMark {
  marktype: string;
  role: string;
  items: SceneItem[];
}
interface SceneItem {
  x?: number;
  y?: number;
  bounds?: { x1: number; y1: number; x2: number; y2: number };
  datum?: Record<string, unknown>;
  tooltip?: unknown;
  opacity?: number;
  items?: SceneMark[];
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

function drawn(key: string): Drawn | undefined {
  const result = embedResult(key);
  const node = renderers.get(key)?.node;
  if (!result || !node) return undefined;
  const surfaces = [...node.querySelectorAll("canvas, svg.marks")];
  const box = surfaces[0]?.getBoundingClientRect();
  const marks: Record<string, number> = {};
  for (const item of markItems(result.view)) {
    marks[item.marktype] = (marks[item.marktype] ?? 0) + 1;
  }
  return { surfaces: surfaces.length, width: box?.width ?? 0, height: box?.height ?? 0, marks };
}

/** Every item of a data mark in the view's scenegraph, with its box relative to the view. */
function markItems(view: VegaView, role = "mark"): MarkItem[] {
  const found: MarkItem[] = [];
  const walk = (mark: SceneMark, dx: number, dy: number) => {
    for (const item of mark.items) {
      if (mark.marktype === "group") {
        for (const child of item.items ?? []) walk(child, dx + (item.x ?? 0), dy + (item.y ?? 0));
      } else if (mark.role === role) {
        const [x, y] = [item.x ?? 0, item.y ?? 0];
        const { x1, y1, x2, y2 } = item.bounds ?? { x1: x, y1: y, x2: x, y2: y };
        found.push({
          marktype: mark.marktype,
          left: dx + x1,
          top: dy + y1,
          width: x2 - x1,
          height: y2 - y1,
          datum: item.datum ?? {},
          tooltip: item.tooltip,
          opacity: item.opacity,
        });
      }
    }
  };
  // where the renderer puts the scene's origin (vega-view's `offset`: padding plus origin)
  const [ox, oy] = view.origin();
  const { left, top } = view.padding();
  walk(view.scenegraph().root, left + ox, top + oy);
  return found;
}

function marks(key: string, role = "mark"): MarkItem[] {
  const result = embedResult(key);
  const surface = renderers.get(key)?.node.querySelector("canvas, svg.marks");
  if (!result || !surface) return [];
  surface.scrollIntoView({ block: "center" });
  const { left, top } = surface.getBoundingClientRect();
  return markItems(result.view, role).map((item) => ({
    ...item,
    left: left + item.left,
    top: top + item.top,
  }));
}

const legendSymbols = (key: string) => marks(key, "legend-symbol");

const page: JupyterLabPage = {
  showNotebook,
  replay,
  drawn,
  marks: (key) => marks(key),
  legendSymbols,
};
Object.assign(globalThis, { jupyterLab: page });
