/**
 * Pictures without tfjs: charts, digits, the model diagram, tables, what the network learned
 * (weights, training curves, projections, calibration), and SVG to PNG.
 *
 * @module
 */
export * from "./axes.ts";
export * from "./calibration.ts";
export * from "./charts.ts";
export * from "./confusion_explorer.ts";
export * from "./digits.ts";
export * from "./dot_plot.ts";
export * from "./dropout_curves.ts";
export * from "./epoch_explorer.ts";
export * from "./learning.ts";
export * from "./learning_rates.ts";
export * from "./loss_slice.ts";
export * from "./model_diagram.ts";
export * from "./pixels.ts";
export * from "./png.ts";
export * from "./projection.ts";
export * from "./projection_explorer.ts";
export * from "./raster.ts";
export * from "./render.ts";
export * from "./robustness_explorer.ts";
export * from "./tables.ts";
export * from "./weights.ts";
