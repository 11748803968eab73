/** Finding the BLAS library and registering the backend: options, results and errors. */
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs-core";
import { BLAS_CANDIDATES, BlasBackend, findBlasLibrary, registerBlasBackend } from "../mod.ts";
import { blasTest, library, registration } from "./backend.ts";

Deno.test("findBlasLibrary honours `library` and names a missing path", () => {
  const file = Deno.makeTempFileSync({ suffix: ".so" });
  try {
    assert.equal(findBlasLibrary({ library: file }), file);
    assert.equal(findBlasLibrary({ library: "" }), findBlasLibrary({}));
    assert.equal(findBlasLibrary(), findBlasLibrary({}));
    assert.throws(
      () => findBlasLibrary({ library: "/nonexistent/libblas.so" }),
      /library: expected an existing file .*, got "\/nonexistent\/libblas\.so"/,
    );
    assert.throws(
      () => findBlasLibrary({ library: "libnonexistent-blas.so.0" }),
      /library: expected .* a name the dynamic loader resolves, got "libnonexistent-blas\.so\.0"/,
    );
  } finally {
    Deno.removeSync(file);
  }
});

Deno.test("BLAS_CANDIDATES look up Debian's pthread OpenBLAS before libopenblas.so.0", () => {
  const pthread = BLAS_CANDIDATES.indexOf(
    "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0",
  );
  const generic = BLAS_CANDIDATES.indexOf("/usr/lib/x86_64-linux-gnu/libopenblas.so.0");
  assert.ok(
    pthread >= 0 && pthread < generic,
    `pthread build at ${pthread}, generic at ${generic}`,
  );
});

Deno.test("registerBlasBackend names an invalid option", () => {
  for (const threads of [0, 1.5, -2, NaN]) {
    assert.throws(
      () => registerBlasBackend({ threads }),
      new RegExp(`threads: expected a positive integer, got ${threads}`),
    );
  }
  assert.throws(() => registerBlasBackend({ name: "" }), /name: expected a non-empty string/);
  assert.throws(
    () => registerBlasBackend({ name: "blas-missing", library: "/nonexistent/libblas.so" }),
    /library: expected an existing file .*"\/nonexistent\/libblas\.so"/,
  );
  assert.equal(tf.findBackendFactory("blas-missing"), null);
});

Deno.test("registerBlasBackend explains why it did not register", () => {
  const taken = registerBlasBackend({ name: "cpu" });
  assert.deepEqual(taken, {
    registered: false,
    name: "cpu",
    reason: 'another backend is registered as "cpu"',
  });
  const file = Deno.makeTempFileSync({ suffix: ".so" });
  try {
    const broken = registerBlasBackend({ name: "blas-broken", library: file });
    assert.equal(broken.registered, false);
    assert.match(
      (broken as { reason: string }).reason,
      new RegExp(`^${file.replaceAll(".", "\\.")} could not be loaded: `),
    );
    assert.equal(tf.findBackendFactory("blas-broken"), null);
  } finally {
    Deno.removeSync(file);
  }
});

blasTest("registerBlasBackend registers 'blas' once and reports it", () => {
  assert.ok(registration.registered, `a BLAS library was found at ${library} but did not load`);
  assert.deepEqual(registration, {
    registered: true,
    name: "blas",
    library,
    threads: navigator.hardwareConcurrency,
  });
  assert.equal(registerBlasBackend({ threads: 1 }), registration);
  assert.ok(tf.findBackendFactory("blas"));
});

blasTest("registerBlasBackend registers under another name", async () => {
  // OpenBLAS's thread count is the library's, shared by every backend on it: keep it.
  const threads = navigator.hardwareConcurrency;
  const other = registerBlasBackend({ name: "blas-other", threads, library });
  assert.deepEqual(other, { registered: true, name: "blas-other", library, threads });
  const previous = tf.getBackend();
  try {
    await tf.setBackend("blas-other");
    assert.ok(tf.backend() instanceof BlasBackend);
    const product = tf.tidy(() => tf.matMul([[1, 2]], [[3], [4]]).dataSync());
    assert.deepEqual([...product], [11]);
  } finally {
    if (previous) await tf.setBackend(previous);
    tf.removeBackend("blas-other");
  }
});
