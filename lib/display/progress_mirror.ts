/**
 * The training progress a notebook shows, copied into a file for `deno task reproduce`, which runs
 * the notebooks headless and shows that line in the terminal while a notebook runs.
 *
 * @module
 */
import { progressFile } from "../config.ts";

/**
 * Replaces the content of the file `path` (default: the one `MLP_PROGRESS_FILE` names; nothing
 * when unset) with `text`, through a temporary file and a rename, so that a reader never sees half
 * a line. A file that cannot be written is skipped: the mirror must never stop a training run.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const path = await Deno.makeTempFile();
 * mirrorProgress("Epoch 3/10 · step 40/375", path);
 * assert.equal(await Deno.readTextFile(path), "Epoch 3/10 · step 40/375");
 * mirrorProgress("never written", "/no/such/folder/progress.txt"); // skipped, no error
 * await Deno.remove(path);
 * ```
 */
export function mirrorProgress(text: string, path: string | undefined = progressFile()): void {
  if (path === undefined) return;
  try {
    Deno.writeTextFileSync(`${path}.part`, text);
    Deno.renameSync(`${path}.part`, path);
  } catch {
    // The terminal's progress line is a convenience; the notebook goes on without it.
  }
}
