/// <reference lib="dom" />
/**
 * The notebook output's script (bundled as a classic script and inlined in the output's HTML by
 * demo/notebook_output.ts): it replaces its block's fallback picture with the live view of the
 * demo page (canvas, pen, 28×28 input, prediction, bars), predicting with the checkpoint whose
 * weights the output carries. It leaves `mount(id, config)` on `globalThis.drawDigitMount`; the
 * output calls it with its own id, so each of several outputs on a page finds its own block.
 *
 * Each block's state is on its element as `drawDigit` ({@linkcode LiveBlock}), for the tests.
 *
 * @module
 */
import {
  BLOCK_ATTRIBUTE,
  FALLBACK_ATTRIBUTE,
  MOUNT_GLOBAL,
  type NotebookConfig,
} from "../notebook_config.ts";
import { CANVAS_SIZE, DEFAULT_PEN } from "../page.ts";
import { type DemoState, startDrawing } from "./drawing.ts";
import { loadClassifier } from "./model.ts";

/** An output's block once its script made it live. */
export interface LiveBlock extends HTMLElement {
  /** The view's state. */
  drawDigit: DemoState;
}

const STYLE = `
  .draw-digit { color: #1f2328; background: #fff; font: 13px/1.4 system-ui, sans-serif;
    padding: 4px 0; }
  .draw-digit .dd-stage { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
  .draw-digit h3 { margin: 0 0 6px; font-size: 11px; font-weight: 600; letter-spacing: .04em;
    text-transform: uppercase; color: #59636e; }
  .draw-digit .dd-drawing { display: block; box-sizing: content-box; width: ${CANVAS_SIZE}px;
    height: ${CANVAS_SIZE}px; max-width: none; background: #fff; border: 1px solid #8c959f;
    border-radius: 6px; cursor: crosshair; touch-action: none; }
  .draw-digit .dd-tools { display: flex; align-items: center; gap: 12px; margin-top: 8px; }
  .draw-digit button { font: inherit; padding: 3px 14px; border: 1px solid #8c959f;
    border-radius: 6px; background: #fff; color: inherit; cursor: pointer; }
  .draw-digit button:hover { background: #eef1f4; }
  .draw-digit label { display: flex; align-items: center; gap: 6px; color: #59636e; }
  .draw-digit input[type=range] { width: 90px; margin: 0; }
  .draw-digit .dd-input { display: block; width: 112px; height: 112px; max-width: none;
    image-rendering: pixelated; background: #000; border-radius: 4px; }
  .draw-digit .dd-prediction { margin-top: 14px; font-size: 56px; font-weight: 700;
    line-height: 1; }
  .draw-digit .dd-prediction.dd-long { font-size: 20px; line-height: 1.2; max-width: 140px; }
  .draw-digit .dd-confidence { margin-top: 4px; color: #59636e; }
  .draw-digit .dd-bars { display: grid; gap: 3px; width: 300px; }
  .draw-digit .bar-row { display: grid; grid-template-columns: 84px 1fr 46px; align-items: center;
    gap: 8px; }
  .draw-digit .dd-short .bar-row { grid-template-columns: 14px 1fr 46px; }
  .draw-digit .bar-label { text-align: right; font-variant-numeric: tabular-nums;
    white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
  .draw-digit .bar-track { height: 14px; background: #e6eaef; border-radius: 3px;
    overflow: hidden; }
  .draw-digit .bar-fill { display: block; height: 100%; width: 0; background: #8c959f; }
  .draw-digit .bar-row.best .bar-fill { background: #0969da; }
  .draw-digit .bar-row.best .bar-label { font-weight: 700; }
  .draw-digit .bar-value { font-size: 12px; color: #59636e; font-variant-numeric: tabular-nums; }
  .draw-digit .dd-status { margin: 8px 0 0; font-size: 12px; color: #59636e; }
  .draw-digit .dd-error { color: #cf222e; }
`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The live view's markup for `config` (no ids: several blocks may share a page). */
function viewHtml(config: NotebookConfig): string {
  const digits = config.datasetTitle === "MNIST";
  const { size } = config.fit;
  return `<style>${STYLE}</style>
<div class="dd-stage">
  <div>
    <canvas class="dd-drawing" width="${CANVAS_SIZE}" height="${CANVAS_SIZE}"
      aria-label="Drawing area: draw with the mouse, a pen or a finger"></canvas>
    <div class="dd-tools">
      <button class="dd-clear" type="button">Clear</button>
      <label>Pen <input class="dd-pen" type="range" min="4" max="40" value="${DEFAULT_PEN}">
        <span class="dd-pen-value">${DEFAULT_PEN}</span> px</label>
    </div>
  </div>
  <div>
    <h3>The network sees</h3>
    <canvas class="dd-input" width="${size}" height="${size}"
      aria-label="The drawing as the network's ${size}×${size} input"></canvas>
    <div class="dd-prediction${digits ? "" : " dd-long"}" aria-live="polite">–</div>
    <div class="dd-confidence"></div>
  </div>
  <div>
    <h3>Probabilities</h3>
    <div class="dd-bars${digits ? " dd-short" : ""}"></div>
  </div>
</div>
<p class="dd-status">Draw ${digits ? "a digit" : "a piece of clothing"} in the box · checkpoint
  <code>${escapeHtml(config.checkpoint)}</code> · <span class="dd-load">loading the model…</span>
</p>`;
}

/** The weights' bytes from base64. */
function decodeBase64(text: string): ArrayBuffer {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

/** Makes one block live: its fallback gives way to the view, which loads the model. */
function start(block: HTMLElement, config: NotebookConfig) {
  const state: DemoState = { status: "loading", drawn: 0, shown: 0 };
  (block as LiveBlock).drawDigit = state;
  block.querySelector(`[${FALLBACK_ATTRIBUTE}]`)?.remove();
  const view = document.createElement("div");
  view.innerHTML = viewHtml(config);
  block.append(view);
  const find = <T extends HTMLElement>(name: string) => view.querySelector(`.dd-${name}`) as T;
  const drawing = startDrawing(
    {
      drawing: find("drawing"),
      preview: find("input"),
      penWidth: find("pen"),
      penValue: find("pen-value"),
      clear: find("clear"),
      prediction: find("prediction"),
      confidence: find("confidence"),
      bars: find("bars"),
    },
    config,
    state,
  );
  const load = find("load");
  loadClassifier({
    modelTopology: config.modelTopology,
    weightSpecs: config.weightSpecs,
    weightData: decodeBase64(config.weights),
  }).then((model) => {
    drawing.useModel(model);
    load.textContent = "model loaded";
  }).catch((error: Error) => {
    state.status = "error";
    state.message = `Could not load ${config.checkpoint}: ${error.message}`;
    load.textContent = state.message;
    load.classList.add("dd-error");
  });
}

/** Makes live every block of output `id` on the page that is not live yet. */
function mount(id: string, config: NotebookConfig) {
  for (const block of document.querySelectorAll<HTMLElement>(`[${BLOCK_ATTRIBUTE}="${id}"]`)) {
    if (!(block as Partial<LiveBlock>).drawDigit) start(block, config);
  }
}

(globalThis as unknown as Record<string, typeof mount>)[MOUNT_GLOBAL] = mount;
