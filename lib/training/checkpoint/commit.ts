/**
 * How a save commits a checkpoint folder, and how a load reads it under the same lock. A save
 * writes the new weights file beside the old one, then model.json through a temporary file and
 * one rename: that rename is the commit. The superseded weights file is removed after it. Every
 * file is fsynced before its rename, and the folder after each rename. So at every moment the
 * folder holds the whole previous checkpoint or the whole new one. Both first remove what a
 * crashed save left (see {@linkcode removeStale}).
 *
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";
import { syncFolder, tempFileTarget, writeFileAtomic, type WriteStep } from "../../atomic_write.ts";
import { checkError } from "../../checks.ts";
import { isSystemError, messageOf, pathKind, removeIfPresent } from "./files.ts";
import {
  type CheckpointFiles,
  encodeCheckpoint,
  MODEL_FILE,
  OLD_WEIGHTS_FILE,
  readCheckpointFiles,
  referencedFiles,
  type SavedModel,
  WEIGHTS_FILE,
} from "./format.ts";
import { withFolderLock } from "./lock.ts";
import { recoverOldScheme } from "./old_scheme.ts";

/** The moments of a save, in order (the kill test stops a process at each). */
export type SaveStep =
  | "locked"
  | "cleaned"
  | `weights:${WriteStep}`
  | `model:${WriteStep}`
  | "removed";

const WRITE_STEPS: readonly WriteStep[] = [
  "opened",
  "half",
  "written",
  "synced",
  "renamed",
  "done",
];

/** Every {@linkcode SaveStep}, in the order a save passes them. */
export const SAVE_STEPS: readonly SaveStep[] = [
  "locked",
  "cleaned",
  ...WRITE_STEPS.map((s) => `weights:${s}` as const),
  ...WRITE_STEPS.map((s) => `model:${s}` as const),
  "removed",
];

/** What a save takes besides the model; not part of the public `saveCheckpoint`. */
export interface SaveInternals {
  /** Merged into model.json's `userDefinedMetadata` (train's resume state, under `training`). */
  metadata?: Record<string, object>;
  /** Awaited at each step of the save; for tests that stop the process at a chosen moment. */
  onStep?: (step: SaveStep) => void | Promise<void>;
}

/**
 * Removes what a crashed save left in `dir` (the caller holds its lock): temporary files, and the
 * weights files that model.json does not name: content-named ones (all of them where there is no
 * model.json yet), and a superseded `weights.bin` of the earlier scheme. Where model.json cannot
 * be read it removes no weights file; it never removes other files.
 */
async function removeStale(dir: string, referenced: Set<string> | "none" | undefined) {
  for await (const entry of Deno.readDir(dir)) {
    if (!entry.isFile) continue;
    const unreferenced = referenced === "none" ||
      (referenced !== undefined && !referenced.has(entry.name));
    const stale = tempFileTarget(entry.name) !== undefined ||
      (WEIGHTS_FILE.test(entry.name) && unreferenced) ||
      (entry.name === OLD_WEIGHTS_FILE && referenced instanceof Set && unreferenced);
    if (stale) await removeIfPresent(join(dir, entry.name));
  }
}

/**
 * Makes sure `dir` is a folder, creating it (and its parents) where missing, after cleaning up
 * beside it after crashed saves of the earlier scheme (see `recoverOldScheme`).
 */
async function prepareFolder(dir: string): Promise<void> {
  const kind = await pathKind(dir);
  if (kind === "file") {
    throw checkError(
      `saveCheckpoint: ${dir}`,
      "a folder, or a path that does not exist yet",
      "a file",
    );
  }
  const parent = dirname(resolve(dir));
  if (kind === "missing") {
    try {
      await Deno.mkdir(parent, { recursive: true });
    } catch (error) {
      throw checkError(
        `saveCheckpoint: ${dir}`,
        "a path whose existing parts are folders",
        `one where the folder ${parent} cannot be created (${messageOf(error)})`,
      );
    }
  }
  await recoverOldScheme(dir, "save");
  if (kind === "folder") return;
  await withFolderLock(parent, async () => {
    if ((await pathKind(dir)) !== "missing") return;
    await Deno.mkdir(dir);
    await syncFolder(parent);
  });
}

