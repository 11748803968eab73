/**
 * Builds a test page into a folder: index.html, main.js (a page folder's main.ts with its npm
 * packages bundled by esbuild) and main.css (the @jupyterlab packages' own styles, if any). The
 * default page is JupyterLab's (this folder); other tests pass their own folder and packages.
 *
 * esbuild resolves packages through a node_modules folder, which this repository does not keep:
 * the build writes a deno.json naming the page's packages as the repository's deno.json pins
 * them, copies deno.lock beside it (so every dependency resolves as locked), and lets
 * `deno install` lay out node_modules there from Deno's cache.
 *
 * @module
 */
import * as esbuild from "esbuild";
import { ROOT } from "../../fixtures/root.ts";

/** The packages this folder's main.ts imports, pinned as the repository's deno.json pins them. */
const PACKAGES = [
  "@jupyterlab/outputarea",
  "@jupyterlab/rendermime",
  "@jupyterlab/vega5-extension",
  "@lumino/widgets",
];

/** Options of {@linkcode buildPage}. */
export interface PageOptions {
  /** The folder (a file URL ending in /) that holds the page's main.ts and index.html. */
  page?: URL;
  /** The npm packages its main.ts imports, pinned as the repository's deno.json pins them. */
  packages?: string[];
  /** Milliseconds before the build gives up (default 60,000). */
  ms?: number;
}

/** The packages' styles, as JupyterLab's webpack build loads them. */
const styles = (packages: string[]) =>
  packages.filter((p) => p.startsWith("@jupyterlab/"))
    .map((p) => `import "${p}/style/index.js";\n`).join("");

async function run(cmd: string, args: string[], cwd: string) {
  const { success, stderr } = await new Deno.Command(cmd, { args, cwd, stdout: "null" }).output();
  if (!success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(stderr).slice(-2000)}`);
  }
}

async function bundle(dir: string, folder: URL, packages: string[]) {
  await Deno.writeTextFile(`${dir}/styles.js`, styles(packages));
  const page = folder.pathname;
  try {
    await esbuild.build({
      entryPoints: { main: `${page}main.ts`, styles: `${dir}/styles.js` },
      outdir: `${dir}/out`,
      bundle: true,
      format: "iife",
      platform: "browser",
      target: "chrome120",
      nodePaths: [`${dir}/node_modules`],
      // ui-components imports its SVG icons as text (JupyterLab's webpack uses raw-loader)
      loader: { ".svg": "text" },
      logLevel: "silent",
    });
  } finally {
    await esbuild.stop();
  }
  await Deno.rename(`${dir}/out/main.js`, `${dir}/main.js`);
  await Deno.rename(`${dir}/out/styles.css`, `${dir}/main.css`).catch(() =>
    Deno.writeTextFile(`${dir}/main.css`, "")
  );
  await Deno.copyFile(`${page}index.html`, `${dir}/index.html`);
}

/**
 * Builds the page into `dir` (which must exist and be empty); throws after `options.ms`
 * milliseconds. Returns the page's file URL.
 */
export async function buildPage(dir: string, options: PageOptions = {}): Promise<string> {
  const { page = new URL("./", import.meta.url), packages = PACKAGES, ms = 60_000 } = options;
  const imports: Record<string, string> = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`))
    .imports;
  const pinned = Object.fromEntries(packages.map((p) => [p, imports[p]]));
  await Deno.writeTextFile(
    `${dir}/deno.json`,
    JSON.stringify({ nodeModulesDir: "auto", imports: pinned }),
  );
  await Deno.copyFile(`${ROOT}deno.lock`, `${dir}/deno.lock`);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`buildPage: not done in ${ms / 1000} s`)), ms);
  });
  try {
    await Promise.race([
      (async () => {
        await run(Deno.execPath(), ["install", "--quiet"], dir);
        await bundle(dir, page, packages);
      })(),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
  return `file://${dir}/index.html`;
}
