/**
 * Temporary folders for the tests that remove themselves: `await using tmp = await
 * tempDir("ckpt-test-");` creates one in the system's temp folder, and the end of the scope
 * removes it with all it holds, also when an assertion in between throws.
 *
 * @module
 */

/** A temporary folder that `await using` (or its dispose method) removes with all it holds. */
export interface TempDir extends AsyncDisposable {
  /** The folder's absolute path. */
  readonly path: string;
}

/**
 * Creates a temporary folder whose name starts with `prefix`; disposing of it removes it
 * recursively, and does nothing when it is gone already.
 */
export async function tempDir(prefix: string): Promise<TempDir> {
  const path = await Deno.makeTempDir({ prefix });
  return {
    path,
    async [Symbol.asyncDispose]() {
      try {
        await Deno.remove(path, { recursive: true });
      } catch (error) {
        if (!(error instanceof Deno.errors.NotFound)) throw error;
      }
    },
  };
}
