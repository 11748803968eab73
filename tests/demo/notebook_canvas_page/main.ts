/// <reference lib="dom" />
/**
 * The test page of tests/demo/notebook_canvas_test.ts: notebook outputs rendered by JupyterLab's
 * own `@jupyterlab/rendermime`, with its standard factories, as a notebook's output area renders
 * them: trusted (an output made in the session: its HTML's scripts run) or untrusted (a notebook
 * opened from disk: its HTML sanitized). The test drives the page through {@linkcode CanvasPage}
 * on `globalThis.notebookCanvas`.
 *
 * @module
 */
import { OutputModel, RenderMimeRegistry, standardRendererFactories } from "@jupyterlab/rendermime";
import { Widget } from "@lumino/widgets";

/** What the page did with one output. */
export interface Rendered {
  /** The MIME type the registry picked. */
  mime: string;
  /** The class names of the renderer widget that shows it. */
  renderer: string;
}

/** What the page offers the test. */
export interface CanvasPage {
  /** Renders one `display_data` output in a box of its own, marked `data-key="<key>"`. */
  render(
    key: string,
    data: Record<string, string>,
    metadata: Record<string, unknown>,
    trusted: boolean,
  ): Promise<Rendered>;
}

const rendermime = new RenderMimeRegistry({ initialFactories: standardRendererFactories });

async function render(
  key: string,
  data: Record<string, string>,
  metadata: Record<string, unknown>,
  trusted: boolean,
): Promise<Rendered> {
  const value = { output_type: "display_data", data, metadata } as ConstructorParameters<
    typeof OutputModel
  >[0]["value"];
  const model = new OutputModel({ value, trusted });
  const mime = rendermime.preferredMimeType(model.data, trusted ? "any" : "ensure");
  if (mime === undefined) throw new Error(`no renderer for ${Object.keys(data)}`);
  const box = document.createElement("div");
  box.className = "jp-OutputArea-child";
  box.dataset.key = key;
  document.body.append(box);
  const renderer = rendermime.createRenderer(mime);
  renderer.addClass("jp-OutputArea-output");
  // As OutputArea's createRenderedMimetype does: rendering starts before the widget is attached
  // (so the HTML's scripts run once it is).
  const rendered = renderer.renderModel(model);
  Widget.attach(renderer, box);
  await rendered;
  return { mime, renderer: renderer.node.className };
}

const page: CanvasPage = { render };
Object.assign(globalThis, { notebookCanvas: page });
