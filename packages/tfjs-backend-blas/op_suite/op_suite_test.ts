/**
 * tfjs-core's own op test suite, run from the installed package on the cpu backend and the blas
 * backend: every spec that passes on cpu must pass on blas.
 */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { blas, library, REFERENCE } from "./backends.ts";
import { compareBackends } from "./compare_backends.ts";
import { runOpSuite, type SuiteResult } from "./run_suite.ts";

const name = `tfjs-core ${tf.version_core} op suite: every spec that passes on ${REFERENCE} ` +
  `passes on ${blas.name}`;
const ignore = library === undefined;

Deno.test({
  name: ignore ? `${name} (skipped: no BLAS library found; install libopenblas0-pthread)` : name,
  ignore,
  async fn() {
    if (!blas.registered) throw new Error(`the blas backend is not registered: ${blas.reason}`);
    const started = performance.now();
    const results = await runOpSuite([REFERENCE, blas.name]);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const { specs, reference, candidate, regressions } = compareBackends(
      results,
      REFERENCE,
      blas.name,
    );
    console.log(
      [
        `tfjs-core ${tf.version_core} op suite in ${seconds} s: ${specs} specs run ` +
        `(${reference.run} on ${REFERENCE}, ${candidate.run} on ${blas.name}, ` +
        `${specs - reference.run - candidate.run} on no backend)`,
        `  passed on ${REFERENCE}: ${reference.passed}`,
        `  passed on ${blas.name}: ${candidate.passed}`,
        `  failed on ${blas.name} but passed on ${REFERENCE}: ${regressions.length}`,
        ...regressions.map(({ name, status, messages }) =>
          [`    ${name} (${status})`, ...messages.map((m) => `      ${m}`)].join("\n")
        ),
      ].join("\n"),
    );
    assert.deepEqual(regressions.map((r) => r.name), []);
  },
});

Deno.test("compareBackends pairs specs by name less the backend, nested suites and equal names", () => {
  const result = (name: string, status = "passed", kind: SuiteResult["kind"] = "spec") => ({
    kind,
    name,
    status,
    messages: status === "passed" ? [] : [`${name} broke`],
  });
  const comparison = compareBackends(
    [
      result("shape helper works"),
      result("abs cpu {} basic"),
      result("abs cpu {} twice"),
      result("abs cpu {} twice"),
      result("abs cpu {} flaky", "failed"),
      result("slice cpu {} nested blas {} ok"),
      result("slice cpu {} nested cpu {} ok"),
      result("only cpu {} here"),
      result("abs cpu {}", "passed", "suite"),
      result("abs blas {} basic"),
      result("abs blas {} twice"),
      result("abs blas {} twice", "failed"),
      result("abs blas {} flaky", "failed"),
      result("slice blas {} nested cpu {} ok"),
      result("slice blas {} nested blas {} ok"),
      result("abs blas {}", "failed", "suite"),
    ],
    "cpu",
    "blas",
  );
  assert.deepEqual(comparison.reference, { run: 7, passed: 6 });
  assert.deepEqual(comparison.candidate, { run: 6, passed: 4 });
  assert.equal(comparison.specs, 14);
  assert.deepEqual(comparison.regressions, [
    { name: "abs blas {} twice", status: "failed", messages: ["abs blas {} twice broke"] },
    { name: "only cpu {} here", status: "not run", messages: [] },
    { name: "abs blas {}", status: "failed", messages: ["abs blas {} broke"] },
  ]);
});
