/**
 * What the demo serves from a checkpoint folder: its model.json and the weight files its
 * manifest names, found and checked on each request, so a checkpoint trained while the demo runs
 * shows on the next reload; and the message when there is none yet.
 *
 * @module
 */
import { join } from "node:path";
import { isInsideFolder, MODEL_FILE } from "../lib/training/checkpoint/format.ts";

/** The notebook that trains the model and saves checkpoints/mlp_1. */
export const TRAINING_NOTEBOOK = "notebooks/05_train.ipynb";

/** A checkpoint folder as the demo found it: ready to serve, or why not. */
export type CheckpointState =
  | {
    /** The folder holds model.json and every weight file its manifest names. */
    ready: true;
    /** The weight files' paths relative to the folder, as the manifest names them. */
    weightFiles: string[];
    /** model.json's `userDefinedMetadata`, when it has one. */
    metadata?: Record<string, unknown>;
  }
  | {
    /** There is no usable checkpoint. */
    ready: false;
    /** What is missing or wrong, naming the folder or file. */
    problem: string;
  };

/**
 * Whether `path` is a weight file name the demo serves: relative, inside the folder, made of
 * segments of letters, digits, `.`, `_` and `-` (not `.` or `..`), so its URL is its name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.ok(isServableName("weights-0123456789abcdef.bin"));
 * assert.ok(!isServableName("../deno.json"));
 * ```
 */
export function isServableName(path: unknown): path is string {
  return typeof path === "string" &&
    path.split("/").every((s) => /^[A-Za-z0-9._-]+$/.test(s) && s !== "." && s !== "..");
}

/**
 * Where a weight file named in the manifest lies on disk, if it is a regular file that stays
 * inside `dir` once links are followed; undefined otherwise.
 */
export async function weightFilePath(dir: string, name: string): Promise<string | undefined> {
  if (!isServableName(name)) return undefined;
  try {
    const root = await Deno.realPath(dir);
    const real = await Deno.realPath(join(dir, name));
    if (!isInsideFolder(root, real)) return undefined;
    return (await Deno.stat(real)).isFile ? real : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Looks at a checkpoint folder: ready when model.json is a tfjs layers model whose manifest names
 * weight files that are all there (see {@linkcode isServableName}), else the problem in words.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const state = await inspectCheckpoint(dir);
 * assert.deepEqual(state, { ready: false, problem: `the folder ${dir} holds no model.json` });
 * await Deno.remove(dir);
 * ```
 */
export async function inspectCheckpoint(dir: string): Promise<CheckpointState> {
  const model = join(dir, MODEL_FILE);
  try {
    if (!(await Deno.stat(dir)).isDirectory) {
      return { ready: false, problem: `${dir} is not a folder` };
    }
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { ready: false, problem: `there is no checkpoint folder ${dir}` };
    }
    return { ready: false, problem: `${dir}: ${(error as Error).message}` };
  }
  let json;
  try {
    json = JSON.parse(await Deno.readTextFile(model));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) {
      return { ready: false, problem: `the folder ${dir} holds no ${MODEL_FILE}` };
    }
    return { ready: false, problem: `${model}: ${(error as Error).message}` };
  }
  const manifest = json?.weightsManifest;
  if (
    typeof json?.modelTopology !== "object" || !Array.isArray(manifest) ||
    !manifest.every((group) => Array.isArray(group?.paths))
  ) {
    return {
      ready: false,
      problem: `${model} is not a tfjs layers model (expected modelTopology and weightsManifest)`,
    };
  }
  const names: unknown[] = manifest.flatMap((group: { paths: unknown[] }) => group.paths);
  const weightFiles: string[] = [];
  for (const name of names) {
    if (!isServableName(name)) {
      return { ready: false, problem: `${model} names the weight file ${JSON.stringify(name)}` };
    }
    if (!await weightFilePath(dir, name)) {
      return {
        ready: false,
        problem: `${join(dir, name)}, named in ${model}, is missing (or not a file in ${dir})`,
      };
    }
    weightFiles.push(name);
  }
  const metadata = json.userDefinedMetadata;
  return {
    ready: true,
    weightFiles,
    ...(typeof metadata === "object" && metadata !== null ? { metadata } : {}),
  };
}

/**
 * The message for a folder without a usable checkpoint: the problem, then which notebook makes
 * one and how to run it.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const message = noCheckpointMessage("there is no checkpoint folder checkpoints/mlp_1");
 * assert.match(message, /Notebook 05 \(notebooks\/05_train\.ipynb\) trains the model/);
 * ```
 */
export function noCheckpointMessage(problem: string): string {
  return `No checkpoint to load: ${problem}.\n` +
    `Notebook 05 (${TRAINING_NOTEBOOK}) trains the model and saves it to checkpoints/mlp_1: ` +
    "run `deno task reproduce`, or open the notebook with `deno task jupyter` and run it. " +
    "Then reload this page (or start the demo with `--checkpoint DIR` for another checkpoint).";
}
