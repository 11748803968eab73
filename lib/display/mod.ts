/**
 * Showing a run: charts, figures, HTML and text in a notebook, and training progress in a notebook or a terminal.
 *
 * @module
 */
export * from "./chart.ts";
export * from "./progress_html.ts";
export * from "./progress_mirror.ts";
export * from "./progress_notebook.ts";
export * from "./progress_seeds.ts";
export * from "./progress_terminal.ts";
export * from "./show.ts";
