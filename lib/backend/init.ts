/**
 * Choosing the tfjs backend: the fastest available unless one is forced.
 *
 * @module
 */
import { type BlasRegistration, registerBlasBackend } from "@mnist-mlp/tfjs-backend-blas";
import { speedUpWasm } from "./wasm_fast.ts";
import { checkOneOf } from "../checks.ts";
import { type BackendName, BACKENDS, loadBackendChoice, loadBlasOptions } from "../config.ts";
import { tf } from "../tf.ts";

/** The blas backend's name in {@linkcode BACKENDS}. */
const BLAS_BACKEND = "blas";

/** How to get the fast backend, printed when no BLAS library is found. */
const BLAS_INSTALL_HINT = "no BLAS library found, training on wasm (several times slower): " +
  "install OpenBLAS (Debian/Ubuntu: apt-get install libopenblas0-pthread; macOS uses " +
  "Accelerate) or point MLP_BLAS_LIB at libopenblas";

/**
 * Registers the blas backend as "blas" with the library and threads that `MLP_BLAS_LIB` and
 * `MLP_BLAS_THREADS` name (see {@linkcode loadBlasOptions}); returns what happened.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 *
 * const blas = registerBlasFromEnv(); // reads Deno.env
 * assert.equal(blas.name, "blas");
 * // with OpenBLAS: { registered: true, name: "blas", library: "/usr/lib/…", threads: 2 }
 * // without:       { registered: false, name: "blas", reason: "no BLAS library found in …" }
 * console.log(blas.registered ? `blas on ${blas.library}` : blas.reason);
 * ```
 */
export function registerBlasFromEnv(
  env: Record<string, string | undefined> = Deno.env.toObject(),
): BlasRegistration {
  return registerBlasBackend({ ...loadBlasOptions(env), name: BLAS_BACKEND });
}

async function start(backend: BackendName): Promise<boolean> {
  if (backend === BLAS_BACKEND && !registerBlasFromEnv().registered) return false;
  if (backend === "wasm") speedUpWasm();
  if (!(await tf.setBackend(backend))) return false;
  await tf.ready();
  return true;
}

/**
 * Activates a tfjs backend and returns its name: `name` if given, else `MLP_BACKEND` if set,
 * else the first of blas (system BLAS), wasm, cpu that starts. The blas backend gets its library
 * and threads from `MLP_BLAS_LIB` and `MLP_BLAS_THREADS` (see {@linkcode loadBlasOptions}).
 *
 * A forced backend that cannot start is an Error, not a silent fallback.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf } from "../tf.ts";
 *
 * const backend = await initBackend(); // "blas" where OpenBLAS is installed, else "wasm"
 * assert.equal(tf.getBackend(), backend);
 * assert.equal(await initBackend("cpu"), "cpu"); // forced: that one, or an Error
 * ```
 */
export async function initBackend(name?: BackendName): Promise<BackendName> {
  if (name !== undefined) checkOneOf("initBackend: name", name, BACKENDS);
  const forced = name ?? loadBackendChoice();
  if (forced !== undefined) {
    if (!(await start(forced))) {
      const hint = forced === BLAS_BACKEND ? `: ${BLAS_INSTALL_HINT}` : "";
      throw new Error(`tfjs backend ${forced} could not be started${hint}`);
    }
    return forced;
  }
  for (const backend of BACKENDS) {
    if (await start(backend)) return backend;
    if (backend === BLAS_BACKEND) console.warn(`Note: ${BLAS_INSTALL_HINT}.`);
  }
  throw new Error(`none of the tfjs backends ${BACKENDS.join(", ")} could be started`);
}

/**
 * Runs `work` with the tfjs backend `name` active (started as {@linkcode initBackend} starts a
 * forced one), then makes the backend that was active before active again, also on an Error.
 * Tensors made on one backend are read on the other: tfjs moves their data when needed.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { tf } from "../tf.ts";
 *
 * const before = await initBackend();
 * const sum = await withBackend("cpu", () => {
 *   assert.equal(tf.getBackend(), "cpu");
 *   return tf.sum(tf.tensor1d([1, 2, 3])).dataSync()[0];
 * });
 * assert.equal(sum, 6);
 * assert.equal(tf.getBackend(), before);
 * ```
 */
export async function withBackend<T>(name: BackendName, work: () => T | Promise<T>): Promise<T> {
  const previous = tf.getBackend();
  await initBackend(name);
  try {
    return await work();
  } finally {
    await tf.setBackend(previous);
  }
}
