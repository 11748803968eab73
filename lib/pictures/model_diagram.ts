/**
 * A model's layer stack drawn as SVG: one box per layer, top to bottom, joined by arrows.
 *
 * @module
 */
import { checkError, checkInteger } from "../checks.ts";
import type { LayerSummary } from "../model/summary.ts";
import { renderSvg } from "./render.ts";

/** Options of {@linkcode modelDiagramSvg}. */
export interface ModelDiagramOptions {
  /** Title above the diagram (default "Model"); the subtitle gives the total parameters. */
  title?: string;
}

const WIDTH = 460;
const BOX = 52;
const GAP = 30;

/**
 * Draws the layer stack as boxes with name, type, output shape and parameter count.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * // rows as summarizeLayers(model) gives them
 * const svg = await modelDiagramSvg([
 *   { name: "dense", type: "Dense", outputShape: "[None, 256]", params: 200960 },
 *   { name: "output", type: "Dense", outputShape: "[None, 10]", params: 2570 },
 * ]);
 * assert.ok(svg.includes("Total params: 203,530"));
 * ```
 */
export function modelDiagramSvg(
  layers: LayerSummary[],
  opts: ModelDiagramOptions = {},
): Promise<string> {
  if (layers.length === 0) {
    throw checkError("modelDiagramSvg: layers", "at least one layer", "none");
  }
  layers.forEach((layer, i) =>
    checkInteger(`modelDiagramSvg: layers[${i}] ("${layer.name}").params`, layer.params, { min: 0 })
  );
  const count = (n: number) => n.toLocaleString("en-US");
  const boxes = layers.map((layer, i) => {
    const top = i * (BOX + GAP);
    return {
      type: layer.type,
      top,
      bottom: top + BOX,
      mid: top + BOX / 2,
      heading: `${layer.name} (${layer.type})`,
      detail: `output ${layer.outputShape} · ${count(layer.params)} params`,
    };
  });
  const arrows = boxes.slice(1).map((box) => ({ from: box.top - GAP, to: box.top - 4 }));
  const total = layers.reduce((sum, layer) => sum + layer.params, 0);
  const y = (field: string) => ({ field, type: "quantitative", scale: null }) as const;
  const category = { field: "type", type: "nominal", legend: null } as const;
  const middle = { value: WIDTH / 2 };
  return renderSvg({
    title: { text: opts.title ?? "Model", subtitle: `Total params: ${count(total)}` },
    width: WIDTH,
    height: layers.length * BOX + (layers.length - 1) * GAP,
    layer: [
      {
        data: { values: arrows },
        layer: [
          {
            mark: { type: "rule", color: "#666", strokeWidth: 1.5 },
            encoding: { x: middle, y: y("from"), y2: { field: "to" } },
          },
          {
            mark: { type: "point", shape: "triangle-down", filled: true, color: "#666", size: 70 },
            encoding: { x: middle, y: y("to") },
          },
        ],
      },
      {
        data: { values: boxes },
        layer: [
          {
            mark: { type: "rect", cornerRadius: 6, fillOpacity: 0.18, strokeWidth: 1.5 },
            encoding: {
              x: { value: 0 },
              x2: { value: WIDTH },
              y: y("top"),
              y2: { field: "bottom" },
              fill: category,
              stroke: category,
            },
          },
          {
            mark: { type: "text", fontSize: 14, fontWeight: "bold", dy: -8 },
            encoding: { x: middle, y: y("mid"), text: { field: "heading" } },
          },
          {
            mark: { type: "text", fontSize: 12, dy: 10, color: "#333" },
            encoding: { x: middle, y: y("mid"), text: { field: "detail" } },
          },
        ],
      },
    ],
  });
}
