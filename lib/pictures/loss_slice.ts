/**
 * The loss along the gradient's direction as a Vega-Lite chart: how far a step should go, and
 * where the steps of gradient descent and of Adam land.
 *
 * @module
 */
import { checkError, checkNumber, checkValues } from "../checks.ts";
import { logScale } from "./axes.ts";
import { type Chart, CHART_HEIGHT, CHART_WIDTH, MIN_FONT_SIZE, PRIMARY } from "./render.ts";

/** One step marked on {@linkcode lossSliceChart}. */
export interface MarkedStep {
  /** Its name in the legend, e.g. "η = 0.1". */
  name: string;
  /** Its length ‖ΔW‖ (> 0). */
  size: number;
  /** The loss where it lands. */
  loss: number;
  /** Whether it moves along −g (on the curve) or in another direction (off it). */
  alongGradient: boolean;
}

/** Input of {@linkcode lossSliceChart}. */
export interface LossSliceInput {
  /** Step lengths s along −g/‖g‖ (> 0), increasing. */
  sizes: number[];
  /** The loss at each of them. */
  losses: number[];
  /** The loss before any step, drawn as a dashed level. */
  start: number;
  /** Steps to mark. */
  steps: MarkedStep[];
  /** Title above the chart. */
  title: string;
}

/**
 * Draws the loss against the step length s (log scale) along −g/‖g‖, a dashed level at the loss
 * before the step, and a point for each marked step, named in the legend: circles on the curve for
 * steps along the gradient, a square for a step in another direction (Adam's).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { renderSvg } from "./render.ts";
 *
 * const svg = await renderSvg(lossSliceChart({
 *   sizes: [0.01, 0.1, 1], losses: [2.3, 2.2, 2.5], start: 2.31,
 *   steps: [{ name: "η = 0.1", size: 0.1, loss: 2.2, alongGradient: true }],
 *   title: "Loss along the gradient",
 * }));
 * assert.ok(svg.includes("η = 0.1"));
 * ```
 */
export function lossSliceChart(input: LossSliceInput): Chart {
  const fn = "lossSliceChart";
  const { sizes, losses, steps } = input;
  checkValues(`${fn}: sizes`, sizes, { above: 0 });
  checkValues(`${fn}: losses`, losses, {});
  checkNumber(`${fn}: start`, input.start);
  if (sizes.length < 2 || losses.length !== sizes.length) {
    const got = `${sizes.length} sizes and ${losses.length} losses`;
    throw checkError(`${fn}: sizes, losses`, "at least two sizes, one loss each", got);
  }
  if (sizes.some((s, i) => i > 0 && s <= sizes[i - 1])) {
    throw checkError(`${fn}: sizes`, "increasing step lengths", `[${sizes.join(", ")}]`);
  }
  steps.forEach((step, i) => {
    checkNumber(`${fn}: steps[${i}].size`, step.size, { above: 0 });
    checkNumber(`${fn}: steps[${i}].loss`, step.loss);
  });
  const x = {
    field: "size",
    type: "quantitative",
    title: "Step length s along −g/‖g‖ (log scale)",
    ...logScale([...sizes, ...steps.map((s) => s.size)], "~g"),
  } as const;
  const y = { field: "loss", type: "quantitative", title: "Loss on the batch" } as const;
  const marked = steps.map((s) => ({
    ...s,
    kind: s.alongGradient ? "along −g" : "Adam's direction",
  }));
  const shape = {
    field: "kind",
    type: "nominal",
    scale: { domain: ["along −g", "Adam's direction"], range: ["circle", "square"] },
    legend: { title: "step" },
  } as const;
  return {
    title: input.title,
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    layer: [
      {
        data: { values: sizes.map((size, i) => ({ size, loss: losses[i] })) },
        mark: { type: "line", color: PRIMARY, strokeWidth: 2 },
        encoding: { x, y: { ...y, scale: { zero: false } } },
      },
      {
        data: { values: [{ loss: input.start, label: "loss before the step" }] },
        mark: { type: "rule", color: "#888", strokeDash: [5, 4] },
        encoding: { y },
      },
      {
        data: { values: [{ loss: input.start, label: "before the step" }] },
        mark: { type: "text", align: "left", dy: -7, x: 4, fontSize: MIN_FONT_SIZE, color: "#666" },
        encoding: { y, text: { field: "label" } },
      },
      {
        data: { values: marked },
        mark: {
          type: "point",
          filled: true,
          size: 100,
          opacity: 1,
          stroke: "#222",
          strokeWidth: 1,
        },
        encoding: {
          x,
          y,
          shape,
          color: {
            field: "name",
            type: "nominal",
            sort: steps.map((s) => s.name),
            legend: { title: "where a step lands", labelLimit: 0 },
          },
          tooltip: [{ field: "name" }, { ...x, format: ".3g" }, { ...y, format: ".4f" }],
        },
      },
    ],
    // deno-lint-ignore no-explicit-any
  } as any;
}
