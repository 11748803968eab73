/**
 * A notebook's "Run details": the machine-side facts of a run (backend, versions, settings, seed,
 * memory) in one small table at its end, out of the lesson's way.
 *
 * @module
 */
import type { Config } from "../config.ts";
import { type Cell, htmlTable } from "../pictures/tables.ts";
import { tf } from "../tf.ts";
import { showHtml } from "./show.ts";

/** Rows a notebook adds to its run details, e.g. `["Seeds", "42, 1042"]`. */
export type DetailRows = [string, Cell][];

const MIB = 2 ** 20;

/** "all" or the first N, for a limit. */
function limited(limit: number | undefined): string {
  return limit === undefined ? "all" : `the first ${limit.toLocaleString("en-US")}`;
}

/**
 * The rows of a run's details: the tfjs backend and versions, the data set, the settings, the seed,
 * then `extra`, then the tensors tfjs holds and the process's resident memory.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { STUDY_CONFIG } from "../config.ts";
 * import { tf } from "../tf.ts";
 *
 * await tf.setBackend("cpu");
 * const rows = runDetailRows(STUDY_CONFIG, "cpu", [["Seeds", "42, 1042"]]);
 * assert.deepEqual(rows[0], ["tfjs backend", "cpu"]);
 * assert.ok(rows.some(([name, value]) => name === "Seeds" && value === "42, 1042"));
 * ```
 */
export function runDetailRows(config: Config, backend: string, extra: DetailRows = []): DetailRows {
  const { numTensors, numBytes } = tf.memory();
  const optimizer = config.optimizer === "adam" ? "Adam" : "SGD";
  return [
    ["tfjs backend", backend],
    ["Versions", `Deno ${Deno.version.deno}, TensorFlow.js ${tf.version_core}`],
    [
      "Data",
      `${config.dataset}: ${limited(config.trainLimit)} training images, ` +
      `${limited(config.testLimit)} test images`,
    ],
    [
      "Settings",
      `${config.epochs} epochs, batches of ${config.batchSize}, hidden layers ` +
      `${config.hiddenUnits.join(" and ")}, dropout ${config.dropout}, ${optimizer} with ` +
      `η = ${config.learningRate}, noise std ${config.noiseStd}`,
    ],
    ["Seed", config.seed],
    ...extra,
    ["Tensors tfjs holds", `${numTensors} (${(numBytes / MIB).toFixed(1)} MiB)`],
    ["Resident memory of the kernel", `${(Deno.memoryUsage().rss / MIB).toFixed(0)} MiB`],
  ];
}

/**
 * Shows {@linkcode runDetailRows} as a two-column table headed "Run details".
 *
 * @example
 * ```ts
 * import { STUDY_CONFIG } from "../config.ts";
 * import { tf } from "../tf.ts";
 *
 * await tf.setBackend("cpu");
 * await showRunDetails(STUDY_CONFIG, "cpu"); // outside Jupyter: the table's text on stdout
 * ```
 */
export async function showRunDetails(
  config: Config,
  backend: string,
  extra: DetailRows = [],
): Promise<void> {
  await showHtml(htmlTable(["Run details", ""], runDetailRows(config, backend, extra)));
}
