import assert from "node:assert/strict";
import { findBlasLibrary } from "@mnist-mlp/tfjs-backend-blas";
import { initBackend } from "../../lib/backend/init.ts";
import { loadBlasOptions } from "../../lib/config.ts";
import { tf } from "../../lib/tf.ts";

await initBackend();

Deno.test("initBackend starts the named backend and reports it", async () => {
  const previous = tf.getBackend();
  for (const name of ["cpu", "wasm"] as const) {
    assert.equal(await initBackend(name), name);
    assert.equal(tf.getBackend(), name);
    const sum = tf.tidy(() => tf.sum(tf.tensor1d([1, 2, 3])).dataSync()[0]);
    assert.equal(sum, 6);
  }
  await tf.setBackend(previous);
});

Deno.test("initBackend refuses an unknown MLP_BACKEND, naming the variable", async () => {
  const saved = Deno.env.get("MLP_BACKEND");
  Deno.env.set("MLP_BACKEND", "gpu");
  try {
    await assert.rejects(
      initBackend(),
      /MLP_BACKEND: expected one of blas, wasm, cpu, got "gpu"/,
    );
  } finally {
    if (saved === undefined) Deno.env.delete("MLP_BACKEND");
    else Deno.env.set("MLP_BACKEND", saved);
  }
});

Deno.test("initBackend honours MLP_BACKEND when no name is given", async () => {
  const saved = Deno.env.get("MLP_BACKEND");
  const previous = tf.getBackend();
  Deno.env.set("MLP_BACKEND", "cpu");
  try {
    assert.equal(await initBackend(), "cpu");
  } finally {
    if (saved === undefined) Deno.env.delete("MLP_BACKEND");
    else Deno.env.set("MLP_BACKEND", saved);
    await tf.setBackend(previous);
  }
});

Deno.test("initBackend picks blas where a BLAS library is found, else wasm", async () => {
  const saved = Deno.env.get("MLP_BACKEND");
  const previous = tf.getBackend();
  Deno.env.delete("MLP_BACKEND");
  try {
    assert.equal(await initBackend(), findBlasLibrary(loadBlasOptions()) ? "blas" : "wasm");
  } finally {
    if (saved !== undefined) Deno.env.set("MLP_BACKEND", saved);
    await tf.setBackend(previous);
  }
});
