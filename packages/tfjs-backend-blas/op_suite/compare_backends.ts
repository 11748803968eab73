/**
 * Comparing two backends' runs of the op suite spec by spec: which specs ran on each, which
 * passed, and which passed on the reference but not on the candidate.
 *
 * @module
 */
import type { SuiteResult } from "./run_suite.ts";

/** A spec (or a suite's hooks) that passed on the reference backend but not on the candidate. */
export interface Regression {
  /** Its full name on the candidate. */
  name: string;
  /** Its status on the candidate ("failed", …, or "not run"). */
  status: string;
  /** Its failure messages on the candidate. */
  messages: string[];
}

/** Counts of one backend's specs. */
export interface BackendCounts {
  run: number;
  passed: number;
}

/** What {@linkcode compareBackends} found. */
export interface Comparison {
  /** Specs run in all: on each backend, and those that use no backend (e.g. shape helpers). */
  specs: number;
  reference: BackendCounts;
  candidate: BackendCounts;
  /** Specs and suites that passed on the reference but not on the candidate, in run order. */
  regressions: Regression[];
}

/**
 * The backend a result ran on and its name with that backend taken out, from the innermost test
 * env tag in its name (`describeWithFlags` names a suite "<name> <backend> {}", and nests).
 */
function locate(name: string, backends: string[]): { backend: string; key: string } | undefined {
  let found: { backend: string; at: number; tag: string } | undefined;
  for (const backend of backends) {
    const tag = ` ${backend} {} `;
    const at = `${name} `.lastIndexOf(tag);
    if (at >= 0 && (found === undefined || at > found.at)) found = { backend, at, tag };
  }
  if (found === undefined) return undefined;
  const { backend, at, tag } = found;
  return { backend, key: `${name.slice(0, at)} * {} ${name.slice(at + tag.length)}` };
}

/** The results that ran on `backend`, by kind, name less the backend, and rank among equals. */
function byKey(results: SuiteResult[], backends: string[], backend: string) {
  const keyed = new Map<string, SuiteResult>();
  for (const result of results) {
    const place = locate(result.name, backends);
    if (place?.backend !== backend) continue;
    const base = `${result.kind}:${place.key}`;
    let rank = 0;
    while (keyed.has(`${base}#${rank}`)) rank++;
    keyed.set(`${base}#${rank}`, result);
  }
  return keyed;
}

function counts(keyed: Map<string, SuiteResult>): BackendCounts {
  const specs = [...keyed.values()].filter((result) => result.kind === "spec");
  return {
    run: specs.length,
    passed: specs.filter((result) => result.status === "passed").length,
  };
}

/**
 * Pairs each spec run on `candidate` with the same spec run on `reference` (same name less the
 * backend; specs with equal names in order) and lists those that passed on the reference only.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import type { SuiteResult } from "./run_suite.ts";
 *
 * const spec = (name: string, status: string): SuiteResult =>
 *   ({ kind: "spec", name, status, messages: [] });
 * const results = [ // as runOpSuite(["cpu", "blas"]) returns them
 *   spec("abs cpu {} basic", "passed"),
 *   spec("abs blas {} basic", "passed"),
 *   spec("gather cpu {} throws when index is out of bound", "passed"),
 *   spec("gather blas {} throws when index is out of bound", "failed"),
 * ];
 * const { regressions } = compareBackends(results, "cpu", "blas");
 * assert.deepEqual(regressions.map((r) => r.name), [results[3].name]);
 * ```
 */
export function compareBackends(
  results: SuiteResult[],
  reference: string,
  candidate: string,
): Comparison {
  const backends = [reference, candidate];
  const expected = byKey(results, backends, reference);
  const actual = byKey(results, backends, candidate);
  const regressions: Regression[] = [];
  for (const [key, want] of expected) {
    const got = actual.get(key);
    if (want.status !== "passed" || got?.status === "passed") continue;
    regressions.push({
      name: got?.name ?? want.name,
      status: got?.status ?? "not run",
      messages: got?.messages ?? [],
    });
  }
  return {
    specs: results.filter((result) => result.kind === "spec").length,
    reference: counts(expected),
    candidate: counts(actual),
    regressions,
  };
}
