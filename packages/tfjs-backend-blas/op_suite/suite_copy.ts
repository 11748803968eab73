/**
 * A loadable copy of tfjs-core's op tests: the package's `dist/ops/*_test.js`, and every module
 * they import, copied into a temporary folder with their imports rewritten for Deno.
 *
 * The dist files are ES modules whose relative imports have no extension (`'../engine'`), which
 * Deno does not resolve: the copy spells each out (`'../engine.js'`, or `…/index.js` for a
 * folder). Imports of the package's entry (`'../index'`) go to the project's own tfjs-core
 * instead, so the tests call the very ops, engine and kernel registry the project's backends are
 * registered in. A bare import (`seedrandom`, `long`: CommonJS packages) goes to a small ES module
 * that `require`s it and names its exports, which Deno's CommonJS interop does not detect.
 *
 * @module
 */
import { dirname, join, relative, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { requireFromTfjsCore, TFJS_CORE_DIST, TFJS_CORE_ENTRY } from "./tfjs_core_package.ts";

/** The modules a test run loads before the tests: the gradients and the chained ops (`x.abs()`). */
export const SETUP_MODULES: readonly string[] = [
  "register_all_gradients.js",
  "public/chained_ops/register_all_chained_ops.js",
];

/** An import or re-export statement's module specifier: group 1 the text before it, 3 the specifier. */
const IMPORT = /^(\s*(?:import|export)\b[^;'"]*?\bfrom\s*|\s*import\s*)(['"])([^'"\n]+)\2/gm;

/** A copy of the suite in a temporary folder. */
export interface SuiteCopy {
  /** The op test files, relative to the folder, sorted (e.g. "ops/abs_test.js"). */
  tests: string[];
  /** URL of a copied module, from its path relative to the folder. */
  url(path: string): string;
  /** Deletes the folder. */
  remove(): Promise<void>;
}

function isFile(path: string): boolean {
  try {
    return Deno.statSync(path).isFile;
  } catch {
    return false;
  }
}

/** The `.js` file an extension-less relative import of `importer` means (file or folder index). */
function importedFile(importer: string, specifier: string): string {
  const base = resolve(dirname(importer), specifier);
  const file = [base, `${base}.js`, join(base, "index.js")].find(isFile);
  if (file === undefined) {
    throw new Error(`${importer} imports "${specifier}": expected ${base}.js or ${base}/index.js`);
  }
  return file;
}

/** A specifier for `target` from `importer`, both in the copy. */
function relativeSpecifier(importer: string, target: string): string {
  const path = relative(dirname(importer), target);
  return path.startsWith(".") ? path : `./${path}`;
}

/** An ES module that re-exports the CommonJS package `name`, required from tfjs-core. */
function shimSource(name: string): string {
  const exports = Object.keys(requireFromTfjsCore(name))
    .filter((key) => key !== "default" && /^[A-Za-z_$][\w$]*$/.test(key));
  return [
    `const m = require(${JSON.stringify(name)});`,
    "export default m;",
    ...exports.map((key) => `export const ${key} = m.${key};`),
  ].join("\n");
}

/**
 * Copies the op tests and the setup modules, with every module they import (`jasmine_util.js`,
 * `engine.js`, …), into a new temporary folder; the copy loads once a global `require` is
 * installed (see `installJasmine`).
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const copy = await copySuite(); // runOpSuite then imports copy.url(test) for each test
 * try {
 *   assert.ok(copy.tests.includes("ops/abs_test.js")); // 178 tests with tfjs-core 4.22.0
 *   const source = await Deno.readTextFile(new URL(copy.url("ops/abs_test.js")));
 *   assert.match(source, /from '\.\.\/jasmine_util\.js'/); // was '../jasmine_util'
 * } finally {
 *   await copy.remove();
 * }
 * ```
 */
export async function copySuite(): Promise<SuiteCopy> {
  const dir = await Deno.makeTempDir({ prefix: "tfjs_op_suite_" });
  const done = new Set<string>();
  const shims = new Map<string, string>();
  const index = join(TFJS_CORE_DIST, "index.js");

  function shim(name: string): string {
    let file = shims.get(name);
    if (file === undefined) {
      file = join(dir, "shims", `${name}.js`);
      Deno.mkdirSync(dirname(file), { recursive: true });
      Deno.writeTextFileSync(file, shimSource(name));
      shims.set(name, file);
    }
    return file;
  }

  function copy(source: string): void {
    if (done.has(source)) return;
    done.add(source);
    const target = join(dir, relative(TFJS_CORE_DIST, source));
    const text = Deno.readTextFileSync(source).replace(
      IMPORT,
      (_, before: string, quote: string, specifier: string) => {
        let to: string;
        if (!specifier.startsWith(".")) {
          to = relativeSpecifier(target, shim(specifier));
        } else {
          const file = importedFile(source, specifier);
          if (file === index) {
            to = TFJS_CORE_ENTRY;
          } else {
            copy(file);
            to = relativeSpecifier(target, join(dir, relative(TFJS_CORE_DIST, file)));
          }
        }
        return `${before}${quote}${to}${quote}`;
      },
    );
    Deno.mkdirSync(dirname(target), { recursive: true });
    Deno.writeTextFileSync(target, text);
  }

  try {
    const tests = [...Deno.readDirSync(join(TFJS_CORE_DIST, "ops"))]
      .filter((entry) => entry.isFile && entry.name.endsWith("_test.js"))
      .map((entry) => `ops/${entry.name}`)
      .sort();
    for (const path of [...SETUP_MODULES, ...tests]) copy(join(TFJS_CORE_DIST, path));
    return {
      tests,
      url: (path) => pathToFileURL(join(dir, path)).href,
      remove: () => Deno.remove(dir, { recursive: true }),
    };
  } catch (error) {
    await Deno.remove(dir, { recursive: true });
    throw error;
  }
}
