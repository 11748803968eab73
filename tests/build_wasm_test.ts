/**
 * The blas package's WebAssembly module is the build of its source: compiling kernels/adam.wat
 * with wabt (scripts/build_wasm.ts) gives the committed kernels/adam_wasm.ts, byte for byte.
 */
import assert from "node:assert/strict";
import { compileWat, generatedModule } from "../scripts/build_wasm.ts";
import { ADAM_WASM } from "../packages/tfjs-backend-blas/kernels/adam_wasm.ts";

Deno.test("kernels/adam_wasm.ts is adam.wat compiled (deno task build-wasm)", async () => {
  const bytes = await compileWat();
  assert.deepEqual(ADAM_WASM, bytes);
  const generated = new URL("../packages/tfjs-backend-blas/kernels/adam_wasm.ts", import.meta.url);
  assert.equal(await Deno.readTextFile(generated), generatedModule(bytes));
  assert.ok(WebAssembly.validate(bytes));
});