/**
 * Writes `model` to `dir` as a checkpoint and commits it (see the module's description); refuses,
 * before writing anything, weights holding NaN or ±Infinity.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const weightSpecs = [{ name: "dense/bias", shape: [2], dtype: "float32" as const }];
 * const weights = new Uint8Array(new Float32Array([0.5, -1]).buffer);
 * const steps: string[] = [];
 * await writeCheckpoint(`${dir}/mlp_1`, { modelTopology: {}, weightSpecs, weights }, {
 *   onStep: (step) => void steps.push(step),
 * });
 * assert.deepEqual(steps, SAVE_STEPS);
 * assert.equal((await readCheckpoint(`${dir}/mlp_1`)).weightData.byteLength, 8);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeCheckpoint(
  dir: string,
  model: SavedModel,
  internals: SaveInternals = {},
): Promise<void> {
  const step = internals.onStep ?? (() => {});
  const { weightsName, weights, modelJson } = await encodeCheckpoint(
    dir,
    model,
    internals.metadata,
  );
  try {
    await prepareFolder(dir);
    await withFolderLock(dir, async (locked) => {
      await step("locked");
      const previous = await referencedFiles(dir);
      // Without a lock another save may be running here: leave what may be its files.
      if (locked) await removeStale(dir, previous);
      await step("cleaned");
      await writeFileAtomic(join(dir, weightsName), weights, {
        onStep: (s) => step(`weights:${s}`),
      });
      await writeFileAtomic(join(dir, MODEL_FILE), modelJson, {
        onStep: (s) => step(`model:${s}`),
      });
      for (const name of previous instanceof Set ? previous : []) {
        if (name !== weightsName) await removeIfPresent(join(dir, name));
      }
      await step("removed");
    });
  } catch (error) {
    if (isSystemError(error)) {
      throw new Error(
        checkError(`saveCheckpoint ${dir}`, "a folder it can write to", messageOf(error)).message,
        { cause: error },
      );
    }
    if (messageOf(error).includes(dir)) throw error;
    throw new Error(`saveCheckpoint ${dir}: ${messageOf(error)}`, { cause: error });
  }
}

/**
 * Reads the checkpoint in `dir` under its lock, after recovering what crashed saves left (see
 * `recoverOldScheme`) and removing stale files where the folder is writable; throws an Error
 * naming the path and what was expected, and for a missing folder what saves it (`madeBy`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * await assert.rejects(readCheckpoint("/nonexistent/ckpt"), {
 *   message: "loadCheckpoint: /nonexistent/ckpt: expected a checkpoint folder, got none (not found)",
 * });
 * ```
 */
export async function readCheckpoint(dir: string, madeBy?: string): Promise<CheckpointFiles> {
  try {
    await recoverOldScheme(dir, "load");
    const kind = await pathKind(dir);
    if (kind === "missing") {
      const expected = madeBy === undefined
        ? "a checkpoint folder"
        : `a checkpoint folder, which ${madeBy} saves: run that first (or deno task reproduce)`;
      throw checkError(`loadCheckpoint: ${dir}`, expected, "none (not found)");
    }
    if (kind === "file") {
      const hint = basename(dir) === MODEL_FILE ? `; pass its folder ${dirname(dir)}` : "";
      throw checkError(
        `loadCheckpoint: ${dir}`,
        `a checkpoint folder holding ${MODEL_FILE}`,
        `a file${hint}`,
      );
    }
    return await withFolderLock(dir, async (locked) => {
      if (locked) await removeStale(dir, await referencedFiles(dir)).catch(() => {});
      return await readCheckpointFiles(dir, true);
    });
  } catch (error) {
    if (!isSystemError(error)) throw error;
    throw new Error(
      checkError(`loadCheckpoint: ${dir}`, "a folder it can read", messageOf(error)).message,
      { cause: error },
    );
  }
}
