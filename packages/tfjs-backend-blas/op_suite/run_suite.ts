/**
 * The harness: runs tfjs-core's op test suite on a list of backends, in one jasmine run, the way
 * tfjs's own backends run it (`setTestEnvs`, then `describeWithFlags` makes one suite per
 * backend), and collects every spec's and suite's outcome.
 *
 * @module
 */
import * as tf from "@tensorflow/tfjs-core";
import { installJasmine, type JasmineResult } from "./jasmine_globals.ts";
import { copySuite, SETUP_MODULES, type SuiteCopy } from "./suite_copy.ts";
import { TFJS_CORE_ENTRY } from "./tfjs_core_package.ts";

/** The outcome of one spec, or of one suite's own hooks (`beforeAll`, `afterAll`). */
export interface SuiteResult {
  /** "spec", or "suite" for a suite's own hooks. */
  kind: "spec" | "suite";
  /** jasmine's full name, e.g. "abs cpu {} basic": `describeWithFlags` puts the backend in it. */
  name: string;
  /** jasmine's status: "passed", "failed", "pending" or "excluded". */
  status: string;
  /** The failed expectations' messages (empty when it passed). */
  messages: string[];
}

function toResult(kind: SuiteResult["kind"], result: JasmineResult): SuiteResult {
  return {
    kind,
    name: result.fullName,
    status: result.status,
    messages: result.failedExpectations.map((failure) => failure.message),
  };
}

/**
 * Runs every `dist/ops/*_test.js` of the project's tfjs-core on each of `backends` (registered
 * backend names), from a
 * temporary copy that is removed afterwards; throws if a backend is not registered or the copy
 * does not share the project's engine.
 *
 * @example
 * ```text
 * (not run as a doc test: it runs about 2,800 specs per backend, 10 s; op_suite_test.ts runs it)
 * const results = await runOpSuite(["cpu", "blas"]);
 * results.filter((r) => r.status === "failed").map((r) => r.name); // [] with tfjs-core 4.22.0
 * ```
 */
export async function runOpSuite(backends: string[]): Promise<SuiteResult[]> {
  for (const name of backends) {
    if (tf.findBackendFactory(name) === null) {
      throw new Error(`backend "${name}": expected a registered backend, found none`);
    }
  }
  const { env, uninstall } = installJasmine();
  let copy: SuiteCopy | undefined;
  try {
    copy = await copySuite();
    // As tfjs's backends set up their test runs: gradients and chained ops (`x.sum()`) first.
    for (const path of SETUP_MODULES) await import(copy.url(path));
    const { setTestEnvs } = await import(copy.url("jasmine_util.js"));
    const { ENGINE } = await import(copy.url("engine.js"));
    const entry = await import(TFJS_CORE_ENTRY);
    if (entry.engine !== tf.engine || ENGINE !== tf.engine()) {
      throw new Error("the copied tests' tfjs-core is not the project's: expected one engine");
    }
    setTestEnvs(backends.map((name) => ({ name, backendName: name, isDataSync: true })));
    for (const path of copy.tests) await import(copy.url(path));
    const results: SuiteResult[] = [];
    env.configure({ random: false });
    env.addReporter({
      specDone: (result) => results.push(toResult("spec", result)),
      suiteDone: (result) => results.push(toResult("suite", result)),
    });
    await env.execute();
    return results;
  } finally {
    uninstall();
    await copy?.remove();
  }
}
