/**
 * Showing a run: charts, figures, HTML and text in a notebook, training progress in a notebook or a
 * terminal, and a run's details.
 *
 * @module
 */
export * from "./chart.ts";
export * from "./progress_html.ts";
export * from "./progress_mirror.ts";
export * from "./progress_notebook.ts";
export * from "./progress_seeds.ts";
export * from "./progress_terminal.ts";
export * from "./run_details.ts";
export * from "./show.ts";
