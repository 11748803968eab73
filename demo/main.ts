/**
 * `deno task demo`: draw a digit in the browser and watch the trained network guess it.
 *
 * Bundles the page's script, serves the page and the checkpoint on 127.0.0.1, prints the URL;
 * Ctrl+C stops it. Options:
 *
 * - `--checkpoint DIR`: the checkpoint folder (default: checkpoints/mlp_1, notebook 05's best);
 * - `--dataset mnist|fashion-mnist`: its class names and preprocessing, when neither its
 *   model.json's metadata nor `MLP_DATASET` says (see demo/classes.ts);
 * - `--port N`: the port (default 8028 where free, else any free port; 0: any free port).
 *
 * @module
 */
import { isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { loadConfig } from "../lib/config.ts";
import { bundleScript } from "./bundle.ts";
import { type CheckpointState, inspectCheckpoint } from "./checkpoint.ts";
import { isDatasetName } from "./classes.ts";
import type { PageConfig } from "./page_config.ts";
import { pageConfig, startDemoServer } from "./server.ts";

/** The repository's root folder. */
const ROOT = fileURLToPath(new URL("../", import.meta.url));

/** The checkpoint the demo serves by default, relative to the repository's root. */
export const DEFAULT_CHECKPOINT = "checkpoints/mlp_1";

const USAGE = `usage: deno task demo [--checkpoint DIR] [--dataset mnist|fashion-mnist] [--port N]

Serves a page on 127.0.0.1 to draw a digit on and see the model's guess.
  --checkpoint DIR  checkpoint folder (default ${DEFAULT_CHECKPOINT}, saved by notebook 05)
  --dataset NAME    class names of the checkpoint: mnist or fashion-mnist (default: what its
                    model.json's metadata says, else MLP_DATASET, else mnist)
  --port N          port (default 8028 where free, else any free one; 0: any free one)`;

function fail(message: string): never {
  console.error(`${message}\n\n${USAGE}`);
  Deno.exit(2);
}

function describe(state: CheckpointState, config: PageConfig, url: string): string {
  if (!state.ready) {
    return `\n${config.problem}\n\nThe page at ${url} says the same; reload it once the ` +
      "checkpoint is there.\n";
  }
  return `\nCheckpoint ${config.checkpoint}: ${config.datasetTitle} classes ` +
    `(${config.classSource}).\n`;
}

/** Runs the demo from the command line `args`; resolves once the server listens. */
export async function main(args: string[]): Promise<void> {
  let flags;
  try {
    flags = parseArgs({
      args,
      options: {
        checkpoint: { type: "string" },
        dataset: { type: "string" },
        port: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (error) {
    fail((error as Error).message);
  }
  if (flags.help) {
    console.log(USAGE);
    return;
  }
  const dataset = flags.dataset === undefined
    ? undefined
    : isDatasetName(flags.dataset)
    ? flags.dataset
    : fail(`--dataset ${flags.dataset}: expected mnist or fashion-mnist`);
  const port = flags.port === undefined ? undefined : Number(flags.port);
  if (port !== undefined && !(/^\d+$/.test(flags.port!) && port <= 65535)) {
    fail(`--port ${flags.port}: expected a port number 0–65535`);
  }
  // `deno task` runs in the repository's root; a folder given on the command line is relative
  // to where the person typed it.
  const here = Deno.env.get("INIT_CWD") ?? Deno.cwd();
  const checkpoint = flags.checkpoint === undefined
    ? resolve(ROOT, DEFAULT_CHECKPOINT)
    : resolve(here, flags.checkpoint);
  const shown = relative(ROOT, checkpoint);
  const label = shown.startsWith("..") || isAbsolute(shown) ? checkpoint : shown;
  const env = Deno.env.get("MLP_DATASET") ? loadConfig().dataset : undefined;

  const options = {
    checkpoint,
    checkpointLabel: label,
    script: await bundleScript(),
    port,
    dataset,
    envDataset: env,
  };
  const state = await inspectCheckpoint(checkpoint);
  let last = JSON.stringify(state);
  let url = "";
  const server = startDemoServer({
    ...options,
    onPage(state, config) {
      if (JSON.stringify(state) === last) return;
      last = JSON.stringify(state);
      console.log(describe(state, config, url));
    },
  });
  url = server.url;
  console.log(
    `\nDraw a digit: the demo is serving at\n\n    ${url}\n` +
      `${describe(state, pageConfig(state, options), url)}\nCtrl+C stops it.\n`,
  );
  const stop = async () => {
    await server.shutdown();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
}

if (import.meta.main) {
  try {
    await main(Deno.args);
  } catch (error) {
    console.error((error as Error).message);
    Deno.exit(1);
  }
}
