/// <reference lib="dom" />
/**
 * The live part of a draw-a-digit view, shared by the demo page and the notebook output: the
 * canvas with its pen, the 28×28 model input beside it, the prediction and the bar chart of the
 * class probabilities, updated once per frame as the person draws.
 *
 * @module
 */
import type { Fit } from "../preprocess.ts";
import { inkFromRgba, toModelInput } from "../preprocess.ts";
import { createBars } from "./bars.ts";
import type { Classifier } from "./model.ts";
import { attachPen } from "./pen.ts";
import { showInput } from "./preview.ts";

/** What a view is doing and showing (the demo page's is `globalThis.demo`). */
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

/** The elements of a draw-a-digit view. */
export interface DrawingElements {
  /** The canvas drawn on. */
  drawing: HTMLCanvasElement;
  /** The canvas that shows the model's input. */
  preview: HTMLCanvasElement;
  /** The pen width slider, in CSS pixels. */
  penWidth: HTMLInputElement;
  /** Where the pen width is written out. */
  penValue: HTMLElement;
  /** The button that clears the drawing. */
  clear: HTMLElement;
  /** Where the predicted class's name goes. */
  prediction: HTMLElement;
  /** Where "NN.N% sure" (or a hint) goes. */
  confidence: HTMLElement;
  /** The container of the bar chart's rows. */
  bars: HTMLElement;
}

/** A live view: its state, and the model it predicts with once loaded. */
export interface Drawing {
  /** The view's state, updated in place. */
  state: DemoState;
  /** Checks that `model` fits the view's input size and classes, then predicts with it. */
  useModel(model: Classifier): void;
}

/**
 * Makes `elements` live: the pen draws on the canvas, and after each change the input, the
 * prediction and the bars show the drawing as it is, with the model once {@linkcode
 * Drawing.useModel} gave one; `state` starts as the caller sets it.
 *
 * @example
 * ```ts ignore
 * // in a page (it needs a DOM), with elements found or built by the caller
 * const view = startDrawing(elements, { classNames: ["0", "1"], fit: MNIST_FIT }, state);
 * view.useModel(await loadClassifier("checkpoint/model.json"));
 * ```
 */
export function startDrawing(
  elements: DrawingElements,
  options: { classNames: readonly string[]; fit: Fit },
  state: DemoState,
): Drawing {
  const { drawing, preview, penWidth, penValue, prediction, confidence } = elements;
  const { classNames, fit } = options;
  // As many canvas pixels as the screen has, so strokes stay sharp on high-density screens (of
  // its width attribute while it is not laid out, as in a collapsed output).
  const density = Math.min(3, Math.max(1, globalThis.devicePixelRatio || 1));
  drawing.width = drawing.height = Math.round((drawing.clientWidth || drawing.width) * density);
  const context = drawing.getContext("2d", { willReadFrequently: true })!;
  const bars = createBars(elements.bars, classNames);
  let model: Classifier | undefined;
  let scheduled = false;

  function update() {
    scheduled = false;
    const version = state.drawn;
    const { width, height } = drawing;
    const ink = inkFromRgba(context.getImageData(0, 0, width, height).data, width, height);
    const input = toModelInput(ink, width, height, fit);
    showInput(preview, input, fit.size);
    const probabilities = model && input ? model.predict(input) : undefined;
    bars.update(probabilities);
    let best: number | undefined;
    if (probabilities) {
      best = 0;
      probabilities.forEach((p, i) => best = p > probabilities[best!] ? i : best);
    }
    prediction.textContent = best === undefined ? "–" : classNames[best];
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
  elements.clear.addEventListener("click", () => pen.clear());
  penWidth.addEventListener("input", () => penValue.textContent = penWidth.value);
  penValue.textContent = penWidth.value;

  return {
    state,
    useModel(loaded) {
      const pixels = fit.size ** 2;
      if (loaded.inputSize !== pixels || loaded.classes !== classNames.length) {
        throw new Error(
          `the model maps ${loaded.inputSize} pixels to ${loaded.classes} classes; this view ` +
            `expects ${pixels} pixels (${fit.size}×${fit.size}) and ${classNames.length} classes`,
        );
      }
      model = loaded;
      state.status = "ready";
      update();
    },
  };
}
