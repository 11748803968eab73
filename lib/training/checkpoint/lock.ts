/**
 * The lock of a checkpoint folder: saves and loads of one folder take turns under an exclusive
 * `flock` on the folder itself (no lock file; the kernel drops the lock when a process dies, even
 * by SIGKILL). So a temporary file or an unreferenced weights file found while holding the lock
 * belongs to no running save. On a file system without `flock`, the work goes on unlocked.
 *
 * @module
 */
import { checkError } from "../../checks.ts";

/** A folder opened and locked (or not, where the file system has no flock). */
interface HeldFolder {
  folder: Deno.FsFile;
  locked: boolean;
}

/**
 * Opens `dir` and takes the exclusive lock on it, waiting for another holder; undefined when the
 * path no longer names the folder that was locked (it was replaced or removed meanwhile).
 */
async function lockFolder(dir: string): Promise<HeldFolder | undefined> {
  const folder = await Deno.open(dir, { read: true });
  try {
    let locked = true;
    try {
      await folder.lock(true);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (code !== "ENOLCK" && code !== "ENOTSUP" && code !== "EOPNOTSUPP") throw error;
      locked = false;
    }
    const held = await folder.stat();
    const now = await Deno.stat(dir).catch(() => undefined);
    if (now && (held.ino === null || (held.ino === now.ino && held.dev === now.dev))) {
      return { folder, locked };
    }
  } catch (error) {
    folder.close();
    throw error;
  }
  folder.close();
  return undefined;
}

/** How many times in a row the folder may be replaced while locking it before giving up. */
const LOCK_ATTEMPTS = 11;

/**
 * Runs `task` holding the lock on the existing folder `dir`; `task` learns whether the lock is
 * held (false where the file system has no flock).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * const order: string[] = [];
 * await Promise.all(["a", "b"].map((name) =>
 *   withFolderLock(dir, async () => {
 *     order.push(`${name} in`);
 *     await new Promise((resolve) => setTimeout(resolve, 10));
 *     order.push(`${name} out`);
 *   })
 * ));
 * assert.deepEqual(order.map((step) => step.slice(2)), ["in", "out", "in", "out"]); // in turn
 * await Deno.remove(dir);
 * ```
 */
export async function withFolderLock<T>(
  dir: string,
  task: (locked: boolean) => Promise<T>,
): Promise<T> {
  for (let attempt = 1;; attempt++) {
    const held = await lockFolder(dir);
    if (held) {
      try {
        return await task(held.locked);
      } finally {
        held.folder.close();
      }
    }
    if (attempt === LOCK_ATTEMPTS) {
      throw checkError(
        dir,
        "a folder that stays in place while it is locked",
        `one replaced or removed ${LOCK_ATTEMPTS} times in a row`,
      );
    }
  }
}
