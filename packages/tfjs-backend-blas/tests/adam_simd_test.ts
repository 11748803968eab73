/**
 * Adam's update in WebAssembly SIMD (kernels/adam.wat) against its JavaScript reference, bit for
 * bit, and against Adam's formula in float64 within float32 rounding.
 */
import assert from "node:assert/strict";
import { adamLoop, adamLoopJs, type AdamUpdateAttrs } from "../kernels/AdamUpdate.ts";
import { values } from "./compare.ts";

const ATTRS: AdamUpdateAttrs = {
  learningRate: 0.001,
  beta1: 0.9,
  beta2: 0.999,
  epsilon: 1e-7,
  correction1: 1 - 0.9 ** 3,
  correction2: 1 - 0.999 ** 3,
};

/** w, m, v ≥ 0 and g [n] from a seed. */
function state(n: number, seed: number): Float32Array[] {
  const [w, m, v, g] = [0, 1, 2, 3].map((k) => values([n], seed + k).map((x) => x - 0.5));
  return [w, m, v.map(Math.abs), g];
}

Deno.test("adamLoop (SIMD) equals adamLoopJs bit for bit, in place and not, any length", () => {
  for (const n of [1, 63, 64, 67, 1000, 65_537]) {
    const simd = state(n, n);
    const js = state(n, n);
    const outputs = [0, 1, 2].map(() => new Float32Array(n));
    const jsOutputs = [0, 1, 2].map(() => new Float32Array(n));
    adamLoop(simd, outputs, ATTRS);
    adamLoopJs(js, jsOutputs, ATTRS);
    assert.deepEqual(outputs, jsOutputs, `n = ${n}, into new arrays`);
    for (let step = 0; step < 3; step++) {
      adamLoop(simd, simd.slice(0, 3), ATTRS);
      adamLoopJs(js, js.slice(0, 3), ATTRS);
    }
    assert.deepEqual(simd, js, `n = ${n}, in place`);
  }
});

Deno.test("adamLoop is Adam's update within float32 rounding", () => {
  const n = 4099;
  const [w, m, v, g] = state(n, 7);
  const out = [0, 1, 2].map(() => new Float32Array(n));
  adamLoop([w, m, v, g], out, ATTRS);
  const { learningRate, beta1, beta2, epsilon, correction1, correction2 } = ATTRS;
  for (let i = 0; i < n; i++) {
    const mi = beta1 * m[i] + (1 - beta1) * g[i];
    const vi = beta2 * v[i] + (1 - beta2) * g[i] * g[i];
    const wi = w[i] - learningRate / correction1 * mi / (Math.sqrt(vi / correction2) + epsilon);
    for (const [got, want] of [[out[0][i], wi], [out[1][i], mi], [out[2][i], vi]]) {
      assert.ok(Math.abs(got - want) <= 4e-7 * Math.max(1, Math.abs(want)), `${got} vs ${want}`);
    }
  }
});
