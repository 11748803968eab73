/**
 * The globals tfjs-core's test files expect: jasmine's interface (`describe`, `it`, `expect`, …)
 * and a CommonJS `require`.
 *
 * `jasmine_util.js` calls `require('jasmine-core/lib/jasmine-core/jasmine.js')` and builds its
 * own jasmine from it; the `require` installed here hands it the harness's instance instead, so
 * its settings (a 20 s spec timeout) apply to the run. Anything else is required from the
 * tfjs-core package, as it would be under Node.
 *
 * @module
 */
import jasmineCore from "jasmine-core/lib/jasmine-core/jasmine.js";
import { requireFromTfjsCore } from "./tfjs_core_package.ts";

/** The module `jasmine_util.js` requires. */
const JASMINE_CORE = "jasmine-core/lib/jasmine-core/jasmine.js";

/** What jasmine reports of a spec or a suite when it is done. */
export interface JasmineResult {
  fullName: string;
  status: string;
  failedExpectations: { message: string }[];
}

/** The part of jasmine's `Env` the harness uses. */
export interface JasmineEnv {
  configure(options: { random: boolean }): void;
  addReporter(reporter: {
    specDone(result: JasmineResult): void;
    suiteDone(result: JasmineResult): void;
  }): void;
  execute(): Promise<void>;
}

interface Jasmine {
  getEnv(): JasmineEnv;
}

interface JasmineRequire {
  core(jasmineRequire: JasmineRequire): Jasmine;
  interface(jasmine: Jasmine, env: JasmineEnv): Record<string, unknown>;
}

/**
 * Installs a fresh jasmine's interface and `require` as globals; returns its env, to load test
 * files into and run, and a function that removes the globals again.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const dir = await Deno.makeTempDir(); // the harness imports tfjs-core's ops/*_test.js
 * await Deno.writeTextFile(`${dir}/one_test.js`, `it("adds", () => expect(1 + 1).toBe(2));`);
 * const { env, uninstall } = installJasmine();
 * const done: string[] = [];
 * env.addReporter({ specDone: (r) => done.push(`${r.fullName}: ${r.status}`), suiteDone() {} });
 * try {
 *   await import(`file://${dir}/one_test.js`);
 *   await env.execute();
 * } finally {
 *   uninstall();
 *   await Deno.remove(dir, { recursive: true });
 * }
 * assert.deepEqual(done, ["adds: passed"]);
 * ```
 */
export function installJasmine(): { env: JasmineEnv; uninstall(): void } {
  const jasmineRequire = jasmineCore as JasmineRequire;
  const jasmine = jasmineRequire.core(jasmineRequire);
  const env = jasmine.getEnv();
  const sharedRequire = { ...jasmineRequire, core: () => jasmine };
  const require = Object.assign(
    (id: string) => id === JASMINE_CORE ? sharedRequire : requireFromTfjsCore(id),
    { resolve: requireFromTfjsCore.resolve },
  );
  const globals: Record<string, unknown> = { ...jasmineRequire.interface(jasmine, env), require };
  const global = globalThis as Record<string, unknown>;
  const previous = new Map(Object.keys(globals).map((name) => [name, global[name]]));
  Object.assign(global, globals);
  return {
    env,
    uninstall() {
      for (const [name, value] of previous) {
        if (value === undefined) delete global[name];
        else global[name] = value;
      }
    },
  };
}
