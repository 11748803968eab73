/// <reference lib="dom" />
/**
 * The page's script (bundled by the demo server): the drawing canvas, its 28×28 model input,
 * the prediction and the bar chart of the class probabilities, updated as the person draws.
 *
 * The page's state is also on `globalThis.demo` ({@linkcode DemoState}), for the browser test
 * and the curious in the console.
 *
 * @module
 */
import { CONFIG_ELEMENT_ID, type PageConfig } from "../page_config.ts";
import { inkFromRgba, toModelInput } from "../preprocess.ts";
import { createBars } from "./bars.ts";
import { type Classifier, loadClassifier } from "./model.ts";
import { attachPen } from "./pen.ts";
import { showInput } from "./preview.ts";

/** What the page is doing and showing, on `globalThis.demo`. */
export interface DemoState {
  /** "loading" the model, "ready" to predict, "no-checkpoint", or "error" loading it. */
  status: "loading" | "ready" | "no-checkpoint" | "error";
  /** The message shown when there is no model. */
  message?: string;
  /** Changes made to the drawing so far (strokes' segments and clearings). */
  drawn: number;
  /** The change up to which the input, prediction and bars are shown. */
  shown: number;
  /** The model input of the drawing shown (size×size values in [0, 1]); absent when blank. */
  input?: number[];
  /** The probabilities shown, by class; absent when blank or without a model. */
  probabilities?: number[];
  /** The index of the predicted class; absent when blank or without a model. */
  predicted?: number;
}

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const config: PageConfig = JSON.parse($(CONFIG_ELEMENT_ID).textContent!);
const state: DemoState = {
  status: config.modelUrl ? "loading" : "no-checkpoint",
  drawn: 0,
  shown: 0,
};
(globalThis as unknown as { demo: DemoState }).demo = state;

const drawing = $<HTMLCanvasElement>("drawing");
// As many canvas pixels as the screen has, so strokes stay sharp on high-density screens.
const density = Math.min(3, Math.max(1, globalThis.devicePixelRatio || 1));
drawing.width = drawing.height = Math.round(drawing.clientWidth * density);
const context = drawing.getContext("2d", { willReadFrequently: true })!;
const preview = $<HTMLCanvasElement>("input");
const penWidth = $<HTMLInputElement>("pen");
const prediction = $("prediction");
const confidence = $("confidence");
const bars = createBars($("bars"), config.classNames);
let model: Classifier | undefined;
let scheduled = false;

function notice(text: string) {
  const box = $("notice");
  box.textContent = text;
  box.hidden = false;
}

function update() {
  scheduled = false;
  const version = state.drawn;
  const { width, height } = drawing;
  const ink = inkFromRgba(context.getImageData(0, 0, width, height).data, width, height);
  const input = toModelInput(ink, width, height, config.fit);
  showInput(preview, input, config.fit.size);
  const probabilities = model && input ? model.predict(input) : undefined;
  bars.update(probabilities);
  let best: number | undefined;
  if (probabilities) {
    best = 0;
    probabilities.forEach((p, i) => best = p > probabilities[best!] ? i : best);
  }
  prediction.textContent = best === undefined ? "–" : config.classNames[best];
  confidence.textContent = best === undefined
    ? (model ? "draw in the box" : "")
    : `${(probabilities![best] * 100).toFixed(1)}% sure`;
  Object.assign(state, {
    shown: version,
    input: input && [...input],
    probabilities: probabilities && [...probabilities],
    predicted: best,
  });
}

function changed() {
  state.drawn++;
  if (!scheduled) {
    scheduled = true;
    requestAnimationFrame(update);
  }
}

const pen = attachPen(drawing, { width: () => Number(penWidth.value), onChange: changed });
$("clear").addEventListener("click", () => pen.clear());
const penValue = $("pen-value");
penWidth.addEventListener("input", () => penValue.textContent = penWidth.value);
penValue.textContent = penWidth.value;

if (config.problem) {
  state.message = config.problem; // the page shows it already
} else if (config.modelUrl) {
  loadClassifier(config.modelUrl).then((loaded) => {
    const pixels = config.fit.size ** 2;
    if (loaded.inputSize !== pixels || loaded.classes !== config.classNames.length) {
      throw new Error(
        `the model maps ${loaded.inputSize} pixels to ${loaded.classes} classes; this page ` +
          `expects ${pixels} pixels (${config.fit.size}×${config.fit.size}) and ` +
          `${config.classNames.length} classes`,
      );
    }
    model = loaded;
    state.status = "ready";
    $("status").textContent = "model loaded";
    update();
  }).catch((error: Error) => {
    state.status = "error";
    state.message = `Could not load ${config.checkpoint}: ${error.message}`;
    notice(state.message);
    $("status").textContent = "no model";
  });
}
