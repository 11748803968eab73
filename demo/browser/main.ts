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
import { type DemoState, startDrawing } from "./drawing.ts";
import { loadClassifier } from "./model.ts";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const config: PageConfig = JSON.parse($(CONFIG_ELEMENT_ID).textContent!);
const state: DemoState = {
  status: config.modelUrl ? "loading" : "no-checkpoint",
  drawn: 0,
  shown: 0,
};
(globalThis as unknown as { demo: DemoState }).demo = state;

const view = startDrawing(
  {
    drawing: $("drawing"),
    preview: $("input"),
    penWidth: $("pen"),
    penValue: $("pen-value"),
    clear: $("clear"),
    prediction: $("prediction"),
    confidence: $("confidence"),
    bars: $("bars"),
  },
  config,
  state,
);

function notice(text: string) {
  const box = $("notice");
  box.textContent = text;
  box.hidden = false;
}

if (config.problem) {
  state.message = config.problem; // the page shows it already
} else if (config.modelUrl) {
  loadClassifier(config.modelUrl).then((loaded) => {
    view.useModel(loaded);
    $("status").textContent = "model loaded";
  }).catch((error: Error) => {
    state.status = "error";
    state.message = `Could not load ${config.checkpoint}: ${error.message}`;
    notice(state.message);
    $("status").textContent = "no model";
  });
}
