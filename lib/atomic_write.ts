/**
 * Writing a file so that a crash at any moment leaves either its old content or its new content,
 * never a mix or a torn file: the data goes to a temporary file in the same folder, which is
 * fsynced and then renamed over the target (one atomic rename), and the folder is fsynced so the
 * rename itself is on disk. Used by the checkpoints (lib/training/) and the results file.
 *
 * Temporary files are named `.<name>.<pid>-<random>.tmp` beside their target; a crash can leave
 * one behind, and {@linkcode tempFileTarget} tells such a name from any other.
 *
 * @module
 */
import { basename, dirname, join } from "node:path";

/** The moments of {@linkcode writeFileAtomic}, in order. */
export type WriteStep =
  /** The temporary file exists, empty. */
  | "opened"
  /** Half of the data is written (only with an `onStep` callback: the write is split there). */
  | "half"
  /** All of the data is written, not yet fsynced. */
  | "written"
  /** The temporary file is fsynced and closed, not yet renamed. */
  | "synced"
  /** The target has the new content; the folder is not yet fsynced. */
  | "renamed"
  /** The folder is fsynced: the new content is durable. */
  | "done";

/** Options of {@linkcode writeFileAtomic}. */
export interface AtomicWriteOptions {
  /**
   * Called at each {@linkcode WriteStep}, awaited before the write goes on. For tests that stop a
   * process at a chosen moment; the library itself passes it only through from its own tests.
   */
  onStep?: (step: WriteStep) => void | Promise<void>;
}

const TEMP_NAME = /^\.(.+)\.\d+-[0-9a-z]+\.tmp$/;

/**
 * The name of the file that a temporary file of {@linkcode writeFileAtomic} was to replace, or
 * undefined when `name` is not such a temporary file's name.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(tempFileTarget(".model.json.4711-k3x9q2.tmp"), "model.json");
 * assert.equal(tempFileTarget("model.json"), undefined);
 * ```
 */
export function tempFileTarget(name: string): string | undefined {
  return TEMP_NAME.exec(name)?.[1];
}

function tempPathFor(path: string): string {
  const random = crypto.getRandomValues(new Uint32Array(1))[0].toString(36);
  return join(dirname(path), `.${basename(path)}.${Deno.pid}-${random}.tmp`);
}

/** Whether an fsync error says that this file system does not sync folders at all. */
function cannotSyncFolders(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === "EINVAL" || code === "ENOTSUP" || code === "EOPNOTSUPP" || code === "ENOTTY";
}

/**
 * Fsyncs a folder, so that the names created, renamed or removed in it so far survive a power
 * loss. Where the file system refuses to fsync folders (EINVAL, ENOTSUP, ENOTTY), and on Windows
 * (where a folder cannot be opened), it does nothing.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/a.txt`, "a");
 * await syncFolder(dir); // the name a.txt is now on disk
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function syncFolder(dir: string): Promise<void> {
  if (Deno.build.os === "windows") return;
  using folder = await Deno.open(dir, { read: true });
  try {
    await folder.sync();
  } catch (error) {
    if (!cannotSyncFolders(error)) throw error;
  }
}

async function writeAll(file: Deno.FsFile, data: Uint8Array) {
  let written = 0;
  while (written < data.length) written += await file.write(data.subarray(written));
}

/**
 * Replaces the file at `path` with `data` atomically and durably (see the module's description);
 * the folder must exist. On an error the temporary file is removed and the old file is intact.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await writeFileAtomic(`${dir}/results.json`, '{ "a": 1 }\n');
 * await writeFileAtomic(`${dir}/results.json`, '{ "a": 2 }\n');
 * assert.equal(await Deno.readTextFile(`${dir}/results.json`), '{ "a": 2 }\n');
 * assert.deepEqual(await Array.fromAsync(Deno.readDir(dir), (e) => e.name), ["results.json"]);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array | string,
  options: AtomicWriteOptions = {},
): Promise<void> {
  const bytes = typeof data === "string" ? new TextEncoder().encode(data) : data;
  const step = options.onStep ?? (() => {});
  const tmp = tempPathFor(path);
  try {
    {
      using file = await Deno.open(tmp, { write: true, createNew: true });
      await step("opened");
      if (options.onStep) {
        const half = bytes.length >> 1;
        await writeAll(file, bytes.subarray(0, half));
        await step("half");
        await writeAll(file, bytes.subarray(half));
      } else {
        await writeAll(file, bytes);
      }
      await step("written");
      await file.sync();
    }
    await step("synced");
    await Deno.rename(tmp, path);
  } catch (error) {
    await Deno.remove(tmp).catch(() => {});
    throw error;
  }
  await step("renamed");
  await syncFolder(dirname(path));
  await step("done");
}
