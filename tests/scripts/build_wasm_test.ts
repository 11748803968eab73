/**
 * The blas package's WebAssembly modules are the builds of their sources: compiling each
 * kernels/NAME.wat with wabt (scripts/build_wasm.ts) gives the committed kernels/NAME_wasm.ts,
 * byte for byte.
 */
import assert from "node:assert/strict";
import { compileWat, generatedModule, kernelPath, WAT_NAMES } from "../../scripts/build_wasm.ts";
import { ADAM_WASM } from "../../packages/tfjs-backend-blas/kernels/adam_wasm.ts";
import { DENSE_STEP_WASM } from "../../packages/tfjs-backend-blas/kernels/dense_step_wasm.ts";

Deno.test("kernels/NAME_wasm.ts is NAME.wat compiled (deno task build-wasm)", async () => {
  const imported = { adam: ADAM_WASM, dense_step: DENSE_STEP_WASM };
  assert.deepEqual([...WAT_NAMES].sort(), Object.keys(imported).sort());
  for (const name of WAT_NAMES) {
    const bytes = await compileWat(name);
    assert.deepEqual(imported[name], bytes, name);
    assert.equal(await Deno.readTextFile(kernelPath(name, true)), generatedModule(name, bytes));
    assert.ok(WebAssembly.validate(bytes), name);
  }
});
