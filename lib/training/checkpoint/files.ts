/**
 * File-system helpers of the checkpoint code: what is at a path, removing what may already be
 * gone, and telling the operating system's errors from the checks' own.
 *
 * @module
 */

/**
 * An error's message; for a thrown value that is not an Error, its text.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.equal(messageOf(new Error("disk full")), "disk full");
 * assert.equal(messageOf("disk full"), "disk full");
 * ```
 */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Whether `error` is one the operating system reported (an instance of a `Deno.errors` class),
 * not a check's.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * assert.ok(isSystemError(new Deno.errors.PermissionDenied("open '/root/x'")));
 * assert.ok(!isSystemError(new Error("x: expected a folder, got a file")));
 * ```
 */
export function isSystemError(error: unknown): boolean {
  return Object.values(Deno.errors).some((kind) => error instanceof kind);
}

/**
 * Removes `path` (with `options`), where it is still there.
 *
 * @example
 * ```ts
 * const dir = await Deno.makeTempDir();
 * await removeIfPresent(`${dir}/never-written.tmp`); // nothing there: no error
 * await removeIfPresent(dir);
 * ```
 */
export async function removeIfPresent(path: string, options?: Deno.RemoveOptions): Promise<void> {
  try {
    await Deno.remove(path, options);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  }
}

/**
 * What is at `path`: a folder (links followed), something else, or nothing.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/model.json`, "{}");
 * assert.equal(await pathKind(dir), "folder");
 * assert.equal(await pathKind(`${dir}/model.json`), "file");
 * assert.equal(await pathKind(`${dir}/model.json/inside`), "missing");
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function pathKind(path: string): Promise<"folder" | "file" | "missing"> {
  try {
    return (await Deno.stat(path)).isDirectory ? "folder" : "file";
  } catch (error) {
    // NotADirectory: a part of the path is a file, so there is nothing at the path.
    if (error instanceof Deno.errors.NotFound || error instanceof Deno.errors.NotADirectory) {
      return "missing";
    }
    throw error;
  }
}
