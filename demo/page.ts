/**
 * The demo's one HTML page: the drawing canvas with its Clear button and pen width, the 28×28
 * input the network sees, the prediction, the bar chart, and the message when there is no
 * checkpoint. Its config is embedded as JSON; its script is the bundle at /demo.js.
 *
 * @module
 */
import { CONFIG_ELEMENT_ID, type PageConfig, SCRIPT_PATH } from "./page_config.ts";

/** Side of the drawing canvas in pixels: 10 × 28. */
export const CANVAS_SIZE = 280;

/** The pen's default width in canvas pixels: about 2 of the 20 pixels a digit's height becomes. */
export const DEFAULT_PEN = 20;

/** The Content-Security-Policy the page is served with: its own origin only, no CDN. */
export const PAGE_CSP = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; " +
  "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'";

const escapeHtml = (text: string) => text.replace(/[&<>"'`]/g, (c) => `&#${c.charCodeAt(0)};`);

/** A message as HTML: escaped, with its `quoted commands` as code. */
const messageHtml = (text: string) =>
  text.split(/`([^`]*)`/)
    .map((part, i) => i % 2 ? `<code>${escapeHtml(part)}</code>` : escapeHtml(part))
    .join("");

const STYLE = `
  :root { color-scheme: light; --ink: #1f2328; --muted: #59636e; --accent: #0969da; }
  body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif;
    color: var(--ink); background: #f6f8fa; }
  main { max-width: 760px; margin: 0 auto; padding: 20px 24px 28px; }
  h1 { margin: 0 0 2px; font-size: 26px; }
  h2 { margin: 0 0 8px; font-size: 13px; font-weight: 600; text-transform: uppercase;
    letter-spacing: .04em; color: var(--muted); }
  .lead { margin: 0 0 16px; color: var(--muted); }
  .notice { margin: 0 0 16px; padding: 12px 14px; border: 1px solid #d4a72c;
    background: #fff8c5; border-radius: 6px; white-space: pre-line; }
  .stage { display: flex; flex-wrap: wrap; gap: 24px; align-items: flex-start; }
  #drawing { display: block; width: ${CANVAS_SIZE}px; height: ${CANVAS_SIZE}px; background: #fff;
    border: 1px solid #8c959f; border-radius: 6px; cursor: crosshair; touch-action: none; }
  .tools { display: flex; align-items: center; gap: 14px; margin-top: 10px; }
  button { font: inherit; padding: 5px 16px; border: 1px solid #8c959f; border-radius: 6px;
    background: #fff; cursor: pointer; }
  button:hover { background: #eef1f4; }
  label { color: var(--muted); display: flex; align-items: center; gap: 6px; }
  input[type=range] { width: 96px; }
  #input { display: block; width: 140px; height: 140px; image-rendering: pixelated;
    background: #000; border-radius: 4px; }
  .caption { margin: 8px 0 0; max-width: 140px; font-size: 12px; color: var(--muted); }
  .prediction { font-size: 88px; font-weight: 700; line-height: 1; min-width: 90px; }
  .prediction.long { font-size: 30px; line-height: 1.2; }
  .confidence { margin-top: 6px; color: var(--muted); }
  .bars { display: grid; gap: 4px; margin-top: 4px; max-width: 560px; }
  .bar-row { display: grid; grid-template-columns: 96px 1fr 52px; align-items: center; gap: 8px; }
  .bar-label { text-align: right; font-variant-numeric: tabular-nums; }
  .bar-track { height: 14px; background: #e6eaef; border-radius: 3px; overflow: hidden; }
  .bar-fill { display: block; height: 100%; width: 0; background: #8c959f; }
  .bar-row.best .bar-fill { background: var(--accent); }
  .bar-row.best .bar-label { font-weight: 700; }
  .bar-value { font-size: 13px; color: var(--muted); font-variant-numeric: tabular-nums; }
  section.chart { margin-top: 22px; }
  footer { margin-top: 22px; font-size: 12px; color: var(--muted); }
  code { font-size: 0.9em; }
`;

/**
 * The page's HTML for `config`; the message of `config.problem`, when set, is in the HTML
 * itself, so it shows even before (or without) the script.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { MNIST_FIT } from "./preprocess.ts";
 *
 * const html = pageHtml({
 *   checkpoint: "checkpoints/mlp_1",
 *   modelUrl: "checkpoint/model.json",
 *   datasetTitle: "MNIST",
 *   classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
 *   classSource: "the default",
 *   fit: MNIST_FIT,
 * });
 * assert.match(html, /<h1>Draw a digit<\/h1>/);
 * ```
 */
export function pageHtml(config: PageConfig): string {
  const digits = config.datasetTitle === "MNIST";
  const what = digits ? "a digit" : "a piece of clothing";
  const recipe = digits
    ? "scaled to fit 20×20 and centred by its centre of mass in 28×28, as the MNIST digits were"
    : "its longest side scaled to 28 and centred, as the Fashion-MNIST images were";
  const json = JSON.stringify(config).replace(/</g, "\\u003c");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Draw ${what} · MNIST MLP</title>
<link rel="icon" href="data:,">
<style>${STYLE}</style>
<script id="${CONFIG_ELEMENT_ID}" type="application/json">${json}</script>
<script type="module" src="${SCRIPT_PATH}"></script>
</head>
<body>
<main>
<h1>Draw ${what}</h1>
<p class="lead">The trained multilayer perceptron guesses what you draw, as you draw it.</p>
<p id="notice" class="notice" role="alert"${config.problem ? "" : " hidden"}>${
    messageHtml(config.problem ?? "")
  }</p>
<div class="stage">
  <section>
    <canvas id="drawing" width="${CANVAS_SIZE}" height="${CANVAS_SIZE}"
      aria-label="Drawing area: draw with the mouse, a pen or a finger"></canvas>
    <div class="tools">
      <button id="clear" type="button">Clear</button>
      <label>Pen <input id="pen" type="range" min="4" max="40" value="${DEFAULT_PEN}">
        <span id="pen-value">${DEFAULT_PEN}</span> px</label>
    </div>
  </section>
  <section>
    <h2>What the network sees</h2>
    <canvas id="input" width="${config.fit.size}" height="${config.fit.size}"
      aria-label="The drawing as the network's ${config.fit.size}×${config.fit.size} input"></canvas>
    <p class="caption">${config.fit.size}×${config.fit.size}: ${recipe}</p>
  </section>
  <section>
    <h2>Prediction</h2>
    <div id="prediction" class="prediction${digits ? "" : " long"}" aria-live="polite">–</div>
    <div id="confidence" class="confidence"></div>
  </section>
</div>
<section class="chart">
  <h2>Probabilities</h2>
  <div id="bars" class="bars"></div>
</section>
<footer>Checkpoint <code>${escapeHtml(config.checkpoint)}</code> · ${
    escapeHtml(config.datasetTitle)
  } classes (${escapeHtml(config.classSource)}) · <span id="status">${
    config.modelUrl ? "loading the model…" : "no model"
  }</span></footer>
</main>
</body>
</html>
`;
}
