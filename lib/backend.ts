/**
 * Choosing the tfjs backend: the fastest available unless one is forced.
 *
 * @module
 */
import { type BackendName, BACKENDS } from "./config.ts";
import { tf } from "./tf.ts";

/**
 * Activates a tfjs backend and returns its name: `name` if given, else `MLP_BACKEND` if set,
 * else the first of wasm, cpu that starts.
 *
 * A forced backend that cannot start is an Error, not a silent fallback.
 *
 * @example
 * ```ts
 * const backend = await initBackend(); // "wasm"
 * ```
 */
export async function initBackend(name?: BackendName): Promise<BackendName> {
  const forced = name ?? Deno.env.get("MLP_BACKEND")?.trim() ?? "";
  if (forced !== "" && !(BACKENDS as readonly string[]).includes(forced)) {
    throw new Error(
      `MLP_BACKEND=${JSON.stringify(forced)}: expected one of ${BACKENDS.join(", ")}`,
    );
  }
  const candidates = forced ? [forced as BackendName] : BACKENDS.filter((b) => b !== "blas");
  for (const backend of candidates) {
    if (await tf.setBackend(backend)) {
      await tf.ready();
      return backend;
    }
  }
  throw new Error(`tfjs backend ${forced} could not be started`);
}
