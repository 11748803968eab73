/**
 * The page's script, bundled for the browser from demo/browser/main.ts and the project's pinned
 * npm packages (tfjs core, cpu backend and layers) with `deno bundle`, Deno's own bundler
 * (esbuild inside), at each start of the demo: nothing is fetched from a CDN and no bundle is
 * kept in the repository. The notebook output's script is bundled the same way from
 * demo/browser/notebook.ts, as a classic script to inline in the output's HTML.
 *
 * @module
 */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";

/** This folder as the file system has it, also when it is reached through a link. */
const DEMO = Deno.realPathSync(fileURLToPath(new URL("./", import.meta.url)));

/** The repository's root folder, where deno.json (the import map and the lock) is. */
const ROOT = `${dirname(DEMO)}/`;

/** The page script's entry module. */
export const ENTRY = `${DEMO}/browser/main.ts`;

/** The notebook output script's entry module. */
export const NOTEBOOK_ENTRY = `${DEMO}/browser/notebook.ts`;

/**
 * Bundles a script (the page's by default) into one minified ES module, or with `format: "iife"`
 * into one classic script, and returns its source; throws with `deno bundle`'s output when it
 * fails.
 *
 * @example
 * ```ts ignore
 * // takes a second or two: Deno bundles about 750 modules
 * const script = await bundleScript(); // about 570 kB of JavaScript
 * const inline = await bundleScript({ entry: NOTEBOOK_ENTRY, format: "iife" });
 * ```
 */
export async function bundleScript(
  { entry = ENTRY, format = "esm" }: { entry?: string; format?: "esm" | "iife" } = {},
): Promise<string> {
  const dir = await Deno.makeTempDir({ prefix: "mnist-demo-bundle-" });
  try {
    const output = `${dir}/demo.js`;
    const { success, stdout, stderr } = await new Deno.Command(Deno.execPath(), {
      args: [
        "bundle",
        "--quiet",
        "--platform=browser",
        `--format=${format}`,
        "--minify",
        "--config",
        `${ROOT}deno.json`,
        "--output",
        output,
        entry,
      ],
      cwd: ROOT,
      stdin: "null",
    }).output();
    if (!success) {
      const log = new TextDecoder().decode(new Uint8Array([...stdout, ...stderr]));
      throw new Error(`deno bundle ${entry} failed:\n${log}`);
    }
    return await Deno.readTextFile(output);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
