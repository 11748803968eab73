/**
 * Recovery from crashed saves of the earlier scheme, which wrote a temporary folder
 * `.checkpoint-XXXX` beside the checkpoint and renamed it over the checkpoint after renaming the
 * old one to `.checkpoint-XXXX.old`: a crash could leave either beside the checkpoint, or in its
 * place.
 *
 * @module
 */
import { basename, dirname, join, resolve } from "node:path";
import { syncFolder } from "../../atomic_write.ts";
import { checkError } from "../../checks.ts";
import { pathKind } from "./files.ts";
import { readCheckpointFiles } from "./format.ts";
import { withFolderLock } from "./lock.ts";

/** The leftover folders of the earlier scheme: `.checkpoint-XXXX` and `.checkpoint-XXXX.old`. */
const OLD_SCHEME_FOLDER = /^\.checkpoint-([A-Za-z0-9_]+)(\.old)?$/;

/** Removes a leftover folder; where that fails (a read-only parent), it stays, harmless. */
async function removeTree(path: string) {
  await Deno.remove(path, { recursive: true }).catch(() => {});
}

async function isCompleteCheckpoint(dir: string): Promise<boolean> {
  try {
    await readCheckpointFiles(dir, false);
    return true;
  } catch {
    return false;
  }
}

/**
 * Cleans up after crashed saves of the earlier scheme beside `dir`, holding the lock on the
 * parent folder: removes incomplete `.checkpoint-*` folders and complete ones that were never
 * renamed into place (no `.old` partner); and, when `dir` is missing, renames the one remaining
 * leftover into `dir` (the newer copy where both are complete), with a "Note: recovered the
 * checkpoint …" line. With several leftovers `dir`'s cannot be told: a load says so, a save leaves
 * them.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const parent = await Deno.makeTempDir();
 * await Deno.mkdir(`${parent}/.checkpoint-Ab3x9Q`); // torn: no model.json
 * await recoverOldScheme(`${parent}/mlp_1`, "load");
 * assert.deepEqual(await Array.fromAsync(Deno.readDir(parent)), []); // removed
 * await Deno.remove(parent);
 * ```
 */
export async function recoverOldScheme(dir: string, purpose: "save" | "load"): Promise<void> {
  const parent = dirname(resolve(dir));
  const oldFolders = async () => {
    try {
      return (await Array.fromAsync(Deno.readDir(parent)))
        .filter((e) => e.isDirectory && OLD_SCHEME_FOLDER.test(e.name)).map((e) => e.name);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
        return [];
      }
      throw error;
    }
  };
  if ((await oldFolders()).length === 0) return;
  await withFolderLock(parent, async () => {
    const groups = new Map<string, { tmp?: string; old?: string }>();
    for (const name of await oldFolders()) {
      const [, id, old] = OLD_SCHEME_FOLDER.exec(name)!;
      const group = groups.get(id) ?? {};
      group[old ? "old" : "tmp"] = join(parent, name);
      groups.set(id, group);
    }
    for (const [id, group] of groups) {
      for (const key of ["tmp", "old"] as const) {
        const path = group[key];
        if (path && !(await isCompleteCheckpoint(path))) {
          await removeTree(path);
          delete group[key];
        }
      }
      if (group.tmp && !group.old) {
        await removeTree(group.tmp);
        delete group.tmp;
      }
      if (!group.tmp && !group.old) groups.delete(id);
    }
    if (groups.size === 0 || (await pathKind(dir)) !== "missing") return;
    const candidates = [...groups.values()];
    if (candidates.length > 1) {
      if (purpose === "save") return;
      const list = candidates.flatMap((g) => [g.tmp, g.old]).filter(Boolean).join(", ");
      throw checkError(
        `loadCheckpoint: ${dir}`,
        "a checkpoint folder, or one checkpoint beside it that an interrupted save of an " +
          "earlier version left",
        `no folder and ${candidates.length} such checkpoints in ${parent} (${list}); which is ` +
          `${basename(dir)} cannot be told: rename the right one to ${basename(dir)}`,
      );
    }
    const [{ tmp, old }] = candidates;
    const source = tmp ?? old!;
    await Deno.rename(source, dir);
    if (tmp && old) await removeTree(old);
    await syncFolder(parent);
    console.warn(
      `Note: recovered the checkpoint ${dir} from ${source}, which an interrupted save of an ` +
        `earlier version left`,
    );
  });
}
