/**
 * Registering the "blas" backend with TensorFlow.js: find and open a BLAS library, set its
 * threads, register the kernels and the backend.
 *
 * @module
 */
import { findBackendFactory, registerBackend } from "@tensorflow/tfjs-core";
import { BlasBackend } from "./backend_blas.ts";
import { type Blas, BLAS_CANDIDATES, findBlasLibrary, openBlas } from "./blas_library.ts";
import { BLAS_BACKEND_NAME } from "./kernel_config.ts";
import { registerAllKernels } from "./register_all_kernels.ts";

/** Options of {@linkcode registerBlasBackend}. */
export interface BlasBackendOptions {
  /**
   * The BLAS library: a path, or a name the dynamic loader resolves (unset or empty: the first
   * of {@linkcode BLAS_CANDIDATES} found).
   */
  library?: string;
  /** Threads of the BLAS library, a positive integer (default: all logical cores). */
  threads?: number;
  /** Name to register the backend under (default "blas"). */
  name?: string;
}

/** What {@linkcode registerBlasBackend} did: registered (now or before), or why not. */
export type BlasRegistration =
  | {
    registered: true;
    /** The backend's name, for `tf.setBackend`. */
    name: string;
    /** The BLAS library it calls. */
    library: string;
    /** Its BLAS threads; undefined when the library has no thread setting (Accelerate). */
    threads: number | undefined;
  }
  | {
    registered: false;
    name: string;
    /** Why not, in one sentence, e.g. "no BLAS library found in …". */
    reason: string;
  };

/** Registrations made by this module, by backend name. */
const registrations = new Map<string, BlasRegistration & { registered: true }>();

function checkOptions({ threads, name }: BlasBackendOptions): void {
  if (threads !== undefined && !(Number.isInteger(threads) && threads >= 1)) {
    throw new Error(`threads: expected a positive integer, got ${threads}`);
  }
  if (name !== undefined && (typeof name !== "string" || name === "")) {
    throw new Error(`name: expected a non-empty string, got ${JSON.stringify(name)}`);
  }
}

/**
 * Registers the "blas" backend (at priority 0, so it is used only when selected): the cpu
 * backend's kernels, with matrix products done by a system BLAS (OpenBLAS or Accelerate) and the
 * hot elementwise kernels of MLP training as tight loops.
 *
 * Returns what happened: registered (now, or by an earlier call for the same name, whose options
 * stand), or not, with the reason (no library found, or it cannot be loaded). Throws when an
 * option is invalid or `library` names no existing library.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import * as tf from "@tensorflow/tfjs-core";
 *
 * const blas = registerBlasBackend({ threads: 2 });
 * if (blas.registered) await tf.setBackend(blas.name);
 * else console.warn(`no blas backend: ${blas.reason}`); // e.g. "no BLAS library found in …"
 * assert.deepEqual(registerBlasBackend(), blas); // a later call returns the first result
 * ```
 */
export function registerBlasBackend(options: BlasBackendOptions = {}): BlasRegistration {
  checkOptions(options);
  const name = options.name ?? BLAS_BACKEND_NAME;
  const earlier = registrations.get(name);
  const taken = findBackendFactory(name) !== null;
  if (earlier && taken) return earlier;
  if (taken) {
    return { registered: false, name, reason: `another backend is registered as "${name}"` };
  }
  const library = findBlasLibrary(options);
  if (library === undefined) {
    return {
      registered: false,
      name,
      reason: `no BLAS library found in ${BLAS_CANDIDATES.join(", ")}`,
    };
  }
  let blas: Blas;
  try {
    blas = openBlas(library);
  } catch (error) {
    const reason = `${library} could not be loaded: ${(error as Error).message}`;
    return { registered: false, name, reason };
  }
  const threads = options.threads ?? navigator.hardwareConcurrency;
  const threadsSet = blas.setThreads(threads);
  registerAllKernels(name);
  registerBackend(name, () => new BlasBackend(blas), 0);
  const registration = {
    registered: true,
    name,
    library,
    threads: threadsSet ? threads : undefined,
  } as const;
  registrations.set(name, registration);
  return registration;
}
