/**
 * Builds the JupyterLab test page into a folder: index.html, main.js (main.ts with JupyterLab's
 * packages bundled by esbuild) and main.css (those packages' own styles).
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

/** The packages that main.ts imports; their versions come from the repository's deno.json. */
const PACKAGES = [
  "@jupyterlab/outputarea",
  "@jupyterlab/rendermime",
  "@jupyterlab/vega5-extension",
  "@lumino/widgets",
];

/** The packages' styles, as JupyterLab's webpack build loads them. */
const STYLES = PACKAGES.filter((p) => p.startsWith("@jupyterlab/"))
  .map((p) => `import "${p}/style/index.js";\n`).join("");

async function run(cmd: string, args: string[], cwd: string) {
  const { success, stderr } = await new Deno.Command(cmd, { args, cwd, stdout: "null" }).output();
  if (!success) {
    throw new Error(`${cmd} ${args.join(" ")}: ${new TextDecoder().decode(stderr).slice(-2000)}`);
  }
}

async function bundle(dir: string) {
  await Deno.writeTextFile(`${dir}/styles.js`, STYLES);
  const page = new URL("./", import.meta.url).pathname;
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
  await Deno.rename(`${dir}/out/styles.css`, `${dir}/main.css`);
  await Deno.copyFile(`${page}index.html`, `${dir}/index.html`);
}

/**
 * Builds the page into `dir` (which must exist and be empty); throws after `ms` milliseconds.
 * Returns the page's file URL.
 */
export async function buildPage(dir: string, ms = 60_000): Promise<string> {
  const imports: Record<string, string> = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`))
    .imports;
  const pinned = Object.fromEntries(PACKAGES.map((p) => [p, imports[p]]));
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
        await bundle(dir);
      })(),
      timeout,
    ]);
  } finally {
    clearTimeout(timer);
  }
  return `file://${dir}/index.html`;
}
